#include "fakeciserver.h"
#include "pipeline/cirunsmodel.h"
#include "pipeline/credentialstore.h"
#include "pipeline/pipelinespage.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace pgdeck;
using pgdeck::test::FakeCiServer;

namespace {

QStringList statuses(const CiRunsModel *model)
{
    QStringList list;
    for (const CiRun &run : model->runs())
        list << run.status;
    return list;
}

// Every text the page shows in a label or a line edit, placeholders included.
QString visibleTexts(const QWidget *page)
{
    QStringList texts;
    for (const QLabel *label : page->findChildren<QLabel *>())
        texts << label->text() << label->toolTip();
    for (const QLineEdit *edit : page->findChildren<QLineEdit *>())
        texts << edit->text() << edit->placeholderText();
    return texts.join(QLatin1Char('\n'));
}

} // namespace

class TstPipelinesPage : public QObject {
    Q_OBJECT

    std::unique_ptr<FakeCiServer> m_server;
    std::unique_ptr<PipelinesPage> m_page;

    // The page, connected to the fake's GitHub with the token in the environment.
    bool connectGitHub()
    {
        return m_page->connectTo(PipelinesPage::Service::GitHub, FakeCiServer::gitHubRepository(),
                                 m_server->gitHubApiUrl(), FakeCiServer::gitHubWorkflow());
    }
    bool waitForRuns()
    {
        QSignalSpy refreshed(m_page.get(), &PipelinesPage::runsRefreshed);
        return refreshed.wait(5000);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeCiServer>();
        QVERIFY(m_server->start());
        qputenv("GITHUB_TOKEN", FakeCiServer::gitHubToken().toUtf8());
        m_page = std::make_unique<PipelinesPage>();
        m_page->resize(1200, 800);
        m_page->show();
    }
    void cleanup()
    {
        m_page.reset();
        m_server.reset();
        qunsetenv("GITHUB_TOKEN");
    }

