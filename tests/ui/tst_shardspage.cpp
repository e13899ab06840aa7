// The Shards page on a real sharded sandbox: after `pgdeckctl shard --apply`, it lists every
// shard with rows and bytes read from the workers, stacks bytes per worker, filters, and a
// screenshot is saved for a look.
#include "shardedsandbox.h"
#include "shards/shardspage.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

using namespace pgdeck;

class TestShardsPage : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::ShardedSandbox> m_sandbox;
    ClusterSpec m_cluster;

private Q_SLOTS:
    void initTestCase()
    {
        const QString why = test::ShardedSandbox::unavailableReason();
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        m_sandbox = std::make_unique<test::ShardedSandbox>();
        QString error;
        QVERIFY2(
            m_sandbox->start(44000 + int(QCoreApplication::applicationPid() % 1000) * 5, &error),
            qPrintable(error));
        QString out;
        QVERIFY2(m_sandbox->ctl({QStringLiteral("shard"), QStringLiteral("-i"),
                                 m_sandbox->inventoryPath(), QStringLiteral("--table"),
                                 QStringLiteral("public.users"), QStringLiteral("--key"),
                                 QStringLiteral("id"), QStringLiteral("--shards"),
                                 QStringLiteral("6"), QStringLiteral("--apply")},
                                &out) == 0,
                 qPrintable(out));
        m_cluster = m_sandbox->cluster();
    }

    void cleanupTestCase() { m_sandbox.reset(); }

    void showsTheDistribution()
    {
        ShardsPage page;
        page.resize(1200, 760);
        page.show();
        QSignalSpy refreshed(&page, &ShardsPage::refreshed);
        page.setCluster(m_cluster);
        QVERIFY(refreshed.wait(30000));
        QCOMPARE(refreshed.first().first().toBool(), true);
        const ShardDistribution &d = page.distribution();
        QCOMPARE(d.backend, QStringLiteral("native"));
        QCOMPARE(d.placements.size(), 6);
        QCOMPARE(d.shardsPerWorker().value(QStringLiteral("worker1")), 3);
        QCOMPARE(d.shardsPerWorker().value(QStringLiteral("worker2")), 3);
        qint64 rows = 0;
        for (const ShardPlacement &p : d.placements) {
            QVERIFY(p.bytes > 0);
            rows += p.rows;
        }
        QVERIFY2(rows > 90000 && rows < 110000, qPrintable(QString::number(rows)));
        QVERIFY(d.skew() >= 1.0 && d.skew() < 1.2);
        QCOMPARE(page.table()->model()->rowCount(), 6);
        page.findChild<QLineEdit *>(QStringLiteral("shardFilter"))
            ->setText(QStringLiteral("worker2"));
        QCOMPARE(page.table()->model()->rowCount(), 3);
        page.findChild<QLineEdit *>(QStringLiteral("shardFilter"))->clear();
        QTest::qWait(300);
        const QImage shot = page.grab().toImage();
        QVERIFY(shot.save(m_sandbox->tempPath() + QStringLiteral("/shards.png")));
        shot.save(QDir::tempPath() + QStringLiteral("/pgdeck-shards-page.png"));
    }
};

QTEST_MAIN(TestShardsPage)
#include "tst_shardspage.moc"
