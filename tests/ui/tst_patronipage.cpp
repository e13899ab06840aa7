// The Patroni page on a real Patroni cluster (etcd + two members on 127.0.0.1, created by
// `pgdeckctl patroni create`), fed by a real PatroniWatcher: members and leader as Patroni
// reports them, a switchover confirmed in the dialog, Patroni's refusal of a bogus
// candidate shown word for word, and pause/resume with the banner. Saved as a PNG.
#include "common/emptystatewidget.h"
#include "inventory/inventoryloader.h"
#include "patroni/patroniactiondialog.h"
#include "patroni/patronimembersmodel.h"
#include "patroni/patronipage.h"
#include "patroni/patroniwatcher.h"
#include "patronicluster.h"
#include "plan/auditlog.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;

namespace {

QString leaderIn(const PatroniMembersModel &model)
{
    QString leader;
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.index(row, 0).data(PatroniMembersModel::LeaderRole).toBool()) {
            if (!leader.isEmpty())
                return QStringLiteral("<two leaders>");
            leader = model.member(row).name;
        }
    return leader;
}

bool allRunning(const PatroniMembersModel &model)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const QString state = model.member(row).state;
        if (state != QLatin1String("running") && state != QLatin1String("streaming"))
            return false;
    }
    return model.rowCount() > 0;
}

} // namespace