    void runsAreListedWithNormalisedStatuses()
    {
        QAbstractItemModelTester tester(m_page->runsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(connectGitHub());
        QVERIFY(m_page->tokenStatusText().contains(QStringLiteral("GITHUB_TOKEN")));
        m_page->start();
        QVERIFY(waitForRuns());
        QCOMPARE(m_page->errorText(), QString());
        const CiRunsModel *model = m_page->runsModel();
        QCOMPARE(model->rowCount(), FakeCiServer::seededRuns());
        QCOMPARE(statuses(model),
                 QStringList({"success", "failed", "running", "queued", "cancelled", "skipped",
                              "failed", "queued", "success", "success"}));
        const QModelIndex first = model->index(0, CiRunsModel::NumberColumn);
        QCOMPARE(first.data().toString(), QStringLiteral("#10"));
        QCOMPARE(model->index(0, CiRunsModel::CommitColumn).data().toString().size(), 8);
        QCOMPARE(model->index(0, CiRunsModel::DurationColumn).data().toString(),
                 QStringLiteral("1m 35s"));
        QCOMPARE(model->index(1, CiRunsModel::StatusColumn).data(CiRunsModel::HealthRole).toInt(),
                 int(NodeStatus::Health::Down));
    }

    void failedRunShowsItsJobsAndLog()
    {
        QVERIFY(connectGitHub());
        m_page->start();
        QVERIFY(waitForRuns());
        const CiRunsModel *model = m_page->runsModel();
        const CiRun failed = model->run(1);
        QCOMPARE(failed.status, QStringLiteral("failed"));

        QSignalSpy jobsShown(m_page.get(), &PipelinesPage::jobsShown);
        m_page->selectRun(failed.id);
        QVERIFY(jobsShown.wait(5000));
        QCOMPARE(m_page->selectedRun(), failed.id);
        QCOMPARE(m_page->jobCount(), 2);
        const QAbstractItemModel *jobs = m_page->jobsModel();
        QCOMPARE(jobs->index(0, 0).data().toString(), QStringLiteral("test"));
        QCOMPARE(jobs->index(0, 1).data().toString(), QStringLiteral("failed"));
        QCOMPARE(jobs->index(0, 2).data().toString(), QStringLiteral("40s"));

        QSignalSpy logShown(m_page.get(), &PipelinesPage::logShown);
        const QString jobId = jobs->index(0, 0).data(CiRunsModel::IdRole).toString();
        m_page->selectJob(jobId);
        QVERIFY(logShown.wait(5000));
        QVERIFY2(m_page->logText().contains(QStringLiteral("log of job %1").arg(jobId)),
                 qPrintable(m_page->logText()));

        // A refresh keeps the user's choice.
        QVERIFY(waitForRunsAfterRefresh());
        QCOMPARE(m_page->selectedRun(), failed.id);
        QCOMPARE(m_page->selectedJob(), jobId);

        grab();
    }

    void otherServicesListRunsJobsAndLogs_data()
    {
        QTest::addColumn<int>("service");
        QTest::addColumn<QString>("repository");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("credentials"); // variable=value
        QTest::newRow("GitLab") << int(PipelinesPage::Service::GitLab)
                                << FakeCiServer::gitLabProjectPath()
                                << QStringLiteral("/gitlab/api/v4")
                                << QStringList{QStringLiteral("GITLAB_TOKEN=") +
                                               FakeCiServer::gitLabToken()};
        QTest::newRow("Jenkins") << int(PipelinesPage::Service::Jenkins)
                                 << FakeCiServer::jenkinsJob() << QStringLiteral("/jenkins")
                                 << QStringList{QStringLiteral("JENKINS_USER=") +
                                                    FakeCiServer::jenkinsUser(),
                                                QStringLiteral("JENKINS_TOKEN=") +
                                                    FakeCiServer::jenkinsToken()};
        QTest::newRow("CircleCI") << int(PipelinesPage::Service::CircleCi)
                                  << FakeCiServer::circleCiSlug()
                                  << QStringLiteral("/circleci/api/v2")
                                  << QStringList{QStringLiteral("CIRCLECI_TOKEN=") +
                                                 FakeCiServer::circleCiToken()};
    }
    void otherServicesListRunsJobsAndLogs()
    {
        QFETCH(int, service);
        QFETCH(QString, repository);
        QFETCH(QString, path);
        QFETCH(QStringList, credentials);
        QStringList variables;
        for (const QString &c : std::as_const(credentials)) {
            const QString name = c.section(QLatin1Char('='), 0, 0);
            variables << name;
            qputenv(name.toLatin1().constData(), c.section(QLatin1Char('='), 1).toUtf8());
        }
        const auto unset = qScopeGuard([&] {
            for (const QString &v : std::as_const(variables))
                qunsetenv(v.toLatin1().constData());
        });
        QVERIFY(
            m_page->connectTo(PipelinesPage::Service(service), repository, m_server->url(path)));
        QTRY_VERIFY(m_page->isConnected());
        m_page->start();
        QVERIFY(waitForRuns());
        QVERIFY2(m_page->errorText().isEmpty(), qPrintable(m_page->errorText()));
        QCOMPARE(m_page->runsModel()->rowCount(), FakeCiServer::seededRuns());
        QCOMPARE(statuses(m_page->runsModel()).first(), QStringLiteral("success"));

        QSignalSpy jobsShown(m_page.get(), &PipelinesPage::jobsShown);
        m_page->selectRun(m_page->runsModel()->run(1).id);
        QVERIFY(jobsShown.wait(5000));
        QVERIFY(m_page->jobCount() > 0);
        QSignalSpy logShown(m_page.get(), &PipelinesPage::logShown);
        m_page->selectJob(m_page->jobsModel()->index(0, 0).data(CiRunsModel::IdRole).toString());
        QVERIFY(logShown.wait(5000) || !m_page->errorText().isEmpty());
        QVERIFY2(!m_page->logText().isEmpty(), qPrintable(m_page->errorText()));
    }

    void triggeredRunAppearsAfterTheNextRefresh()
    {
        QVERIFY(connectGitHub());
        m_page->setInterval(60000); // only the refresh the trigger asks for
        m_page->start();
        QVERIFY(waitForRuns());
        QSignalSpy finished(m_page.get(), &PipelinesPage::triggerFinished);
        QSignalSpy refreshed(m_page.get(), &PipelinesPage::runsRefreshed);
        m_page->trigger(QStringLiteral("main"));
        QVERIFY(m_page->isTriggering());
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY2(m_page->triggerResultText().startsWith(QStringLiteral("Started on main")),
                 qPrintable(m_page->triggerResultText()));
        QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 5000);
        QCOMPARE(m_page->runsModel()->rowCount(), FakeCiServer::seededRuns() + 1);
        const CiRun newest = m_page->runsModel()->run(0);
        QCOMPARE(newest.number, QStringLiteral("11"));
        QCOMPARE(newest.branch, QStringLiteral("main"));
        QCOMPARE(newest.status, QStringLiteral("queued"));
    }

