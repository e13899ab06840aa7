#pragma once

#include "inventory/inventory.h"
#include "nodestatus.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QThread>

class QTimer;

namespace pgdeck {

class NodeProbe;

// Runs one NodeProbe per cluster on a thread of its own, so that sampling hundreds of
// nodes never competes with painting for the GUI thread's event loop. Statuses cross to
// the owner's thread as immutable values, gathered into batches (at most kBatchMs late)
// so that 200 answers wake the GUI thread a few times, not 200 times. The latest status
// per node is kept here, on the owner's thread.
class MonitorThread : public QObject {
    Q_OBJECT
public:
    static constexpr int kBatchMs = 20;

    explicit MonitorThread(const QList<ClusterSpec> &clusters, QObject *parent = nullptr);
    ~MonitorThread() override; // stops sampling and joins the thread

    void start();
    // Overrides every cluster's interval (benchmarks, tests).
    void setIntervalMs(int ms);

    const QList<ClusterSpec> &clusters() const { return m_clusters; }
    // The latest status of each node of `cluster`, in inventory order.
    QList<NodeStatus> statuses(const QString &cluster) const;

    // These live on the monitor thread: touch them only from there (queued calls).
    const QList<NodeProbe *> &probes() const { return m_probes; }
    QThread *monitorThread() { return &m_thread; }

Q_SIGNALS:
    // In the order the probes reported them.
    void statusesChanged(const QList<pgdeck::NodeStatus> &statuses);

private:
    void deliver(const QList<NodeStatus> &batch);

    QList<ClusterSpec> m_clusters;
    QThread m_thread;
    QList<NodeProbe *> m_probes;
    QObject *m_batcher = nullptr; // monitor thread: gathers statuses
    QTimer *m_batchTimer = nullptr;
    QList<NodeStatus> m_pending;                         // monitor thread only
    QHash<QString, QHash<QString, NodeStatus>> m_latest; // cluster -> node -> status
};

} // namespace pgdeck
