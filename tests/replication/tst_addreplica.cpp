// Adding a streaming replica to a real sandbox primary on 127.0.0.1: with pgdeckctl on this
// machine, and through a real sshd with the core's Plan. Each time the primary reports the
// new node streaming, the node is in recovery and receives a row written on the primary.
// Bad requests (a non-empty data directory, a port in use, a name taken, a restart not
// allowed) stop before anything changes.
#include "inventory/inventoryloader.h"
#include "pg/pgconnection.h"
#include "replication/basebackupwatcher.h"
#include "replication/replicaplanner.h"
#include "sandbox/sandbox.h"
#include "sandboxfixture.h"
#include "sshdfixture.h"

#include <QDir>
#include <QProcess>
#include <QtTest>

using namespace pgdeck;

class TestAddReplica : public QObject {
    Q_OBJECT
private:
    test::SandboxFixture m_sandbox;

    QString inventory() const { return m_sandbox.config().inventoryPath(); }
    QString serverUser() const { return m_sandbox.config().osUser; }
    QString dataDir(const QString &name) const
    {
        return m_sandbox.config().dir + QLatin1Char('/') + name;
    }
    int ctl(const QStringList &args, QString *out) const
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(qEnvironmentVariable("PGDECKCTL"), args);
        if (!p.waitForFinished(300000))
            return -1;
        *out = QString::fromUtf8(p.readAll());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    QString query(int port, const QString &sql) const
    {
        ConnectionParams params = m_sandbox.params(0);
        params.set(QStringLiteral("port"), QString::number(port));
        PgConnection c;
        c.setParams(params);
        if (!c.waitForReady(10000))
            return QStringLiteral("<error: %1>").arg(c.lastError());
        const PgResult r = c.execSync(sql, {}, 30000);
        return r.ok() ? r.text(0, 0) : QStringLiteral("<error: %1>").arg(r.errorMessage());
    }
    int primaryPort() const { return m_sandbox.config().port(0); }
    // The new node streams, is a standby, and sees a row written on the primary.
    void verifyReplica(const QString &name, int port)
    {
        QTRY_COMPARE_WITH_TIMEOUT(
            query(primaryPort(), QStringLiteral("select state from pg_stat_replication where "
                                                "application_name = '%1'")
                                     .arg(name)),
            QStringLiteral("streaming"), 30000);
        QCOMPARE(query(port, QStringLiteral("select pg_is_in_recovery()")), QStringLiteral("t"));
        QCOMPARE(query(primaryPort(), QStringLiteral("select active from pg_replication_slots "
                                                     "where slot_name = 'pgdeck_%1'")
                                          .arg(name)),
                 QStringLiteral("t"));
        const QString marker = QStringLiteral("row for %1").arg(name);
        QVERIFY(!query(primaryPort(),
                       QStringLiteral("create table if not exists replica_check (note text); "
                                      "insert into replica_check values ('%1') returning note")
                           .arg(marker))
                     .startsWith(QStringLiteral("<error")));
        QTRY_COMPARE_WITH_TIMEOUT(
            query(
                port,
                QStringLiteral("select count(*) from replica_check where note = '%1'").arg(marker)),
            QStringLiteral("1"), 30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QVERIFY2(m_sandbox.start(0, &error), qPrintable(error));
    }

    // The sandbox's down Plan also stops servers added inside its directory.
    void cleanupTestCase() { m_sandbox.stop(); }

    void addLocally()
    {
        const int port = Sandbox::findFreePorts(primaryPort() + 20, 1);
        QString out;
        const QStringList args{QStringLiteral("replica"),    QStringLiteral("add"),
                               QStringLiteral("-i"),         inventory(),
                               QStringLiteral("--name"),     QStringLiteral("replica1"),
                               QStringLiteral("--data-dir"), dataDir(QStringLiteral("replica1")),
                               QStringLiteral("--port"),     QString::number(port),
                               QStringLiteral("--run-as"),   serverUser()};
        QCOMPARE(ctl(args + QStringList{QStringLiteral("--plan")}, &out), 0);
        QVERIFY2(out.contains(QStringLiteral("fix     role: role replicator does not exist")),
                 qPrintable(out));
        QVERIFY2(ctl(args + QStringList{QStringLiteral("--apply")}, &out) == 0, qPrintable(out));
        verifyReplica(QStringLiteral("replica1"), port);
        // The node joined the inventory, as a standby of the primary.
        Inventory inv;
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(inventory(), &inv, &errors));
        const NodeSpec *n = inv.clusters.first().node(QStringLiteral("replica1"));
        QVERIFY(n);
        QCOMPARE(n->role, QStringLiteral("standby"));
        QCOMPARE(n->upstream, QStringLiteral("primary"));
        QCOMPARE(n->port, port);
        // It connected as the replication role the plan created.
        QCOMPARE(query(primaryPort(), QStringLiteral("select usename from pg_stat_replication "
                                                     "where application_name = 'replica1'")),
                 QStringLiteral("replicator"));
    }

