#include "planstep.h"

#include <QJsonArray>

namespace pgdeck {

namespace {

const char *const kKindNames[] = {"sql", "command", "write-file", "wait-until", "verify"};
const char *const kGuardNames[] = {"none", "sql-true", "command-succeeds", "file-exists"};

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList toStringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out << item.toString();
    return out;
}

QJsonObject hostToJson(const HostTarget &h)
{
    QJsonObject o;
    if (!h.ssh.isEmpty())
        o[QLatin1String("ssh")] = h.ssh;
    if (!h.runAs.isEmpty())
        o[QLatin1String("run_as")] = h.runAs;
    return o;
}

HostTarget hostFromJson(const QJsonValue &v)
{
    const QJsonObject o = v.toObject();
    return {o.value(QLatin1String("ssh")).toString(), o.value(QLatin1String("run_as")).toString()};
}

} // namespace

QString HostTarget::describe() const
{
    QString s = ssh.isEmpty() ? QStringLiteral("local") : ssh;
    if (!runAs.isEmpty())
        s += QStringLiteral(" as ") + runAs;
    return s;
}

QString PlanStep::kindName(Kind kind)
{
    return QLatin1String(kKindNames[int(kind)]);
}

bool PlanStep::kindFromName(const QString &name, Kind *kind)
{
    for (int i = 0; i < int(std::size(kKindNames)); ++i)
        if (name == QLatin1String(kKindNames[i])) {
            *kind = Kind(i);
            return true;
        }
    return false;
}

QJsonObject PlanStep::toJson() const
{
    QJsonObject o;
    o[QLatin1String("id")] = id;
    o[QLatin1String("kind")] = kindName(kind);
    o[QLatin1String("title")] = title;
    auto put = [&](const char *key, const QString &v) {
        if (!v.isEmpty())
            o[QLatin1String(key)] = v;
    };
    put("node", node);
    put("url", url);
    put("sql", sql);
    if (!params.isEmpty())
        o[QLatin1String("params")] = toArray(params);
    put("expect", expect);
    if (kind == Kind::Command || kind == Kind::WriteFile)
        o[QLatin1String("host")] = hostToJson(host);
    if (!argv.isEmpty())
        o[QLatin1String("argv")] = toArray(argv);
    put("path", path);
    if (kind == Kind::WriteFile) {
        o[QLatin1String("content")] = content;
        o[QLatin1String("mode")] = fileMode;
    }
    if (timeoutMs > 0)
        o[QLatin1String("timeout_ms")] = timeoutMs;
    if (kind == Kind::WaitUntil)
        o[QLatin1String("poll_interval_ms")] = pollIntervalMs;
    if (guard.isSet()) {
        QJsonObject g;
        g[QLatin1String("kind")] = QLatin1String(kGuardNames[int(guard.kind)]);
        if (!guard.node.isEmpty())
            g[QLatin1String("node")] = guard.node;
        if (!guard.sql.isEmpty())
            g[QLatin1String("sql")] = guard.sql;
        if (guard.kind != StepGuard::Kind::SqlTrue)
            g[QLatin1String("host")] = hostToJson(guard.host);
        if (!guard.argv.isEmpty())
            g[QLatin1String("argv")] = toArray(guard.argv);
        if (!guard.path.isEmpty())
            g[QLatin1String("path")] = guard.path;
        o[QLatin1String("guard")] = g;
    }
    return o;
}

PlanStep PlanStep::fromJson(const QJsonObject &o, QString *error)
{
    PlanStep s;
    s.id = o.value(QLatin1String("id")).toString();
    if (s.id.isEmpty()) {
        *error = QStringLiteral("a step has no \"id\"");
        return s;
    }
    const QString kind = o.value(QLatin1String("kind")).toString();
    if (!kindFromName(kind, &s.kind)) {
        *error = QStringLiteral("step \"%1\": unknown kind \"%2\" (expected sql, command, "
                                "write-file, wait-until or verify)")
                     .arg(s.id, kind);
        return s;
    }
    s.title = o.value(QLatin1String("title")).toString();
    s.node = o.value(QLatin1String("node")).toString();
    s.url = o.value(QLatin1String("url")).toString();
    s.sql = o.value(QLatin1String("sql")).toString();
    s.params = toStringList(o.value(QLatin1String("params")));
    s.expect = o.value(QLatin1String("expect")).toString();
    s.host = hostFromJson(o.value(QLatin1String("host")));
    s.argv = toStringList(o.value(QLatin1String("argv")));
    s.path = o.value(QLatin1String("path")).toString();
    s.content = o.value(QLatin1String("content")).toString();
    s.fileMode = o.value(QLatin1String("mode")).toInt(0644);
    s.timeoutMs = o.value(QLatin1String("timeout_ms")).toInt(0);
    s.pollIntervalMs = o.value(QLatin1String("poll_interval_ms")).toInt(500);
    if (o.contains(QLatin1String("guard"))) {
        const QJsonObject g = o.value(QLatin1String("guard")).toObject();
        const QString gk = g.value(QLatin1String("kind")).toString();
        bool found = false;
        for (int i = 0; i < int(std::size(kGuardNames)); ++i)
            if (gk == QLatin1String(kGuardNames[i])) {
                s.guard.kind = StepGuard::Kind(i);
                found = true;
            }
        if (!found) {
            *error = QStringLiteral("step \"%1\": unknown guard kind \"%2\"").arg(s.id, gk);
            return s;
        }
        s.guard.node = g.value(QLatin1String("node")).toString();
        s.guard.sql = g.value(QLatin1String("sql")).toString();
        s.guard.host = hostFromJson(g.value(QLatin1String("host")));
        s.guard.argv = toStringList(g.value(QLatin1String("argv")));
        s.guard.path = g.value(QLatin1String("path")).toString();
    }
    return s;
}

} // namespace pgdeck
