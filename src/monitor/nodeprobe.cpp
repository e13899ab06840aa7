#include "nodeprobe.h"

#include "pg/connectionparams.h"
#include "pg/pgconnection.h"

#include <QTimer>

namespace pgdeck {

namespace {

// A sample stuck this long means a dead peer the kernel has not noticed yet.
constexpr int kHangMs = NodeProbe::kConnectTimeoutMs + NodeProbe::kStatementTimeoutMs + 2000;

// Prepared once per connection: planning these views costs the server far more than
// running them (see libpq-notes.md).
const QList<PgQuery> &probeQueries()
{
    static const QList<PgQuery> queries = {
        {QStringLiteral("select current_setting('server_version'), pg_is_in_recovery(), "
                        "extract(epoch from now() - pg_postmaster_start_time())::bigint"),
         {},
         QStringLiteral("pgdeck_probe_server")},
        {QStringLiteral("select count(*), count(*) filter (where state = 'active' and pid <> "
                        "pg_backend_pid()) "
                        "from pg_stat_activity where backend_type = 'client backend'"),
         {},
         QStringLiteral("pgdeck_probe_activity")},
        {QStringLiteral("select count(*) from pg_stat_replication"),
         {},
         QStringLiteral("pgdeck_probe_replication")},
    };
    return queries;
}

QString seconds(qint64 ms)
{
    return QString::number(ms / 1000.0, 'f', 1);
}

} // namespace

struct NodeProbe::Node {
    NodeSpec spec;
    PgConnection *conn = nullptr;
    NodeStatus status;
    NodeStatus published;
    bool everPublished = false;
    bool inFlight = false;
    quint64 token = 0; // answers to an abandoned batch carry an older token and are dropped
    QElapsedTimer sentAt;
};

NodeProbe::NodeProbe(const ClusterSpec &cluster, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_intervalMs(qMax(100, cluster.monitor.intervalMs))
    , m_timer(new QTimer(this))
{
    qRegisterMetaType<pgdeck::NodeStatus>();
    connect(m_timer, &QTimer::timeout, this, &NodeProbe::tick);
    for (const NodeSpec &spec : m_cluster.nodes) {
        auto node = std::make_unique<Node>();
        Node *n = node.get();
        n->spec = spec;
        n->status.cluster = m_cluster.name;
        n->status.node = spec.name;
        n->conn = new PgConnection(this);
        n->conn->setParams(ConnectionParams::fromNode(spec));
        n->conn->setDisplayName(m_cluster.name + QLatin1Char('/') + spec.name);
        n->conn->setApplicationName(QStringLiteral("pgdeck monitor"));
        n->conn->setConnectTimeout(kConnectTimeoutMs);
        n->conn->setStatementTimeout(kStatementTimeoutMs);
        n->conn->setAutoReconnect(true, 1000, 10000);
        connect(n->conn, &PgConnection::connectFailed, this,
                [this, n](const QString &e) { onConnectionDown(*n, e); });
        connect(n->conn, &PgConnection::connectionLost, this,
                [this, n](const QString &e) { onConnectionDown(*n, e); });
        connect(n->conn, &PgConnection::connected, this, [this, n] {
            // Back after an outage: show it now rather than at the next tick.
            if (!n->inFlight && m_timer->isActive())
                sample(*n);
        });
        m_nodes.push_back(std::move(node));
    }
}

NodeProbe::~NodeProbe()
{
    // Connections first: their callbacks point into m_nodes.
    for (auto &n : m_nodes)
        delete n->conn;
}

void NodeProbe::setIntervalMs(int ms)
{
    m_intervalMs = qMax(100, ms);
    if (m_timer->isActive())
        m_timer->start(m_intervalMs);
}

bool NodeProbe::isRunning() const
{
    return m_timer->isActive();
}

void NodeProbe::start()
{
    if (m_timer->isActive())
        return;
    m_timer->start(m_intervalMs);
    for (auto &n : m_nodes) {
        n->conn->open();
        publish(*n); // "connecting": the UI shows every node from the start
        sample(*n);
    }
}

void NodeProbe::stop()
{
    m_timer->stop();
    for (auto &n : m_nodes) {
        ++n->token;
        n->inFlight = false;
        n->conn->close();
    }
}

QList<NodeStatus> NodeProbe::statuses() const
{
    QList<NodeStatus> out;
    for (const auto &n : m_nodes)
        out << n->status;
    return out;
}

NodeStatus NodeProbe::status(const QString &node) const
{
    for (const auto &n : m_nodes)
        if (n->spec.name == node)
            return n->status;
    return {};
}

void NodeProbe::tick()
{
    for (auto &n : m_nodes) {
        if (!n->inFlight) {
            sample(*n);
            continue;
        }
        const qint64 waited = n->sentAt.elapsed();
        if (waited >= kHangMs) {
            resetConnection(
                *n, QStringLiteral("no answer for %1 s; reconnecting").arg(seconds(waited)));
            sample(*n);
        } else if (waited >= m_intervalMs / 2 && n->conn->isReady() && n->status.reachable) {
            // Missed its interval: keep the last values but never present them as current.
            n->status.stale = true;
            n->status.lastError = QStringLiteral("no answer for %1 s (interval %2 s)")
                                      .arg(seconds(waited), seconds(m_intervalMs));
            publish(*n);
        }
        // While (re)connecting the connect timeout reports the failure with libpq's text.
    }
}

void NodeProbe::sample(Node &node)
{
    switch (node.conn->state()) {
    case PgConnection::State::WaitingToReconnect:
        return; // already reported down; `connected` samples as soon as it is back
    case PgConnection::State::Disconnected:
        node.conn->open();
        break;
    default:
        break;
    }
    node.inFlight = true;
    node.sentAt.start();
    const quint64 token = ++node.token;
    Node *n = &node;
    node.conn->execBatch(probeQueries(), this, [this, n, token](const QList<PgResult> &results) {
        if (token != n->token)
            return;
        n->inFlight = false;
        onSample(*n, results);
    });
}

void NodeProbe::onSample(Node &node, const QList<PgResult> &r)
{
    const PgResult *failed = nullptr;
    for (const PgResult &one : r)
        if (!one.ok() && (!failed || failed->status() == PgResult::Status::Skipped))
            failed = &one;
    if (!failed && r.size() < probeQueries().size()) {
        onConnectionDown(node, QStringLiteral("incomplete answer from the server"));
        return;
    }
    if (failed) {
        if (failed->status() == PgResult::Status::ConnectionLost) {
            const QString e = node.conn->lastError();
            onConnectionDown(node, e.isEmpty() ? failed->errorMessage() : e);
            return;
        }
        // The server answered, but not with a sample: its error, values marked stale.
        node.status.reachable = true;
        node.status.stale = true;
        node.status.lastError = failed->errorMessage();
        publish(node);
        return;
    }
    NodeStatus &s = node.status;
    s.reachable = true;
    s.stale = false;
    s.lastError.clear();
    s.version = r[0].text(0, 0);
    s.inRecovery = r[0].value(0, 1).toBool();
    s.uptimeSeconds = r[0].value(0, 2).toLongLong();
    s.connections = r[1].value(0, 0).toInt();
    s.activeConnections = r[1].value(0, 1).toInt();
    s.standbys = r[2].value(0, 0).toInt();
    s.sampledAt = QDateTime::currentDateTime();
    publish(node);
}

void NodeProbe::onConnectionDown(Node &node, const QString &error)
{
    node.status.reachable = false;
    node.status.stale = true;
    node.status.lastError = error.isEmpty() ? QStringLiteral("connection lost") : error;
    publish(node);
}

void NodeProbe::resetConnection(Node &node, const QString &why)
{
    ++node.token; // the abandoned batch fails with "connection closed": not news
    node.inFlight = false;
    node.conn->close();
    onConnectionDown(node, why);
    node.conn->open();
}

void NodeProbe::publish(Node &node)
{
    if (node.everPublished && node.status == node.published)
        return;
    node.everPublished = true;
    node.published = node.status;
    Q_EMIT statusChanged(node.status);
}

} // namespace pgdeck
