#include "patronistate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

namespace pgdeck {

namespace {

bool parseDocument(const QByteArray &json, QJsonDocument *doc, QString *error)
{
    QJsonParseError parseError;
    *doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("malformed JSON at offset %1: %2")
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return false;
    }
    return true;
}

bool parseObject(const QByteArray &json, QJsonObject *object, QString *error)
{
    QJsonDocument doc;
    if (!parseDocument(json, &doc, error))
        return false;
    if (!doc.isObject()) {
        *error = QStringLiteral("expected a JSON object");
        return false;
    }
    *object = doc.object();
    return true;
}

// Patroni writes LSNs and lags as JSON integers, and "unknown" (or nothing) when it has none.
qint64 integerOr(const QJsonValue &value, qint64 fallback)
{
    return value.isDouble() ? value.toInteger(fallback) : fallback;
}

// Patroni mixes "2024-01-02T03:04:05.123456+00:00" and "2024-01-02 03:04:05.123456+00:00".
QDateTime parseTimestamp(const QJsonValue &value)
{
    QString text = value.toString();
    if (text.size() > 10 && text.at(10) == QLatin1Char(' '))
        text[10] = QLatin1Char('T');
    return QDateTime::fromString(text, Qt::ISODateWithMs);
}

PatroniMember parseMember(const QJsonObject &o)
{
    PatroniMember m;
    m.name = o.value(QLatin1String("name")).toString();
    m.role = o.value(QLatin1String("role")).toString();
    m.state = o.value(QLatin1String("state")).toString();
    m.host = o.value(QLatin1String("host")).toString();
    m.port = o.value(QLatin1String("port")).toInt();
    m.apiUrl = o.value(QLatin1String("api_url")).toString();
    m.timeline = int(integerOr(o.value(QLatin1String("timeline")), -1));
    m.lagBytes = integerOr(o.value(QLatin1String("lag")), -1);
    m.pendingRestart = o.value(QLatin1String("pending_restart")).toBool();
    m.tags = o.value(QLatin1String("tags")).toObject();
    return m;
}

} // namespace

bool PatroniMember::isLeader() const
{
    return role == QLatin1String("leader") || role == QLatin1String("standby_leader");
}

QUrl PatroniMember::apiBaseUrl() const
{
    QUrl url(apiUrl);
    QString path = url.path();
    if (path.endsWith(QLatin1String("/patroni")))
        path.chop(int(qstrlen("/patroni")));
    url.setPath(path);
    return url;
}

QString PatroniClusterState::leader() const
{
    for (const PatroniMember &m : members) {
        if (m.isLeader())
            return m.name;
    }
    return {};
}

const PatroniMember *PatroniClusterState::member(const QString &name) const
{
    for (const PatroniMember &m : members) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

bool PatroniClusterState::parse(const QByteArray &json, PatroniClusterState *out, QString *error)
{
    QJsonObject root;
    if (!parseObject(json, &root, error))
        return false;
    const QJsonValue members = root.value(QLatin1String("members"));
    if (!members.isArray()) {
        *error = QStringLiteral("no \"members\" array in the cluster state");
        return false;
    }
    PatroniClusterState state;
    state.scope = root.value(QLatin1String("scope")).toString();
    state.paused = root.value(QLatin1String("pause")).toBool();
    for (const QJsonValue &value : members.toArray()) {
        const QJsonObject member = value.toObject();
        if (!value.isObject() || !member.value(QLatin1String("name")).isString()) {
            *error = QStringLiteral("a cluster member without a name");
            return false;
        }
        state.members.append(parseMember(member));
    }
    const QJsonObject scheduled = root.value(QLatin1String("scheduled_switchover")).toObject();
    if (!scheduled.isEmpty()) {
        state.scheduledSwitchover.at = parseTimestamp(scheduled.value(QLatin1String("at")));
        state.scheduledSwitchover.from = scheduled.value(QLatin1String("from")).toString();
        state.scheduledSwitchover.to = scheduled.value(QLatin1String("to")).toString();
    }
    *out = state;
    return true;
}

bool PatroniHistoryEntry::parseList(const QByteArray &json, QList<PatroniHistoryEntry> *out,
                                    QString *error)
{
    QJsonDocument doc;
    if (!parseDocument(json, &doc, error))
        return false;
    if (!doc.isArray()) {
        *error = QStringLiteral("expected a JSON array of timeline switches");
        return false;
    }
    QList<PatroniHistoryEntry> entries;
    for (const QJsonValue &value : doc.array()) {
        const QJsonArray fields = value.toArray();
        if (!value.isArray() || fields.size() < 2 || !fields.at(0).isDouble() ||
            !fields.at(1).isDouble()) {
            *error = QStringLiteral("a history entry is not [timeline, lsn, ...]");
            return false;
        }
        PatroniHistoryEntry e;
        e.timeline = fields.at(0).toInt();
        e.lsn = fields.at(1).toInteger();
        e.reason = fields.at(2).toString();
        e.timestamp = parseTimestamp(fields.at(3));
        e.newLeader = fields.at(4).toString();
        entries.append(e);
    }
    *out = entries;
    return true;
}

bool PatroniNodeStatus::isPrimary() const
{
    return role == QLatin1String("master") || role == QLatin1String("primary");
}

bool PatroniNodeStatus::parse(const QByteArray &json, PatroniNodeStatus *out, QString *error)
{
    QJsonObject root;
    if (!parseObject(json, &root, error))
        return false;
    if (!root.value(QLatin1String("state")).isString()) {
        *error = QStringLiteral("no \"state\" in the node status");
        return false;
    }
    PatroniNodeStatus s;
    s.state = root.value(QLatin1String("state")).toString();
    s.role = root.value(QLatin1String("role")).toString();
    s.serverVersion = root.value(QLatin1String("server_version")).toInt();
    s.timeline = int(integerOr(root.value(QLatin1String("timeline")), -1));
    const QJsonObject xlog = root.value(QLatin1String("xlog")).toObject();
    s.xlogLocation = integerOr(xlog.value(QLatin1String("location")), -1);
    s.receivedLocation = integerOr(xlog.value(QLatin1String("received_location")), -1);
    s.replayedLocation = integerOr(xlog.value(QLatin1String("replayed_location")), -1);
    s.replayPaused = xlog.value(QLatin1String("paused")).toBool();
    s.pendingRestart = root.value(QLatin1String("pending_restart")).toBool();
    s.paused = root.value(QLatin1String("pause")).toBool();
    const QJsonObject patroni = root.value(QLatin1String("patroni")).toObject();
    s.patroniVersion = patroni.value(QLatin1String("version")).toString();
    s.scope = patroni.value(QLatin1String("scope")).toString();
    s.systemIdentifier = root.value(QLatin1String("database_system_identifier")).toString();
    s.postmasterStartTime = parseTimestamp(root.value(QLatin1String("postmaster_start_time")));
    for (const QJsonValue &value : root.value(QLatin1String("replication")).toArray()) {
        const QJsonObject o = value.toObject();
        PatroniReplicationConnection c;
        c.user = o.value(QLatin1String("usename")).toString();
        c.applicationName = o.value(QLatin1String("application_name")).toString();
        c.clientAddr = o.value(QLatin1String("client_addr")).toString();
        c.state = o.value(QLatin1String("state")).toString();
        c.syncState = o.value(QLatin1String("sync_state")).toString();
        c.syncPriority = o.value(QLatin1String("sync_priority")).toInt();
        s.replication.append(c);
    }
    *out = s;
    return true;
}

} // namespace pgdeck
