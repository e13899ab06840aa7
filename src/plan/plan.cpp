#include "plan.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>
#include <QUuid>

namespace pgdeck {

Plan::Plan(const QString &title, const QString &cluster)
    : m_id(QUuid::createUuid().toString(QUuid::WithoutBraces).left(8))
    , m_title(title)
    , m_cluster(cluster)
    , m_created(QDateTime::currentDateTimeUtc())
{}

void Plan::setNode(const QString &name, const ConnectionParams &params)
{
    ConnectionParams p = params;
    p.remove(QStringLiteral("password")); // a plan is written to disk: never carry one
    m_nodes.insert(name, p);
}

PlanStep &Plan::add(const PlanStep &step)
{
    m_steps.append(step);
    return m_steps.last();
}

int Plan::indexOf(const QString &stepId) const
{
    for (int i = 0; i < m_steps.size(); ++i)
        if (m_steps[i].id == stepId)
            return i;
    return -1;
}

bool Plan::validate(QString *error) const
{
    QSet<QString> ids;
    for (int i = 0; i < m_steps.size(); ++i) {
        const PlanStep &s = m_steps[i];
        const QString where = QStringLiteral("step %1 (\"%2\")").arg(i + 1).arg(s.id);
        if (s.id.isEmpty()) {
            *error = QStringLiteral("step %1 has no id").arg(i + 1);
            return false;
        }
        if (ids.contains(s.id)) {
            *error = QStringLiteral("%1: the id is used twice").arg(where);
            return false;
        }
        ids.insert(s.id);
        const bool needsNode =
            s.kind == PlanStep::Kind::Sql ||
            (s.kind == PlanStep::Kind::WaitUntil && s.url.isEmpty() && s.argv.isEmpty()) ||
            s.kind == PlanStep::Kind::Verify;
        if (needsNode && !m_nodes.contains(s.node)) {
            *error = QStringLiteral("%1: unknown node \"%2\"").arg(where, s.node);
            return false;
        }
        if (needsNode && s.sql.trimmed().isEmpty()) {
            *error = QStringLiteral("%1: no SQL").arg(where);
            return false;
        }
        if (s.kind == PlanStep::Kind::Command && s.argv.isEmpty()) {
            *error = QStringLiteral("%1: no command").arg(where);
            return false;
        }
        if (s.kind == PlanStep::Kind::WriteFile && s.path.isEmpty()) {
            *error = QStringLiteral("%1: no file path").arg(where);
            return false;
        }
        if (s.guard.kind == StepGuard::Kind::SqlTrue && !m_nodes.contains(s.guard.node)) {
            *error = QStringLiteral("%1: guard names unknown node \"%2\"").arg(where, s.guard.node);
            return false;
        }
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end(); ++it)
        if (it.value().has(QStringLiteral("password"))) {
            *error = QStringLiteral("node \"%1\" carries a password; use .pgpass").arg(it.key());
            return false;
        }
    return true;
}

QJsonObject Plan::toJson() const
{
    QJsonObject o;
    o[QLatin1String("format")] = 1;
    o[QLatin1String("id")] = m_id;
    o[QLatin1String("title")] = m_title;
    o[QLatin1String("cluster")] = m_cluster;
    o[QLatin1String("created")] = m_created.toString(Qt::ISODateWithMs);
    QJsonObject nodes;
    for (auto it = m_nodes.begin(); it != m_nodes.end(); ++it)
        nodes[it.key()] = it.value().toConninfo(true);
    o[QLatin1String("nodes")] = nodes;
    QJsonArray steps;
    for (const PlanStep &s : m_steps)
        steps.append(s.toJson());
    o[QLatin1String("steps")] = steps;
    return o;
}

bool Plan::fromJson(const QJsonObject &o, Plan *plan, QString *error)
{
    Plan p;
    p.m_id = o.value(QLatin1String("id")).toString();
    if (p.m_id.isEmpty()) {
        *error = QStringLiteral("the plan has no \"id\"");
        return false;
    }
    p.m_title = o.value(QLatin1String("title")).toString();
    p.m_cluster = o.value(QLatin1String("cluster")).toString();
    p.m_created =
        QDateTime::fromString(o.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
    const QJsonObject nodes = o.value(QLatin1String("nodes")).toObject();
    for (auto it = nodes.begin(); it != nodes.end(); ++it) {
        QString err;
        const ConnectionParams params = ConnectionParams::parse(it.value().toString(), &err);
        if (!err.isEmpty()) {
            *error = QStringLiteral("node \"%1\": %2").arg(it.key(), err);
            return false;
        }
        p.m_nodes.insert(it.key(), params);
    }
    for (const QJsonValue &v : o.value(QLatin1String("steps")).toArray()) {
        QString err;
        PlanStep s = PlanStep::fromJson(v.toObject(), &err);
        if (!err.isEmpty()) {
            *error = err;
            return false;
        }
        p.m_steps.append(s);
    }
    if (!p.validate(error))
        return false;
    *plan = p;
    return true;
}

bool Plan::load(const QString &path, Plan *plan, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &perr);
    if (doc.isNull()) {
        *error = QStringLiteral("%1: not a plan (JSON error at offset %2: %3)")
                     .arg(path)
                     .arg(perr.offset)
                     .arg(perr.errorString());
        return false;
    }
    if (!fromJson(doc.object(), plan, error)) {
        *error = path + QStringLiteral(": ") + *error;
        return false;
    }
    return true;
}

bool Plan::save(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    f.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!f.commit()) {
        *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

namespace steps {

PlanStep sql(const QString &id, const QString &title, const QString &node, const QString &sql,
             const QStringList &params)
{
    PlanStep s;
    s.id = id;
    s.kind = PlanStep::Kind::Sql;
    s.title = title;
    s.node = node;
    s.sql = sql;
    s.params = params;
    return s;
}

PlanStep command(const QString &id, const QString &title, const HostTarget &host,
                 const QStringList &argv)
{
    PlanStep s;
    s.id = id;
    s.kind = PlanStep::Kind::Command;
    s.title = title;
    s.host = host;
    s.argv = argv;
    return s;
}

PlanStep writeFile(const QString &id, const QString &title, const HostTarget &host,
                   const QString &path, const QString &content, int mode)
{
    PlanStep s;
    s.id = id;
    s.kind = PlanStep::Kind::WriteFile;
    s.title = title;
    s.host = host;
    s.path = path;
    s.content = content;
    s.fileMode = mode;
    return s;
}

PlanStep waitUntil(const QString &id, const QString &title, const QString &node, const QString &sql,
                   int timeoutMs)
{
    PlanStep s = steps::sql(id, title, node, sql);
    s.kind = PlanStep::Kind::WaitUntil;
    s.timeoutMs = timeoutMs;
    return s;
}

PlanStep waitForHttp(const QString &id, const QString &title, const QString &url, int timeoutMs)
{
    PlanStep s;
    s.id = id;
    s.kind = PlanStep::Kind::WaitUntil;
    s.title = title;
    s.url = url;
    s.timeoutMs = timeoutMs;
    return s;
}

PlanStep waitForCommand(const QString &id, const QString &title, const HostTarget &host,
                        const QStringList &argv, const QString &expect, int timeoutMs)
{
    PlanStep s;
    s.id = id;
    s.kind = PlanStep::Kind::WaitUntil;
    s.title = title;
    s.host = host;
    s.argv = argv;
    s.expect = expect;
    s.timeoutMs = timeoutMs;
    s.pollIntervalMs = 1000;
    return s;
}

PlanStep verify(const QString &id, const QString &title, const QString &node, const QString &sql,
                const QString &expect)
{
    PlanStep s = steps::sql(id, title, node, sql);
    s.kind = PlanStep::Kind::Verify;
    s.expect = expect;
    return s;
}

StepGuard sqlTrue(const QString &node, const QString &sql)
{
    StepGuard g;
    g.kind = StepGuard::Kind::SqlTrue;
    g.node = node;
    g.sql = sql;
    return g;
}

StepGuard commandSucceeds(const HostTarget &host, const QStringList &argv)
{
    StepGuard g;
    g.kind = StepGuard::Kind::CommandSucceeds;
    g.host = host;
    g.argv = argv;
    return g;
}

StepGuard fileExists(const HostTarget &host, const QString &path)
{
    StepGuard g;
    g.kind = StepGuard::Kind::FileExists;
    g.host = host;
    g.path = path;
    return g;
}

} // namespace steps
} // namespace pgdeck
