// The add-worker wizard on a real sharded sandbox with three workers (127.0.0.1): worker3
// holds nothing and is offered as new, the moves page shows the moves computed from the
// servers, and the run moves shards onto worker3 with a progress bar per move that follows
// the bytes copied. Afterwards the servers hold the same rows (count and checksum) and
// worker3 holds shards. The pages are saved as PNGs.
#include "rebalance/moveprogressview.h"
#include "rebalance/moverunpage.h"
#include "rebalance/movespage.h"
#include "rebalance/rebalancewizard.h"
#include "rebalance/workerspage.h"
#include "shardedsandbox.h"
#include "sharding/shardingbackend.h"
#include "shards/shardspage.h"

#include <QComboBox>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QtTest>

using namespace pgdeck;

class TestRebalanceWizard : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::ShardedSandbox> m_sandbox;

    void grab(QWidget *w, const QString &page)
    {
        QCoreApplication::processEvents();
        const QImage image = w->grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY(image.save(m_sandbox->tempPath() + QStringLiteral("/rebalance-%1.png").arg(page)));
        QVERIFY(image.save(QStringLiteral("/tmp/rebalance-%1.png").arg(page)));
    }
    QString fingerprint(const QString &table) const
    {
        return m_sandbox->query(QStringLiteral("coordinator"), rowFingerprintSql(table));
    }
    void ctl(const QStringList &args)
    {
        QString out;
        QVERIFY2(
            m_sandbox->ctl(args + QStringList{QStringLiteral("-i"), m_sandbox->inventoryPath()},
                           &out) == 0,
            qPrintable(out));
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
            m_sandbox->start(47000 + int(QCoreApplication::applicationPid() % 1000) * 5, &error, 3),
            qPrintable(error));
        // Big enough shards that the copies can be watched.
        QVERIFY2(m_sandbox->exec(QStringLiteral("coordinator"),
                                 QStringLiteral("create table public.events (id bigint primary "
                                                "key, payload text not null); insert into "
                                                "public.events select g, repeat(md5(g::text), 4) "
                                                "from generate_series(1, 300000) g"),
                                 &error),
                 qPrintable(error));
        ctl({QStringLiteral("shard"), QStringLiteral("--table"), QStringLiteral("public.events"),
             QStringLiteral("--key"), QStringLiteral("id"), QStringLiteral("--shards"),
             QStringLiteral("4"), QStringLiteral("--workers"), QStringLiteral("worker1,worker2"),
             QStringLiteral("--apply")});
    }

    void cleanupTestCase() { m_sandbox.reset(); }

    void addWorkerWithProgress()
    {
        const QString before = fingerprint(QStringLiteral("public.events"));
        RebalanceWizard w(m_sandbox->cluster(), RebalanceWizard::Intent::AddWorkers);
        w.show();
        auto *workers = qobject_cast<WorkersPage *>(w.page(RebalanceWizard::WorkersPageId));
        QVERIFY(workers->isReading() || workers->isComplete());
        QTRY_VERIFY_WITH_TIMEOUT(workers->isComplete(), 30000);
        QComboBox *choice = workers->choiceFor(QStringLiteral("worker3"));
        QVERIFY(choice);
        QCOMPARE(choice->currentData().toInt(), int(WorkersPage::Add));
        QCOMPARE(workers->choiceFor(QStringLiteral("worker1"))->currentData().toInt(),
                 int(WorkersPage::Keep));
        QVERIFY(!workers->choiceFor(QStringLiteral("coordinator")));
        grab(&w, QStringLiteral("workers"));

        w.next();
        auto *moves = qobject_cast<MovesPage *>(w.page(RebalanceWizard::MovesPageId));
        QTRY_VERIFY_WITH_TIMEOUT(!moves->isPreparing(), 60000);
        QVERIFY2(moves->isComplete(), qPrintable(w.prepared().error));
        QCOMPARE(w.prepared().backend, QStringLiteral("native"));
        const int moveCount = int(w.prepared().proposal.moves.size());
        QCOMPARE(moveCount, 1); // 4 shards over 3 workers: one moves
        QCOMPARE(moves->movesTable()->rowCount(), moveCount);
        QCOMPARE(moves->movesTable()->item(0, 3)->text(), QStringLiteral("worker3"));
        grab(&w, QStringLiteral("moves"));

        w.next();
        auto *run = qobject_cast<MoveRunPage *>(w.page(RebalanceWizard::RunPageId));
        QCOMPARE(run->moves()->topLevelItemCount(), moveCount);
        // Watch the bar while the shard copies: it must move with the bytes on the servers.
        // The Shards page, reading on its own, shows the same move under way.
        ShardsPage shards;
        shards.resize(1200, 760);
        shards.setCluster(m_sandbox->cluster());
        shards.show();
        QList<int> seen;
        bool grabbed = false;
        bool shardsPageShowedMove = false;
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this, [&] {
            const int p = run->moves()->percent(0);
            if (run->moves()->state(0).startsWith(QStringLiteral("copying")) && p > 0 && p < 99) {
                seen << p;
                if (!grabbed) {
                    grabbed = true;
                    grab(&w, QStringLiteral("run-copying"));
                }
                shards.refresh(); // ignored while a read is under way
            }
            if (!shardsPageShowedMove && shards.movesShown() &&
                shards.moves()->rowFor(QStringLiteral("events"), QStringLiteral("events_p1")) >=
                    0) {
                shardsPageShowedMove = true;
                grab(&shards, QStringLiteral("shards-page-moving"));
            }
        });
        sampler.start(40);
        run->findChild<QPushButton *>(QStringLiteral("runButton"))->click();
        QVERIFY(run->isRunning());
        QVERIFY(!run->isComplete());
        QTRY_VERIFY_WITH_TIMEOUT(!run->isRunning(), 180000);
        sampler.stop();
        QVERIFY(run->hasSucceeded());
        QVERIFY2(!seen.isEmpty(), "no copy progress was read from the servers during the run");
        QVERIFY2(shardsPageShowedMove, "the Shards page never showed the move under way");
        shards.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!shards.movesShown(), 30000);
        QCOMPARE(run->moves()->percent(0), 100);
        QCOMPARE(run->moves()->state(0), QStringLiteral("done"));
        grab(&w, QStringLiteral("run-done"));

        // What the servers hold now.
        ShardDistribution d;
        QString error;
        QVERIFY2(
            readShardDistribution(m_sandbox->cluster(), QStringLiteral("coordinator"), &d, &error),
            qPrintable(error));
        QCOMPARE(d.shardsPerWorker().value(QStringLiteral("worker3")), 1);
        QVERIFY(d.moves.isEmpty());
        QCOMPARE(fingerprint(QStringLiteral("public.events")), before);
    }
};

QTEST_MAIN(TestRebalanceWizard)
#include "tst_rebalancewizard.moc"
