#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace pgdeck {

// A state change the monitor saw: what the Events page lists, what the audit trail of
// "what happened to my cluster" is made of.
struct MonitorEvent {
    enum class Severity { Info, Warning, Critical };
    enum class Kind {
        NodeDown,
        NodeUp,
        RoleChanged,     // a standby promoted, or a primary now in recovery
        StandbyAppeared, // a new walsender on an upstream
        StandbyVanished,
        LagHigh, // over the cluster's lag_warn_bytes or lag_warn_seconds
        LagNormal,
        SlotUnreserved, // wal_status unreserved: WAL will be removed at the next checkpoint
        SlotLost,
        SlotNormal,
        // Patroni, from its REST API
        LeaderChanged, // a switchover or failover: another member holds the leader key
        LeaderLost,    // no member holds the leader key
        TimelineChanged, // a promotion started a new timeline; the message tells its history
        Paused,        // maintenance mode: Patroni will not fail over
        Resumed,
        PendingRestart, // a member needs a restart for a changed setting
    };

    QDateTime time;
    Severity severity = Severity::Info;
    Kind kind = Kind::NodeUp;
    QString cluster;
    QString node;
    QString subject; // the standby or slot the event is about, if any
    QString message; // a sentence for humans

    static QString kindName(Kind kind);      // "node-down", ...
    static QString severityName(Severity s); // "info", "warning", "critical"
    bool operator==(const MonitorEvent &) const = default;
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::MonitorEvent)
