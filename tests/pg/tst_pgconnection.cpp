// Integration tests for the async libpq connection against a real server on 127.0.0.1.
#include "inventory/inventory.h"
#include "pg/pgconnection.h"
#include "pg/quoting.h"
#include "sandbox/sandbox.h"
#include "sandboxfixture.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QtTest>

using namespace pgdeck;

class TestPgConnection : public QObject {
    Q_OBJECT

private:
    test::SandboxFixture m_fixture;

    std::unique_ptr<PgConnection> connectTo(const ConnectionParams &p)
    {
        auto c = std::make_unique<PgConnection>();
        c->setParams(p);
        c->setDisplayName(QStringLiteral("primary"));
        c->setConnectTimeout(5000);
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QVERIFY2(m_fixture.start(0, &error), qPrintable(error));
    }
    void cleanupTestCase() { m_fixture.stop(); }

    void typedResults()
    {
        auto c = connectTo(m_fixture.params());
        QVERIFY(c->waitForReady(10000));
        QVERIFY(c->serverVersion() >= 100000);
        const PgResult r = c->execSync(
            QStringLiteral(
                "select 42::int4 as i, 9000000000::int8 as big, true as b, 1.5::numeric as n, "
                "'héllo'::text as t, null::text as nothing, $1::text as param"),
            {QStringLiteral("it's")});
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QCOMPARE(r.rowCount(), 1);
        QCOMPARE(r.value(0, QStringLiteral("i")).toInt(), 42);
        QCOMPARE(r.value(0, QStringLiteral("big")).toLongLong(), 9000000000LL);
        QCOMPARE(r.value(0, QStringLiteral("b")).toBool(), true);
        QCOMPARE(r.value(0, QStringLiteral("n")).toDouble(), 1.5);
        QCOMPARE(r.value(0, QStringLiteral("t")).toString(), QStringLiteral("héllo"));
        QVERIFY(r.isNull(0, r.column(QStringLiteral("nothing"))));
        QVERIFY(!r.value(0, QStringLiteral("nothing")).isValid());
        QCOMPARE(r.text(0, QStringLiteral("param")), QStringLiteral("it's"));
    }

    void serverErrorKeepsItsText()
    {
        auto c = connectTo(m_fixture.params());
        const PgResult r = c->execSync(QStringLiteral("select * from no_such_table"));
        QCOMPARE(r.status(), PgResult::Status::Error);
        QCOMPARE(r.sqlState(), QStringLiteral("42P01"));
        QVERIFY2(
            r.errorMessage().contains(QStringLiteral("relation \"no_such_table\" does not exist")),
            qPrintable(r.errorMessage()));
        // The connection stays usable after a statement error.
        QCOMPARE(c->execSync(QStringLiteral("select 1")).scalar().toInt(), 1);
    }

    void pipelineBatchSkipsAfterError()
    {
        auto c = connectTo(m_fixture.params());
        const QList<PgResult> r = c->execBatchSync(
            {{QStringLiteral("select 1"), {}, {}},
             {QStringLiteral("select $1::int + 1"), {41}, QStringLiteral("plus_one")},
             {QStringLiteral("select 1/0"), {}, {}},
             {QStringLiteral("select 3"), {}, {}}},
            10000);
        QCOMPARE(r.size(), 4);
        QCOMPARE(r[0].scalar().toInt(), 1);
        QCOMPARE(r[1].scalar().toInt(), 42);
        QCOMPARE(r[2].status(), PgResult::Status::Error);
        QVERIFY(r[2].errorMessage().contains(QStringLiteral("division by zero")));
        QCOMPARE(r[3].status(), PgResult::Status::Skipped);
        // Prepared once: the second batch reuses the statement without re-preparing.
        const QList<PgResult> again = c->execBatchSync(
            {{QStringLiteral("select $1::int + 1"), {1}, QStringLiteral("plus_one")}}, 10000);
        QCOMPARE(again.value(0).scalar().toInt(), 2);
        const PgResult prepared = c->execSync(
            QStringLiteral("select count(*) from pg_prepared_statements where name = 'plus_one'"));
        QCOMPARE(prepared.scalar().toInt(), 1);
    }

    void multiStatementScript()
    {
        auto c = connectTo(m_fixture.params());
        const PgResult r =
            c->execSync(QStringLiteral("create temp table s(i int); insert into s values (1),(2); "
                                       "select sum(i) from s"));
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QCOMPARE(r.scalar().toInt(), 3);
    }

