// End to end through pgdeckctl: sandbox up builds a primary with two streaming standbys
// on 127.0.0.1, up again changes nothing, status reports it, down removes everything.
#include "inventory/inventoryloader.h"
#include "pg/pgconnection.h"
#include "sandbox/sandbox.h"

#include <QDir>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;

class TestSandbox : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp{QDir::tempPath() + QStringLiteral("/pgdeck-sandbox-test-XXXXXX")};
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
        m_dir = m_tmp.path() + QStringLiteral("/sb");
        m_port =
            Sandbox::findFreePorts(30000 + int(QCoreApplication::applicationPid() % 1000) * 10, 3);
        QVERIFY(m_port > 0);
    }

    void badInputIsRefusedClearly()
    {
        Run r = ctl({QStringLiteral("sandbox"), QStringLiteral("up"), QStringLiteral("--dir"),
                     m_dir, QStringLiteral("--port"), QStringLiteral("70000")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.out.contains(QStringLiteral("--port must be a number from 1024 to 65500")),
                 qPrintable(r.out));
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost));
        r = ctl({QStringLiteral("sandbox"), QStringLiteral("up"), QStringLiteral("--dir"), m_dir,
                 QStringLiteral("--port"), QString::number(busy.serverPort())});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.contains(QStringLiteral("port %1").arg(busy.serverPort())) &&
                     r.out.contains(QStringLiteral("in use")),
                 qPrintable(r.out));
        QVERIFY(!QFile::exists(m_dir));
    }

    void upBuildsTwoStreamingStandbys()
    {
        const Run r = ctl({QStringLiteral("sandbox"), QStringLiteral("up"), QStringLiteral("--dir"),
                           m_dir, QStringLiteral("--port"), QString::number(m_port)});
        QVERIFY2(r.code == 0, qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("sandbox ready")), qPrintable(r.out));

        PgConnection primary;
        primary.setParams(node(0));
        const PgResult rep = primary.execSync(
            QStringLiteral("select application_name, state from pg_stat_replication order by 1"),
            {}, 10000);
        QVERIFY2(rep.ok(), qPrintable(rep.errorMessage()));
        QCOMPARE(rep.rowCount(), 2);
        QCOMPARE(rep.text(0, 0), QStringLiteral("standby1"));
        QCOMPARE(rep.text(0, 1), QStringLiteral("streaming"));
        QCOMPARE(rep.text(1, 0), QStringLiteral("standby2"));
        QCOMPARE(rep.text(1, 1), QStringLiteral("streaming"));
        QCOMPARE(primary.execSync(QStringLiteral("select pg_is_in_recovery()")).scalar().toBool(),
                 false);
        const PgResult slots = primary.execSync(QStringLiteral(
            "select count(*) from pg_replication_slots where active and slot_type = 'physical'"));
        QCOMPARE(slots.scalar().toInt(), 2);
        // The load generator runs, so lag has something to show.
        QTRY_VERIFY_WITH_TIMEOUT(
            primary.execSync(QStringLiteral("select count(*) from pg_stat_activity "
                                            "where application_name = 'pgbench'"))
                    .scalar()
                    .toInt() >= 1,
            10000);

        for (int i = 1; i <= 2; ++i) {
            PgConnection standby;
            standby.setParams(node(i));
            const PgResult s = standby.execSync(
                QStringLiteral("select pg_is_in_recovery(), status from pg_stat_wal_receiver"), {},
                10000);
            QVERIFY2(s.ok(), qPrintable(s.errorMessage()));
            QCOMPARE(s.value(0, 0).toBool(), true);
            QCOMPARE(s.text(0, 1), QStringLiteral("streaming"));
        }

        Inventory inv;
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(m_dir + QStringLiteral("/inventory.yaml"), &inv, &errors));
        QCOMPARE(inv.clusters.size(), 1);
        QCOMPARE(inv.clusters[0].nodes.size(), 3);
        QCOMPARE(inv.clusters[0].nodes[2].upstream, QStringLiteral("primary"));
        QCOMPARE(inv.clusters[0].nodes[1].port, m_port + 1);
    }

    void upTwiceIsHarmless()
    {
        const Run r =
            ctl({QStringLiteral("sandbox"), QStringLiteral("up"), QStringLiteral("--dir"), m_dir});
        QVERIFY2(r.code == 0, qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral(
                     "Initialise the primary's data directory ... skipped (already done)")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral(
                     "Copy primary into standby2 with pg_basebackup ... skipped (already done)")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("127.0.0.1:%1").arg(m_port)), qPrintable(r.out));
    }

    void statusReportsEveryNode()
    {
        const Run r = ctl(
            {QStringLiteral("sandbox"), QStringLiteral("status"), QStringLiteral("--dir"), m_dir});
        QVERIFY2(r.code == 0, qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("-> standby1  streaming")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("-> standby2  streaming")), qPrintable(r.out));
        QCOMPARE(r.out.count(QStringLiteral("receiver streaming")), 2);
    }

    void downRemovesEverything()
    {
        const Run r = ctl(
            {QStringLiteral("sandbox"), QStringLiteral("down"), QStringLiteral("--dir"), m_dir});
        QVERIFY2(r.code == 0, qPrintable(r.out));
        QVERIFY(!QFile::exists(m_dir));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(!portOpen(m_port + i),
                     qPrintable(QStringLiteral("port %1 still open").arg(m_port + i)));
        const Run again = ctl(
            {QStringLiteral("sandbox"), QStringLiteral("down"), QStringLiteral("--dir"), m_dir});
        QCOMPARE(again.code, 0);
        QVERIFY(again.out.contains(QStringLiteral("nothing to do")));
    }

    void cleanupTestCase()
    {
        if (QFile::exists(m_dir + QStringLiteral("/sandbox.json")))
            ctl({QStringLiteral("sandbox"), QStringLiteral("down"), QStringLiteral("--dir"),
                 m_dir});
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
