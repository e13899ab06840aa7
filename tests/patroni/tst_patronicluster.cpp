// A Patroni cluster's life through pgdeck, against real etcd, Patroni and PostgreSQL on
// 127.0.0.1: `pgdeckctl patroni create` builds it (the fixture), bad input is refused before
// anything changes, `patroni list` and the watcher report what Patroni says, a switchover
// through pgdeck leaves a writable new leader and a leader-changed event with the timeline
// history, a kill -9 of the leader's Patroni shows up as a failover event, and a raft
// cluster of three needs no etcd.
#include "common/statepaths.h"
#include "etcdfixture.h"
#include "inventory/inventoryloader.h"
#include "patroni/patronieventdetector.h"
#include "patroni/patronitopology.h"
#include "patroni/patroniwatcher.h"
#include "patronicluster.h"
#include "pg/pgconnection.h"
#include "pg/pgresult.h"
#include "sandbox/sandbox.h"
#include "topology/topology.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

#include <signal.h>

using namespace pgdeck;
using pgdeck::test::EtcdFixture;
using pgdeck::test::PatroniCluster;

class TestPatroniCluster : public QObject {
    Q_OBJECT

private:
    PatroniCluster m_cluster;
    ClusterSpec m_spec;

    static int ctl(const QStringList &args, QString *output)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(qEnvironmentVariable("PGDECKCTL"), args);
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
        }
        *output = QString::fromUtf8(p.readAll());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

    QString scalar(int member, const QString &sql)
    {
        return scalarOn(m_cluster.pgPort(member), sql);
    }

    static QString scalarOn(int port, const QString &sql)
    {
        PgConnection c;
        c.setParams(ConnectionParams::parse(
            QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=postgres").arg(port)));
        if (!c.waitForReady(10000))
            return QStringLiteral("error: ") + c.lastError();
        const PgResult r = c.execSync(sql);
        return r.ok() ? r.scalar().toString() : QStringLiteral("error: ") + r.errorMessage();
    }

    static const MonitorEvent *find(const QList<MonitorEvent> &events, MonitorEvent::Kind kind)
    {
        for (const MonitorEvent &e : events)
            if (e.kind == kind)
                return &e;
        return nullptr;
    }
    static bool hasKind(const QList<MonitorEvent> &events, MonitorEvent::Kind kind)
    {
        return find(events, kind) != nullptr;
    }

    // Polls the cluster through a real watcher until `leader` leads; returns the events the
    // detector made on the way.
    QList<MonitorEvent> waitForLeader(const QString &leader, int timeoutMs,
                                      PatroniEventDetector *detector, PatroniSnapshot *last,
                                      bool wantEvent = true)
    {
        QList<QUrl> urls;
        for (int i = 0; i < 2; ++i)
            urls << QUrl(m_cluster.restUrl(i));
        PatroniWatcher watcher(m_cluster.scope(), urls);
        QList<MonitorEvent> events;
        QElapsedTimer clock;
        clock.start();
        connect(&watcher, &PatroniWatcher::snapshotChanged, this, [&](const PatroniSnapshot &s) {
            events << detector->update(s);
            *last = s;
        });
        watcher.start(200);
        while (clock.elapsed() < timeoutMs &&
               !(last->reachable && last->state.leader() == leader &&
                 (!wantEvent || hasKind(events, MonitorEvent::Kind::TimelineChanged))))
            QTest::qWait(100);
        watcher.stop();
        return events;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (EtcdFixture::etcdPath().isEmpty() || !QFile::exists(QStringLiteral("/usr/bin/patroni")))
            QSKIP(
                "etcd-server and patroni are not installed (apt-get install patroni etcd-server)");
        QString error;
        QVERIFY2(m_cluster.up(2, &error), qPrintable(error));
        QList<InventoryError> errors;
        Inventory inv;
        QVERIFY(InventoryLoader::load(m_cluster.inventoryPath(), &inv, &errors));
        QVERIFY(inv.cluster(m_cluster.scope()));
        m_spec = *inv.cluster(m_cluster.scope());
    }

    void createdAsAsked()
    {
        QCOMPARE(m_spec.nodes.size(), 2);
        QCOMPARE(m_spec.nodes[0].patroni, m_cluster.restUrl(0));
        QCOMPARE(m_spec.nodes[1].patroni, m_cluster.restUrl(1));
        // The servers say: m1 is the primary and m2 streams from it.
        QCOMPARE(scalar(0, QStringLiteral("select pg_is_in_recovery()")), QStringLiteral("false"));
        QCOMPARE(
            scalar(0, QStringLiteral("select string_agg(application_name || ':' || state, ',') "
                                     "from pg_stat_replication")),
            QStringLiteral("m2:streaming"));
        QCOMPARE(scalar(1, QStringLiteral("select pg_is_in_recovery()")), QStringLiteral("true"));
        // patroni.yml holds the real passwords (a 0600 file), the Plan only placeholders.
        QFile yml(m_cluster.configDir(0) + QStringLiteral("/patroni.yml"));
        QVERIFY(yml.open(QIODevice::ReadOnly));
        const QByteArray text = yml.readAll();
        QVERIFY(text.contains(PatroniCluster::superuserPassword().toUtf8()));
        QVERIFY(!text.contains("${secret"));
        QCOMPARE(yml.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }

    void badInputChangesNothing()
    {
        const QString spare = m_cluster.dir() + QStringLiteral("/spare");
        struct Case {
            QString member;
            QString expected;
        };
        const QList<Case> cases{
            {QStringLiteral("name=x1,port=%1,rest=%2,data=%3")
                 .arg(m_cluster.pgPort(0) + 50)
                 .arg(m_cluster.restPort(0) + 50)
                 .arg(m_cluster.dataDir(0)),
             QStringLiteral("is not empty")},
            {QStringLiteral("name=x1,port=%1,rest=%2,data=%3")
                 .arg(m_cluster.pgPort(1))
                 .arg(m_cluster.restPort(0) + 50)
                 .arg(spare),
             QStringLiteral("port %1 on 127.0.0.1 is in use").arg(m_cluster.pgPort(1))},
        };
        for (const Case &c : cases) {
            QStringList args{QStringLiteral("patroni"),
                             QStringLiteral("create"),
                             QStringLiteral("--cluster"),
                             QStringLiteral("other"),
                             QStringLiteral("--etcd"),
                             m_cluster.etcdHost(),
                             QStringLiteral("--password-secret"),
                             QStringLiteral("PGHA_TEST_SU"),
                             QStringLiteral("--replication-secret"),
                             QStringLiteral("PGHA_TEST_REPL"),
                             QStringLiteral("--member"),
                             c.member,
                             QStringLiteral("--member"),
                             QStringLiteral("name=x2,port=%1,rest=%2,data=%3-2")
                                 .arg(m_cluster.pgPort(0) + 51)
                                 .arg(m_cluster.restPort(0) + 51)
                                 .arg(spare),
                             QStringLiteral("--apply")};
            if (runningAsRoot())
                args << QStringLiteral("--run-as") << EtcdFixture::serverUser();
            QString out;
            QCOMPARE(ctl(args, &out), 1);
            QVERIFY2(out.contains(c.expected), qPrintable(out));
            QVERIFY2(out.contains(QLatin1String("[1/")) && !out.contains(QLatin1String("[3/")),
                     qPrintable(out)); // stopped at the first member's check
            QVERIFY(!QFile::exists(spare + QStringLiteral(".patroni")));
        }
        // A spec that cannot work is refused before any host is asked.
        QString out;
        QCOMPARE(
            ctl({QStringLiteral("patroni"), QStringLiteral("create"), QStringLiteral("--cluster"),
                 QStringLiteral("bad name"), QStringLiteral("--raft"), QStringLiteral("--member"),
                 QStringLiteral("name=a,port=1,rest=2,raft=3,data=relative"),
                 QStringLiteral("--apply")},
                &out),
            2);
        QVERIFY2(out.contains(QLatin1String("cluster name \"bad name\"")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("at least two members")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("must be an absolute path")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("nothing changed")), qPrintable(out));
    }

    void listAndTopology()
    {
        QString out;
        QCOMPARE(ctl({QStringLiteral("-i"), m_cluster.inventoryPath(), QStringLiteral("patroni"),
                      QStringLiteral("list"), QStringLiteral("--json")},
                     &out),
                 0);
        const QJsonObject o = QJsonDocument::fromJson(out.toUtf8()).object();
        QCOMPARE(o.value(QLatin1String("leader")).toString(), QStringLiteral("m1"));
        QCOMPARE(o.value(QLatin1String("members")).toArray().size(), 2);
        QCOMPARE(o.value(QLatin1String("paused")).toBool(), false);

        // The topology shows Patroni's view next to the servers'.
        PatroniEventDetector detector;
        PatroniSnapshot s;
        waitForLeader(QStringLiteral("m1"), 10000, &detector, &s, false);
        Topology t = Topology::build(m_spec, {});
        applyPatroni(&t, s);
        QVERIFY(t.patroniManaged);
        QCOMPARE(t.node(QStringLiteral("m1"))->patroniRole, QStringLiteral("leader"));
        QCOMPARE(t.node(QStringLiteral("m2"))->patroniRole, QStringLiteral("replica"));
        QCOMPARE(t.node(QStringLiteral("m1"))->timeline, 1);
    }

    void switchoverThroughPgdeck()
    {
        PatroniEventDetector detector;
        PatroniSnapshot s;
        waitForLeader(QStringLiteral("m1"), 10000, &detector, &s, false); // baseline

        QString out;
        // Refusals come back as Patroni wrote them.
        QCOMPARE(ctl({QStringLiteral("-i"), m_cluster.inventoryPath(), QStringLiteral("patroni"),
                      QStringLiteral("switchover"), QStringLiteral("--candidate"),
                      QStringLiteral("nosuch"), QStringLiteral("--apply")},
                     &out),
                 1);
        QVERIFY2(out.contains(QLatin1String("HTTP 412")) &&
                     out.contains(QLatin1String("candidate does not exists")),
                 qPrintable(out));
        // Without --apply nothing happens.
        QCOMPARE(
            ctl({QStringLiteral("-i"), m_cluster.inventoryPath(), QStringLiteral("patroni"),
                 QStringLiteral("switchover"), QStringLiteral("--candidate"), QStringLiteral("m2")},
                &out),
            0);
        QVERIFY2(out.contains(QLatin1String("would switch the leader")), qPrintable(out));

        QCOMPARE(ctl({QStringLiteral("-i"), m_cluster.inventoryPath(), QStringLiteral("patroni"),
                      QStringLiteral("switchover"), QStringLiteral("--candidate"),
                      QStringLiteral("m2"), QStringLiteral("--apply")},
                     &out),
                 0);
        const QList<MonitorEvent> events =
            waitForLeader(QStringLiteral("m2"), 60000, &detector, &s);
        QCOMPARE(s.state.leader(), QStringLiteral("m2"));
        const MonitorEvent *changed = find(events, MonitorEvent::Kind::LeaderChanged);
        QVERIFY(changed);
        QCOMPARE(changed->node, QStringLiteral("m2"));
        QVERIFY2(changed->message.contains(QLatin1String("instead of m1")),
                 qPrintable(changed->message));
        const MonitorEvent *timeline = find(events, MonitorEvent::Kind::TimelineChanged);
        QVERIFY(timeline);
        // Patroni's history names the switch: "... timeline 1 → 2 at 0/5000000: ..."
        QVERIFY2(timeline->message.contains(QStringLiteral("timeline 1 → 2 at ")),
                 qPrintable(timeline->message));

        // The new leader takes writes.
        QElapsedTimer clock;
        clock.start();
        QString wrote;
        while (clock.elapsed() < 30000) {
            wrote = scalar(1, QStringLiteral("create table if not exists after_switch(x int); "
                                             "insert into after_switch values (1) returning x"));
            if (wrote == QLatin1String("1"))
                break;
            QTest::qWait(300);
        }
        QCOMPARE(wrote, QStringLiteral("1"));
    }

    // Patroni's own raft instead of etcd: three members, started together (one alone has no
    // majority), elect a leader and the other two stream from it.
    void raftClusterOfThree()
    {
        const QString dir = m_cluster.dir() + QStringLiteral("/raft");
        const int pg = Sandbox::findFreePorts(m_cluster.pgPort(0) + 100, 3);
        const int rest = Sandbox::findFreePorts(m_cluster.restPort(0) + 100, 3);
        const int raft = Sandbox::findFreePorts(rest + 20, 3);
        QStringList args{QStringLiteral("--cluster"), QStringLiteral("rafty"),
                         QStringLiteral("--raft"),    QStringLiteral("--loop-wait"),
                         QStringLiteral("2"),         QStringLiteral("--ttl"),
                         QStringLiteral("10")};
        if (runningAsRoot())
            args << QStringLiteral("--run-as") << EtcdFixture::serverUser();
        for (int i = 0; i < 3; ++i)
            args << QStringLiteral("--member")
                 << QStringLiteral("name=r%1,port=%2,rest=%3,raft=%4,data=%5/r%1")
                        .arg(i + 1)
                        .arg(pg + i)
                        .arg(rest + i)
                        .arg(raft + i)
                        .arg(dir);
        const QString inventory = dir + QStringLiteral(".yaml");
        QString out;
        const int created =
            ctl(QStringList{QStringLiteral("patroni"), QStringLiteral("create")} + args +
                    QStringList{QStringLiteral("--password-secret"), QStringLiteral("PGHA_TEST_SU"),
                                QStringLiteral("--replication-secret"),
                                QStringLiteral("PGHA_TEST_REPL"), QStringLiteral("-i"), inventory,
                                QStringLiteral("--apply")},
                &out);
        const auto stop = qScopeGuard([&] {
            QString ignored;
            ctl(QStringList{QStringLiteral("patroni"), QStringLiteral("stop")} + args +
                    QStringList{QStringLiteral("--apply")},
                &ignored);
        });
        QVERIFY2(created == 0, qPrintable(out));
        QElapsedTimer clock;
        clock.start();
        QJsonObject o;
        while (clock.elapsed() < 60000) {
            QCOMPARE(ctl({QStringLiteral("-i"), inventory, QStringLiteral("patroni"),
                          QStringLiteral("list"), QStringLiteral("--json")},
                         &out),
                     0);
            o = QJsonDocument::fromJson(out.toUtf8()).object();
            int running = 0;
            for (const QJsonValue &m : o.value(QLatin1String("members")).toArray())
                running += m.toObject().value(QLatin1String("state")).toString() ==
                           QLatin1String("running");
            if (!o.value(QLatin1String("leader")).toString().isEmpty() && running == 3)
                break;
            QTest::qWait(500);
        }
        const QString leader = o.value(QLatin1String("leader")).toString();
        QVERIFY2(!leader.isEmpty(), qPrintable(out));
        // The leader's server reports both others streaming.
        const int leaderPort = pg + leader.mid(1).toInt() - 1;
        QTRY_COMPARE_WITH_TIMEOUT(
            scalarOn(leaderPort, QStringLiteral("select count(*) from pg_stat_replication where "
                                                "state = 'streaming'")),
            QStringLiteral("2"), 30000);
    }

    void pauseAndResume()
    {
        QString out;
        QCOMPARE(ctl({QStringLiteral("-i"), m_cluster.inventoryPath(), QStringLiteral("patroni"),
                      QStringLiteral("pause"), QStringLiteral("--apply")},
                     &out),
                 0);
        QCOMPARE(ctl({QStringLiteral("-i"), m_cluster.inventoryPath(), QStringLiteral("patroni"),
                      QStringLiteral("list")},
                     &out),
                 0);
        QVERIFY2(out.contains(QLatin1String("MAINTENANCE MODE")), qPrintable(out));
        QCOMPARE(ctl({QStringLiteral("-i"), m_cluster.inventoryPath(), QStringLiteral("patroni"),
                      QStringLiteral("resume"), QStringLiteral("--apply")},
                     &out),
                 0);
        QCOMPARE(ctl({QStringLiteral("-i"), m_cluster.inventoryPath(), QStringLiteral("patroni"),
                      QStringLiteral("list"), QStringLiteral("--json")},
                     &out),
                 0);
        QCOMPARE(QJsonDocument::fromJson(out.toUtf8()).object().value(QLatin1String("paused")),
                 QJsonValue(false));
    }

    void killedLeaderIsAFailoverEvent()
    {
        PatroniEventDetector detector;
        PatroniSnapshot s;
        waitForLeader(QStringLiteral("m2"), 10000, &detector, &s, false); // baseline
        const qint64 pid = m_cluster.patroniPid(1);
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        // The leader key expires after ttl (10 s here); m1 takes over.
        const QList<MonitorEvent> events =
            waitForLeader(QStringLiteral("m1"), 60000, &detector, &s);
        QCOMPARE(s.state.leader(), QStringLiteral("m1"));
        const MonitorEvent *changed = find(events, MonitorEvent::Kind::LeaderChanged);
        QVERIFY(changed);
        QCOMPARE(changed->node, QStringLiteral("m1"));
        const MonitorEvent *timeline = find(events, MonitorEvent::Kind::TimelineChanged);
        QVERIFY(timeline);
        QVERIFY2(timeline->message.contains(QStringLiteral("timeline 2 → 3")),
                 qPrintable(timeline->message));
    }
};

QTEST_GUILESS_MAIN(TestPatroniCluster)
#include "tst_patronicluster.moc"
