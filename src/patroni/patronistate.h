#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace pgdeck {

// One member as GET /cluster lists it. Fields Patroni leaves out (a stopped member has no
// timeline, the leader no lag) keep their "unknown" values.
struct PatroniMember {
    QString name;
    QString role;  // "leader", "replica", "sync_standby", "standby_leader", ...
    QString state; // "running", "streaming", "stopped", "starting", "stopping", ...
    QString host;
    int port = 0;
    QString apiUrl; // as reported, e.g. "http://127.0.0.1:8008/patroni"
    int timeline = -1;
    qint64 lagBytes = -1; // -1 when Patroni says "unknown" or omits it
    bool pendingRestart = false;
    QJsonObject tags;

    bool isLeader() const;
    // The member's own REST root ("http://127.0.0.1:8008"): restart and reinitialize go there.
    QUrl apiBaseUrl() const;
};

struct PatroniScheduledSwitchover {
    QDateTime at;
    QString from;
    QString to; // empty when Patroni may pick any candidate

    bool isValid() const { return at.isValid(); }
};

// GET /cluster.
struct PatroniClusterState {
    QString scope; // only reported by newer Patroni versions; empty otherwise
    QList<PatroniMember> members;
    bool paused = false;
    PatroniScheduledSwitchover scheduledSwitchover;

    QString leader() const; // empty while no member holds the leader key
    const PatroniMember *member(const QString &name) const;

    static bool parse(const QByteArray &json, PatroniClusterState *out, QString *error);
};

// One timeline switch from GET /history: [timeline, lsn, reason, timestamp, new_leader].
// Entries written by older Patroni versions stop after the reason.
struct PatroniHistoryEntry {
    int timeline = -1;
    qint64 lsn = -1;
    QString reason;
    QDateTime timestamp;
    QString newLeader;

    static bool parseList(const QByteArray &json, QList<PatroniHistoryEntry> *out, QString *error);
};

// A walsender as the primary's GET /patroni lists it under "replication".
struct PatroniReplicationConnection {
    QString user;
    QString applicationName;
    QString clientAddr;
    QString state;     // pg_stat_replication.state, e.g. "streaming"
    QString syncState; // "async", "sync", "potential", "quorum"
    int syncPriority = 0;
};

// GET /patroni on one member: what that node itself reports.
struct PatroniNodeStatus {
    QString state;
    QString role;          // "master" (Patroni 3.0.2) or "primary", "replica", "standby_leader"
    int serverVersion = 0; // e.g. 150020
    int timeline = -1;
    qint64 xlogLocation = -1;     // primary: current WAL position
    qint64 receivedLocation = -1; // replica
    qint64 replayedLocation = -1; // replica
    bool replayPaused = false;
    bool pendingRestart = false;
    bool paused = false; // cluster in maintenance mode
    QString patroniVersion;
    QString scope;
    QString systemIdentifier; // database_system_identifier, kept as text (64-bit unsigned)
    QDateTime postmasterStartTime;
    QList<PatroniReplicationConnection> replication;

    bool isPrimary() const;

    static bool parse(const QByteArray &json, PatroniNodeStatus *out, QString *error);
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::PatroniMember)
Q_DECLARE_METATYPE(pgdeck::PatroniClusterState)
Q_DECLARE_METATYPE(pgdeck::PatroniHistoryEntry)
Q_DECLARE_METATYPE(pgdeck::PatroniNodeStatus)