    void unknownBranchIsReportedInPlace()
    {
        QVERIFY(connectGitHub());
        m_page->start();
        QVERIFY(waitForRuns());
        QSignalSpy finished(m_page.get(), &PipelinesPage::triggerFinished);
        m_page->trigger(QStringLiteral("nosuch"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(m_page->errorText().contains(QStringLiteral("422 No ref found for: nosuch")),
                 qPrintable(m_page->errorText()));
        QCOMPARE(m_page->runsModel()->rowCount(), FakeCiServer::seededRuns());
    }

    void wrongTokenShowsTheServiceMessageNotTheToken()
    {
        const QByteArray wrongToken = "ghp_wrongButSecret987654321";
        qputenv("GITHUB_TOKEN", wrongToken);
        QVERIFY(connectGitHub());
        m_page->start();
        QVERIFY(waitForRuns());
        QVERIFY2(m_page->errorText().contains(QStringLiteral("401 Bad credentials")),
                 qPrintable(m_page->errorText()));
        QVERIFY(m_page->errorText().contains(QStringLiteral("GITHUB_TOKEN")));
        QCOMPARE(m_page->runsModel()->rowCount(), 0);
        QVERIFY(!visibleTexts(m_page.get()).contains(QString::fromUtf8(wrongToken)));
    }

    void unsetTokenIsNamedAndNothingIsAsked()
    {
        qunsetenv("GITHUB_TOKEN");
        connectGitHub(); // the keychain is asked first; it has no entry either
        QTRY_VERIFY2(m_page->errorText().contains(QStringLiteral("GITHUB_TOKEN not set")),
                     qPrintable(m_page->errorText()));
        QVERIFY(!m_page->isConnected());
        QVERIFY(m_page->tokenStatusText().contains(QStringLiteral("GITHUB_TOKEN not set")));
        QCOMPARE(m_server->requests().size(), 0);
    }

    void tokenFromTheKeychain()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no session bus: run under tests/support/with-keyring.sh");
        qunsetenv("GITHUB_TOKEN");
        const QString entry =
            CredentialStore::entryName(QStringLiteral("GITHUB_TOKEN"), m_server->gitHubApiUrl());
        QCOMPARE(CredentialStore::writeNow(entry, FakeCiServer::gitHubToken()), QString());
        QVERIFY(connectGitHub()); // completes once the keychain has answered
        QTRY_VERIFY(m_page->isConnected());
        QVERIFY2(
            m_page->tokenStatusText().contains(QStringLiteral("GITHUB_TOKEN from the keychain")),
            qPrintable(m_page->tokenStatusText()));
        m_page->start();
        QVERIFY(waitForRuns());
        QCOMPARE(m_page->runsModel()->rowCount(), FakeCiServer::seededRuns());
        const auto asked = m_server->requestsTo(QStringLiteral("/github/repos/"));
        QVERIFY(!asked.isEmpty());
        QCOMPARE(asked.first().header("Authorization"),
                 QByteArray("Bearer ") + FakeCiServer::gitHubToken().toUtf8());

        // Forget: the entry is gone and the page says the token is not set.
        auto *forget = m_page->findChild<QPushButton *>(QStringLiteral("forgetTokenButton"));
        QVERIFY(forget && forget->isEnabled());
        forget->click();
        QTRY_VERIFY2(m_page->tokenStatusText().contains(QStringLiteral("GITHUB_TOKEN not set")),
                     qPrintable(m_page->tokenStatusText()));
        QString error;
        QCOMPARE(CredentialStore::readNow(entry, &error), QString());
    }

    void aServiceChangeCancelsAConnectWaitingForTheKeychain()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no session bus: run under tests/support/with-keyring.sh");
        qunsetenv("GITHUB_TOKEN");
        const QString entry =
            CredentialStore::entryName(QStringLiteral("GITHUB_TOKEN"), m_server->gitHubApiUrl());
        QCOMPARE(CredentialStore::writeNow(entry, FakeCiServer::gitHubToken()), QString());
        QVERIFY(connectGitHub()); // waits for the keychain
        QVERIFY(!m_page->isConnected());
        auto *service = m_page->findChild<QComboBox *>(QStringLiteral("serviceCombo"));
        service->setCurrentIndex(service->findText(QStringLiteral("GitLab")));
        // The keychain answers for GitLab now; the GitHub connect must not go on with it.
        QTRY_VERIFY(m_page->tokenStatusText().contains(QStringLiteral("GITLAB_TOKEN not set")));
        QTest::qWait(200);
        QVERIFY(!m_page->isConnected());
        // Nor refuse on GitLab's behalf: nobody asked to connect to GitLab.
        QCOMPARE(m_page->errorText(), QString());
        QVERIFY(m_server->requests().isEmpty());
        QCOMPARE(CredentialStore::removeNow(entry), QString());
    }

