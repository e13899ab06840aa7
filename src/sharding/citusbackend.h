#pragma once

#include "shardingbackend.h"

namespace pgdeck {

// Sharding with Citus on the coordinator: the extension on every node, workers added with
// citus_add_node, tables distributed in place (create_distributed_table), small tables
// replicated (create_reference_table). Range: a table partitioned by the key (declarative
// partitioning) and then distributed, Citus' way for time ranges. Geo: distributed by the
// region column, then each region's shard moved to the worker whose inventory region
// matches. Before and after, the row count and checksum are recorded and compared.
class CitusBackend : public ShardingBackend {
public:
    explicit CitusBackend(QString version = {})
        : m_version(std::move(version))
    {}
    QString name() const override
    {
        return m_version.isEmpty() ? QStringLiteral("Citus") : QStringLiteral("Citus ") + m_version;
    }
    void review(const ShardingSpec &spec, const TableInfo &table,
                ShardingReview *review) const override;
    Plan plan(const ShardingSpec &spec, const TableInfo &table, const ShardingReview &review,
              const ClusterSpec &cluster) const override;
    Plan rollbackPlan(const ShardingSpec &spec, const TableInfo &table,
                      const ShardingReview &review, const ClusterSpec &cluster) const override;

    // Adds workers to the Citus cluster (extension, coordinator host, citus_add_node).
    static Plan addWorkersPlan(const ClusterSpec &cluster, const QString &coordinator,
                               const QStringList &workers);
    // Starts the background rebalancer and waits until its job ends (progress from
    // citus_rebalance_status() and get_rebalance_progress()). `lastJobId`: the newest
    // background job before this plan (lastRebalanceJob()).
    static Plan rebalancePlan(const ClusterSpec &cluster, const QString &coordinator,
                              qint64 lastJobId, int timeoutMs = 3600 * 1000);
    static qint64 lastRebalanceJob(PgConnection &coordinator);
    // Moves every shard off a worker (citus_drain_node), e.g. before removing it.
    static Plan drainPlan(const ClusterSpec &cluster, const QString &coordinator,
                          const QString &worker);
    // Stops a running rebalance; moves already done stay done.
    static QString stopRebalanceSql() { return QStringLiteral("SELECT citus_rebalance_stop()"); }

private:
    QString m_version;
};

} // namespace pgdeck
