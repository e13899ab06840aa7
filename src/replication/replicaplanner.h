#pragma once

#include "plan/plan.h"
#include "replicaspec.h"

namespace pgdeck {

class PgConnection;
class PgResult;
struct ClusterSpec;
struct NodeSpec;

// Reads what replication needs from the primary: wal_level, WAL senders and slots in use,
// wal_keep_size, listen_addresses, the first pg_hba.conf rule a replication connection
// from `spec.address` would meet, the replication role and the slot.
PrimaryReadiness checkPrimary(PgConnection &primary, const ReplicaSpec &spec,
                              const QString &primaryAddress);

// The new node as the inventory records it once the replica streams.
NodeSpec replicaNode(const ReplicaSpec &spec, const NodeSpec &primary);

// Checks the request itself (names, port, paths) against the inventory; errors name the
// field and the fix.
QStringList validateReplicaSpec(const ReplicaSpec &spec, const ClusterSpec &cluster);

// The Plan: fixes for the primary's findings (ALTER SYSTEM, a pg_hba.conf line, reload; a
// restart only when allowed), the role and slot, a refusal to touch a non-empty data
// directory, the password file (0600, its path in primary_conninfo), pg_basebackup -R -X
// stream -S slot, the port, start, and a wait until the primary reports the new node
// streaming.
Plan addReplicaPlan(const ReplicaSpec &spec, const ClusterSpec &cluster,
                    const PrimaryReadiness &readiness);

// pg_basebackup's progress as the primary reports it (pg_stat_progress_basebackup).
struct BasebackupProgress {
    bool running = false;
    QString phase;
    qint64 total = -1; // -1 while the size is being estimated
    qint64 streamed = 0;
};
// The query ($1: the backup's application_name) and its reading.
QString basebackupProgressSql();
BasebackupProgress basebackupProgress(const PgResult &result);

} // namespace pgdeck