    // Return in the URL field connects, then ends the edit: the keychain read that the
    // connect waits for is the one for this server, so the connect goes on.
    void returnInTheUrlFieldConnectsWithTheKeychainToken()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no session bus: run under tests/support/with-keyring.sh");
        qunsetenv("GITHUB_TOKEN");
        const QString entry =
            CredentialStore::entryName(QStringLiteral("GITHUB_TOKEN"), m_server->gitHubApiUrl());
        QCOMPARE(CredentialStore::writeNow(entry, FakeCiServer::gitHubToken()), QString());
        auto *repository = m_page->findChild<QLineEdit *>(QStringLiteral("repositoryEdit"));
        auto *url = m_page->findChild<QLineEdit *>(QStringLiteral("apiUrlEdit"));
        QVERIFY(repository && url);
        QTest::keyClicks(repository, FakeCiServer::gitHubRepository());
        QTest::keyClicks(url, m_server->gitHubApiUrl().toString());
        QTest::keyClick(url, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(m_page->isConnected(), 10000);
        QCOMPARE(m_page->errorText(), QString());
        QCOMPARE(CredentialStore::removeNow(entry), QString());
    }

    void rateLimitShowsTheRetryTime()
    {
        m_server->setRateLimited(true);
        QVERIFY(connectGitHub());
        m_page->setInterval(500);
        m_page->start();
        QVERIFY(waitForRuns());
        const QString retry =
            m_server->rateLimitReset().toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        QVERIFY2(m_page->errorText().contains(
                     QStringLiteral("rate limit reached; retry after %1").arg(retry)),
                 qPrintable(m_page->errorText()));
        // The page waits for the reset instead of asking again.
        QTest::qWait(1200);
        QCOMPARE(m_server->requests().size(), 1);
    }

    void connectButtonUsesTheBarFields()
    {
        auto *service = m_page->findChild<QComboBox *>(QStringLiteral("serviceCombo"));
        auto *repository = m_page->findChild<QLineEdit *>(QStringLiteral("repositoryEdit"));
        auto *url = m_page->findChild<QLineEdit *>(QStringLiteral("apiUrlEdit"));
        auto *workflow = m_page->findChild<QLineEdit *>(QStringLiteral("workflowEdit"));
        auto *connectButton = m_page->findChild<QPushButton *>(QStringLiteral("connectButton"));
        QVERIFY(service && repository && url && workflow && connectButton);
        QCOMPARE(service->currentText(), QStringLiteral("GitHub"));
        QVERIFY(workflow->isVisible());
        service->setCurrentIndex(service->findText(QStringLiteral("Jenkins")));
        QVERIFY(!workflow->isVisible()); // GitHub's alone
        QVERIFY(m_page->tokenStatusText().contains(QStringLiteral("JENKINS_USER")));
        service->setCurrentIndex(service->findText(QStringLiteral("GitHub")));

        QTest::keyClicks(repository, FakeCiServer::gitHubRepository());
        QTest::keyClicks(url, m_server->gitHubApiUrl().toString());
        QSignalSpy refreshed(m_page.get(), &PipelinesPage::runsRefreshed);
        QTest::mouseClick(connectButton, Qt::LeftButton);
        QVERIFY(m_page->isActive());
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(m_page->runsModel()->rowCount(), FakeCiServer::seededRuns());
        QVERIFY(m_page->connectionDescription().contains(QStringLiteral("deploy.yml")));
    }

    void everyInteractiveWidgetIsNamed()
    {
        QVERIFY(connectGitHub());
        m_page->start();
        QVERIFY(waitForRuns());
        for (const QWidget *w : m_page->findChildren<QWidget *>()) {
            if (!(w->focusPolicy() & Qt::TabFocus) || !w->isVisibleTo(m_page.get()) ||
                w->inherits("QScrollBar") || w->parentWidget()->inherits("QAbstractScrollArea") ||
                w->inherits("QHeaderView"))
                continue;
            QVERIFY2(!w->objectName().isEmpty() && !w->accessibleName().isEmpty(),
                     w->metaObject()->className());
        }
    }

private:
    bool waitForRunsAfterRefresh()
    {
        m_page->refresh();
        return waitForRuns();
    }

    void grab()
    {
        QTest::qWait(100);
        const QPixmap shot = m_page->grab();
        QVERIFY(shot.save(QStringLiteral("/tmp/pipelines-page.png")));
        const QString dir = qEnvironmentVariable("PGDECK_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(dir);
            QVERIFY(shot.save(QDir(dir).filePath(QStringLiteral("pipelines.png"))));
        }
    }
};

QTEST_MAIN(TstPipelinesPage)
#include "tst_pipelinespage.moc"
