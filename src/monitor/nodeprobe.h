#pragma once

#include "inventory/inventory.h"
#include "nodestatus.h"
#include "pg/pgconnection.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <memory>
#include <vector>

class QTimer;

namespace pgdeck {

class PgConnection;
class PgResult;

// Watches the nodes of one cluster: one auto-reconnecting connection per node and, every
// monitor interval, one pipelined batch of prepared statements per node. Never two
// batches in flight for a node; a node whose sample fails or misses its interval is
// reported stale or down with the error text, never left looking healthy.
// Runs on the event loop of its thread and never blocks it.
class NodeProbe : public QObject {
    Q_OBJECT
public:
    static constexpr int kConnectTimeoutMs = 5000;
    static constexpr int kStatementTimeoutMs = 5000;

    explicit NodeProbe(const ClusterSpec &cluster, QObject *parent = nullptr);
    ~NodeProbe() override;

    const ClusterSpec &cluster() const { return m_cluster; }
    int intervalMs() const { return m_intervalMs; }
    void setIntervalMs(int ms); // overrides the cluster's monitor interval

    // The statements of one sample, in order: also what benchmarks compare against.
    static const QList<PgQuery> &sampleQueries();

    void start();
    void stop();
    bool isRunning() const;

    QList<NodeStatus> statuses() const;
    NodeStatus status(const QString &node) const;

Q_SIGNALS:
    void statusChanged(const pgdeck::NodeStatus &status);

private:
    struct Node;
    void tick();
    void sample(Node &node);
    void onSample(Node &node, const QList<PgResult> &results);
    void onConnectionDown(Node &node, const QString &error);
    void resetConnection(Node &node, const QString &why);
    void publish(Node &node);

    ClusterSpec m_cluster;
    int m_intervalMs = 1000;
    QTimer *m_timer = nullptr;
    std::vector<std::unique_ptr<Node>> m_nodes;
};

} // namespace pgdeck
