#pragma once

#include "sharddistribution.h"
#include "tableinfo.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pgdeck {

class PgConnection;

// One shard leaving one worker for another.
struct ShardMove {
    QString table; // the sharded (parent) table, as the distribution names it
    QString shard; // the shard's name on the coordinator
    QString from;  // worker it leaves
    QString to;    // worker it goes to
    QString bound; // partition bound (native) or hash range (Citus)
    qint64 bytes = -1;
    // Native only, filled by inspectMoves(): where the shard lives.
    QString schema;       // of the shard's foreign table on the coordinator
    QString sourceRemote; // its table on `from`, quoted and qualified
};

// What a rebalance would do: the moves and the load per worker before and after. Load is
// bytes, or shard counts when some sizes are unknown.
struct RebalanceProposal {
    QList<ShardMove> moves;
    QMap<QString, qint64> before;
    QMap<QString, qint64> after;
    bool bySize = true;
    QStringList errors; // nothing may run while there is one
    QStringList notes;  // e.g. shards kept in their region

    bool ok() const { return errors.isEmpty(); }
    static double skew(const QMap<QString, qint64> &load); // largest / mean
};

// Evens out the load over `workers` (the workers that should hold shards afterwards; new,
// empty workers included) and empties every worker in `drain`. Greedy: each move goes from
// the most to the least loaded worker and must narrow their gap, so the plan stops instead
// of shuffling shards of equal size back and forth. Shards placed by region (LIST
// partitions, geo sharding) stay where they are.
RebalanceProposal proposeRebalance(const ShardDistribution &d, const QStringList &workers,
                                   const QStringList &drain = {});

// Native backend: finds, on the coordinator, each move's shard schema and the table it reads
// on its worker, and the sharded tables' definitions (by ShardMove::table). Fails naming
// the shard when one is no longer a foreign partition.
bool inspectMoves(PgConnection &coordinator, QList<ShardMove> *moves,
                  QHash<QString, TableInfo> *parents, QString *error);

// Moves under way (ShardMoveProgress, in sharddistribution.h), read from the servers.
bool readMoveProgress(const ClusterSpec &cluster, const QString &coordinator,
                      QList<ShardMoveProgress> *out, QString *error);
// The same on an open coordinator connection (the distribution reader reuses it).
bool readMoveProgress(PgConnection &coordinator, const ClusterSpec &cluster, bool citus,
                      QList<ShardMoveProgress> *out, QString *error);

// The suffix of a shard's new copy while it moves (native backend).
inline QString movingSuffix()
{
    return QStringLiteral("_pgdeck_moving");
}

} // namespace pgdeck
