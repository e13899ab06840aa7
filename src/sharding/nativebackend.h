#pragma once

#include "shardingbackend.h"
#include "shardlayout.h"

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
    // The native rebalance: one partition from its worker to another (copy, verify, swap,
    // drop). `shard` is the foreign table's name on the coordinator.
    Plan moveShardPlan(const ClusterSpec &cluster, const QString &coordinator,
                       const QString &schema, const TableInfo &parent, const QString &shard,
                       const QString &fromWorker, const QString &toWorker,
                       const QString &bound) const;

    // The table definition a worker gets for a shard (columns, NOT NULL, primary key).
    static QString shardTableDdl(const TableInfo &table, const QString &schema,
                                 const QString &shardTable);
};

} // namespace pgdeck
