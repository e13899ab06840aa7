// The promote dialog on a real sandbox (a primary and one standby on 127.0.0.1): it reads
// the servers and offers a switchover, and Promote makes the standby the primary with the
// old primary streaming from it, as the servers report. The dialog is saved as a PNG.
#include "inventory/inventoryloader.h"
#include "pg/pgconnection.h"
#include "replication/promotedialog.h"
#include "sandbox/sandbox.h"
#include "sandboxfixture.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QtTest>

using namespace pgdeck;

class TestPromoteDialog : public QObject {
    Q_OBJECT
private:
    test::SandboxFixture m_sandbox;

    QString query(int node, const QString &sql) const
    {
        PgConnection c;
        c.setParams(m_sandbox.params(node));
        if (!c.waitForReady(10000))
            return QStringLiteral("<error: %1>").arg(c.lastError());
        const PgResult r = c.execSync(sql, {}, 30000);
        return r.ok() ? r.text(0, 0) : QStringLiteral("<error: %1>").arg(r.errorMessage());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QVERIFY2(m_sandbox.start(1, &error), qPrintable(error));
    }

    void cleanupTestCase() { m_sandbox.stop(); }

    void switchover()
    {
        Inventory inv;
        QList<InventoryError> errors;
        const QString path = m_sandbox.config().inventoryPath();
        QVERIFY(InventoryLoader::load(path, &inv, &errors));
        PromoteDialog d(inv, path, inv.clusters.first().name);
        bool changed = false;
        connect(&d, &PromoteDialog::inventoryChanged, this, [&] { changed = true; });
        d.show();
        QCOMPARE(d.candidate()->currentText(), QStringLiteral("standby1"));
        auto *promote = d.findChild<QPushButton *>(QStringLiteral("promoteButton"));
        QTRY_VERIFY_WITH_TIMEOUT(promote->isEnabled(), 30000);
        QVERIFY(d.findChild<QLabel *>(QStringLiteral("promoteSummary"))
                    ->text()
                    .contains(QStringLiteral("Switchover")));
        QCoreApplication::processEvents();
        QVERIFY(d.grab().save(QStringLiteral("/tmp/promote-dialog.png")));
        promote->click();
        QTRY_VERIFY_WITH_TIMEOUT(!d.isRunning(), 120000);
        QVERIFY(d.hasSucceeded());
        QVERIFY(changed);
        QCOMPARE(query(1, QStringLiteral("select pg_is_in_recovery()")), QStringLiteral("f"));
        QTRY_COMPARE_WITH_TIMEOUT(
            query(1, QStringLiteral("select state from pg_stat_replication where "
                                    "application_name = 'primary'")),
            QStringLiteral("streaming"), 30000);
        QCOMPARE(query(0, QStringLiteral("select pg_is_in_recovery()")), QStringLiteral("t"));
    }
};

QTEST_MAIN(TestPromoteDialog)
#include "tst_promotedialog.moc"
