#pragma once

#include "rebalance.h"
#include "shardingbackend.h"
#include "shardlayout.h"

#include <QHash>

namespace pgdeck {

// Sharding with PostgreSQL alone: on the coordinator a table PARTITION BY HASH | RANGE |
// LIST whose partitions are postgres_fdw foreign tables on the workers. The data moves
// partition by partition while writes to the original are refused; the original is kept
// (renamed) after the switch until the user drops it.
class NativeBackend : public ShardingBackend {
public:
    QString name() const override { return QStringLiteral("native (postgres_fdw)"); }
    void review(const ShardingSpec &spec, const TableInfo &table,
                ShardingReview *review) const override;
    Plan plan(const ShardingSpec &spec, const TableInfo &table, const ShardingReview &review,
              const ClusterSpec &cluster) const override;
    Plan rollbackPlan(const ShardingSpec &spec, const TableInfo &table,
                      const ShardingReview &review, const ClusterSpec &cluster) const override;
    // Drops the original copy kept after a verified switch.
    Plan dropOriginalPlan(const ShardingSpec &spec, const ClusterSpec &cluster) const;
    // Makes workers reachable from the coordinator (foreign server, user mapping) and checks
    // the link through postgres_fdw before any shard depends on it.
    Plan addWorkersPlan(const ClusterSpec &cluster, const QString &coordinator,
                        const QStringList &workers) const;
    // The native rebalance. Per move: refuse writes to the shard, copy it to its new worker,
    // verify both copies, swap the partition, drop the old copy. `moves` and `parents` (the
    // sharded tables by name) come from inspectMoves().
    Plan rebalancePlan(const ClusterSpec &cluster, const QString &coordinator,
                       const QList<ShardMove> &moves,
                       const QHash<QString, TableInfo> &parents) const;
    // Undoes the moves of an interrupted rebalance that were not swapped yet; swapped moves
    // are complete and stay.
    Plan abortMovesPlan(const ClusterSpec &cluster, const QString &coordinator,
                        const QList<ShardMove> &moves) const;

    // The table definition a worker gets for a shard (columns, NOT NULL, primary key).
    static QString shardTableDdl(const TableInfo &table, const QString &schema,
                                 const QString &shardTable);
    static QString foreignServerSql(const NodeSpec &node, const QString &server);
};

} // namespace pgdeck
