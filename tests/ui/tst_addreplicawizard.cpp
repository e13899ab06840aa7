// The add-replica wizard on a real sandbox primary (127.0.0.1): the target page's defaults
// come from the inventory, the check page lists what the primary lacks (the replication
// role) with the Plan, and the run builds the replica with a copy bar fed by
// pg_stat_progress_basebackup. The primary then reports the new node streaming and the
// inventory file holds it. The pages are saved as PNGs.
#include "inventory/inventoryloader.h"
#include "pg/pgconnection.h"
#include "replication/addreplicawizard.h"
#include "sandbox/sandbox.h"
#include "sandboxfixture.h"

#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

using namespace pgdeck;

class TestAddReplicaWizard : public QObject {
    Q_OBJECT
private:
    test::SandboxFixture m_sandbox;

    void grab(QWidget *w, const QString &page)
    {
        QCoreApplication::processEvents();
        const QImage image = w->grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY(image.save(QStringLiteral("/tmp/addreplica-%1.png").arg(page)));
    }
    QString query(const QString &sql) const
    {
        PgConnection c;
        c.setParams(m_sandbox.params(0, QStringLiteral("app")));
        if (!c.waitForReady(10000))
            return QStringLiteral("<error: %1>").arg(c.lastError());
        const PgResult r = c.execSync(sql, {}, 60000);
        return r.ok() ? r.text(0, 0) : QStringLiteral("<error: %1>").arg(r.errorMessage());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QVERIFY2(m_sandbox.start(0, &error), qPrintable(error));
        // Enough data that the copy takes a moment.
        QVERIFY(!query(QStringLiteral("create table bulk as select g, repeat(md5(g::text), 8) "
                                      "as payload from generate_series(1, 400000) g"))
                     .startsWith(QStringLiteral("<error")));
    }

    void cleanupTestCase() { m_sandbox.stop(); }

    void addReplica()
    {
        Inventory inv;
        QList<InventoryError> errors;
        const QString path = m_sandbox.config().inventoryPath();
        QVERIFY(InventoryLoader::load(path, &inv, &errors));
        AddReplicaWizard w(inv, path, inv.clusters.first().name);
        QString reloaded;
        connect(&w, &AddReplicaWizard::inventoryChanged, this, [&] { reloaded = path; });
        w.show();
        auto *target = qobject_cast<ReplicaTargetPage *>(w.page(AddReplicaWizard::TargetPageId));
        QCOMPARE(target->field(QStringLiteral("nameEdit"))->text(), QStringLiteral("replica1"));
        QCOMPARE(target->field(QStringLiteral("dataDirEdit"))->text(),
                 m_sandbox.config().dir + QStringLiteral("/replica1"));
        QCOMPARE(target->field(QStringLiteral("runAsEdit"))->text(), m_sandbox.config().osUser);
        grab(&w, QStringLiteral("target"));

        w.next();
        auto *check = qobject_cast<ReplicaCheckPage *>(w.page(AddReplicaWizard::CheckPageId));
        QTRY_VERIFY_WITH_TIMEOUT(!check->isChecking(), 30000);
        QVERIFY(check->isComplete());
        QVERIFY(
            !check->findings()->findItems(QStringLiteral("role"), Qt::MatchExactly, 1).isEmpty());
        grab(&w, QStringLiteral("check"));

        w.next();
        auto *run = qobject_cast<ReplicaRunPage *>(w.page(AddReplicaWizard::RunPageId));
        bool grabbed = false;
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this, [&] {
            if (!grabbed && run->copyPercent() > 0 && run->copyPercent() < 100) {
                grabbed = true;
                grab(&w, QStringLiteral("run-copying"));
            }
        });
        sampler.start(30);
        run->findChild<QPushButton *>(QStringLiteral("runButton"))->click();
        QVERIFY(run->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!run->isRunning(), 180000);
        sampler.stop();
        QVERIFY2(run->hasSucceeded(), qPrintable(run->logText().right(3000))); // why, if not
        QVERIFY2(run->progressEvents() > 0, "no basebackup progress came from the primary");
        QCOMPARE(run->copyPercent(), 100);
        grab(&w, QStringLiteral("run-done"));

        QCOMPARE(query(QStringLiteral("select state from pg_stat_replication where "
                                      "application_name = 'replica1'")),
                 QStringLiteral("streaming"));
        QCOMPARE(reloaded, path);
        QVERIFY(InventoryLoader::load(path, &inv, &errors));
        QVERIFY(inv.clusters.first().node(QStringLiteral("replica1")));
    }
};

QTEST_MAIN(TestAddReplicaWizard)
#include "tst_addreplicawizard.moc"