    void statementTimeoutIsEnforcedByTheServer()
    {
        auto c = connectTo(m_fixture.params());
        c->setStatementTimeout(200);
        const PgResult r = c->execSync(QStringLiteral("select pg_sleep(5)"), {}, 10000);
        QCOMPARE(r.status(), PgResult::Status::Error);
        QCOMPARE(r.sqlState(), QStringLiteral("57014"));
        QVERIFY(r.errorMessage().contains(QStringLiteral("statement timeout")));
    }

    void cancelStopsARunningStatement()
    {
        auto c = connectTo(m_fixture.params());
        QVERIFY(c->waitForReady(10000));
        PgResult result;
        bool done = false;
        QElapsedTimer clock;
        clock.start();
        c->exec(QStringLiteral("select pg_sleep(30)"), {}, this, [&](const PgResult &r) {
            result = r;
            done = true;
        });
        QTimer::singleShot(300, c.get(), &PgConnection::cancel);
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QCOMPARE(result.status(), PgResult::Status::Cancelled);
        QVERIFY(clock.elapsed() < 10000);
    }

    void unreachableNodeFailsFastWithItsName()
    {
        QTcpServer probe; // find a port nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const int port = probe.serverPort();
        probe.close();
        ConnectionParams p = m_fixture.params();
        p.set(QStringLiteral("port"), QString::number(port));
        auto c = connectTo(p);
        c->setDisplayName(QStringLiteral("w9"));
        QSignalSpy failed(c.get(), &PgConnection::connectFailed);
        const PgResult r = c->execSync(QStringLiteral("select 1"), {}, 10000);
        QCOMPARE(r.status(), PgResult::Status::ConnectionLost);
        QVERIFY2(r.errorMessage().startsWith(QStringLiteral("w9: ")), qPrintable(r.errorMessage()));
        QVERIFY2(r.errorMessage().contains(QStringLiteral("Connection refused")),
                 qPrintable(r.errorMessage()));
        QCOMPARE(failed.count(), 1);
    }

    void hostNamesAreResolvedWithoutBlocking()
    {
        ConnectionParams p = m_fixture.params();
        p.set(QStringLiteral("host"), QStringLiteral("localhost"));
        auto c = connectTo(p);
        QSignalSpy states(c.get(), &PgConnection::stateChanged);
        c->open();
        // open() returns before any lookup: the first state is Resolving.
        QCOMPARE(c->state(), PgConnection::State::Resolving);
        QVERIFY(c->waitForReady(10000));
        QCOMPARE(c->execSync(QStringLiteral("select inet_server_addr()::text")).scalar().toString(),
                 QStringLiteral("127.0.0.1/32"));
    }

    void wrongPasswordAndPgpass()
    {
        auto admin = connectTo(m_fixture.params());
        QVERIFY(
            admin->execSync(QStringLiteral("create role pw_user login password 'right-one'")).ok());
        const QString hba = admin->execSync(QStringLiteral("show hba_file")).scalar().toString();
        QFile f(hba);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray original = f.readAll();
        f.close();
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("host all pw_user 127.0.0.1/32 scram-sha-256\n" + original);
        f.close();
        QVERIFY(admin->execSync(QStringLiteral("select pg_reload_conf()")).ok());
        QTest::qWait(300);

        ConnectionParams p = m_fixture.params();
        p.set(QStringLiteral("user"), QStringLiteral("pw_user"));
        p.set(QStringLiteral("password"), QStringLiteral("wrong"));
        auto bad = connectTo(p);
        const PgResult r = bad->execSync(QStringLiteral("select 1"), {}, 10000);
        QCOMPARE(r.status(), PgResult::Status::ConnectionLost);
        QVERIFY2(r.errorMessage().contains(
                     QStringLiteral("password authentication failed for user \"pw_user\"")),
                 qPrintable(r.errorMessage()));
        QVERIFY(!r.errorMessage().contains(QStringLiteral("wrong")));

        // Without a password keyword libpq reads PGPASSFILE, exactly as psql does.
        QTemporaryFile pgpass;
        QVERIFY(pgpass.open());
        pgpass.write(QStringLiteral("127.0.0.1:%1:*:pw_user:right-one\n")
                         .arg(m_fixture.config().port(0))
                         .toUtf8());
        pgpass.close();
        qputenv("PGPASSFILE", pgpass.fileName().toLocal8Bit());
        p.remove(QStringLiteral("password"));
        auto good = connectTo(p);
        const PgResult ok = good->execSync(QStringLiteral("select current_user"), {}, 10000);
        qunsetenv("PGPASSFILE");
        QVERIFY2(ok.ok(), qPrintable(ok.errorMessage()));
        QCOMPARE(ok.scalar().toString(), QStringLiteral("pw_user"));

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(original);
        f.close();
        admin->execSync(QStringLiteral("select pg_reload_conf()"));
    }

