#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace pgdeck {

// One walsender as the upstream sees it (pg_stat_replication), pg_basebackup excluded.
// Byte lags are measured against the upstream's current WAL position; -1 = unknown.
// Time lags are the server's write_lag/flush_lag/replay_lag; -1 = NULL (idle stream).
struct StandbyLag {
    QString name; // application_name: the sandbox and most setups use the node name
    QString clientAddr;
    int pid = 0;
    QString state;     // startup, catchup, streaming, ...
    QString syncState; // async, potential, sync, quorum
    qint64 sentLagBytes = -1;
    qint64 writeLagBytes = -1;
    qint64 flushLagBytes = -1;
    qint64 replayLagBytes = -1;
    double writeLagSeconds = -1;
    double flushLagSeconds = -1;
    double replayLagSeconds = -1;

    bool operator==(const StandbyLag &) const = default;
};

// The standby side of a stream (pg_stat_wal_receiver plus replay position).
struct WalReceiverInfo {
    bool present = false;
    QString status; // streaming, waiting, ...
    QString senderHost;
    int senderPort = 0;
    QString slotName;
    qint64 replayLagBytes = -1;     // received but not yet replayed
    double secondsSinceReplay = -1; // now - pg_last_xact_replay_timestamp()

    bool operator==(const WalReceiverInfo &) const = default;
};

struct ReplicationSlotInfo {
    QString name;
    QString type; // physical, logical
    bool active = false;
    qint64 retainedBytes = -1; // WAL kept for the slot
    QString walStatus;         // reserved, extended, unreserved, lost
    qint64 safeWalSize = -1;   // NULL (-1) when max_slot_wal_keep_size is unlimited

    bool operator==(const ReplicationSlotInfo &) const = default;
};

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
    int standbys = 0; // streaming clients in pg_stat_replication (standbyLags.size())
    int idleConnections = 0;
    int idleInTransaction = 0;
    int waitingOnLocks = 0;
    double tps = -1;           // commits + rollbacks per second since the last sample
    double cacheHitRatio = -1; // blks_hit / (blks_hit + blks_read), cumulative, 0..1
    qint64 walPosition = -1;   // current (primary) or replayed (standby) LSN, in bytes
    QList<StandbyLag> standbyLags;
    WalReceiverInfo receiver;
    QList<ReplicationSlotInfo> slots;
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
