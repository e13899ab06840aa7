#pragma once

#include "inventory/inventory.h"
#include "plan/plan.h"
#include "sharding/shardingreview.h"
#include "sharding/shardingspec.h"
#include "sharding/tableinfo.h"

#include <QWizard>
#include <memory>

namespace pgdeck {

class PgConnection;
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

    // The coordinator's connection and the backend detected on it; null until page 1 connects.
    PgConnection *coordinator() const { return m_coordinator.get(); }
    const ShardingBackend *backend() const { return m_backend.get(); }
    void setCoordinator(std::unique_ptr<PgConnection> connection,
                        std::unique_ptr<ShardingBackend> backend);

    void reject() override;

private:
    ClusterSpec m_cluster;
    ShardingSpec m_spec;
    TableInfo m_table;
    ShardingReview m_review;
    Plan m_plan;
    std::unique_ptr<PgConnection> m_coordinator;
    std::unique_ptr<ShardingBackend> m_backend;
};

} // namespace pgdeck