class TestPatroniPage : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_stateDir;
    test::PatroniCluster m_cluster;
    ClusterSpec m_spec;
    PatroniPage *m_page = nullptr;
    PatroniWatcher *m_watcher = nullptr;

    QLabel *child(const char *name) const
    {
        return m_page->findChild<QLabel *>(QLatin1String(name));
    }
    QPushButton *button(const char *name) const
    {
        return m_page->findChild<QPushButton *>(QLatin1String(name));
    }

    // Opens the action's confirmation through its button, as a user does.
    PatroniActionDialog *openThrough(const char *buttonName)
    {
        QPushButton *b = button(buttonName);
        if (!b || !b->isEnabled())
            return nullptr;
        b->click();
        return m_page->activeDialog();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("patroni")).isEmpty() ||
            QStandardPaths::findExecutable(QStringLiteral("etcd")).isEmpty())
            QSKIP("patroni and etcd are needed on PATH");
        // The audit log of this run goes to a scratch state directory.
        qputenv("PGDECK_STATE_DIR", m_stateDir.path().toLocal8Bit());
        QString error;
        QVERIFY2(m_cluster.up(2, &error), qPrintable(error));
        Inventory inv;
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(m_cluster.inventoryPath(), &inv, &errors));
        QCOMPARE(inv.clusters.size(), 1);
        m_spec = inv.clusters.first();

        m_page = new PatroniPage;
        new QAbstractItemModelTester(
            m_page->membersModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_page);
        m_page->setCluster(m_spec);
        QVERIFY(m_page->isManaged());
        QCOMPARE(m_page->restUrls().size(), 2);
        m_page->resize(1280, 800);
        m_page->show();

        m_watcher = new PatroniWatcher(m_spec.name, m_page->restUrls(), m_page);
        connect(m_watcher, &PatroniWatcher::snapshotChanged, m_page, &PatroniPage::updateSnapshot);
        connect(m_page, &PatroniPage::refreshRequested, m_watcher, &PatroniWatcher::pollNow);
        m_watcher->start(500);
    }

    void cleanupTestCase()
    {
        delete m_page;
        m_cluster.down();
    }

    void showsMembersAndLeader()
    {
        const PatroniMembersModel &model = *m_page->membersModel();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(model), 60000);
        QCOMPARE(leaderIn(model), m_cluster.memberName(0));
        const QModelIndex lag =
            model.index(model.rowOf(m_cluster.memberName(1)), PatroniMembersModel::LagColumn);
        QVERIFY(!lag.data().toString().isEmpty());
        const QString summary = child("patroniSummary")->text();
        QVERIFY2(summary.contains(m_cluster.memberName(0)), qPrintable(summary));
        QVERIFY(!child("staleBanner")->isVisible());
        QVERIFY(!child("pausedBanner")->isVisible());
        QCOMPARE(button("pauseButton")->text(), QStringLiteral("Pause"));
    }

    void bogusCandidateShowsPatronisAnswer()
    {
        QSignalSpy finished(m_page, &PatroniPage::actionFinished);
        m_page->runSwitchover(QStringLiteral("no-such-member"));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        // Patroni's 412 body, as it came.
        QCOMPARE(m_page->lastActionMessage(), QStringLiteral("candidate does not exists"));
        QVERIFY(child("actionResult")->isVisible());
        QVERIFY(
            child("actionResult")->text().contains(QStringLiteral("candidate does not exists")));
        QVERIFY(child("actionResult")->text().contains(QStringLiteral("412")));
    }

    void switchoverThroughDialog()
    {
        const PatroniMembersModel &model = *m_page->membersModel();
        const QString oldLeader = leaderIn(model);
        const QString replica = oldLeader == m_cluster.memberName(0) ? m_cluster.memberName(1)
                                                                     : m_cluster.memberName(0);
        QTRY_VERIFY_WITH_TIMEOUT(button("switchoverButton")->isEnabled(), 30000);
        PatroniActionDialog *dialog = openThrough("switchoverButton");
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->candidateCombo()->count(), 1); // replicas only
        QCOMPARE(dialog->candidate(), replica);
        QVERIFY(!dialog->scheduleCheck()->isChecked());
        QVERIFY(!dialog->scheduledAt().isValid());
        QVERIFY(dialog->grab().save(QStringLiteral("/tmp/patroni-switchover-dialog.png")));

        QSignalSpy finished(m_page, &PatroniPage::actionFinished);
        dialog->confirmButton()->click();
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(m_page->lastActionMessage()));
        QTRY_COMPARE_WITH_TIMEOUT(leaderIn(model), replica, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(model) && model.rowCount() == 2, 90000);
        QTRY_VERIFY_WITH_TIMEOUT(child("patroniSummary")->text().contains(replica), 10000);

        // The history explains the new timeline, and the audit log has the request.
        auto *history = m_page->findChild<QWidget *>(QStringLiteral("historyView"));
        QTRY_VERIFY_WITH_TIMEOUT(history->isVisible(), 30000);
        QFile audit(AuditLog::path());
        QVERIFY(audit.open(QIODevice::ReadOnly));
        const QByteArray log = audit.readAll();
        QVERIFY(log.contains("\"step\":\"patroni switchover\""));
        QVERIFY(log.contains(
            QStringLiteral("leader=%1 candidate=%2").arg(oldLeader, replica).toUtf8()));
        QVERIFY(log.contains("\"outcome\":\"failed\""));
        QVERIFY(log.contains("candidate does not exists"));
    }

    void pauseShowsBannerThenResume()
    {
        PatroniActionDialog *dialog = openThrough("pauseButton");
        QVERIFY(dialog);
        QCOMPARE(dialog->action(), PatroniActionDialog::Action::Pause);
        QSignalSpy finished(m_page, &PatroniPage::actionFinished);
        dialog->confirmButton()->click();
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(m_page->lastActionMessage()));
        QTRY_VERIFY_WITH_TIMEOUT(child("pausedBanner")->isVisible(), 30000);
        QVERIFY(child("pausedBanner")->text().contains(QStringLiteral("paused")));
        QCOMPARE(button("pauseButton")->text(), QStringLiteral("Resume"));

        m_page->selectMember(leaderIn(*m_page->membersModel()) == m_cluster.memberName(0)
                                 ? m_cluster.memberName(1)
                                 : m_cluster.memberName(0));
        QCoreApplication::processEvents();
        QVERIFY(m_page->grab().save(QStringLiteral("/tmp/patronipage.png")));

        dialog = openThrough("pauseButton");
        QVERIFY(dialog);
        QCOMPARE(dialog->action(), PatroniActionDialog::Action::Resume);
        finished.clear();
        dialog->confirmButton()->click();
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.first().at(0).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!child("pausedBanner")->isVisible(), 30000);
        QCOMPARE(button("pauseButton")->text(), QStringLiteral("Pause"));
    }

    void reinitializeAsksFirst()
    {
        const QString replica = leaderIn(*m_page->membersModel()) == m_cluster.memberName(0)
                                    ? m_cluster.memberName(1)
                                    : m_cluster.memberName(0);
        m_page->selectMember(replica);
        PatroniActionDialog *dialog = openThrough("reinitButton");
        QVERIFY(dialog);
        QCOMPARE(dialog->member(), replica);
        QVERIFY(!dialog->force());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("actionWarning"))
                    ->text()
                    .contains(QStringLiteral("wipes the data directory")));
        QVERIFY(dialog->grab().save(QStringLiteral("/tmp/patroni-reinit-dialog.png")));
        dialog->reject(); // asked, not done
        QVERIFY(!m_page->isActionRunning());
    }

    void unreachableKeepsRowsGreyed()
    {
        m_watcher->stop();
        PatroniSnapshot s = m_watcher->latest();
        const QDateTime answered = s.sampledAt.toLocalTime();
        s.reachable = false;
        s.error = QStringLiteral("connection refused");
        s.sampledAt = s.sampledAt.addSecs(30);
        m_page->updateSnapshot(s);
        QLabel *stale = child("staleBanner");
        QVERIFY(stale->isVisible());
        QCOMPARE(stale->text(), QStringLiteral("Patroni not answering: connection refused — "
                                               "showing data from %1")
                                    .arg(answered.toString(QStringLiteral("HH:mm:ss"))));
        const PatroniMembersModel &model = *m_page->membersModel();
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.index(0, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("not answering")));
        QVERIFY(!button("switchoverButton")->isEnabled());
        QVERIFY(m_page->grab().save(QStringLiteral("/tmp/patronipage-stale.png")));
        m_watcher->start(500);
        QTRY_VERIFY_WITH_TIMEOUT(!stale->isVisible(), 10000);
    }

    void clusterWithoutPatroniShowsEmptyState()
    {
        ClusterSpec plain;
        plain.name = QStringLiteral("plain");
        NodeSpec n;
        n.name = QStringLiteral("primary");
        n.host = QStringLiteral("127.0.0.1");
        plain.nodes << n;
        PatroniPage page;
        page.setCluster(plain);
        page.resize(1280, 800);
        page.show();
        QVERIFY(page.grab().save(QStringLiteral("/tmp/patronipage-empty.png")));
        QVERIFY(!page.isManaged());
        auto *stack = page.findChild<QStackedWidget *>();
        auto *empty = page.findChild<EmptyStateWidget *>();
        QCOMPARE(stack->currentWidget(), empty);
        QStringList texts;
        for (QLabel *l : empty->findChildren<QLabel *>())
            texts << l->text();
        const QString all = texts.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("not managed by Patroni")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("Create Patroni Cluster")), qPrintable(all));
    }
};

QTEST_MAIN(TestPatroniPage)
#include "tst_patronipage.moc"
