// The console on a real Patroni cluster (etcd, Patroni, PostgreSQL on 127.0.0.1, built by
// `pgdeckctl patroni create`): the topology carries Patroni's roles and timelines, the
// Patroni page lists the members, and a switchover made outside the console appears as
// leader-changed and timeline-changed events and a new leader in the picture.
#include "common/windowgrabber.h"
#include "events/eventsmodel.h"
#include "events/eventspage.h"
#include "mainwindow.h"
#include "overview/overviewpage.h"
#include "patroni/patronimembersmodel.h"
#include "patroni/patronipage.h"
#include "patronicluster.h"
#include "topology/topologyview.h"

#include <QFile>
#include <QProcess>
#include <QTabWidget>
#include <QtTest>

using namespace pgdeck;
using pgdeck::test::PatroniCluster;

class TestMainWindowPatroni : public QObject {
    Q_OBJECT

    PatroniCluster m_cluster;

    static bool hasEvent(const EventsModel *model, MonitorEvent::Kind kind, const QString &node)
    {
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->eventAt(r).kind == kind && model->eventAt(r).node == node)
                return true;
        return false;
    }

    static void save(MainWindow *w, const QString &name)
    {
        QString error;
        QVERIFY2(WindowGrabber::save(w, QStringLiteral("/tmp/%1.png").arg(name), &error),
                 qPrintable(error));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFile::exists(QStringLiteral("/usr/bin/patroni")))
            QSKIP("patroni is not installed (apt-get install patroni etcd-server)");
        QString error;
        QVERIFY2(m_cluster.up(2, &error, QStringLiteral("orders-ha")), qPrintable(error));
    }

    void showsPatroniAndFollowsASwitchover()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QString error;
        QVERIFY2(w.openInventory(m_cluster.inventoryPath(), &error), qPrintable(error));
        const QString scope = m_cluster.scope();

        // Patroni's view reaches the picture: roles and timelines beside the servers'.
        QTRY_COMPARE_WITH_TIMEOUT(w.patroniSnapshot(scope).state.leader(), QStringLiteral("m1"),
                                  20000);
        QTRY_VERIFY_WITH_TIMEOUT(w.overviewPage()->topologyView()->topology().patroniManaged,
                                 10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            w.overviewPage()->topologyView()->topology().node(QStringLiteral("m2"))->patroniRole,
            QStringLiteral("replica"), 10000);
        QCOMPARE(w.overviewPage()->topologyView()->topology().node(QStringLiteral("m1"))->timeline,
                 1);
        QTRY_COMPARE_WITH_TIMEOUT(w.patroniPage()->membersModel()->rowCount(), 2, 10000);
        QTest::qWait(1500); // let the servers' health fill in the cards
        save(&w, QStringLiteral("patroni-console-overview"));

        // A switchover made elsewhere (pgdeckctl here) shows up as events and a new leader.
        QProcess ctl;
        ctl.setProcessChannelMode(QProcess::MergedChannels);
        ctl.start(qEnvironmentVariable("PGDECKCTL"),
                  {QStringLiteral("-i"), m_cluster.inventoryPath(), QStringLiteral("patroni"),
                   QStringLiteral("switchover"), QStringLiteral("--candidate"),
                   QStringLiteral("m2"), QStringLiteral("--apply")});
        QVERIFY(ctl.waitForFinished(90000));
        QVERIFY2(ctl.exitCode() == 0, ctl.readAll().constData());
        const EventsModel *events = w.eventsPage()->model();
        QTRY_VERIFY_WITH_TIMEOUT(
            hasEvent(events, MonitorEvent::Kind::LeaderChanged, QStringLiteral("m2")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            hasEvent(events, MonitorEvent::Kind::TimelineChanged, QStringLiteral("m2")), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(
            w.overviewPage()->topologyView()->topology().node(QStringLiteral("m2"))->patroniRole,
            QStringLiteral("leader"), 10000);
        // The old leader rejoins as a replica on the new timeline.
        QTRY_COMPARE_WITH_TIMEOUT(
            w.overviewPage()->topologyView()->topology().node(QStringLiteral("m1"))->timeline, 2,
            60000);
        QTRY_COMPARE_WITH_TIMEOUT(
            w.overviewPage()->topologyView()->topology().node(QStringLiteral("m1"))->role,
            TopologyNode::Role::Standby, 30000);
        QTest::qWait(1500);
        save(&w, QStringLiteral("patroni-console-after-switchover"));
        w.pages()->setCurrentWidget(w.patroniPage());
        QTest::qWait(300);
        save(&w, QStringLiteral("patroni-console-page"));
        w.pages()->setCurrentWidget(w.eventsPage());
        QTest::qWait(300);
        save(&w, QStringLiteral("patroni-console-events"));
    }
};

QTEST_MAIN(TestMainWindowPatroni)
#include "tst_mainwindowpatroni.moc"
