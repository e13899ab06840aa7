// The create-Patroni-cluster wizard: its review page lists what is wrong with the answers
// and keeps Next disabled; a non-empty data directory stops the run at the first check
// before anything is written; and, end to end against a real etcd, two local members are
// created, lead and follow, and join the inventory. The pages are saved as PNGs.
#include "etcdfixture.h"
#include "inventory/inventoryloader.h"
#include "patroni/patroniclient.h"
#include "patroni/patroniplanner.h"
#include "patroni/patronirunpage.h"
#include "patroni/patroniwizard.h"
#include "patroni/patroniwizardpages.h"
#include "plan/planexecutor.h"
#include "sandbox/sandbox.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <unistd.h>

using namespace pgdeck;

class TestPatroniWizard : public QObject {
    Q_OBJECT
private:
    test::EtcdFixture m_etcd;
    PatroniClusterSpec m_running; // members still to stop at the end
    QString m_serverUser;

    static QString shots()
    {
        QString root = qEnvironmentVariable("PGDECK_SOURCE_DIR");
        if (root.isEmpty())
            root = QFileInfo(QStringLiteral(__FILE__)).absolutePath() + QStringLiteral("/../..");
        return QDir::cleanPath(root + QStringLiteral("/resources/screenshots"));
    }
    void grab(QWidget *w, const QString &page, const QString &alsoAs = {})
    {
        QCoreApplication::processEvents();
        const QImage image = w->grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY(image.save(QStringLiteral("/tmp/patroni-wizard-%1.png").arg(page)));
        if (!alsoAs.isEmpty())
            QVERIFY(image.save(shots() + QLatin1Char('/') + alsoAs));
    }
    // The servers run as m_serverUser; a root-owned temp dir would be closed to them.
    void giveToServerUser(const QString &dir)
    {
        if (geteuid() == 0)
            QCOMPARE(QProcess::execute(QStringLiteral("chown"),
                                       {QStringLiteral("-R"),
                                        m_serverUser + QLatin1Char(':') + m_serverUser, dir}),
                     0);
    }
    PatroniClusterSpec localSpec(const QString &scope, const QString &dir,
                                 const QList<int> &ports) const
    {
        PatroniClusterSpec s;
        s.scope = scope;
        s.etcdHosts = {m_etcd.isRunning() ? m_etcd.hostPort() : QStringLiteral("127.0.0.1:2379")};
        QString error;
        s.binDir = Sandbox::findBinDir(&error);
        s.loopWait = 2;
        for (int i = 0; i < 2; ++i) {
            PatroniMemberSpec m;
            m.name = QStringLiteral("n%1").arg(i + 1);
            m.host.runAs = m_serverUser;
            m.address = QStringLiteral("127.0.0.1");
            m.pgPort = ports.value(2 * i, 5433 + i);
            m.restPort = ports.value(2 * i + 1, 8009 + i);
            m.dataDir = dir + QLatin1Char('/') + m.name;
            s.members << m;
        }
        return s;
    }
    static QPushButton *button(QWidget *page, const QString &name)
    {
        return page->findChild<QPushButton *>(name);
    }
    bool runPlan(const Plan &plan, QString *summary)
    {
        PlanExecutor executor;
        QSignalSpy done(&executor, &PlanExecutor::finished);
        if (!executor.start(plan, summary))
            return false;
        if (!done.wait(120000))
            return false;
        *summary = done.first().at(1).toString();
        return done.first().at(0).toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        if (!QFileInfo(QStringLiteral("/usr/bin/patroni")).isExecutable())
            QSKIP("Patroni is not installed (/usr/bin/patroni)");
        m_serverUser = test::EtcdFixture::serverUser(&error);
        QVERIFY2(!m_serverUser.isEmpty(), qPrintable(error));
        QDir().mkpath(shots());
    }

    void cleanupTestCase()
    {
        if (!m_running.members.isEmpty()) {
            QString summary;
            runPlan(patroniStopPlan(m_running), &summary);
        }
        m_etcd.stop();
    }

