// The native backend end to end on a sharded sandbox (coordinator + two workers on
// 127.0.0.1): hash, range and geo sharding of real tables, hostile names included, each
// checked on the servers (partitioned parent, rows on both workers, count and checksum
// equal to the kept original); bad requests stop before anything changes.
#include "pg/pgconnection.h"
#include "pg/quoting.h"
#include "sandboxfixture.h"
#include "shardedsandbox.h"
#include "sharding/nativebackend.h"
#include "sharding/shardingreview.h"
#include "sharding/tableinfo.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>
#include <signal.h>

using namespace pgdeck;

class TestNativeSharding : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::ShardedSandbox> m_sandbox;
    ClusterSpec m_cluster;

    int ctl(const QStringList &args, QString *out = nullptr) { return m_sandbox->ctl(args, out); }
    QString query(const QString &node, const QString &sql) { return m_sandbox->query(node, sql); }
    void exec(const QString &node, const QString &sql)
    {
        QString error;
        QVERIFY2(m_sandbox->exec(node, sql, &error), qPrintable(error));
    }
    ShardingSpec spec(const QString &schema, const QString &table, const QString &key,
                      ShardStrategy strategy)
    {
        ShardingSpec s;
        s.cluster = m_cluster.name;
        s.coordinator = QStringLiteral("coordinator");
        s.workers = {QStringLiteral("worker1"), QStringLiteral("worker2")};
        s.schema = schema;
        s.table = table;
        s.key = key;
        s.strategy = strategy;
        return s;
    }
    ShardingReview review(const ShardingSpec &s, TableInfo *info)
    {
        PgConnection c;
        c.setParams(ConnectionParams::fromNode(*m_cluster.node(s.coordinator)));
        if (!c.waitForReady(10000))
            return ShardingReview{{c.lastError()}, {}, {}, {}, 0};
        QString error;
        if (!inspect::table(c, s.schema, s.table, info, &error))
            return ShardingReview{{error}, {}, {}, {}, 0};
        ShardingReview r = reviewSharding(c, s, *info, m_cluster);
        NativeBackend().review(s, *info, &r);
        return r;
    }
    // Shards `s` and checks what the servers report afterwards.
    void shardAndCheck(const ShardingSpec &s, qint64 expectRows)
    {
        TableInfo info;
        const ShardingReview r = review(s, &info);
        QVERIFY2(r.ok(), qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(r.rows, expectRows);
        const NativeBackend backend;
        const Plan plan = backend.plan(s, info, r, m_cluster);
        QString error;
        QVERIFY2(plan.validate(&error), qPrintable(error));
        QString summary;
        QVERIFY2(test::SandboxFixture::runPlan(plan, &summary), qPrintable(summary));

        const QString table = sql::quoteQualified(s.schema, s.table);
        const QString kept = sql::quoteQualified(s.schema, shardnames::original(s.table));
        QCOMPARE(query(s.coordinator, QStringLiteral("select relkind from pg_class where oid = "
                                                     "%1::regclass")
                                          .arg(sql::quoteLiteral(table))),
                 QStringLiteral("p"));
        QCOMPARE(query(s.coordinator, QStringLiteral("select count(*) from %1").arg(table)),
                 QString::number(expectRows));
        QCOMPARE(query(s.coordinator, QStringLiteral("select (%1) = (%2)")
                                          .arg(rowFingerprintSql(table), rowFingerprintSql(kept))),
                 QStringLiteral("t"));
        // The rows really live on the workers, split between them, none twice.
        qint64 onWorkers = 0;
        for (const QString &w : {QStringLiteral("worker1"), QStringLiteral("worker2")}) {
            const QString tables = query(
                w, QStringLiteral("select string_agg(format('%I.%I', schemaname, tablename), ',') "
                                  "from pg_tables where schemaname = %1 and tablename like %2")
                       .arg(sql::quoteLiteral(s.schema),
                            sql::quoteLiteral(s.table + QStringLiteral("\\_p%"))));
            qint64 here = 0;
            for (const QString &t : tables.split(QLatin1Char(','), Qt::SkipEmptyParts))
                here += query(w, QStringLiteral("select count(*) from %1").arg(t)).toLongLong();
            QVERIFY2(here > 0, qPrintable(w + QStringLiteral(" holds no rows")));
            onWorkers += here;
        }
        QCOMPARE(onWorkers, expectRows);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString why = test::ShardedSandbox::unavailableReason();
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        m_sandbox = std::make_unique<test::ShardedSandbox>();
        QString error;
        QVERIFY2(
            m_sandbox->start(42000 + int(QCoreApplication::applicationPid() % 1000) * 5, &error),
            qPrintable(error));
        m_cluster = m_sandbox->cluster();
    }

    void cleanupTestCase() { m_sandbox.reset(); }

    void hashWithHostileNames()
    {
        exec(QStringLiteral("coordinator"),
             QStringLiteral(
                 "create schema \"Sales Data\"; create table \"Sales Data\".\"User "
                 "\"\"Accounts\"\"\" "
                 "(\"User Id\" bigint primary key, name text not null, \"Region Code\" text not "
                 "null, created_at timestamptz not null default now()); insert into \"Sales "
                 "Data\".\"User \"\"Accounts\"\"\" select id, name, region, created_at from "
                 "public.users; analyze \"Sales Data\".\"User \"\"Accounts\"\"\""));
        ShardingSpec s = spec(QStringLiteral("Sales Data"), QStringLiteral("User \"Accounts\""),
                              QStringLiteral("User Id"), ShardStrategy::Hash);
        s.shardCount = 4;
        shardAndCheck(s, 100000);
        // Writes go through the coordinator to a worker after the switch.
        exec(QStringLiteral("coordinator"),
             QStringLiteral("insert into \"Sales Data\".\"User \"\"Accounts\"\"\" (\"User Id\", "
                            "name, \"Region Code\") values (1000001, 'new', 'eu')"));
        QCOMPARE(
            query(QStringLiteral("coordinator"),
                  QStringLiteral("select count(*) from \"Sales Data\".\"User \"\"Accounts\"\"\"")),
            QStringLiteral("100001"));
    }

    void rangeOnTextKey()
    {
        exec(QStringLiteral("coordinator"),
             QStringLiteral("create table public.users_by_name as select * from public.users; "
                            "alter table public.users_by_name add primary key (id); analyze "
                            "public.users_by_name"));
        ShardingSpec s = spec(QStringLiteral("public"), QStringLiteral("users_by_name"),
                              QStringLiteral("name"), ShardStrategy::Range);
        QString error;
        QVERIFY(parseRanges(QStringLiteral(":user 8=worker1,user 8:=worker2"), &s.ranges, &error));
        TableInfo info;
        const ShardingReview r = review(s, &info);
        QVERIFY(r.warnings.join(QLatin1Char('\n')).contains(QStringLiteral("primary key")));
        shardAndCheck(s, 100000);
    }

    void geoByRegion()
    {
        exec(QStringLiteral("coordinator"),
             QStringLiteral("create table public.users_geo as select * from public.users; alter "
                            "table public.users_geo add primary key (id, region); analyze "
                            "public.users_geo"));
        const ShardingSpec s = spec(QStringLiteral("public"), QStringLiteral("users_geo"),
                                    QStringLiteral("region"), ShardStrategy::Geo);
        shardAndCheck(s, 100000);
        // eu rows on the eu worker, us rows on the us worker.
        QCOMPARE(query(QStringLiteral("worker1"),
                       QStringLiteral("select string_agg(distinct region, ',') from "
                                      "public.users_geo_p0")),
                 QStringLiteral("eu"));
        QCOMPARE(query(QStringLiteral("worker2"),
                       QStringLiteral("select string_agg(distinct region, ',') from "
                                      "public.users_geo_p1")),
                 QStringLiteral("us"));
    }

    void commandLine()
    {
        exec(QStringLiteral("coordinator"),
             QStringLiteral("create table public.users_cli as select * from public.users; alter "
                            "table public.users_cli add primary key (id)"));
        const QStringList inv = {QStringLiteral("-i"), m_sandbox->inventoryPath()};
        QString out;
        // --plan changes nothing.
        QCOMPARE(ctl(QStringList{QStringLiteral("shard"), QStringLiteral("--table"),
                                 QStringLiteral("public.users_cli"), QStringLiteral("--key"),
                                 QStringLiteral("id"), QStringLiteral("--plan")} +
                         inv,
                     &out),
                 0);
        QVERIFY2(out.contains(QStringLiteral("Verify: row count and checksum")), qPrintable(out));
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral("select relkind from pg_class where oid = "
                                      "'public.users_cli'::regclass")),
                 QStringLiteral("r"));
        // A bad key is refused with its name, exit 1.
        QCOMPARE(ctl(QStringList{QStringLiteral("shard"), QStringLiteral("--table"),
                                 QStringLiteral("public.users_cli"), QStringLiteral("--key"),
                                 QStringLiteral("nope")} +
                         inv,
                     &out),
                 1);
        QVERIFY2(out.contains(QStringLiteral("column \"nope\" does not exist")), qPrintable(out));
        QCOMPARE(ctl(QStringList{QStringLiteral("shard"), QStringLiteral("--table"),
                                 QStringLiteral("public.users_cli"), QStringLiteral("--key"),
                                 QStringLiteral("id"), QStringLiteral("--shards"),
                                 QStringLiteral("3"), QStringLiteral("--apply")} +
                         inv,
                     &out),
                 0);
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral("select count(*) from public.users_cli")),
                 QStringLiteral("100000"));
        QCOMPARE(ctl(QStringList{QStringLiteral("shards"), QStringLiteral("--json")} + inv, &out),
                 0);
        const QJsonObject doc = QJsonDocument::fromJson(out.toUtf8()).object();
        qint64 rows = 0;
        QSet<QString> workers;
        for (const QJsonValue &v : doc.value(QStringLiteral("shards")).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("table")).toString() != QLatin1String("users_cli"))
                continue;
            rows += o.value(QStringLiteral("rows")).toInteger();
            workers.insert(o.value(QStringLiteral("worker")).toString());
            QVERIFY(o.value(QStringLiteral("bytes")).toInteger() > 0);
        }
        QCOMPARE(workers.size(), 2);
        // Estimates from ANALYZE on the workers: close to the real count.
        QVERIFY2(rows > 90000 && rows < 110000, qPrintable(QString::number(rows)));
        // --rollback --apply gives the table back as it was.
        QCOMPARE(
            ctl(QStringList{QStringLiteral("shard"), QStringLiteral("--table"),
                            QStringLiteral("public.users_cli"), QStringLiteral("--key"),
                            QStringLiteral("id"), QStringLiteral("--shards"), QStringLiteral("3"),
                            QStringLiteral("--rollback"), QStringLiteral("--apply")} +
                    inv,
                &out),
            0);
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral("select relkind from pg_class where oid = "
                                      "'public.users_cli'::regclass")),
                 QStringLiteral("r"));
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral("select count(*) from public.users_cli")),
                 QStringLiteral("100000"));
        QCOMPARE(query(QStringLiteral("worker1"),
                       QStringLiteral("select count(*) from pg_tables where tablename like "
                                      "'users\\_cli\\_p%'")),
                 QStringLiteral("0"));
    }

    // pgdeckctl killed (SIGKILL) in the middle of the copy; `resume` finishes the job and
    // the verification proves no row was lost or duplicated.
    void resumeAfterKillMidCopy()
    {
        exec(QStringLiteral("coordinator"),
             QStringLiteral("create table public.users_big as select g as id, 'user ' || g as "
                            "name, case when g % 2 = 0 then 'eu' else 'us' end as region from "
                            "generate_series(1, 600000) g; alter table public.users_big add "
                            "primary key (id); analyze public.users_big"));
        QProcess p; // PGDECK_STATE_DIR comes from the fixture, as for ctl()
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(qEnvironmentVariable("PGDECKCTL"),
                {QStringLiteral("shard"), QStringLiteral("-i"), m_sandbox->inventoryPath(),
                 QStringLiteral("--table"), QStringLiteral("public.users_big"),
                 QStringLiteral("--key"), QStringLiteral("id"), QStringLiteral("--shards"),
                 QStringLiteral("4"), QStringLiteral("--apply")});
        QByteArray out;
        QElapsedTimer t;
        t.start();
        // Killed once the second shard's copy has started: the first is done, the second not.
        while (!out.contains("Copy rows of hash 1/4") && t.elapsed() < 120000 &&
               p.state() != QProcess::NotRunning) {
            p.waitForReadyRead(100);
            out += p.readAll();
        }
        QVERIFY2(out.contains("Copy rows of hash 1/4"), out.constData());
        ::kill(pid_t(p.processId()), SIGKILL);
        p.waitForFinished(10000);
        const QRegularExpressionMatch id =
            QRegularExpression(QStringLiteral("plan ([0-9a-f]+):")).match(QString::fromUtf8(out));
        QVERIFY2(id.hasMatch(), out.constData());
        // The table is not switched yet and refuses writes.
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral("select relkind from pg_class where oid = "
                                      "'public.users_big'::regclass")),
                 QStringLiteral("r"));
        QVERIFY(query(QStringLiteral("coordinator"),
                      QStringLiteral("insert into public.users_big values (0, 'x', 'eu')"))
                    .contains(QStringLiteral("being sharded")));
        QString resumed;
        QCOMPARE(ctl({QStringLiteral("resume"), id.captured(1)}, &resumed), 0);
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral("select relkind from pg_class where oid = "
                                      "'public.users_big'::regclass")),
                 QStringLiteral("p"));
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral("select count(*) from public.users_big")),
                 QStringLiteral("600000"));
        QCOMPARE(
            query(QStringLiteral("coordinator"),
                  QStringLiteral("select (%1) = (%2)")
                      .arg(rowFingerprintSql(QStringLiteral("public.users_big")),
                           rowFingerprintSql(QStringLiteral("public.users_big_pgdeck_original")))),
            QStringLiteral("t"));
    }

    void badRequestsChangeNothing_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QString>("ranges");
        QTest::addColumn<QString>("workers");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing key") << "no_such_column"
                                     << "hash"
                                     << ""
                                     << "worker1,worker2"
                                     << "column \"no_such_column\" does not exist";
        QTest::newRow("overlap") << "id"
                                 << "range"
                                 << ":5000=worker1,4000:=worker2"
                                 << "worker1,worker2"
                                 << "ranges overlap";
        QTest::newRow("gap") << "id"
                             << "range"
                             << ":4000=worker1,5000:=worker2"
                             << "worker1,worker2"
                             << "gap between 4000 and 5000";
        QTest::newRow("uncovered rows") << "id"
                                        << "range"
                                        << "1000:4000=worker1,4000:9000=worker2"
                                        << "worker1,worker2"
                                        << "outside every range";
        QTest::newRow("region without worker") << "region"
                                               << "geo"
                                               << ""
                                               << "worker1"
                                               << "region \"us\" has no worker";
        QTest::newRow("unknown worker") << "id"
                                        << "hash"
                                        << ""
                                        << "worker1,worker9"
                                        << "worker worker9 is not in cluster";
    }

    void badRequestsChangeNothing()
    {
        QFETCH(QString, key);
        QFETCH(QString, strategy);
        QFETCH(QString, ranges);
        QFETCH(QString, workers);
        QFETCH(QString, message);
        ShardStrategy st;
        QVERIFY(strategyFromName(strategy, &st));
        ShardingSpec s = spec(QStringLiteral("public"), QStringLiteral("users"), key, st);
        s.workers = workers.split(QLatin1Char(','));
        QString error;
        if (!ranges.isEmpty())
            QVERIFY(parseRanges(ranges, &s.ranges, &error));
        TableInfo info;
        const ShardingReview r = review(s, &info);
        QVERIFY(!r.ok());
        QVERIFY2(r.errors.join(QLatin1Char('\n')).contains(message),
                 qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral(
                           "select relkind from pg_class where oid = 'public.users'::regclass")),
                 QStringLiteral("r"));
    }
};

QTEST_GUILESS_MAIN(TestNativeSharding)
#include "tst_nativesharding.moc"
