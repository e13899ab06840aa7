// The monitor against a real primary with two streaming standbys: lag figures match
// pg_stat_replication, a killed standby is reported down within two intervals while the
// rest keeps updating, it comes back up after a restart, and a promotion shows as a role
// change and a new topology.
#include "inventory/inventorywriter.h"
#include "monitor/eventdetector.h"
#include "monitor/metrichistory.h"
#include "monitor/nodeprobe.h"
#include "pg/pgconnection.h"
#include "sandbox/sandbox.h"
#include "sandboxfixture.h"
#include "topology/topology.h"

#include <QFile>
#include <QtTest>

#include <csignal>

using namespace pgdeck;

class TestReplicationMonitor : public QObject {
    Q_OBJECT
private:
    test::SandboxFixture m_fixture;
    ClusterSpec m_cluster;
    static constexpr int kInterval = 500;

    int postmasterPid(int node)
    {
        QFile f(m_fixture.config().dataDir(m_fixture.config().nodeName(node)) +
                QStringLiteral("/postmaster.pid"));
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        return f.readLine().trimmed().toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QVERIFY2(m_fixture.start(2, &error), qPrintable(error));
        m_cluster = Sandbox::inventory(m_fixture.config()).clusters.first();
        m_cluster.monitor.intervalMs = kInterval;
    }
    void cleanupTestCase() { m_fixture.stop(); }

    void lagMatchesPgStatReplication()
    {
        NodeProbe probe(m_cluster);
        MetricHistory history(600);
        connect(&probe, &NodeProbe::statusChanged, this,
                [&](const NodeStatus &s) { history.add(s); });
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.status(QStringLiteral("primary")).standbyLags.size() == 2,
                                 15000);
        // Some writes so there is WAL to ship.
        PgConnection c;
        c.setParams(m_fixture.params(0, QStringLiteral("app")));
        QVERIFY(c.execSync(QStringLiteral(
                               "create table lag_t as select g from generate_series(1, 50000) g"))
                    .ok());
        QTest::qWait(3 * kInterval);

        const NodeStatus p = probe.status(QStringLiteral("primary"));
        const PgResult direct = c.execSync(QStringLiteral(
            "select application_name, state, sync_state, "
            "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint from pg_stat_replication "
            "order by application_name"));
        QVERIFY2(direct.ok(), qPrintable(direct.errorMessage()));
        QCOMPARE(p.standbyLags.size(), direct.rowCount());
        for (int i = 0; i < direct.rowCount(); ++i) {
            const StandbyLag &l = p.standbyLags[i];
            QCOMPARE(l.name, direct.text(i, 0));
            QCOMPARE(l.state, direct.text(i, 1));
            QCOMPARE(l.syncState, direct.text(i, 2));
            QVERIFY(l.replayLagBytes >= 0);
            QVERIFY(l.sentLagBytes <= l.replayLagBytes);
            // Quiet now: both measurements agree within one WAL record or so.
            QVERIFY2(qAbs(l.replayLagBytes - direct.value(i, 3).toLongLong()) < 64 * 1024,
                     qPrintable(
                         QStringLiteral("%1 vs %2").arg(l.replayLagBytes).arg(direct.text(i, 3))));
        }
        QCOMPARE(p.slots.size(), 2);
        QCOMPARE(p.slots[0].name, QStringLiteral("sandbox_standby1"));
        QVERIFY(p.slots[0].active);
        QCOMPARE(p.slots[0].walStatus, QStringLiteral("reserved"));
        QVERIFY(p.tps >= 0);
        QVERIFY(p.cacheHitRatio > 0 && p.cacheHitRatio <= 1);

        const NodeStatus s1 = probe.status(QStringLiteral("standby1"));
        QVERIFY(s1.inRecovery);
        QVERIFY(s1.receiver.present);
        QCOMPARE(s1.receiver.status, QStringLiteral("streaming"));
        QCOMPARE(s1.receiver.senderPort, m_fixture.config().port(0));
        QCOMPARE(s1.receiver.slotName, QStringLiteral("sandbox_standby1"));

        // The charts' series exist for both streams.
        QCOMPARE(
            history.streams(m_cluster.name),
            (QStringList{QStringLiteral("primary/standby1"), QStringLiteral("primary/standby2")}));
        const TimeSeries *replay = history.series(
            MetricHistory::lagKey(m_cluster.name, QStringLiteral("primary"),
                                  QStringLiteral("standby1"), MetricHistory::Lag::ReplayBytes));
        QVERIFY(replay && replay->size() >= 2);

