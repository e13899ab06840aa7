#include "auditlog.h"

#include "common/secrets.h"
#include "common/statepaths.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace pgdeck {

QString AuditLog::path()
{
    return auditLogPath();
}

bool AuditLog::append(const AuditRecord &r, QString *error)
{
    if (!ensureDir(QFileInfo(path()).absolutePath(), error))
        return false;
    QJsonObject o;
    o[QLatin1String("time")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    o[QLatin1String("user")] = currentOsUser();
    o[QLatin1String("machine")] = QHostInfo::localHostName();
    o[QLatin1String("cluster")] = r.cluster;
    o[QLatin1String("plan")] = r.planId;
    o[QLatin1String("step")] = r.step;
    o[QLatin1String("node")] = r.node;
    o[QLatin1String("kind")] = r.kind;
    o[QLatin1String("what")] = secrets::mask(r.what);
    o[QLatin1String("outcome")] = r.outcome;
    if (!r.message.isEmpty())
        o[QLatin1String("message")] = secrets::mask(r.message);
    QFile f(path());
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path(), f.errorString());
        return false;
    }
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    f.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
    return true;
}

} // namespace pgdeck
