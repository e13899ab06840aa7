// NodeProbe against a closed port, a silent server and a real sandbox cluster.
#include "inventory/inventoryloader.h"
#include "monitor/nodeprobe.h"
#include "pg/pgconnection.h"
#include "sandboxprocess.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace pgdeck;

namespace {

ClusterSpec oneNode(int port)
{
    NodeSpec n;
    n.name = QStringLiteral("n1");
    n.host = QStringLiteral("127.0.0.1");
    n.port = port;
    n.dbname = QStringLiteral("postgres");
    n.user = QStringLiteral("postgres");
    ClusterSpec c;
    c.name = QStringLiteral("test");
    c.nodes << n;
    c.monitor.intervalMs = 300;
    return c;
}

int closedPort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    return s.serverPort(); // closed again when s goes out of scope
}

} // namespace

class TestNodeProbe : public QObject {
    Q_OBJECT
private:
    test::SandboxProcess m_sandbox;
    Inventory m_inventory;

    ClusterSpec sandboxCluster(int intervalMs) const
    {
        ClusterSpec c = m_inventory.clusters.value(0);
        c.monitor.intervalMs = intervalMs;
        return c;
    }

private Q_SLOTS:
    void closedPortIsDownWithLibpqText()
    {
        const int port = closedPort();
        QVERIFY(port > 0);
        NodeProbe probe(oneNode(port));
        QSignalSpy spy(&probe, &NodeProbe::statusChanged);
        probe.start();
        QTRY_COMPARE_WITH_TIMEOUT(probe.status(QStringLiteral("n1")).health(),
                                  NodeStatus::Health::Down, 10000);
        const NodeStatus s = probe.status(QStringLiteral("n1"));
        QVERIFY2(s.lastError.contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(s.lastError));
        QVERIFY(!s.reachable);
        QVERIFY(s.stale);
        QVERIFY(!s.hasSample());
        QVERIFY(spy.count() >= 2); // "connecting", then down
        const auto last = spy.last().at(0).value<NodeStatus>();
        QCOMPARE(last.cluster, QStringLiteral("test"));
        QCOMPARE(last.node, QStringLiteral("n1"));
        QCOMPARE(last.health(), NodeStatus::Health::Down);
        // Still down a few intervals later: retried with backoff, never shown healthy.
        QTest::qWait(1000);
        QCOMPARE(probe.status(QStringLiteral("n1")).health(), NodeStatus::Health::Down);
    }

    void silentServerTimesOut()
    {
        // Accepts TCP but never speaks PostgreSQL: the connect timeout must end the wait.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket *> held;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = silent.nextPendingConnection())
                held << s;
        });
        NodeProbe probe(oneNode(silent.serverPort()));
        probe.start();
        QTest::qWait(1500);
        QCOMPARE(probe.status(QStringLiteral("n1")).health(),
                 NodeStatus::Health::Unknown); // still connecting
        QTRY_COMPARE_WITH_TIMEOUT(probe.status(QStringLiteral("n1")).health(),
                                  NodeStatus::Health::Down, NodeProbe::kConnectTimeoutMs + 5000);
        QVERIFY2(!probe.status(QStringLiteral("n1")).lastError.isEmpty(), "down without a reason");
        probe.stop();
        qDeleteAll(held);
    }

    void sandboxNodesAreUp()
    {
        QString error;
        QVERIFY2(m_sandbox.up(1, &error), qPrintable(error));
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(m_sandbox.inventoryPath(), &m_inventory, &errors));
        QCOMPARE(m_inventory.clusters.size(), 1);

        NodeProbe probe(sandboxCluster(300));
        probe.start();
        QTRY_COMPARE_WITH_TIMEOUT(probe.status(QStringLiteral("primary")).health(),
                                  NodeStatus::Health::Up, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(probe.status(QStringLiteral("standby1")).health(),
                                  NodeStatus::Health::Up, 15000);
        const NodeStatus p = probe.status(QStringLiteral("primary"));
        const NodeStatus s = probe.status(QStringLiteral("standby1"));
        QVERIFY2(p.version.front().isDigit(), qPrintable(p.version));
        QVERIFY(!p.inRecovery);
        QVERIFY(s.inRecovery);
        QCOMPARE(p.standbys, 1);
        QCOMPARE(s.standbys, 0);
        QVERIFY(p.connections >= 1); // at least the probe itself
        QVERIFY(p.uptimeSeconds >= 0);
        QVERIFY(p.lastError.isEmpty());
        // Samples keep coming.
        const QDateTime first = p.sampledAt;
        QTRY_VERIFY_WITH_TIMEOUT(probe.status(QStringLiteral("primary")).sampledAt > first, 3000);
    }

    void hungBackendGoesStaleThenDownThenRecovers()
    {
        if (m_inventory.clusters.isEmpty())
            QSKIP("needs the sandbox of the previous test");
        NodeProbe probe(sandboxCluster(300));
        probe.start();
        QTRY_COMPARE_WITH_TIMEOUT(probe.status(QStringLiteral("primary")).health(),
                                  NodeStatus::Health::Up, 15000);

        // Freeze the probe's own backend: the server still holds the socket but never answers.
        PgConnection admin;
        admin.setParams(ConnectionParams::fromNode(m_inventory.clusters[0].nodes[0]));
        const PgResult r = admin.execSync(
            QStringLiteral(
                "select pid from pg_stat_activity where application_name = 'pgdeck monitor' "
                "order by backend_start desc limit 1"),
            {}, 5000);
        QVERIFY2(r.ok() && r.rowCount() == 1, qPrintable(r.errorMessage()));
        const pid_t pid = pid_t(r.value(0, 0).toInt());
        QCOMPARE(::kill(pid, SIGSTOP), 0);
        auto resume = qScopeGuard([pid] { ::kill(pid, SIGCONT); });

        // Record every state the node passes through: "down" may last only one poll.
        QList<NodeStatus::Health> seen;
        connect(&probe, &NodeProbe::statusChanged, this, [&](const NodeStatus &st) {
            if (st.node == QLatin1String("primary") &&
                (seen.isEmpty() || seen.last() != st.health()))
                seen << st.health();
        });
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains(NodeStatus::Health::Stale), 5000);
        QVERIFY(
            probe.status(QStringLiteral("primary")).lastError.contains(QLatin1String("no answer")));
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains(NodeStatus::Health::Down), 20000);
        // A fresh connection gets a fresh backend: up again without the frozen one.
        QTRY_VERIFY_WITH_TIMEOUT(seen.lastIndexOf(NodeStatus::Health::Up) >
                                     seen.indexOf(NodeStatus::Health::Down),
                                 20000);
        QVERIFY(seen.indexOf(NodeStatus::Health::Stale) < seen.indexOf(NodeStatus::Health::Down));
    }

    void cleanupTestCase() { m_sandbox.down(); }
};

QTEST_GUILESS_MAIN(TestNodeProbe)
#include "tst_nodeprobe.moc"
