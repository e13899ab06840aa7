// The Shards page on a real sharded sandbox: after `pgdeckctl shard --apply`, it lists every
// shard with rows and bytes read from the workers, stacks bytes per worker, filters, and a
// screenshot is saved for a look.
#include "inventory/inventoryloader.h"
#include "sandbox/sandbox.h"
#include "shards/shardspage.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;

class TestShardsPage : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp{QDir::tempPath() + QStringLiteral("/pgdeck-shards-page-XXXXXX")};
    QString m_dir;
    ClusterSpec m_cluster;

    int ctl(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGDECK_STATE_DIR"), m_tmp.path() + QStringLiteral("/state"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::ForwardedChannels);
        p.start(qEnvironmentVariable("PGDECKCTL"), args);
        if (!p.waitForFinished(300000))
            p.kill();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariable("PGDECKCTL").isEmpty())
            QSKIP("PGDECKCTL is not set; run through ctest");
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QFile::setPermissions(m_tmp.path(), QFile::Permissions(0x7755));
        m_dir = m_tmp.path() + QStringLiteral("/sharded");
        const int port =
            Sandbox::findFreePorts(44000 + int(QCoreApplication::applicationPid() % 1000) * 5, 3);
        QVERIFY(port > 0);
        QCOMPARE(ctl({QStringLiteral("sandbox"), QStringLiteral("up"), QStringLiteral("--shape"),
                      QStringLiteral("sharded"), QStringLiteral("--dir"), m_dir,
                      QStringLiteral("--port"), QString::number(port)}),
                 0);
        const QString inv = m_dir + QStringLiteral("/inventory.yaml");
        QCOMPARE(ctl({QStringLiteral("shard"), QStringLiteral("-i"), inv, QStringLiteral("--table"),
                      QStringLiteral("public.users"), QStringLiteral("--key"), QStringLiteral("id"),
                      QStringLiteral("--shards"), QStringLiteral("6"), QStringLiteral("--apply")}),
                 0);
        Inventory inventory;
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(inv, &inventory, &errors));
        m_cluster = inventory.clusters.first();
    }

    void cleanupTestCase()
    {
        if (!m_dir.isEmpty())
            ctl({QStringLiteral("sandbox"), QStringLiteral("down"), QStringLiteral("--dir"),
                 m_dir});
    }

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
        QVERIFY(shot.save(m_tmp.path() + QStringLiteral("/shards.png")));
        shot.save(QDir::tempPath() + QStringLiteral("/pgdeck-shards-page.png"));
    }
};

QTEST_MAIN(TestShardsPage)
#include "tst_shardspage.moc"
