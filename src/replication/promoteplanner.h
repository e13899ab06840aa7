#pragma once

#include "plan/plan.h"

#include <QMap>
#include <QStringList>

namespace pgdeck {

struct ClusterSpec;

// Promote a standby without Patroni: a switchover when the primary answers (it is stopped
// first, so every write it took reaches the candidate), a failover when it does not.
struct PromoteSpec {
    QString candidate;
    QString runAs;                // OS user owning the data directories (pg_ctl, pg_rewind)
    QString binDir;               // PostgreSQL's bin directory on the hosts
    bool rewindOldPrimary = true; // bring the old primary back as a standby of the new one
};

// What the servers say before anything changes.
struct PromoteReview {
    QString oldPrimary;
    bool oldPrimaryUp = false;
    qint64 candidateLagBytes = -1;   // behind the old primary (switchover only)
    QMap<QString, QString> conninfo; // other standby -> its primary_conninfo now
    QMap<QString, QString> slotOf;   // other standby -> its primary_slot_name
    bool rewindPossible = false;     // wal_log_hints or data checksums on the old primary
    QStringList errors;
    QStringList warnings;

    bool ok() const { return errors.isEmpty(); }
};

PromoteReview reviewPromote(const ClusterSpec &cluster, const PromoteSpec &spec);

// The Plan: stop the old primary (switchover) and wait until the candidate replayed all it
// received, pg_promote(), slots on the new primary for every standby, the other standbys'
// primary_conninfo re-pointed (reload), the old primary rewound with pg_rewind and started
// as a standby, each verified streaming; the inventory's roles follow (a step the caller
// adds with the file's new text).
Plan promotePlan(const ClusterSpec &cluster, const PromoteSpec &spec, const PromoteReview &review);

// The cluster as it is after the plan ran: roles and upstreams swapped.
ClusterSpec promotedCluster(const ClusterSpec &cluster, const PromoteSpec &spec,
                            const PromoteReview &review);

} // namespace pgdeck
