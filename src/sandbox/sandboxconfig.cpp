#include "sandboxconfig.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace pgdeck {

QString sandboxShapeName(SandboxShape shape)
{
    return shape == SandboxShape::Sharded ? QStringLiteral("sharded")
                                          : QStringLiteral("replicated");
}

bool sandboxShapeFromName(const QString &name, SandboxShape *shape)
{
    if (name == QLatin1String("replicated"))
        *shape = SandboxShape::Replicated;
    else if (name == QLatin1String("sharded"))
        *shape = SandboxShape::Sharded;
    else
        return false;
    return true;
}

QString SandboxConfig::nodeName(int index) const
{
    if (sharded())
        return index == 0 ? QStringLiteral("coordinator") : QStringLiteral("worker%1").arg(index);
    return index == 0 ? QStringLiteral("primary") : QStringLiteral("standby%1").arg(index);
}

QByteArray SandboxConfig::toJson() const
{
    QJsonObject o;
    o[QLatin1String("shape")] = sandboxShapeName(shape);
    o[QLatin1String("dir")] = dir;
    o[QLatin1String("base_port")] = basePort;
    o[QLatin1String("bin_dir")] = binDir;
    o[QLatin1String("os_user")] = osUser;
    o[QLatin1String("standbys")] = standbys;
    o[QLatin1String("workers")] = workers;
    o[QLatin1String("citus")] = citus;
    o[QLatin1String("cascade")] = cascade;
    o[QLatin1String("load")] = load;
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

bool SandboxConfig::fromJson(const QByteArray &json, SandboxConfig *config, QString *error)
{
    QJsonParseError perr;
    const QJsonObject o = QJsonDocument::fromJson(json, &perr).object();
    if (o.isEmpty()) {
        *error = QStringLiteral("sandbox.json is not valid JSON: %1").arg(perr.errorString());
        return false;
    }
    SandboxConfig c;
    // Files written before there were shapes describe a replicated sandbox.
    const QString shape = o.value(QLatin1String("shape")).toString(QStringLiteral("replicated"));
    if (!sandboxShapeFromName(shape, &c.shape)) {
        *error = QStringLiteral("sandbox.json has an unknown shape \"%1\" (replicated or sharded)")
                     .arg(shape);
        return false;
    }
    c.dir = o.value(QLatin1String("dir")).toString();
    c.basePort = o.value(QLatin1String("base_port")).toInt();
    c.binDir = o.value(QLatin1String("bin_dir")).toString();
    c.osUser = o.value(QLatin1String("os_user")).toString();
    c.standbys = o.value(QLatin1String("standbys")).toInt(c.sharded() ? 0 : 2);
    c.workers = o.value(QLatin1String("workers")).toInt(2);
    c.citus = o.value(QLatin1String("citus")).toBool(true);
    c.cascade = o.value(QLatin1String("cascade")).toBool();
    c.load = o.value(QLatin1String("load")).toBool(true);
    if (c.dir.isEmpty() || c.basePort <= 0 || c.binDir.isEmpty()) {
        *error = QStringLiteral("sandbox.json lacks dir, base_port or bin_dir");
        return false;
    }
    *config = c;
    return true;
}

} // namespace pgdeck