    // (a) The review page lists every problem and Next stays disabled.
    void validationErrors()
    {
        Inventory inv;
        inv.clusters << ClusterSpec{};
        inv.clusters.first().name = QStringLiteral("taken");
        PatroniWizard w(inv, QString());
        w.show();
        QVERIFY(!w.superuserSecret().isEmpty());
        QVERIFY(w.superuserSecret().startsWith(QStringLiteral("PATRONI_SU_")));
        QCOMPARE(w.superuserSecret().size(), QStringLiteral("PATRONI_SU_").size() + 6);
        grab(&w, QStringLiteral("cluster"));
        w.next();
        auto *members = w.membersPage();
        QCOMPARE(members->table()->rowCount(), 2);
        QCOMPARE(w.spec().members.size(), 2);
        QVERIFY(w.spec().members[0].dataDir.endsWith(QStringLiteral("/pgdeck-patroni/pgha/node1")));
        QVERIFY(w.spec().members[0].pgPort != w.spec().members[1].pgPort);
        QVERIFY(w.membersPage()->table()->isColumnHidden(PatroniMembersPage::RaftPortColumn));
        grab(&w, QStringLiteral("members"));
        button(members, QStringLiteral("addMemberButton"))->click();
        QCOMPARE(members->table()->rowCount(), 3);
        members->table()->selectRow(2);
        button(members, QStringLiteral("removeMemberButton"))->click();
        QCOMPARE(members->table()->rowCount(), 2);

        // Duplicate member names, a relative data directory, no etcd host, a taken name.
        PatroniClusterSpec bad = localSpec(QStringLiteral("taken"), QStringLiteral("/srv"), {});
        bad.etcdHosts.clear();
        bad.members[1].name = bad.members[0].name;
        bad.members[1].dataDir = QStringLiteral("data/n2");
        w.setSpec(bad, QStringLiteral("a"), QStringLiteral("b"));
        w.next();
        QCOMPARE(w.currentId(), int(PatroniWizard::ReviewPageId));
        auto *review = qobject_cast<PatroniReviewPage *>(w.currentPage());
        const QString errors = review->errors().join(QLatin1Char('\n'));
        QVERIFY2(errors.contains(QStringLiteral("\"n1\" is used twice")), qPrintable(errors));
        QVERIFY2(errors.contains(QStringLiteral("\"data/n2\" must be an absolute path")),
                 qPrintable(errors));
        QVERIFY2(errors.contains(QStringLiteral("no etcd host")), qPrintable(errors));
        QVERIFY2(errors.contains(QStringLiteral("taken is already in the inventory")),
                 qPrintable(errors));
        QVERIFY(!review->isComplete());
        QVERIFY(!w.button(QWizard::NextButton)->isEnabled());
        const QString shown = review->findChild<QLabel *>(QStringLiteral("reviewErrors"))->text();
        QVERIFY(shown.contains(QStringLiteral("#c62828")));
        QVERIFY(shown.contains(QStringLiteral("is used twice")));
        grab(&w, QStringLiteral("review-errors"));

        // Raft with two members has no majority after a failure.
        PatroniClusterSpec raft = localSpec(QStringLiteral("pgraft"), QStringLiteral("/srv"), {});
        raft.dcs = PatroniClusterSpec::Dcs::Raft;
        raft.members[0].raftPort = 2223;
        raft.members[1].raftPort = 2224;
        w.back();
        w.back();
        w.setSpec(raft, QStringLiteral("a"), QStringLiteral("b"));
        w.next();
        QVERIFY(!w.membersPage()->table()->isColumnHidden(PatroniMembersPage::RaftPortColumn));
        w.next();
        QVERIFY(review->errors().join(QLatin1Char('\n')).contains(QStringLiteral("raft with two")));
        QVERIFY(!w.button(QWizard::NextButton)->isEnabled());

        // Fixed: a third member, and the review shows the YAML and the Plan.
        raft.members << raft.members[1];
        raft.members[2].name = QStringLiteral("n3");
        raft.members[2].pgPort = 5439;
        raft.members[2].restPort = 8019;
        raft.members[2].raftPort = 2225;
        raft.members[2].dataDir = QStringLiteral("/srv/n3");
        w.back();
        w.setSpec(raft, QStringLiteral("a"), QString());
        w.next();
        QVERIFY2(review->errors().join(QLatin1Char('\n')).contains(QStringLiteral("passwords")),
                 qPrintable(review->errors().join(QLatin1Char('\n'))));
        w.back();
        w.setSpec(raft, QStringLiteral("a"), QStringLiteral("b"));
        w.next();
        QVERIFY2(review->isComplete(), qPrintable(review->errors().join(QLatin1Char('\n'))));
        QVERIFY(w.button(QWizard::NextButton)->isEnabled());
        QVERIFY(review->configText().contains(QStringLiteral("partner_addrs")));
        QVERIFY(
            review->configText().contains(QStringLiteral("${secret-json:") + w.superuserSecret()));
        // Raft: all members start before the Plan waits on any of them.
        QVERIFY(review->planText().contains(QStringLiteral("Wait until n1 runs")));
    }

