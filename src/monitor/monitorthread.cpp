#include "monitorthread.h"

#include "nodeprobe.h"

#include <QTimer>

namespace pgdeck {

MonitorThread::MonitorThread(const QList<ClusterSpec> &clusters, QObject *parent)
    : QObject(parent)
    , m_clusters(clusters)
    , m_batcher(new QObject) // no parents: these move to the monitor thread
    , m_batchTimer(new QTimer(m_batcher))
{
    qRegisterMetaType<pgdeck::NodeStatus>();
    qRegisterMetaType<QList<pgdeck::NodeStatus>>();
    m_thread.setObjectName(QStringLiteral("pgdeck monitor"));
    m_batchTimer->setSingleShot(true);
    m_batchTimer->setInterval(kBatchMs);
    connect(m_batchTimer, &QTimer::timeout, m_batcher, [this] {
        QMetaObject::invokeMethod(
            this, [this, batch = std::exchange(m_pending, {})] { deliver(batch); },
            Qt::QueuedConnection);
    });
    for (const ClusterSpec &c : m_clusters) {
        auto *probe = new NodeProbe(c);
        connect(probe, &NodeProbe::statusChanged, m_batcher, [this](const NodeStatus &s) {
            m_pending << s;
            if (!m_batchTimer->isActive())
                m_batchTimer->start();
        });
        probe->moveToThread(&m_thread);
        m_probes << probe;
    }
    m_batcher->moveToThread(&m_thread);
}

MonitorThread::~MonitorThread()
{
    if (m_thread.isRunning()) {
        // Deleted where they live: their sockets and timers belong to that thread.
        QMetaObject::invokeMethod(
            m_batcher,
            [this] {
                qDeleteAll(m_probes);
                delete m_batcher;
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    } else {
        qDeleteAll(m_probes);
        delete m_batcher;
    }
}

void MonitorThread::start()
{
    if (m_thread.isRunning())
        return;
    m_thread.start();
    for (NodeProbe *probe : std::as_const(m_probes))
        QMetaObject::invokeMethod(probe, &NodeProbe::start, Qt::QueuedConnection);
}

void MonitorThread::setIntervalMs(int ms)
{
    for (NodeProbe *probe : std::as_const(m_probes))
        QMetaObject::invokeMethod(
            probe, [probe, ms] { probe->setIntervalMs(ms); }, Qt::QueuedConnection);
}

QList<NodeStatus> MonitorThread::statuses(const QString &cluster) const
{
    QList<NodeStatus> out;
    const auto latest = m_latest.constFind(cluster);
    for (const ClusterSpec &c : m_clusters) {
        if (c.name != cluster)
            continue;
        for (const NodeSpec &n : c.nodes) {
            if (latest != m_latest.constEnd() && latest->contains(n.name)) {
                out << latest->value(n.name);
            } else { // not heard of yet: "connecting", as the probe first reports it
                NodeStatus s;
                s.cluster = c.name;
                s.node = n.name;
                out << s;
            }
        }
    }
    return out;
}

void MonitorThread::deliver(const QList<NodeStatus> &batch)
{
    for (const NodeStatus &s : batch)
        m_latest[s.cluster][s.node] = s;
    Q_EMIT statusesChanged(batch);
}

} // namespace pgdeck