    void serviceFileEntriesWorkAsInPsql()
    {
        QTemporaryFile services;
        QVERIFY(services.open());
        services.write(QStringLiteral("[orders-w1]\nhost=127.0.0.1\nport=%1\nuser=postgres\ndbname=postgres\n")
                           .arg(m_fixture.config().port(0))
                           .toUtf8());
        services.close();
        qputenv("PGSERVICEFILE", services.fileName().toLocal8Bit());
        NodeSpec node;
        node.name = QStringLiteral("w1");
        node.service = QStringLiteral("orders-w1");
        auto c = connectTo(ConnectionParams::fromNode(node));
        const PgResult r = c->execSync(QStringLiteral("select current_setting('port')"), {}, 10000);
        qunsetenv("PGSERVICEFILE");
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QCOMPARE(r.scalar().toInt(), m_fixture.config().port(0));
    }

    void tlsSettingsReachLibpq()
    {
        // The sandbox server has no TLS: sslmode=require must be refused by libpq itself.
        ConnectionParams p = m_fixture.params();
        p.set(QStringLiteral("sslmode"), QStringLiteral("require"));
        auto c = connectTo(p);
        const PgResult r = c->execSync(QStringLiteral("select 1"), {}, 10000);
        QCOMPARE(r.status(), PgResult::Status::ConnectionLost);
        QVERIFY2(r.errorMessage().contains(QStringLiteral("server does not support SSL")),
                 qPrintable(r.errorMessage()));
    }

    void reconnectsAfterTheBackendIsKilled()
    {
        auto c = connectTo(m_fixture.params());
        c->setAutoReconnect(true, 100, 1000);
        QVERIFY(c->waitForReady(10000));
        const int pid = c->backendPid();
        QSignalSpy lost(c.get(), &PgConnection::connectionLost);
        QSignalSpy connected(c.get(), &PgConnection::connected);
        auto admin = connectTo(m_fixture.params());
        QVERIFY(admin->execSync(QStringLiteral("select pg_terminate_backend($1)"), {pid})
                    .scalar()
                    .toBool());
        QTRY_COMPARE_WITH_TIMEOUT(lost.count(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 10000);
        QVERIFY(c->backendPid() != pid);
        QCOMPARE(c->execSync(QStringLiteral("select 7")).scalar().toInt(), 7);
    }

    void noticesAreDelivered()
    {
        auto c = connectTo(m_fixture.params());
        QSignalSpy notices(c.get(), &PgConnection::notice);
        QVERIFY(
            c->execSync(QStringLiteral("do $$ begin raise notice 'hello from the server'; end $$"))
                .ok());
        QCOMPARE(notices.count(), 1);
        QVERIFY(notices.at(0).at(0).toString().contains(QStringLiteral("hello from the server")));
    }

    void quotedIdentifiersSurviveTheServer_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("quote") << QStringLiteral("my \"odd\" table");
        QTest::newRow("spaces") << QStringLiteral("  spaced out  ");
        QTest::newRow("mixed case") << QStringLiteral("MixedCase");
        QTest::newRow("unicode") << QStringLiteral("zürich_東京_🐘");
        QTest::newRow("sql injection") << QStringLiteral("x\"; drop table y; --");
        QTest::newRow("single quote") << QStringLiteral("o'brien");
    }
    void quotedIdentifiersSurviveTheServer()
    {
        QFETCH(QString, name);
        auto c = connectTo(m_fixture.params());
        QVERIFY(c->waitForReady(10000));
        for (const QString &quoted : {sql::quoteIdent(name), c->escapeIdentifier(name)}) {
            const PgResult create =
                c->execSync(QStringLiteral("create temp table %1 (v text)").arg(quoted));
            QVERIFY2(create.ok(), qPrintable(create.errorMessage()));
            const PgResult insert =
                c->execSync(QStringLiteral("insert into %1 values (%2)")
                                .arg(quoted, sql::quoteLiteral(name + QStringLiteral("\\'"))));
            QVERIFY2(insert.ok(), qPrintable(insert.errorMessage()));
            const PgResult back = c->execSync(
                QStringLiteral(
                    "select relname, (select v from %1) from pg_class where oid = $1::regclass")
                    .arg(quoted),
                {quoted});
            QVERIFY2(back.ok(), qPrintable(back.errorMessage()));
            QCOMPARE(back.text(0, 0), name);
            QCOMPARE(back.text(0, 1), name + QStringLiteral("\\'"));
            QVERIFY(c->execSync(QStringLiteral("drop table %1").arg(quoted)).ok());
        }
    }
};

QTEST_GUILESS_MAIN(TestPgConnection)
#include "tst_pgconnection.moc"