    // (b) A data directory that holds something stops the run at its first check.
    void nonEmptyDataDirRefused()
    {
        QTemporaryDir dir, invDir;
        QVERIFY(dir.isValid() && invDir.isValid());
        const QString busy = dir.path() + QStringLiteral("/n1");
        QVERIFY(QDir().mkpath(busy));
        QFile marker(busy + QStringLiteral("/PG_VERSION"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.write("16\n");
        marker.close();
        giveToServerUser(dir.path());
        const PatroniClusterSpec spec = localSpec(QStringLiteral("pgbusy"), dir.path(), {});
        const QString inventory = invDir.path() + QStringLiteral("/inventory.yaml");
        PatroniWizard w(Inventory{}, inventory);
        w.show();
        w.setSpec(spec, QStringLiteral("su"), QStringLiteral("repl"));
        w.next();
        w.next();
        QVERIFY(w.currentPage()->isComplete());
        w.next();
        PatroniRunPage *run = w.runPage();
        QCOMPARE(w.currentId(), int(PatroniWizard::RunPageId));
        button(run, QStringLiteral("runButton"))->click();
        QVERIFY(run->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!run->isRunning(), 60000);
        QVERIFY(run->hasFailed());
        QVERIFY2(run->failure().contains(busy), qPrintable(run->failure()));
        QVERIFY2(run->failure().contains(QStringLiteral("not empty")), qPrintable(run->failure()));
        // The checks come first: nothing ran before the one that refused.
        const Plan plan = w.plan();
        QCOMPARE(plan.steps().first().id, QStringLiteral("check-n1"));
        QCOMPARE(run->steps()->topLevelItem(0)->text(2), QStringLiteral("failed"));
        QVERIFY(!QFileInfo::exists(spec.members[0].configFile()));
        QVERIFY(!QFileInfo::exists(spec.members[0].configDirectory()));
        QVERIFY(!QFileInfo::exists(spec.members[1].dataDir));
        QVERIFY(!QFileInfo::exists(inventory));
        QCOMPARE(QDir(busy).entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
                 QStringList{QStringLiteral("PG_VERSION")});
        QVERIFY(button(run, QStringLiteral("resumeButton"))->isVisible());
        QVERIFY(qEnvironmentVariableIsEmpty(
            qPrintable(QStringLiteral("PGDECK_SECRET_") + w.superuserSecret())));
        grab(&w, QStringLiteral("run-failed"));
    }

    // (c) Two members on a real etcd: one leads, one follows, and the inventory has them.
    void endToEnd()
    {
        if (test::EtcdFixture::etcdPath().isEmpty())
            QSKIP("etcd is not installed");
        QString error;
        QVERIFY2(m_etcd.start(&error), qPrintable(error));
        QTemporaryDir dir, invDir;
        QVERIFY(dir.isValid() && invDir.isValid());
        giveToServerUser(dir.path());
        QList<int> ports{m_etcd.clientPort()};
        for (int i = 0; i < 4; ++i)
            ports << test::EtcdFixture::freePort(ports);
        ports.removeFirst();
        const PatroniClusterSpec spec = localSpec(QStringLiteral("pgwiz"), dir.path(), ports);
        const QString inventory = invDir.path() + QStringLiteral("/inventory.yaml");

        PatroniWizard w(Inventory{}, inventory);
        QSignalSpy reloaded(&w, &PatroniWizard::inventoryChanged);
        w.show();
        w.setSpec(spec, QStringLiteral("su-pw-e2e"), QStringLiteral("repl-pw-e2e"));
        w.next();
        grab(&w, QStringLiteral("members-e2e"));
        w.next();
        auto *review = qobject_cast<PatroniReviewPage *>(w.currentPage());
        QVERIFY2(review->isComplete(), qPrintable(review->errors().join(QLatin1Char('\n'))));
        QVERIFY(review->configText().contains(QStringLiteral("name: n1")));
        QVERIFY(!review->configText().contains(QStringLiteral("su-pw-e2e")));
        QVERIFY(!review->planText().contains(QStringLiteral("su-pw-e2e")));
        review->memberCombo()->setCurrentIndex(1);
        QVERIFY(review->configText().contains(QStringLiteral("name: n2")));
        review->memberCombo()->setCurrentIndex(0);
        grab(&w, QStringLiteral("review"), QStringLiteral("patroni-wizard-review.png"));

        w.next();
        PatroniRunPage *run = w.runPage();
        button(run, QStringLiteral("runButton"))->click();
        QVERIFY(run->isRunning());
        m_running = spec;
        QTRY_VERIFY_WITH_TIMEOUT(!run->isRunning(), 150000);
        QVERIFY2(run->hasSucceeded(),
                 qPrintable(run->failure() + QLatin1Char('\n') +
                            run->findChild<QPlainTextEdit *>(QStringLiteral("runLog"))
                                ->toPlainText()
                                .right(4000)));
        grab(&w, QStringLiteral("run"), QStringLiteral("patroni-wizard-run.png"));
        QCOMPARE(reloaded.count(), 1);
        QCOMPARE(reloaded.first().first().toString(), inventory);
        QVERIFY(qEnvironmentVariableIsEmpty(
            qPrintable(QStringLiteral("PGDECK_SECRET_") + w.superuserSecret())));

        // The file holds the password (filled at write time), readable by its owner only.
        QFile yml(spec.members[0].configFile());
        QVERIFY(yml.open(QIODevice::ReadOnly));
        const QByteArray text = yml.readAll();
        QVERIFY(text.contains("su-pw-e2e"));
        QVERIFY(!text.contains("${secret"));
        QCOMPARE(yml.permissions() & (QFile::ReadGroup | QFile::ReadOther),
                 QFileDevice::Permissions{});

        // Patroni itself: two members, exactly one leader.
        PatroniClient client(QUrl(spec.members[0].restUrl()));
        PatroniClusterState state;
        bool answered = false;
        connect(&client, &PatroniClient::clusterReceived, this,
                [&](int, const PatroniResult &r, const PatroniClusterState &s) {
                    answered = true;
                    if (r.ok)
                        state = s;
                });
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                if (answered || client.pendingCount() == 0) {
                    answered = false;
                    client.fetchCluster();
                }
                int leaders = 0;
                for (const PatroniMember &m : std::as_const(state.members))
                    leaders += m.isLeader() ? 1 : 0;
                return state.members.size() == 2 && leaders == 1;
            }(),
            30000);
        QCOMPARE(state.leader(), QStringLiteral("n1"));
        QVERIFY(state.member(QStringLiteral("n2")));

        // The inventory names the cluster, both nodes and their REST URLs.
        Inventory inv;
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(inventory, &inv, &errors));
        const ClusterSpec *c = inv.cluster(QStringLiteral("pgwiz"));
        QVERIFY(c);
        QCOMPARE(c->nodes.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const NodeSpec *n = c->node(spec.members[i].name);
            QVERIFY(n);
            QCOMPARE(n->patroni, QStringLiteral("http://127.0.0.1:%1").arg(ports[2 * i + 1]));
            QCOMPARE(n->port, ports[2 * i]);
        }

        QString summary;
        QVERIFY2(runPlan(patroniStopPlan(spec), &summary), qPrintable(summary));
        m_running = {};
        QVERIFY(!QFileInfo::exists(spec.members[0].pidFile()));
    }
};

QTEST_MAIN(TestPatroniWizard)
#include "tst_patroniwizard.moc"
