#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace pgdeck {

// One snapshot of a node's health, as NodeProbe saw it. A plain value: it crosses
// threads by queued signals and models keep copies of it.
struct NodeStatus {
    enum class Health { Unknown, Up, Stale, Down };

    QString cluster;
    QString node;
    bool reachable = false; // the last attempt reached the server
    bool stale = true;      // the values below are not from a sample of this interval
    QString lastError;      // the server's or libpq's text; empty when healthy
    QString version;        // server_version, e.g. "15.14 (Debian 15.14-0+deb12u1)"
    bool inRecovery = false;
    qint64 uptimeSeconds = -1; // -1: never sampled
    int connections = 0;       // client backends
    int activeConnections = 0;
    int standbys = 0;    // rows in pg_stat_replication
    QDateTime sampledAt; // time of the last successful sample; invalid before the first

    bool hasSample() const { return sampledAt.isValid(); }
    // Unknown before the first answer or error; Down when unreachable; Stale when the
    // server answered but the sample failed or missed its interval.
    Health health() const
    {
        if (!reachable)
            return lastError.isEmpty() ? Health::Unknown : Health::Down;
        return stale ? Health::Stale : Health::Up;
    }
    QString roleName() const
    {
        return hasSample() ? (inRecovery ? QStringLiteral("standby") : QStringLiteral("primary"))
                           : QString();
    }

    bool operator==(const NodeStatus &) const = default;
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::NodeStatus)
