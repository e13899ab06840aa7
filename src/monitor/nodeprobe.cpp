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
} // namespace

const QList<PgQuery> &NodeProbe::sampleQueries()
{
    // The WAL position that lags are measured against: what this node has (primary) or
    // has received (a cascading standby) — the same reference its walsenders use.
    static const QString current =
        QStringLiteral("case when pg_is_in_recovery() then pg_last_wal_receive_lsn() else "
                       "pg_current_wal_lsn() end");
    static const QList<PgQuery> queries = {
        {QStringLiteral(
             "select current_setting('server_version'), pg_is_in_recovery(), "
             "extract(epoch from now() - pg_postmaster_start_time())::bigint, "
             "pg_wal_lsn_diff(case when pg_is_in_recovery() then pg_last_wal_replay_lsn() "
             "else pg_current_wal_lsn() end, '0/0')::bigint"),
         {},
         QStringLiteral("pgdeck_probe_server")},
        {QStringLiteral("select count(*), "
                        "count(*) filter (where state = 'active' and pid <> pg_backend_pid()), "
                        "count(*) filter (where state = 'idle'), "
                        "count(*) filter (where state like 'idle in transaction%'), "
                        "count(*) filter (where wait_event_type = 'Lock') "
                        "from pg_stat_activity where backend_type = 'client backend'"),
         {},
         QStringLiteral("pgdeck_probe_activity")},
        {QStringLiteral("select sum(xact_commit)::bigint, sum(xact_rollback)::bigint, "
                        "sum(blks_hit)::bigint, sum(blks_read)::bigint from pg_stat_database"),
         {},
         QStringLiteral("pgdeck_probe_databases")},
        // Base backups and pg_rewind are walsenders too, but not standbys. The walsenders'
        // own function, with each sender's activity row looked up by pid: the view
        // pg_stat_replication would build every backend's row a second time in this batch
        // (the activity statement above already did once), which doubled the server's cost
        // of a sample on a server with many connections.
        {QStringLiteral(
             "select a.application_name, coalesce(host(a.client_addr), ''), w.pid, w.state, "
             "w.sync_state, pg_wal_lsn_diff(c.cur, w.sent_lsn)::bigint, "
             "pg_wal_lsn_diff(c.cur, w.write_lsn)::bigint, "
             "pg_wal_lsn_diff(c.cur, w.flush_lsn)::bigint, "
             "pg_wal_lsn_diff(c.cur, w.replay_lsn)::bigint, "
             "extract(epoch from w.write_lag)::float8, extract(epoch from w.flush_lag)::float8, "
             "extract(epoch from w.replay_lag)::float8 "
             "from pg_stat_get_wal_senders() w cross join lateral pg_stat_get_activity(w.pid) a, "
             "(select %1 as cur) c "
             "where w.state <> 'backup' and a.application_name not in ('pg_basebackup', "
             "'pg_rewind') order by a.application_name")
             .arg(current),
         {},
         QStringLiteral("pgdeck_probe_replication")},
        {QStringLiteral(
             "select status, coalesce(sender_host, ''), coalesce(sender_port, 0), "
             "coalesce(slot_name, ''), "
             "pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint, "
             "extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 "
             "from pg_stat_wal_receiver"),
         {},
         QStringLiteral("pgdeck_probe_receiver")},
        {QStringLiteral(
             "select slot_name, slot_type, active, "
             "pg_wal_lsn_diff(case when pg_is_in_recovery() then pg_last_wal_replay_lsn() "
             "else pg_current_wal_lsn() end, restart_lsn)::bigint, "
             "coalesce(wal_status, ''), safe_wal_size from pg_replication_slots order by "
             "slot_name"),
         {},
         QStringLiteral("pgdeck_probe_slots")},
    };
    return queries;
}

namespace {

qint64 int64Or(const PgResult &r, int row, int col, qint64 fallback = -1)
{
    return r.isNull(row, col) ? fallback : r.value(row, col).toLongLong();
}

double doubleOr(const PgResult &r, int row, int col, double fallback = -1)
{
    return r.isNull(row, col) ? fallback : r.value(row, col).toDouble();
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
    qint64 prevXacts = -1; // for transactions/s
    QElapsedTimer prevAt;
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
    node.conn->execBatch(sampleQueries(), this, [this, n, token](const QList<PgResult> &results) {
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
    if (!failed && r.size() < sampleQueries().size()) {
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
    s.walPosition = int64Or(r[0], 0, 3);
    s.connections = r[1].value(0, 0).toInt();
    s.activeConnections = r[1].value(0, 1).toInt();
    s.idleConnections = r[1].value(0, 2).toInt();
    s.idleInTransaction = r[1].value(0, 3).toInt();
    s.waitingOnLocks = r[1].value(0, 4).toInt();

    // Rates come from counter deltas; a counter that went down (stats reset) restarts them.
    const qint64 xacts = int64Or(r[2], 0, 0, 0) + int64Or(r[2], 0, 1, 0);
    const qint64 hit = int64Or(r[2], 0, 2, 0), read = int64Or(r[2], 0, 3, 0);
    if (node.prevXacts >= 0 && xacts >= node.prevXacts && node.prevAt.isValid()) {
        const double dt = node.prevAt.elapsed() / 1000.0;
        s.tps = dt > 0 ? double(xacts - node.prevXacts) / dt : s.tps;
    }
    node.prevXacts = xacts;
    node.prevAt.start();
    s.cacheHitRatio = hit + read > 0 ? double(hit) / double(hit + read) : -1;

    s.standbyLags.clear();
    for (int row = 0; row < r[3].rowCount(); ++row) {
        StandbyLag l;
        l.name = r[3].text(row, 0);
        l.clientAddr = r[3].text(row, 1);
        l.pid = r[3].value(row, 2).toInt();
        l.state = r[3].text(row, 3);
        l.syncState = r[3].text(row, 4);
        l.sentLagBytes = int64Or(r[3], row, 5);
        l.writeLagBytes = int64Or(r[3], row, 6);
        l.flushLagBytes = int64Or(r[3], row, 7);
        l.replayLagBytes = int64Or(r[3], row, 8);
        l.writeLagSeconds = doubleOr(r[3], row, 9);
        l.flushLagSeconds = doubleOr(r[3], row, 10);
        l.replayLagSeconds = doubleOr(r[3], row, 11);
        s.standbyLags << l;
    }
    s.standbys = int(s.standbyLags.size());

    s.receiver = WalReceiverInfo{};
    if (r[4].rowCount() > 0) {
        s.receiver.present = true;
        s.receiver.status = r[4].text(0, 0);
        s.receiver.senderHost = r[4].text(0, 1);
        s.receiver.senderPort = r[4].value(0, 2).toInt();
        s.receiver.slotName = r[4].text(0, 3);
        s.receiver.replayLagBytes = int64Or(r[4], 0, 4);
        s.receiver.secondsSinceReplay = doubleOr(r[4], 0, 5);
    }

    s.slots.clear();
    for (int row = 0; row < r[5].rowCount(); ++row) {
        ReplicationSlotInfo slot;
        slot.name = r[5].text(row, 0);
        slot.type = r[5].text(row, 1);
        slot.active = r[5].value(row, 2).toBool();
        slot.retainedBytes = int64Or(r[5], row, 3);
        slot.walStatus = r[5].text(row, 4);
        slot.safeWalSize = int64Or(r[5], row, 5);
        s.slots << slot;
    }
    s.sampledAt = QDateTime::currentDateTimeUtc(); // local time costs a stat of /etc/localtime
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
