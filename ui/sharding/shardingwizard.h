#pragma once

#include "inventory/inventory.h"
#include "pg/connectionparams.h"
#include "plan/plan.h"
#include "sharding/shardingreview.h"
#include "sharding/shardingspec.h"
#include "sharding/tableinfo.h"

#include <QWizard>
#include <memory>

namespace pgdeck {

class ShardingBackend;

// Shards one table of a cluster over its workers: coordinator and workers, table, strategy
// and key (checked against the servers), a preview of the Plan, then the run. The same
// flow as `pgdeckctl shard`, over the UI-free core in src/sharding/.
class ShardingWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { CoordinatorPageId, TablePageId, StrategyPageId, PreviewPageId, RunPageId };

    explicit ShardingWizard(const ClusterSpec &cluster, QWidget *parent = nullptr);
    ~ShardingWizard() override;

    const ClusterSpec &cluster() const { return m_cluster; }
    ShardingSpec &spec() { return m_spec; }
    TableInfo &table() { return m_table; }
    ShardingReview &review() { return m_review; }
    Plan &plan() { return m_plan; }

    // Where the coordinator is and the backend detected on it; null backend until page 1
    // connects. The wizard keeps parameters, not a connection: pages look things up on worker
    // threads, each over its own connection, since a PgConnection belongs to one thread.
    bool hasCoordinator() const { return bool(m_backend); }
    const QString &coordinatorName() const { return m_coordinatorName; }
    const ConnectionParams &coordinatorParams() const { return m_coordinatorParams; }
    const ShardingBackend *backend() const { return m_backend.get(); }
    void setCoordinator(const QString &name, const ConnectionParams &params,
                        std::shared_ptr<const ShardingBackend> backend);
    void clearCoordinator() { setCoordinator({}, {}, nullptr); }

    void reject() override;

private:
    ClusterSpec m_cluster;
    ShardingSpec m_spec;
    TableInfo m_table;
    ShardingReview m_review;
    Plan m_plan;
    QString m_coordinatorName;
    ConnectionParams m_coordinatorParams;
    std::shared_ptr<const ShardingBackend> m_backend;
};

} // namespace pgdeck
