// pgdeckctl pipeline init|validate: CI/CD pipelines for GitHub Actions, GitLab CI, Jenkins
// and CircleCI from one model, shown as a diff against the repository, written only when
// asked, and checked the way each system reads them.
#include "ctlcommand.h"

#include "pipeline/pipelinecheck.h"
#include "pipeline/pipelinegenerator.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

namespace pgdeck {

bool CtlCommand::pipelineSpec(PipelineSpec *spec, QList<CiSystem> *systems)
{
    const auto take = [&](const char *option, QString *value) {
        if (m_parser.isSet(QLatin1String(option)))
            *value = m_parser.value(QLatin1String(option));
    };
    take("name", &spec->name);
    take("branch", &spec->branch);
    take("image", &spec->image);
    take("registry", &spec->registry);
    take("deploy-host", &spec->deployHost);
    take("deploy-dir", &spec->deployDir);
    take("node", &spec->nodeVersion);
    if (m_parser.isSet(QStringLiteral("image")) && !m_parser.isSet(QStringLiteral("registry")))
        spec->registry = spec->image.section(QLatin1Char('/'), 0, 0);
    if (m_parser.isSet(QStringLiteral("deploy")) &&
        !PipelineSpec::deployFromName(m_parser.value(QStringLiteral("deploy")), &spec->deploy)) {
        usage(QStringLiteral("--deploy takes ssh, context or none"));
        return false;
    }
    const QString ci = m_parser.value(QStringLiteral("ci"));
    if (ci.isEmpty() || ci == QLatin1String("all")) {
        *systems = PipelineGenerator::allSystems();
    } else {
        for (const QString &name : ci.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            CiSystem system;
            if (!PipelineGenerator::systemFromName(name.trimmed(), &system)) {
                usage(QStringLiteral(
                          "--ci takes github, gitlab, jenkins, circleci or all, not \"%1\"")
                          .arg(name));
                return false;
            }
            *systems << system;
        }
    }
    return noErrors(validatePipelineSpec(*spec));
}

int CtlCommand::pipeline(const QStringList &args)
{
    const QString action = args.value(0);
    const QString dir = dockerProjectDir();
    if (action == QLatin1String("validate") && args.size() == 1)
        return pipelineValidate(dir);
    if (action != QLatin1String("init") || args.size() != 1)
        return usage(QStringLiteral("pipeline takes init or validate"));

    PipelineSpec spec;
    QList<CiSystem> systems;
    if (!pipelineSpec(&spec, &systems))
        return 2;
    QList<GeneratedFile> files;
    for (CiSystem system : systems)
        files << PipelineGenerator::file(spec, system);
    return proposeFiles(dir, files,
                        QStringLiteral("secrets to create in the CI system: ") +
                            spec.secretNames().join(QStringLiteral(", ")));
}

int CtlCommand::pipelineValidate(const QString &dir)
{
    QStringList paths;
    for (const char *fixed : {"Jenkinsfile", ".gitlab-ci.yml", ".circleci/config.yml"})
        if (QFile::exists(QDir(dir).filePath(QLatin1String(fixed))))
            paths << QLatin1String(fixed);
    const QDir workflows(QDir(dir).filePath(QStringLiteral(".github/workflows")));
    for (const QString &f :
         workflows.entryList({QStringLiteral("*.yml"), QStringLiteral("*.yaml")}, QDir::Files))
        paths << QStringLiteral(".github/workflows/") + f;
    if (paths.isEmpty()) {
        m_err << "pgdeckctl: no pipeline in " << dir
              << " (.github/workflows/*.yml, .gitlab-ci.yml, Jenkinsfile, .circleci/config.yml)\n";
        return 1;
    }
    bool allOk = true;
    QStringList secrets;
    for (const QString &path : paths) {
        CiSystem system;
        PipelineCheck::systemForPath(path, &system);
        QFile f(QDir(dir).filePath(path));
        if (!f.open(QIODevice::ReadOnly)) {
            m_err << path << ": " << f.errorString() << "\n";
            allOk = false;
            continue;
        }
        const PipelineCheckResult r = PipelineCheck::check(system, QString::fromUtf8(f.readAll()));
        (r.ok() ? m_out : m_err)
            << path << " (" << PipelineGenerator::displayName(system) << "): "
            << (r.ok() ? QStringLiteral("valid, jobs %1").arg(r.jobs.join(QStringLiteral(" → ")))
                       : QStringLiteral("invalid"))
            << "\n";
        for (const QString &e : r.errors)
            m_err << "  error: " << e << "\n";
        allOk = allOk && r.ok();
        secrets << r.secrets;
    }
    secrets.removeDuplicates();
    if (!secrets.isEmpty())
        m_out << "secrets they read: " << secrets.join(QStringLiteral(", ")) << "\n";
    return allOk ? 0 : 1;
}

} // namespace pgdeck
