// The console on a live sandbox: every page gets real data and is saved as a picture,
// history comes back after a restart, and ops-screen mode rotates pages and raises a
// banner when a node is down.
#include "common/windowgrabber.h"
#include "inventory/inventoryloader.h"
#include "inventory/inventorywriter.h"
#include "mainwindow.h"
#include "monitor/metrichistory.h"
#include "sandboxprocess.h"

#include <QTabBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;

class TestDashboard : public QObject {
    Q_OBJECT
private:
    test::SandboxProcess m_sandbox;
    QTemporaryDir m_tmp;

    QString shotDir() const
    {
        const QString dir = qEnvironmentVariable("PGDECK_SCREENSHOT_DIR");
        return dir.isEmpty() ? m_tmp.path() : dir;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariable("PGDECKCTL").isEmpty())
            QSKIP("PGDECKCTL is not set; run through ctest");
        QString error;
        QVERIFY2(m_sandbox.up(2, &error), qPrintable(error));
    }
    void cleanupTestCase() { m_sandbox.down(); }

    void everyPageShowsLiveDataAndHistorySurvives()
    {
        const QString store = m_tmp.path() + QStringLiteral("/history.sqlite");
        {
            MainWindow w;
            w.setHistoryStorePath(store);
            w.resize(1280, 800);
            w.show();
            QString error;
            QVERIFY2(w.openInventory(m_sandbox.inventoryPath(), &error), qPrintable(error));
            QTRY_COMPARE_WITH_TIMEOUT(w.history().streams(QStringLiteral("sandbox")),
                                      (QStringList{QStringLiteral("primary/standby1"),
                                                   QStringLiteral("primary/standby2")}),
                                      15000);
            const QString replayKey =
                MetricHistory::lagKey(QStringLiteral("sandbox"), QStringLiteral("primary"),
                                      QStringLiteral("standby1"), MetricHistory::Lag::ReplayBytes);
            QTRY_VERIFY_WITH_TIMEOUT(w.history().series(replayKey)->size() >= 3, 15000);
            const QStringList names{QStringLiteral("overview"), QStringLiteral("replication"),
                                    QStringLiteral("nodes"), QStringLiteral("events")};
            for (int i = 0; i < w.pages()->count(); ++i) {
                w.pages()->setCurrentIndex(i);
                QTest::qWait(1200); // one redraw beat with fresh data
                const QString file = shotDir() + QStringLiteral("/%1.png").arg(names.value(i));
                QString grabError;
                QVERIFY2(WindowGrabber::save(&w, file, &grabError), qPrintable(grabError));
                QVERIFY(QImage(file).width() >= 1000);
            }
        } // closing the window writes what is not yet saved
        MainWindow again;
        again.setHistoryStorePath(store);
        QString error;
        QVERIFY2(again.openInventory(m_sandbox.inventoryPath(), &error), qPrintable(error));
        const QString replayKey =
            MetricHistory::lagKey(QStringLiteral("sandbox"), QStringLiteral("primary"),
                                  QStringLiteral("standby1"), MetricHistory::Lag::ReplayBytes);
        // Right away, before any new sample: the chart starts from the stored history.
        QVERIFY(again.history().series(replayKey));
        QVERIFY(again.history().series(replayKey)->size() >= 3);
    }

    void dashboardRotatesAndRaisesTheBanner()
    {
        // The sandbox plus a node nobody listens for: the cluster is degraded.
        Inventory inv;
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(m_sandbox.inventoryPath(), &inv, &errors));
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        NodeSpec ghost;
        ghost.name = QStringLiteral("ghost");
        ghost.host = QStringLiteral("127.0.0.1");
        ghost.port = probe.serverPort();
        ghost.dbname = QStringLiteral("app");
        ghost.user = QStringLiteral("postgres");
        probe.close();
        inv.clusters[0].nodes << ghost;
        const QString path = m_tmp.path() + QStringLiteral("/degraded.yaml");
        QString error;
        QVERIFY2(InventoryWriter::save(inv, path, &error), qPrintable(error));

        MainWindow w;
        QVERIFY2(w.openInventory(path, &error), qPrintable(error));
        w.setDashboardMode(1000);
        QVERIFY(w.isDashboard());
        QVERIFY(w.isVisible()); // full screen is the platform's call; offscreen ignores it
        QVERIFY(w.pages()->tabBar()->isHidden());
        const int first = w.pages()->currentIndex();
        QTRY_VERIFY_WITH_TIMEOUT(w.pages()->currentIndex() != first, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.bannerText().contains(QStringLiteral("sandbox DEGRADED: ghost down")), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(QApplication::activeModalWidget() == nullptr, 100);
        QString grabError;
        QVERIFY2(WindowGrabber::save(&w, shotDir() + QStringLiteral("/dashboard.png"), &grabError),
                 qPrintable(grabError));
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
