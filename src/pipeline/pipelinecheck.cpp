#include "pipelinecheck.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

namespace pgdeck {

namespace {

QString text(const YAML::Node &node)
{
    return node && node.IsScalar() ? QString::fromStdString(node.Scalar()) : QString();
}

QStringList names(const YAML::Node &node)
{
    QStringList out;
    if (!node)
        return out;
    if (node.IsScalar())
        return {text(node)};
    if (node.IsSequence())
        for (const auto &item : node)
            out << (item.IsMap() ? text(item["job"]) : text(item)); // GitLab: needs: [{job: x}]
    return out;
}

// Kahn's algorithm over job → dependencies; names the first job on a cycle.
void checkGraph(const QHash<QString, QStringList> &needs, const QStringList &order,
                const QString &keyword, QStringList *errors)
{
    for (const QString &job : order)
        for (const QString &dep : needs.value(job))
            if (!needs.contains(dep))
                *errors << QStringLiteral("job \"%1\": %2 names \"%3\", which is not a job")
                               .arg(job, keyword, dep);
    QSet<QString> done;
    bool progress = true;
    while (progress) {
        progress = false;
        for (const QString &job : order) {
            if (done.contains(job))
                continue;
            const QStringList deps = needs.value(job);
            if (std::all_of(deps.begin(), deps.end(), [&](const QString &d) {
                    return done.contains(d) || !needs.contains(d);
                })) {
                done.insert(job);
                progress = true;
            }
        }
    }
    for (const QString &job : order)
        if (!done.contains(job)) {
            *errors << QStringLiteral("job \"%1\" is on a dependency cycle (%2)").arg(job, keyword);
            break;
        }
}

void collectSecrets(const QString &content, const QRegularExpression &pattern, QStringList *out)
{
    auto it = pattern.globalMatch(content);
    while (it.hasNext())
        *out << it.next().captured(1);
    out->removeDuplicates();
}

bool load(const QString &content, YAML::Node *root, QStringList *errors)
{
    try {
        *root = YAML::Load(content.toStdString());
    } catch (const YAML::Exception &e) {
        *errors << QStringLiteral("not valid YAML: line %1: %2")
                       .arg(e.mark.line + 1)
                       .arg(QString::fromStdString(e.msg));
        return false;
    }
    if (!root->IsMap()) {
        *errors << QStringLiteral("the file is not a YAML mapping");
        return false;
    }
    return true;
}

void checkGitHub(const QString &content, PipelineCheckResult *r)
{
    YAML::Node root;
    if (!load(content, &root, &r->errors))
        return;
    // `on` is a YAML 1.1 boolean to some readers; GitHub reads it as the key "on".
    if (!root["on"] && !root["true"])
        r->errors << QStringLiteral("no \"on\": the workflow has no trigger");
    const YAML::Node jobs = root["jobs"];
    if (!jobs || !jobs.IsMap() || jobs.size() == 0) {
        r->errors << QStringLiteral("no \"jobs\"");
        return;
    }
    QHash<QString, QStringList> needs;
    for (const auto &entry : jobs) {
        const QString id = text(entry.first);
        const YAML::Node job = entry.second;
        r->jobs << id;
        needs.insert(id, names(job["needs"]));
        if (!job["runs-on"] && !job["uses"])
            r->errors << QStringLiteral("job \"%1\": no \"runs-on\"").arg(id);
        const YAML::Node steps = job["steps"];
        if (!job["uses"] && (!steps || !steps.IsSequence() || steps.size() == 0)) {
            r->errors << QStringLiteral("job \"%1\": no steps").arg(id);
            continue;
        }
        for (std::size_t i = 0; steps && i < steps.size(); ++i)
            if (!steps[i]["run"] && !steps[i]["uses"])
                r->errors << QStringLiteral("job \"%1\", step %2: neither \"run\" nor \"uses\"")
                                 .arg(id)
                                 .arg(i + 1);
    }
    checkGraph(needs, r->jobs, QStringLiteral("needs"), &r->errors);
    static const QRegularExpression secret(
        QStringLiteral("\\$\\{\\{\\s*secrets\\.([A-Za-z0-9_]+)\\s*\\}\\}"));
    collectSecrets(content, secret, &r->secrets);
}

void checkGitLab(const QString &content, PipelineCheckResult *r)
{
    YAML::Node root;
    if (!load(content, &root, &r->errors))
        return;
    static const QSet<QString> keywords{
        QStringLiteral("stages"),      QStringLiteral("variables"), QStringLiteral("default"),
        QStringLiteral("include"),     QStringLiteral("workflow"),  QStringLiteral("image"),
        QStringLiteral("services"),    QStringLiteral("cache"),     QStringLiteral("before_script"),
        QStringLiteral("after_script")};
    const QStringList stages = names(root["stages"]);
    QHash<QString, QStringList> needs;
    for (const auto &entry : root) {
        const QString id = text(entry.first);
        if (keywords.contains(id) || id.startsWith(QLatin1Char('.')))
            continue; // global keywords and hidden templates
        const YAML::Node job = entry.second;
        if (!job.IsMap())
            continue;
        r->jobs << id;
        needs.insert(id, names(job["needs"]));
        if (!job["script"] && !job["trigger"])
            r->errors << QStringLiteral("job \"%1\": no \"script\"").arg(id);
        const QString stage = text(job["stage"]);
        if (!stage.isEmpty() && !stages.isEmpty() && !stages.contains(stage))
            r->errors << QStringLiteral("job \"%1\": stage \"%2\" is not in stages (%3)")
                             .arg(id, stage, stages.join(QStringLiteral(", ")));
    }
    if (r->jobs.isEmpty())
        r->errors << QStringLiteral("no jobs");
    checkGraph(needs, r->jobs, QStringLiteral("needs"), &r->errors);
}

void checkCircle(const QString &content, PipelineCheckResult *r)
{
    YAML::Node root;
    if (!load(content, &root, &r->errors))
        return;
    if (text(root["version"]).isEmpty())
        r->errors << QStringLiteral("no \"version\" (2.1)");
    const YAML::Node jobs = root["jobs"];
    if (!jobs || !jobs.IsMap() || jobs.size() == 0) {
        r->errors << QStringLiteral("no \"jobs\"");
        return;
    }
    QSet<QString> defined;
    for (const auto &entry : jobs) {
        const QString id = text(entry.first);
        defined.insert(id);
        const YAML::Node job = entry.second;
        if (!job["docker"] && !job["machine"] && !job["macos"] && !job["executor"])
            r->errors << QStringLiteral("job \"%1\": no executor (docker, machine, macos)").arg(id);
        if (!job["steps"] || !job["steps"].IsSequence())
            r->errors << QStringLiteral("job \"%1\": no steps").arg(id);
    }
    const YAML::Node workflows = root["workflows"];
    if (!workflows || !workflows.IsMap()) {
        r->errors << QStringLiteral("no \"workflows\": no job would run");
        return;
    }
    for (const auto &wf : workflows) {
        if (!wf.second.IsMap())
            continue; // version: 2
        QHash<QString, QStringList> required;
        QStringList order;
        for (const auto &item : wf.second["jobs"]) {
            const QString id = item.IsMap() ? text(item.begin()->first) : text(item);
            order << id;
            if (!defined.contains(id))
                r->errors << QStringLiteral("workflow \"%1\" runs \"%2\", which is not a job")
                                 .arg(text(wf.first), id);
            required.insert(id,
                            item.IsMap() ? names(item.begin()->second["requires"]) : QStringList());
        }
        checkGraph(required, order, QStringLiteral("requires"), &r->errors);
        r->jobs << order;
    }
}

void checkJenkins(const QString &content, PipelineCheckResult *r)
{
    // Declarative syntax: braces balanced outside strings, pipeline { agent … stages { … } }.
    int depth = 0;
    int line = 1;
    bool triple = false; // inside a ''' string
    QChar quote;         // inside a '...' or "..." string
    const QString tripleQuote = QStringLiteral("'''");
    for (int i = 0; i < content.size(); ++i) {
        const QChar c = content[i];
        if (c == QLatin1Char('\n'))
            ++line;
        if (triple) {
            if (content.mid(i, 3) == tripleQuote) {
                triple = false;
                i += 2;
            }
        } else if (!quote.isNull()) {
            if (c == QLatin1Char('\\'))
                ++i;
            else if (c == quote)
                quote = QChar();
        } else if (content.mid(i, 3) == tripleQuote) {
            triple = true;
            i += 2;
        } else if (content.mid(i, 2) == QLatin1String("//") ||
                   (c == QLatin1Char('#') && (i == 0 || content[i - 1] == QLatin1Char('\n')))) {
            const int end = content.indexOf(QLatin1Char('\n'), i); // a comment: to the line's end
            if (end < 0)
                break;
            i = end - 1;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
        } else if (c == QLatin1Char('{')) {
            ++depth;
        } else if (c == QLatin1Char('}') && --depth < 0) {
            r->errors
                << QStringLiteral("line %1: a closing brace without its opening one").arg(line);
            return;
        }
    }
    if (triple)
        quote = QLatin1Char('\'');
    if (!quote.isNull())
        r->errors << QStringLiteral("a string is not closed");
    if (depth != 0)
        r->errors << QStringLiteral("%1 brace(s) not closed").arg(depth);
    static const QRegularExpression pipeline(QStringLiteral("(^|\\n)\\s*pipeline\\s*\\{"));
    if (!pipeline.match(content).hasMatch())
        r->errors << QStringLiteral("no \"pipeline { … }\" block (declarative syntax)");
    if (!content.contains(QRegularExpression(QStringLiteral("\\bagent\\b"))))
        r->errors << QStringLiteral("no \"agent\"");
    if (!content.contains(QRegularExpression(QStringLiteral("\\bstages\\s*\\{"))))
        r->errors << QStringLiteral("no \"stages { … }\"");
    static const QRegularExpression stage(QStringLiteral("\\bstage\\s*\\(\\s*['\"]([^'\"]+)['\"]"));
    auto it = stage.globalMatch(content);
    while (it.hasNext())
        r->jobs << it.next().captured(1);
    if (r->jobs.isEmpty())
        r->errors << QStringLiteral("no stage");
    static const QRegularExpression credentials(
        QStringLiteral("credentials\\(\\s*['\"]([^'\"]+)['\"]"));
    collectSecrets(content, credentials, &r->secrets);
}

} // namespace

PipelineCheckResult PipelineCheck::check(CiSystem system, const QString &content)
{
    PipelineCheckResult r;
    switch (system) {
    case CiSystem::GitHub:
        checkGitHub(content, &r);
        break;
    case CiSystem::GitLab:
        checkGitLab(content, &r);
        break;
    case CiSystem::Jenkins:
        checkJenkins(content, &r);
        break;
    case CiSystem::CircleCI:
        checkCircle(content, &r);
        break;
    }
    if (system == CiSystem::GitLab || system == CiSystem::CircleCI) {
        // Variables the CI system injects: the scripts read them as $NAME; the generated
        // header lists them too. Report names that look like secrets and are not set here.
        static const QRegularExpression listed(
            QStringLiteral("# secrets it reads[^\\n]*\\n#\\s+([A-Z0-9_, ]+)"));
        const auto m = listed.match(content);
        if (m.hasMatch())
            for (const QString &name :
                 m.captured(1).split(QStringLiteral(", "), Qt::SkipEmptyParts))
                r.secrets << name.trimmed();
    }
    return r;
}

bool PipelineCheck::systemForPath(const QString &path, CiSystem *system)
{
    if (path.startsWith(QLatin1String(".github/workflows/")) &&
        (path.endsWith(QLatin1String(".yml")) || path.endsWith(QLatin1String(".yaml"))))
        *system = CiSystem::GitHub;
    else if (path == QLatin1String(".gitlab-ci.yml"))
        *system = CiSystem::GitLab;
    else if (path == QLatin1String("Jenkinsfile"))
        *system = CiSystem::Jenkins;
    else if (path == QLatin1String(".circleci/config.yml"))
        *system = CiSystem::CircleCI;
    else
        return false;
    return true;
}

} // namespace pgdeck