        const Topology t = Topology::build(m_cluster, probe.statuses());
        QCOMPARE(t.primaries(), QStringList{QStringLiteral("primary")});
        QCOMPARE(t.edges.size(), 2);
        QCOMPARE(t.node(QStringLiteral("standby2"))->upstream, QStringLiteral("primary"));
        QCOMPARE(t.node(QStringLiteral("standby2"))->depth, 1);
    }

    void killedStandbyIsDownWithinTwoIntervalsThenUp()
    {
        NodeProbe probe(m_cluster);
        EventDetector detector(m_cluster.monitor);
        QList<MonitorEvent> events;
        QDateTime primarySampled;
        int primaryUpdates = 0;
        connect(&probe, &NodeProbe::statusChanged, this, [&](const NodeStatus &s) {
            events << detector.update(s);
            if (s.node == QLatin1String("primary") && s.sampledAt != primarySampled && !s.stale) {
                primarySampled = s.sampledAt;
                ++primaryUpdates;
            }
        });
        probe.start();
        QTRY_COMPARE_WITH_TIMEOUT(probe.status(QStringLiteral("standby1")).health(),
                                  NodeStatus::Health::Up, 15000);
        // The primary must have been sampled with both streams before one can vanish: on a
        // loaded machine its first sample can come after the standby's.
        QTRY_VERIFY_WITH_TIMEOUT(probe.status(QStringLiteral("primary")).standbyLags.size() == 2,
                                 15000);

        const int pid = postmasterPid(1);
        QVERIFY(pid > 0);
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(::kill(pid, SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(probe.status(QStringLiteral("standby1")).health(),
                                  NodeStatus::Health::Down, 2 * kInterval + 500);
        qInfo("standby1 reported down %lld ms after kill -9", clock.elapsed());
        const auto downEvent =
            std::find_if(events.cbegin(), events.cend(), [](const MonitorEvent &e) {
                return e.kind == MonitorEvent::Kind::NodeDown &&
                       e.node == QLatin1String("standby1");
            });
        QVERIFY(downEvent != events.cend());
        QCOMPARE(downEvent->severity, MonitorEvent::Severity::Critical);

        // The rest keeps updating meanwhile.
        const int before = primaryUpdates;
        QTRY_VERIFY_WITH_TIMEOUT(primaryUpdates >= before + 2, 5 * kInterval);
        QCOMPARE(probe.status(QStringLiteral("standby2")).health(), NodeStatus::Health::Up);
        // The primary sees the stream vanish.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                             [](const MonitorEvent &e) {
                                                 return e.kind ==
                                                            MonitorEvent::Kind::StandbyVanished &&
                                                        e.subject == QLatin1String("standby1");
                                             }),
                                 60000);
        qInfo("the primary saw standby1's stream end %lld ms after kill -9", clock.elapsed());

        // A killed postmaster stays a zombie until its parent reaps it, and PostgreSQL
        // refuses to start while the pid in postmaster.pid exists.
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(QStringLiteral("/proc/%1").arg(pid)), 30000);
        // Restart it the way the sandbox does: re-run its plan, every other step is skipped.
        QString summary;
        QVERIFY2(test::SandboxFixture::runPlan(Sandbox::upPlan(m_fixture.config()), &summary),
                 qPrintable(summary));
        QTRY_COMPARE_WITH_TIMEOUT(probe.status(QStringLiteral("standby1")).health(),
                                  NodeStatus::Health::Up, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                             [](const MonitorEvent &e) {
                                                 return e.kind == MonitorEvent::Kind::NodeUp &&
                                                        e.node == QLatin1String("standby1");
                                             }),
                                 5000);
    }

    void promotionIsARoleChangeAndANewTopology()
    {
        NodeProbe probe(m_cluster);
        EventDetector detector(m_cluster.monitor);
        QList<MonitorEvent> events;
        connect(&probe, &NodeProbe::statusChanged, this,
                [&](const NodeStatus &s) { events << detector.update(s); });
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.status(QStringLiteral("primary")).standbyLags.size() == 2,
                                 60000);
        QTRY_VERIFY_WITH_TIMEOUT(probe.status(QStringLiteral("standby2")).inRecovery &&
                                     probe.status(QStringLiteral("standby2")).health() ==
                                         NodeStatus::Health::Up,
                                 10000);

        PgConnection c;
        c.setParams(m_fixture.params(2));
        QVERIFY(c.execSync(QStringLiteral("select pg_promote(true, 30)")).scalar().toBool());

        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                             [](const MonitorEvent &e) {
                                                 return e.kind == MonitorEvent::Kind::RoleChanged &&
                                                        e.node == QLatin1String("standby2");
                                             }),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!probe.status(QStringLiteral("standby2")).inRecovery, 5000);
        const Topology t = Topology::build(m_cluster, probe.statuses());
        QCOMPARE(t.node(QStringLiteral("standby2"))->role, TopologyNode::Role::Primary);
        QCOMPARE(t.node(QStringLiteral("standby2"))->depth, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const Topology now = Topology::build(m_cluster, probe.statuses());
                return std::none_of(
                    now.edges.cbegin(), now.edges.cend(),
                    [](const TopologyEdge &e) { return e.to == QLatin1String("standby2"); });
            }(),
            10000);
        QCOMPARE(Topology::build(m_cluster, probe.statuses()).primaries(),
                 (QStringList{QStringLiteral("primary"), QStringLiteral("standby2")}));
    }
};

QTEST_GUILESS_MAIN(TestReplicationMonitor)
#include "tst_replicationmonitor.moc"
