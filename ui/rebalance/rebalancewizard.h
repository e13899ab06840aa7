#pragma once

#include "inventory/inventory.h"
#include "sharding/rebalanceplanner.h"

#include <QWizard>

namespace pgdeck {

// Adds workers to a sharded cluster, evens out its shards or empties a worker: workers and
// what happens to each, the moves with the load before and after and the Plan, then the
// run with a progress bar per shard move. The same flow as `pgdeckctl add-worker` and
// `pgdeckctl rebalance`, over src/sharding/rebalanceplanner.
class RebalanceWizard : public QWizard {
    Q_OBJECT
public:
    enum class Intent { Rebalance, AddWorkers };
    enum PageId { WorkersPageId, MovesPageId, RunPageId };

    RebalanceWizard(const ClusterSpec &cluster, Intent intent, QWidget *parent = nullptr);

    const ClusterSpec &cluster() const { return m_cluster; }
    Intent intent() const { return m_intent; }
    RebalanceRequest &request() { return m_request; }
    PreparedRebalance &prepared() { return m_prepared; }

    void reject() override;

private:
    ClusterSpec m_cluster;
    Intent m_intent;
    RebalanceRequest m_request;
    PreparedRebalance m_prepared;
};

} // namespace pgdeck