    void badRequestsChangeNothing()
    {
        const QString slots = QStringLiteral("select count(*) from pg_replication_slots");
        const QString before = query(primaryPort(), slots);
        QString out;
        // A data directory that holds something.
        QDir().mkpath(dataDir(QStringLiteral("occupied")));
        QFile f(dataDir(QStringLiteral("occupied")) + QStringLiteral("/keep.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("precious");
        f.close();
        const QStringList base{QStringLiteral("replica"),  QStringLiteral("add"),
                               QStringLiteral("-i"),       inventory(),
                               QStringLiteral("--run-as"), serverUser(),
                               QStringLiteral("--apply")};
        QCOMPARE(ctl(base + QStringList{QStringLiteral("--name"), QStringLiteral("replica9"),
                                        QStringLiteral("--data-dir"),
                                        dataDir(QStringLiteral("occupied")),
                                        QStringLiteral("--port"), QStringLiteral("65000")},
                     &out),
                 1);
        QVERIFY2(out.contains(QStringLiteral("is not empty: pgdeck never overwrites")),
                 qPrintable(out));
        QCOMPARE(f.exists(), true);
        // A port in use (the primary's).
        QCOMPARE(ctl(base + QStringList{QStringLiteral("--name"), QStringLiteral("replica9"),
                                        QStringLiteral("--data-dir"),
                                        dataDir(QStringLiteral("replica9")),
                                        QStringLiteral("--port"), QString::number(primaryPort())},
                     &out),
                 1);
        QVERIFY2(out.contains(QStringLiteral("is in use; pick another --port")), qPrintable(out));
        // A name the inventory has, and a relative path.
        QCOMPARE(ctl(base + QStringList{QStringLiteral("--name"), QStringLiteral("primary"),
                                        QStringLiteral("--data-dir"), QStringLiteral("rel/dir"),
                                        QStringLiteral("--port"), QStringLiteral("65001")},
                     &out),
                 2);
        QVERIFY2(out.contains(QStringLiteral("already has a node named primary")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("--data-dir must be an absolute path")),
                 qPrintable(out));
        QCOMPARE(query(primaryPort(), slots), before);
        QVERIFY(!QFileInfo::exists(dataDir(QStringLiteral("replica9"))));
    }

    void restartIsRefusedUnlessAllowed()
    {
        // Every WAL sender busy: the fix (more senders) needs a restart.
        ReplicaSpec spec;
        spec.primary = QStringLiteral("primary");
        spec.name = QStringLiteral("replica8");
        spec.address = QStringLiteral("127.0.0.1");
        PgConnection primary;
        primary.setParams(m_sandbox.params(0));
        QVERIFY(primary.waitForReady(10000));
        const PrimaryReadiness r = checkPrimary(primary, spec, QStringLiteral("127.0.0.1"));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        PrimaryReadiness full = r;
        for (PrimaryFinding &f : full.findings)
            if (f.setting == QLatin1String("max_wal_senders")) {
                f.severity = PrimaryFinding::Severity::Blocker;
                f.needsRestart = true;
            }
        QCOMPARE(full.refusals(false).size(), 1);
        QVERIFY(full.refusals(false).first().contains(QStringLiteral("--allow-restart")));
        QVERIFY(full.refusals(true).isEmpty());
    }

    void addOverSsh()
    {
        QString missing;
        if (!test::SshdFixture::isAvailable(&missing))
            QSKIP(qPrintable(QStringLiteral("OpenSSH is not installed (%1)").arg(missing)));
        test::SshdFixture sshd;
        QString error;
        QVERIFY2(sshd.start(&error), qPrintable(error));
        Inventory inv;
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(inventory(), &inv, &errors));
        const ClusterSpec cluster = inv.clusters.first();
        ReplicaSpec spec;
        spec.primary = QStringLiteral("primary");
        spec.name = QStringLiteral("replica2");
        spec.host = HostTarget{sshd.alias(), serverUser()};
        spec.address = QStringLiteral("127.0.0.1");
        spec.dataDir = dataDir(QStringLiteral("replica2"));
        spec.port = Sandbox::findFreePorts(primaryPort() + 30, 1);
        spec.binDir = Sandbox::findBinDir(&error);
        QVERIFY(validateReplicaSpec(spec, cluster).isEmpty());
        PgConnection primary;
        primary.setParams(m_sandbox.params(0));
        QVERIFY(primary.waitForReady(10000));
        const PrimaryReadiness r = checkPrimary(primary, spec, QStringLiteral("127.0.0.1"));
        QVERIFY(r.refusals(false).isEmpty());
        const Plan plan = addReplicaPlan(spec, cluster, r);
        // Enough data that the copy can be watched from the primary.
        QVERIFY(!query(primaryPort(), QStringLiteral("create table bulk as select g, "
                                                     "repeat(md5(g::text), 8) as payload from "
                                                     "generate_series(1, 400000) g"))
                     .contains(QStringLiteral("<error")));
        BasebackupWatcher watcher(m_sandbox.params(0), spec.name);
        QList<BasebackupProgress> seen;
        connect(&watcher, &BasebackupWatcher::progress, this,
                [&](const BasebackupProgress &p) { seen << p; });
        watcher.start(50);
        QString summary;
        QVERIFY2(test::SandboxFixture::runPlan(plan, &summary, nullptr, sshd.sshArgs()),
                 qPrintable(summary));
        watcher.stop();
        // The progress came from the server, and it moved.
        QVERIFY2(!seen.isEmpty(), "no pg_stat_progress_basebackup row was seen during the copy");
        const bool streaming = std::any_of(seen.cbegin(), seen.cend(), [](const auto &p) {
            return p.phase == QLatin1String("streaming database files") && p.total > 0 &&
                   p.streamed > 0 && p.streamed <= p.total;
        });
        QVERIFY2(streaming, qPrintable(BasebackupWatcher::describe(seen.last())));
        verifyReplica(QStringLiteral("replica2"), spec.port);
        // The commands went through sshd: its log shows the session.
        QVERIFY2(sshd.logText().contains(QStringLiteral("Accepted publickey")),
                 qPrintable(sshd.logText().right(2000)));
    }
};

QTEST_GUILESS_MAIN(TestAddReplica)
#include "tst_addreplica.moc"
