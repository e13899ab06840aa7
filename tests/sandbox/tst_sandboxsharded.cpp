// End to end through pgdeckctl: sandbox up --shape sharded builds a coordinator and two
// workers (independent servers) on 127.0.0.1 with sample data, up again changes nothing,
// status reports them, down stops all three and removes everything.
#include "inventory/inventoryloader.h"
#include "pg/pgconnection.h"
#include "sandbox/sandbox.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;

class TestSandboxSharded : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp{QDir::tempPath() + QStringLiteral("/pgdeck-sharded-test-XXXXXX")};
    QString m_dir;
    int m_port = 0;

    struct Run {
        int code;
        QString out;
    };
    Run ctl(const QStringList &args, int timeoutMs = 180000)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGDECK_STATE_DIR"), m_tmp.path() + QStringLiteral("/state"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(qEnvironmentVariable("PGDECKCTL"), args);
        if (!p.waitForFinished(timeoutMs))
            p.kill();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromLocal8Bit(p.readAll())};
    }
    QStringList sandbox(const QString &action, const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("sandbox"), action, QStringLiteral("--dir"), m_dir} +
               more;
    }
    ConnectionParams node(int i)
    {
        ConnectionParams p;
        p.set(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        p.set(QStringLiteral("port"), QString::number(m_port + i));
        p.set(QStringLiteral("user"), QStringLiteral("postgres"));
        p.set(QStringLiteral("dbname"), QStringLiteral("app"));
        return p;
    }
    static bool portOpen(int port)
    {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, quint16(port));
        return s.waitForConnected(1000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariable("PGDECKCTL").isEmpty())
            QSKIP("PGDECKCTL is not set; run through ctest");
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QFile::setPermissions(m_tmp.path(),
                              QFile::Permissions(0x7755)); // reachable by the server user
        m_dir = m_tmp.path() + QStringLiteral("/sharded");
        m_port =
            Sandbox::findFreePorts(40000 + int(QCoreApplication::applicationPid() % 1000) * 10, 3);
        QVERIFY(m_port > 0);
    }

    void replicatedOptionsAreRefused()
    {
        for (const QString &opt : {QStringLiteral("--cascade"), QStringLiteral("--standbys=1")}) {
            const Run r = ctl(sandbox(QStringLiteral("up"),
                                      {QStringLiteral("--shape"), QStringLiteral("sharded"), opt}));
            QCOMPARE(r.code, 2);
            QVERIFY2(r.out.contains(QStringLiteral("--standbys and --cascade apply to the "
                                                   "replicated shape")),
                     qPrintable(r.out));
        }
        const Run r =
            ctl(sandbox(QStringLiteral("up"), {QStringLiteral("--shape"), QStringLiteral("ring")}));
        QCOMPARE(r.code, 2);
        QVERIFY2(r.out.contains(QStringLiteral("unknown --shape \"ring\"")), qPrintable(r.out));
        QVERIFY(!QFile::exists(m_dir));
    }

    void dryRunPrintsThePlan()
    {
        const Run r =
            ctl(sandbox(QStringLiteral("up"), {QStringLiteral("--shape"), QStringLiteral("sharded"),
                                               QStringLiteral("--port"), QString::number(m_port),
                                               QStringLiteral("--dry-run"),
                                               QStringLiteral("--format"), QStringLiteral("sh")}));
        QVERIFY2(r.code == 0, qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("CREATE EXTENSION IF NOT EXISTS postgres_fdw")),
                 qPrintable(r.out));
        QVERIFY2(!r.out.contains(QStringLiteral("pg_basebackup")), qPrintable(r.out));
        QVERIFY(!QFile::exists(m_dir));
    }

    void upBuildsCoordinatorAndWorkers()
    {
        const Run r =
            ctl(sandbox(QStringLiteral("up"), {QStringLiteral("--shape"), QStringLiteral("sharded"),
                                               QStringLiteral("--port"), QString::number(m_port)}));
        QVERIFY2(r.code == 0, qPrintable(r.out));
        QVERIFY2(r.out.contains(
                     QStringLiteral("sandbox ready: coordinator on 127.0.0.1:%1").arg(m_port)),
                 qPrintable(r.out));

        for (int i = 0; i < 3; ++i) {
            PgConnection server;
            server.setParams(node(i));
            const PgResult s = server.execSync(
                QStringLiteral("select pg_is_in_recovery(), current_setting('port')::int, "
                               "(select count(*) from pg_stat_replication)"),
                {}, 10000);
            QVERIFY2(s.ok(), qPrintable(s.errorMessage()));
            QCOMPARE(s.value(0, 0).toBool(), false);
            QCOMPARE(s.value(0, 1).toInt(), m_port + i);
            QCOMPARE(s.value(0, 2).toInt(), 0); // no replication between them
        }

        PgConnection coordinator;
        coordinator.setParams(node(0));
        QCOMPARE(coordinator
                     .execSync(QStringLiteral("select count(*) from pg_extension "
                                              "where extname = 'postgres_fdw'"))
                     .scalar()
                     .toInt(),
                 1);
        const PgResult users = coordinator.execSync(QStringLiteral(
            "select count(*), count(distinct id), count(*) filter (where region = 'eu'), "
            "count(*) filter (where region = 'us'), count(*) filter (where region not in "
            "('eu', 'us')) from public.users"));
        QVERIFY2(users.ok(), qPrintable(users.errorMessage()));
        QCOMPARE(users.value(0, 0).toInt(), 100000);
        QCOMPARE(users.value(0, 1).toInt(), 100000);
        QVERIFY2(users.value(0, 2).toInt() > 40000 && users.value(0, 3).toInt() > 40000,
                 qPrintable(users.text(0, 2) + QStringLiteral(" / ") + users.text(0, 3)));
        QCOMPARE(users.value(0, 4).toInt(), 0);
        // Deterministic content, and both tables analyzed.
        QCOMPARE(
            coordinator.execSync(QStringLiteral("select email from public.users where id = 1"))
                .scalar()
                .toString(),
            QStringLiteral("%1@example.com")
                .arg(QString::fromLatin1(
                    QCryptographicHash::hash("1", QCryptographicHash::Md5).toHex().mid(8, 8))));
        QVERIFY(coordinator.execSync(QStringLiteral("select count(*) from public.countries"))
                    .scalar()
                    .toInt() >= 3);
        QCOMPARE(coordinator
                     .execSync(QStringLiteral(
                         "select bool_and(reltuples >= 0) from pg_class where oid in "
                         "('public.users'::regclass, 'public.countries'::regclass)"))
                     .scalar()
                     .toBool(),
                 true);
        PgConnection worker;
        worker.setParams(node(1));
        QCOMPARE(worker.execSync(QStringLiteral("select to_regclass('public.users') is null"))
                     .scalar()
                     .toBool(),
                 true);

        Inventory inv;
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(m_dir + QStringLiteral("/inventory.yaml"), &inv, &errors));
        QCOMPARE(inv.clusters.size(), 1);
        const ClusterSpec &cluster = inv.clusters[0];
        QCOMPARE(cluster.name, QStringLiteral("sharded"));
        QCOMPARE(cluster.nodes.size(), 3);
        const QStringList names{QStringLiteral("coordinator"), QStringLiteral("worker1"),
                                QStringLiteral("worker2")};
        const QStringList roles{QStringLiteral("coordinator"), QStringLiteral("worker"),
                                QStringLiteral("worker")};
        const QStringList regions{QString(), QStringLiteral("eu"), QStringLiteral("us")};
        for (int i = 0; i < 3; ++i) {
            const NodeSpec &n = cluster.nodes[i];
            QCOMPARE(n.name, names[i]);
            QCOMPARE(n.role, roles[i]);
            QCOMPARE(n.region, regions[i]);
            QCOMPARE(n.host, QStringLiteral("127.0.0.1"));
            QCOMPARE(n.port, m_port + i);
            QCOMPARE(n.dbname, QStringLiteral("app"));
            QCOMPARE(n.user, QStringLiteral("postgres"));
            QVERIFY(n.upstream.isEmpty());
        }

        SandboxConfig c;
        QString error;
        QVERIFY2(Sandbox::loadConfig(m_dir, &c, &error), qPrintable(error));
        QCOMPARE(c.shape, SandboxShape::Sharded);
    }

    void upTwiceIsHarmless()
    {
        const Run r = ctl(sandbox(QStringLiteral("up")));
        QVERIFY2(r.code == 0, qPrintable(r.out));
        for (const QString &step :
             {QStringLiteral("Initialise the coordinator's data directory"),
              QStringLiteral("Initialise worker2's data directory"),
              QStringLiteral("Start worker1 on port %1").arg(m_port + 1),
              QStringLiteral("Create the postgres_fdw extension on coordinator"),
              QStringLiteral("Create the sample table public.users with 100000 rows"),
              QStringLiteral("Analyze the sample tables")})
            QVERIFY2(r.out.contains(step + QStringLiteral(" ... skipped (already done)")),
                     qPrintable(r.out));
        // Asking for the other shape in the same directory is refused, not mixed in.
        const Run other = ctl(sandbox(QStringLiteral("up"),
                                      {QStringLiteral("--shape"), QStringLiteral("replicated")}));
        QCOMPARE(other.code, 1);
        QVERIFY2(other.out.contains(QStringLiteral("already holds a sharded sandbox")),
                 qPrintable(other.out));
        PgConnection coordinator;
        coordinator.setParams(node(0));
        QCOMPARE(coordinator.execSync(QStringLiteral("select count(*) from public.users"))
                     .scalar()
                     .toInt(),
                 100000);
    }

    void statusReportsEveryNode()
    {
        const Run r = ctl(sandbox(QStringLiteral("status")));
        QVERIFY2(r.code == 0, qPrintable(r.out));
        QVERIFY2(r.out.startsWith(QStringLiteral("sharded sandbox in ")), qPrintable(r.out));
        QCOMPARE(r.out.count(QStringLiteral("  up    ")), 3);
        QVERIFY2(r.out.contains(QStringLiteral("worker (region eu)")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("worker (region us)")), qPrintable(r.out));
        // Citus too where it is installed.
        QVERIFY2(r.out.contains(
                     QRegularExpression(QStringLiteral("extensions: (citus, )?postgres_fdw"))),
                 qPrintable(r.out));
        QVERIFY2(!r.out.contains(QStringLiteral("RECOVERY")), qPrintable(r.out));
    }

    void downStopsAllThree()
    {
        const Run r = ctl(sandbox(QStringLiteral("down")));
        QVERIFY2(r.code == 0, qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("Stop coordinator")), qPrintable(r.out));
        QVERIFY(!QFile::exists(m_dir));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(!portOpen(m_port + i),
                     qPrintable(QStringLiteral("port %1 still open").arg(m_port + i)));
        const Run again = ctl(sandbox(QStringLiteral("down")));
        QCOMPARE(again.code, 0);
        QVERIFY(again.out.contains(QStringLiteral("nothing to do")));
    }

    void cleanupTestCase()
    {
        if (QFile::exists(m_dir + QStringLiteral("/sandbox.json")))
            ctl(sandbox(QStringLiteral("down")));
    }
};

QTEST_GUILESS_MAIN(TestSandboxSharded)
#include "tst_sandboxsharded.moc"
