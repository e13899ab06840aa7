// Native rebalancing end to end on a sharded sandbox with three workers (127.0.0.1): adding
// a worker moves shards onto it, draining a worker empties it, a move killed mid-copy
// refuses writes and is undone or resumed; after each, the rows' count and checksum equal
// those before. Bad requests stop before anything changes.
#include "pg/quoting.h"
#include "shardedsandbox.h"
#include "sharding/rebalance.h"
#include "sharding/shardingbackend.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <signal.h>

using namespace pgdeck;

class TestRebalance : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::ShardedSandbox> m_sandbox;
    QString m_fingerprint; // of public.users before any move

    QString coordinator(const QString &sql) const
    {
        return m_sandbox->query(QStringLiteral("coordinator"), sql);
    }
    QString fingerprint(const QString &table) const
    {
        return coordinator(rowFingerprintSql(table));
    }
    QJsonObject shards() const
    {
        QString out;
        if (m_sandbox->ctl({QStringLiteral("shards"), QStringLiteral("-i"),
                            m_sandbox->inventoryPath(), QStringLiteral("--json")},
                           &out) != 0)
            return {};
        return QJsonDocument::fromJson(out.toUtf8()).object();
    }
    QMap<QString, int> shardsPerWorker(const QString &table) const
    {
        QMap<QString, int> n;
        for (const QJsonValue &v : shards().value(QStringLiteral("shards")).toArray())
            if (v.toObject().value(QStringLiteral("table")).toString() == table)
                ++n[v.toObject().value(QStringLiteral("worker")).toString()];
        return n;
    }
    int ctl(const QStringList &args, QString *out = nullptr) const
    {
        return m_sandbox->ctl(args + QStringList{QStringLiteral("-i"), m_sandbox->inventoryPath()},
                              out);
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
            m_sandbox->start(45000 + int(QCoreApplication::applicationPid() % 1000) * 5, &error, 3),
            qPrintable(error));
        QString out;
        QVERIFY2(ctl({QStringLiteral("shard"), QStringLiteral("--table"),
                      QStringLiteral("public.users"), QStringLiteral("--key"), QStringLiteral("id"),
                      QStringLiteral("--shards"), QStringLiteral("6"), QStringLiteral("--workers"),
                      QStringLiteral("worker1,worker2"), QStringLiteral("--apply")},
                     &out) == 0,
                 qPrintable(out));
        m_fingerprint = fingerprint(QStringLiteral("public.users"));
        QCOMPARE(m_fingerprint, fingerprint(QStringLiteral("public.users_pgdeck_original")));
    }

    void cleanupTestCase() { m_sandbox.reset(); }

    void badRequestsChangeNothing()
    {
        const QMap<QString, int> before = shardsPerWorker(QStringLiteral("users"));
        QString out;
        QCOMPARE(ctl({QStringLiteral("add-worker"), QStringLiteral("worker9"),
                      QStringLiteral("--apply")},
                     &out),
                 1);
        QVERIFY2(out.contains(QStringLiteral("worker worker9 is not in cluster")), qPrintable(out));
        QCOMPARE(ctl({QStringLiteral("rebalance"), QStringLiteral("--drain"),
                      QStringLiteral("worker1,worker2,worker3"), QStringLiteral("--apply")},
                     &out),
                 1);
        QVERIFY2(out.contains(QStringLiteral("no worker left")), qPrintable(out));
        QCOMPARE(ctl({QStringLiteral("add-worker"), QStringLiteral("coordinator"),
                      QStringLiteral("--apply")},
                     &out),
                 1);
        QVERIFY2(out.contains(QStringLiteral("is the coordinator")), qPrintable(out));
        QCOMPARE(ctl({QStringLiteral("rebalance"), QStringLiteral("--stop")}, &out), 1);
        QVERIFY2(out.contains(QStringLiteral("--stop is for Citus rebalances")), qPrintable(out));
        QCOMPARE(shardsPerWorker(QStringLiteral("users")), before);
    }

    void addWorkerMovesShardsOntoIt()
    {
        QString out;
        QCOMPARE(
            ctl({QStringLiteral("add-worker"), QStringLiteral("worker3"), QStringLiteral("--plan")},
                &out),
            0);
        QVERIFY2(out.contains(QStringLiteral("worker3: 0 bytes ->")), qPrintable(out));
        QVERIFY2(ctl({QStringLiteral("add-worker"), QStringLiteral("worker3"),
                      QStringLiteral("--apply")},
                     &out) == 0,
                 qPrintable(out));
        const QMap<QString, int> n = shardsPerWorker(QStringLiteral("users"));
        QCOMPARE(n.value(QStringLiteral("worker1")), 2);
        QCOMPARE(n.value(QStringLiteral("worker2")), 2);
        QCOMPARE(n.value(QStringLiteral("worker3")), 2);
        QCOMPARE(fingerprint(QStringLiteral("public.users")), m_fingerprint);
        // The moved shards live on worker3 only, and the table takes writes again.
        QCOMPARE(m_sandbox->query(QStringLiteral("worker3"),
                                  QStringLiteral("select count(*) from pg_tables where tablename "
                                                 "like 'users_p%'")),
                 QStringLiteral("2"));
        QCOMPARE(m_sandbox->query(QStringLiteral("worker1"),
                                  QStringLiteral("select count(*) from pg_tables where tablename "
                                                 "like 'users_p%'")),
                 QStringLiteral("2"));
        QString error;
        QVERIFY2(m_sandbox->exec(QStringLiteral("coordinator"),
                                 QStringLiteral("update public.users set name = name where id "
                                                "between 1 and 50"),
                                 &error),
                 qPrintable(error));
        // Balanced now: a second rebalance has nothing to do.
        QCOMPARE(ctl({QStringLiteral("rebalance"), QStringLiteral("--apply")}, &out), 0);
        QVERIFY2(out.contains(QStringLiteral("nothing to move")), qPrintable(out));
    }

    void drainEmptiesAWorker()
    {
        QString out;
        QVERIFY2(ctl({QStringLiteral("rebalance"), QStringLiteral("--drain"),
                      QStringLiteral("worker2"), QStringLiteral("--apply")},
                     &out) == 0,
                 qPrintable(out));
        const QMap<QString, int> n = shardsPerWorker(QStringLiteral("users"));
        QCOMPARE(n.value(QStringLiteral("worker2")), 0);
        QCOMPARE(n.value(QStringLiteral("worker1")) + n.value(QStringLiteral("worker3")), 6);
        QCOMPARE(fingerprint(QStringLiteral("public.users")), m_fingerprint);
        QCOMPARE(m_sandbox->query(QStringLiteral("worker2"),
                                  QStringLiteral("select count(*) from pg_tables where tablename "
                                                 "like 'users_p%'")),
                 QStringLiteral("0"));
    }

    void killedMoveIsUndoneOrResumed()
    {
        // A table big enough that its copy can be caught under way.
        QString error;
        QVERIFY2(m_sandbox->exec(
                     QStringLiteral("coordinator"),
                     QStringLiteral("create table public.events (id bigint primary key, payload "
                                    "text not null); insert into public.events select g, "
                                    "repeat(md5(g::text), 4) from generate_series(1, 400000) g; "
                                    "analyze public.events"),
                     &error),
                 qPrintable(error));
        QString out;
        QVERIFY2(
            ctl({QStringLiteral("shard"), QStringLiteral("--table"),
                 QStringLiteral("public.events"), QStringLiteral("--key"), QStringLiteral("id"),
                 QStringLiteral("--shards"), QStringLiteral("2"), QStringLiteral("--workers"),
                 QStringLiteral("worker1"), QStringLiteral("--apply")},
                &out) == 0,
            qPrintable(out));
        const QString before = fingerprint(QStringLiteral("public.events"));

        for (const bool undo : {true, false}) {
            QProcess p; // PGDECK_STATE_DIR comes from the fixture, as for ctl()
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(qEnvironmentVariable("PGDECKCTL"),
                    {QStringLiteral("rebalance"), QStringLiteral("-i"), m_sandbox->inventoryPath(),
                     QStringLiteral("--workers"), QStringLiteral("worker1,worker2"),
                     QStringLiteral("--apply")});
            QByteArray log;
            QElapsedTimer t;
            t.start();
            // Killed once a copy has visibly started on the new worker.
            bool copying = false;
            while (!copying && t.elapsed() < 120000 && p.state() != QProcess::NotRunning) {
                p.waitForReadyRead(50);
                log += p.readAll();
                if (!log.contains("] Copy events_p"))
                    continue;
                QList<ShardMoveProgress> moves;
                QString e;
                readMoveProgress(m_sandbox->cluster(), QStringLiteral("coordinator"), &moves, &e);
                copying = moves.size() == 1 && moves[0].copiedBytes > 0 &&
                          moves[0].sourceBytes > moves[0].copiedBytes;
            }
            QVERIFY2(copying, log.constData());
            ::kill(pid_t(p.processId()), SIGKILL);
            p.waitForFinished(10000);
            const QRegularExpressionMatch id =
                QRegularExpression(QStringLiteral("plan ([0-9a-f]+):"))
                    .match(QString::fromUtf8(log));
            QVERIFY2(id.hasMatch(), log.constData());

            // While the move is unfinished, writes to the moving shard are refused, the
            // distribution shows it and a new rebalance will not start.
            QVERIFY(coordinator(QStringLiteral("delete from public.events"))
                        .contains(QStringLiteral("being moved")));
            QCOMPARE(shards().value(QStringLiteral("moves")).toArray().size(), 1);
            QCOMPARE(ctl({QStringLiteral("rebalance"), QStringLiteral("--apply")}, &out), 1);
            QVERIFY2(out.contains(QStringLiteral("unfinished")), qPrintable(out));

            if (undo) {
                QVERIFY2(ctl({QStringLiteral("rebalance"), QStringLiteral("--abort"),
                              QStringLiteral("--apply")},
                             &out) == 0,
                         qPrintable(out));
                QCOMPARE(shardsPerWorker(QStringLiteral("events")).value(QStringLiteral("worker1")),
                         2);
                QVERIFY(shards().value(QStringLiteral("moves")).toArray().isEmpty());
                QCOMPARE(m_sandbox->query(QStringLiteral("worker2"),
                                          QStringLiteral("select count(*) from pg_tables where "
                                                         "tablename like 'events_p%'")),
                         QStringLiteral("0"));
            } else {
                QVERIFY2(ctl({QStringLiteral("resume"), id.captured(1)}, &out) == 0,
                         qPrintable(out));
                const QMap<QString, int> n = shardsPerWorker(QStringLiteral("events"));
                QCOMPARE(n.value(QStringLiteral("worker1")), 1);
                QCOMPARE(n.value(QStringLiteral("worker2")), 1);
            }
            QCOMPARE(fingerprint(QStringLiteral("public.events")), before);
            QVERIFY2(m_sandbox->exec(QStringLiteral("coordinator"),
                                     QStringLiteral("update public.events set payload = payload "
                                                    "where id = 1"),
                                     &error),
                     qPrintable(error));
        }
    }
};

QTEST_GUILESS_MAIN(TestRebalance)
#include "tst_rebalance.moc"
