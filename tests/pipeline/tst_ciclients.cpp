#include "fakeciserver.h"
#include "pipeline/circleciclient.h"
#include "pipeline/githubclient.h"
#include "pipeline/gitlabclient.h"
#include "pipeline/jenkinsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

#include <memory>

using namespace pgdeck;
using pgdeck::test::FakeCiServer;

namespace {

// Every signal of one client, to wait for whichever answer comes.
struct Spies {
    explicit Spies(CiClient *client)
        : triggered(client, &CiClient::triggered)
        , runs(client, &CiClient::runsListed)
        , jobs(client, &CiClient::jobsListed)
        , log(client, &CiClient::logFetched)
        , failed(client, &CiClient::failed)
    {}

    int answers() const
    {
        return int(triggered.size() + runs.size() + jobs.size() + log.size() + failed.size());
    }
    // Waits for the next answer; false on a timeout.
    bool next(int timeoutMs = 5000)
    {
        const int before = answers();
        QElapsedTimer timer;
        timer.start();
        while (answers() == before && timer.elapsed() < timeoutMs)
            QTest::qWait(5);
        return answers() > before;
    }
    QString failure() const { return failed.isEmpty() ? QString() : error().toString(); }
    CiError error() const { return failed.last().at(0).value<CiError>(); }
    CiRun run() const { return triggered.last().at(0).value<CiRun>(); }
    QList<CiRun> runList() const { return runs.last().at(0).value<QList<CiRun>>(); }
    QList<CiJob> jobList() const { return jobs.last().at(1).value<QList<CiJob>>(); }
    QString logText() const { return log.last().at(1).toString(); }

    QSignalSpy triggered;
    QSignalSpy runs;
    QSignalSpy jobs;
    QSignalSpy log;
    QSignalSpy failed;
};

QStringList statuses(const QList<CiRun> &runs)
{
    QStringList list;
    for (const CiRun &run : runs)
        list << run.status;
    return list;
}

QJsonObject jsonBody(const FakeCiServer::Request &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

#define ANSWERED(spies) QVERIFY2((spies).next(), "no answer within 5 s")
#define SUCCEEDED(spies)                                                                           \
    do {                                                                                           \
        ANSWERED(spies);                                                                           \
        QVERIFY2((spies).failed.isEmpty(), qPrintable((spies).failure()));                         \
    } while (false)
#define FAILED(spies)                                                                              \
    do {                                                                                           \
        ANSWERED(spies);                                                                           \
        QCOMPARE((spies).failed.size(), 1);                                                        \
    } while (false)

} // namespace

class TstCiClients : public QObject {
    Q_OBJECT

    std::unique_ptr<FakeCiServer> m_server;

    template <typename Client>
    std::unique_ptr<Client> pointed(std::unique_ptr<Client> client, const QUrl &baseUrl)
    {
        client->setBaseUrl(baseUrl);
        client->setTransferTimeout(5000);
        return client;
    }
    std::unique_ptr<GitHubClient> gitHub(const QString &token = FakeCiServer::gitHubToken(),
                                         const QString &workflow = FakeCiServer::gitHubWorkflow())
    {
        return pointed(
            std::make_unique<GitHubClient>(FakeCiServer::gitHubRepository(), workflow, token),
            m_server->gitHubApiUrl());
    }
    std::unique_ptr<GitLabClient> gitLab(const QString &token = FakeCiServer::gitLabToken(),
                                         const QString &project = FakeCiServer::gitLabProjectId())
    {
        return pointed(std::make_unique<GitLabClient>(project, token), m_server->gitLabApiUrl());
    }
    std::unique_ptr<JenkinsClient> jenkins(const QString &token = FakeCiServer::jenkinsToken(),
                                           const QString &job = FakeCiServer::jenkinsJob())
    {
        auto client = std::make_unique<JenkinsClient>(m_server->jenkinsUrl(), job,
                                                      FakeCiServer::jenkinsUser(), token);
        client->setTransferTimeout(5000);
        client->setQueuePolling(20, 5000);
        return client;
    }
    std::unique_ptr<CircleCiClient> circleCi(const QString &token = FakeCiServer::circleCiToken())
    {
        return pointed(std::make_unique<CircleCiClient>(FakeCiServer::circleCiSlug(), token),
                       m_server->circleCiApiUrl());
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeCiServer>();
        QVERIFY(m_server->start());
    }
    void cleanup() { m_server.reset(); }

    void errorsReadPlainly()
    {
        CiError error;
        error.service = QStringLiteral("GitHub");
        error.httpStatus = 401;
        error.message = QStringLiteral("Bad credentials");
        error.hint = QStringLiteral("check the token (GITHUB_TOKEN)");
        QCOMPARE(error.toString(), QStringLiteral("GitHub: 401 Bad credentials — check the token "
                                                  "(GITHUB_TOKEN)"));

        CiError limited;
        limited.service = QStringLiteral("GitHub");
        limited.httpStatus = 403;
        limited.rateLimited = true;
        limited.retryAt = QDateTime(QDate::currentDate(), QTime(12, 3, 10));
        QCOMPARE(limited.toString(),
                 QStringLiteral("GitHub: rate limit reached; retry after 12:03:10"));
    }

    void tokensComeFromTheEnvironment()
    {
        qputenv("PGDECK_TEST_CI_TOKEN", "  ghp_fromEnvironment\n");
        QCOMPARE(CiClient::tokenFromEnvironment(QStringLiteral("PGDECK_TEST_CI_TOKEN")),
                 QStringLiteral("ghp_fromEnvironment"));
        qunsetenv("PGDECK_TEST_CI_TOKEN");
        QVERIFY(CiClient::tokenFromEnvironment(QStringLiteral("PGDECK_TEST_CI_TOKEN")).isEmpty());
    }

    // --- GitHub ------------------------------------------------------------------------------

    void gitHubTriggeredRunAppearsInTheList()
    {
        auto client = gitHub();
        Spies spies(client.get());
        client->trigger(QStringLiteral("main"),
                        {{QStringLiteral("environment"), QStringLiteral("staging")}});
        SUCCEEDED(spies);
        QCOMPARE(spies.run().branch, QStringLiteral("main"));
        QCOMPARE(spies.run().status, QStringLiteral("queued"));
        QVERIFY(spies.run().id.isEmpty()); // 204: GitHub does not name the run

        const auto dispatches = m_server->requestsTo(
            QStringLiteral("/github/repos/octo/app/actions/workflows/deploy.yml/dispatches"));
        QCOMPARE(dispatches.size(), 1);
        const FakeCiServer::Request &dispatch = dispatches.first();
        QCOMPARE(dispatch.method, QByteArray("POST"));
        QCOMPARE(dispatch.header("Authorization"),
                 "Bearer " + FakeCiServer::gitHubToken().toUtf8());
        QCOMPARE(dispatch.header("Accept"), QByteArray("application/vnd.github+json"));
        QCOMPARE(dispatch.header("X-GitHub-Api-Version"), QByteArray("2022-11-28"));
        QCOMPARE(jsonBody(dispatch).value("ref").toString(), QStringLiteral("main"));
        QCOMPARE(jsonBody(dispatch).value("inputs").toObject().value("environment").toString(),
                 QStringLiteral("staging"));

        client->listRuns(3);
        SUCCEEDED(spies);
        const QList<CiRun> runs = spies.runList();
        QCOMPARE(runs.size(), 3);
        QCOMPARE(runs.at(0).number, QStringLiteral("11"));
        QCOMPARE(runs.at(0).status, QStringLiteral("queued"));
        QCOMPARE(runs.at(0).rawStatus, QStringLiteral("queued"));
        QCOMPARE(runs.at(0).branch, QStringLiteral("main"));
        QCOMPARE(runs.at(1).status, QStringLiteral("success"));
        QCOMPARE(runs.at(1).rawStatus, QStringLiteral("completed/success"));
        QCOMPARE(runs.at(1).durationSeconds, 95);
        QCOMPARE(runs.at(2).status, QStringLiteral("failed"));
        QVERIFY(runs.at(1).created.isValid());
        QVERIFY(!runs.at(1).commit.isEmpty());
    }

    void gitHubRunsFollowLinkPagination()
    {
        m_server->setMaxPageSize(4);
        auto client = gitHub();
        Spies spies(client.get());
        client->listRuns(7);
        SUCCEEDED(spies);
        QList<CiRun> runs = spies.runList();
        QCOMPARE(runs.size(), 7);
        QCOMPARE(runs.first().id, QStringLiteral("1010"));
        QCOMPARE(runs.last().id, QStringLiteral("1004"));
        QCOMPARE(statuses(runs), QStringList({"success", "failed", "running", "queued", "cancelled",
                                              "skipped", "failed"}));
        auto pages = m_server->requestsTo(
            QStringLiteral("/github/repos/octo/app/actions/workflows/deploy.yml/runs"));
        QCOMPARE(pages.size(), 2); // the limit is reached on the second page
        QCOMPARE(pages.at(0).query.queryItemValue("per_page"), QStringLiteral("7"));
        QCOMPARE(pages.at(1).query.queryItemValue("page"), QStringLiteral("2"));

        m_server->clearRequests();
        client->listRuns(50);
        SUCCEEDED(spies);
        runs = spies.runList();
        QCOMPARE(runs.size(), FakeCiServer::seededRuns());
        QCOMPARE(statuses(runs).mid(7), QStringList({"queued", "success", "success"}));
        QCOMPARE(m_server->requests().size(), 3); // stops at the page without rel="next"
    }

    void gitHubListsJobs()
    {
        auto client = gitHub();
        Spies spies(client.get());
        client->listJobs(QStringLiteral("1010"));
        SUCCEEDED(spies);
        QCOMPARE(spies.jobs.last().at(0).toString(), QStringLiteral("1010"));
        QList<CiJob> jobs = spies.jobList();
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs.at(0).id, QStringLiteral("10101"));
        QCOMPARE(jobs.at(0).name, QStringLiteral("test"));
        QCOMPARE(jobs.at(0).status, QStringLiteral("success"));
        QVERIFY(jobs.at(0).finished.isValid());

        client->listJobs(QStringLiteral("1008")); // in progress
        SUCCEEDED(spies);
        jobs = spies.jobList();
        QCOMPARE(jobs.at(0).status, QStringLiteral("running"));
        QCOMPARE(jobs.at(1).status, QStringLiteral("queued"));
    }

    void gitHubLogRedirectIsFollowedWithoutTheToken()
    {
        auto client = gitHub();
        Spies spies(client.get());
        client->fetchLog(QStringLiteral("10101"));
        SUCCEEDED(spies);
        QCOMPARE(spies.log.last().at(0).toString(), QStringLiteral("10101"));
        QVERIFY2(spies.logText().contains(QStringLiteral("log of job 10101")),
                 qPrintable(spies.logText()));

        const auto api =
            m_server->requestsTo(QStringLiteral("/github/repos/octo/app/actions/jobs/10101/logs"));
        QCOMPARE(api.size(), 1);
        QVERIFY(api.first().hasHeader("Authorization"));
        const auto blob = m_server->requestsTo(QStringLiteral("/gh-logs/"));
        QCOMPARE(blob.size(), 1);
        QVERIFY(!blob.first().hasHeader("Authorization"));
        QVERIFY(!blob.first().query.queryItemValue("sig").isEmpty());
    }

    void gitHubBadTokenReportsTheServiceMessage()
    {
        const QString wrongToken = QStringLiteral("ghp_wrongButSecret987654321");
        auto client = gitHub(wrongToken);
        Spies spies(client.get());
        client->listRuns(5);
        FAILED(spies);
        const CiError error = spies.error();
        QCOMPARE(error.httpStatus, 401);
        QCOMPARE(error.message, QStringLiteral("Bad credentials"));
        QVERIFY(!error.rateLimited);
        QCOMPARE(error.toString(),
                 QStringLiteral("GitHub: 401 Bad credentials — check the token (GITHUB_TOKEN)"));
        QVERIFY(!error.toString().contains(wrongToken));
    }

    void gitHubUnknownWorkflowIs404()
    {
        auto client = gitHub(FakeCiServer::gitHubToken(), QStringLiteral("nosuch.yml"));
        Spies spies(client.get());
        client->listRuns(5);
        FAILED(spies);
        QCOMPARE(spies.error().httpStatus, 404);
        QCOMPARE(spies.error().message, QStringLiteral("Not Found"));
        QVERIFY(spies.error().toString().contains(QStringLiteral("nosuch.yml")));
    }

    void gitHubUnknownBranchIs422()
    {
        auto client = gitHub();
        Spies spies(client.get());
        client->trigger(QStringLiteral("nosuch"), {});
        FAILED(spies);
        QCOMPARE(spies.error().httpStatus, 422);
        QCOMPARE(spies.error().message, QStringLiteral("No ref found for: nosuch"));
        QVERIFY(spies.triggered.isEmpty());
    }

    void gitHubRateLimitIsReportedNotRetried()
    {
        m_server->setRateLimited(true);
        auto client = gitHub();
        Spies spies(client.get());
        client->listRuns(5);
        FAILED(spies);
        const CiError error = spies.error();
        QVERIFY(error.rateLimited);
        QCOMPARE(error.httpStatus, 403);
        QCOMPARE(error.retryAt.toSecsSinceEpoch(), m_server->rateLimitReset().toSecsSinceEpoch());
        QVERIFY2(
            error.toString().startsWith(QStringLiteral("GitHub: rate limit reached; retry after ")),
            qPrintable(error.toString()));
        QTest::qWait(200);
        QCOMPARE(m_server->requests().size(), 1);
    }

    // --- GitLab ------------------------------------------------------------------------------

    void gitLabTriggeredPipelineAppearsInTheList()
    {
        auto client = gitLab();
        Spies spies(client.get());
        client->trigger(QStringLiteral("main"),
                        {{QStringLiteral("DEPLOY_ENV"), QStringLiteral("staging")}});
        SUCCEEDED(spies);
        const CiRun run = spies.run();
        QCOMPARE(run.id, QStringLiteral("511"));
        QCOMPARE(run.number, QStringLiteral("11"));
        QCOMPARE(run.status, QStringLiteral("queued"));
        QCOMPARE(run.rawStatus, QStringLiteral("created"));
        QCOMPARE(run.branch, QStringLiteral("main"));

        const auto posts =
            m_server->requestsTo(QStringLiteral("/gitlab/api/v4/projects/42/pipeline"));
        QCOMPARE(posts.size(), 1);
        QCOMPARE(posts.first().method, QByteArray("POST"));
        QCOMPARE(posts.first().header("PRIVATE-TOKEN"), FakeCiServer::gitLabToken().toUtf8());
        const QJsonArray variables = jsonBody(posts.first()).value("variables").toArray();
        QCOMPARE(variables.size(), 1);
        QCOMPARE(variables.first().toObject().value("key").toString(),
                 QStringLiteral("DEPLOY_ENV"));
        QCOMPARE(variables.first().toObject().value("value").toString(), QStringLiteral("staging"));

        client->listRuns(2);
        SUCCEEDED(spies);
        QCOMPARE(spies.runList().size(), 2);
        QCOMPARE(spies.runList().first().id, QStringLiteral("511"));
        QCOMPARE(spies.runList().first().status, QStringLiteral("queued"));
        QCOMPARE(spies.runList().at(1).status, QStringLiteral("success"));
    }

    void gitLabProjectPathAndPagination()
    {
        m_server->setMaxPageSize(3);
        auto client = gitLab(FakeCiServer::gitLabToken(), FakeCiServer::gitLabProjectPath());
        Spies spies(client.get());
        client->listRuns(8);
        SUCCEEDED(spies);
        QCOMPARE(statuses(spies.runList()),
                 QStringList({"success", "failed", "running", "queued", "cancelled", "skipped",
                              "queued", "queued"}));
        const auto pages =
            m_server->requestsTo(QStringLiteral("/gitlab/api/v4/projects/group%2Fapp/pipelines"));
        QCOMPARE(pages.size(), 3);
        QCOMPARE(m_server->requests().size(), 3);
    }

    void gitLabJobsAndTrace()
    {
        auto client = gitLab();
        Spies spies(client.get());
        client->listJobs(QStringLiteral("510"));
        SUCCEEDED(spies);
        const QList<CiJob> jobs = spies.jobList();
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs.at(0).id, QStringLiteral("5101"));
        QCOMPARE(jobs.at(0).status, QStringLiteral("success"));
        QCOMPARE(jobs.at(1).name, QStringLiteral("deploy"));

        client->fetchLog(QStringLiteral("5101"));
        SUCCEEDED(spies);
        QVERIFY(spies.logText().contains(QStringLiteral("log of job 5101")));
        QCOMPARE(m_server->requests().last().path,
                 QStringLiteral("/gitlab/api/v4/projects/42/jobs/5101/trace"));
    }

    void gitLabErrorsCarryTheServiceMessage()
    {
        const QString wrongToken = QStringLiteral("glpat-wrongButSecret");
        auto badToken = gitLab(wrongToken);
        Spies spies(badToken.get());
        badToken->listRuns(5);
        FAILED(spies);
        QCOMPARE(spies.error().httpStatus, 401);
        QCOMPARE(spies.error().toString(),
                 QStringLiteral("GitLab: 401 Unauthorized — check the token (GITLAB_TOKEN)"));
        QVERIFY(!spies.error().toString().contains(wrongToken));

        auto unknownProject = gitLab(FakeCiServer::gitLabToken(), QStringLiteral("group/nosuch"));
        Spies unknown(unknownProject.get());
        unknownProject->listRuns(5);
        FAILED(unknown);
        QCOMPARE(unknown.error().httpStatus, 404);
        QCOMPARE(unknown.error().message, QStringLiteral("Project Not Found"));

        auto client = gitLab();
        Spies badRef(client.get());
        client->trigger(QStringLiteral("nosuch"), {});
        FAILED(badRef);
        QCOMPARE(badRef.error().httpStatus, 400);
        QCOMPARE(badRef.error().message, QStringLiteral("Reference not found"));
    }

    void gitLabRateLimitUsesRetryAfter()
    {
        m_server->setRateLimited(true);
        auto client = gitLab();
        Spies spies(client.get());
        const QDateTime before = QDateTime::currentDateTimeUtc();
        client->listRuns(5);
        FAILED(spies);
        QVERIFY(spies.error().rateLimited);
        QCOMPARE(spies.error().httpStatus, 429);
        const qint64 wait = before.secsTo(spies.error().retryAt);
        QVERIFY2(wait >= 59 && wait <= 62, qPrintable(QString::number(wait)));
        QCOMPARE(m_server->requests().size(), 1);
    }

    // --- Jenkins -----------------------------------------------------------------------------

    void jenkinsTriggerSendsTheCrumbAndWaitsForTheQueue()
    {
        auto client = jenkins();
        Spies spies(client.get());
        client->trigger(QStringLiteral("main"),
                        {{QStringLiteral("TARGET"), QStringLiteral("staging")}});
        SUCCEEDED(spies);
        QCOMPARE(spies.run().number, QStringLiteral("41"));
        QCOMPARE(spies.run().id, QStringLiteral("41"));
        QCOMPARE(spies.run().status, QStringLiteral("running"));

        const auto requests = m_server->requests();
        QCOMPARE(requests.size(), 4); // crumb, build, two queue polls
        QCOMPARE(requests.at(0).path, QStringLiteral("/jenkins/crumbIssuer/api/json"));
        const FakeCiServer::Request &build = requests.at(1);
        QCOMPARE(build.method, QByteArray("POST"));
        QCOMPARE(build.path, QStringLiteral("/jenkins/job/pgdeck-deploy/buildWithParameters"));
        QCOMPARE(build.header(FakeCiServer::jenkinsCrumbField()), m_server->jenkinsCrumb());
        QCOMPARE(build.header("Authorization"),
                 "Basic " + (FakeCiServer::jenkinsUser() + ':' + FakeCiServer::jenkinsToken())
                                .toUtf8()
                                .toBase64());
        QCOMPARE(build.query.queryItemValue("BRANCH"), QStringLiteral("main"));
        QCOMPARE(build.query.queryItemValue("TARGET"), QStringLiteral("staging"));
        QCOMPARE(requests.at(2).path, QStringLiteral("/jenkins/queue/item/17/api/json"));
        QCOMPARE(requests.at(3).path, QStringLiteral("/jenkins/queue/item/17/api/json"));

        client->listRuns(3);
        SUCCEEDED(spies);
        const QList<CiRun> runs = spies.runList();
        QCOMPARE(runs.size(), 3);
        QCOMPARE(runs.at(0).number, QStringLiteral("41"));
        QCOMPARE(runs.at(0).status, QStringLiteral("running"));
        QCOMPARE(statuses(runs).mid(1), QStringList({"success", "failed"}));
    }

    void jenkinsRenewsAnExpiredCrumbOnce()
    {
        auto client = jenkins();
        Spies spies(client.get());
        client->trigger(QStringLiteral("main"), {});
        SUCCEEDED(spies);
        m_server->renewJenkinsCrumb();
        m_server->clearRequests();
        client->trigger(QStringLiteral("main"), {});
        SUCCEEDED(spies);
        QCOMPARE(spies.run().number, QStringLiteral("42"));
        const auto builds =
            m_server->requestsTo(QStringLiteral("/jenkins/job/pgdeck-deploy/buildWithParameters"));
        QCOMPARE(builds.size(), 2); // refused with the old crumb, accepted with the new one
        QCOMPARE(builds.at(1).header(FakeCiServer::jenkinsCrumbField()), m_server->jenkinsCrumb());
        QCOMPARE(m_server->requestsTo(QStringLiteral("/jenkins/crumbIssuer/")).size(), 1);
    }

    void jenkinsWithoutCsrfProtectionSendsNoCrumb()
    {
        m_server->setJenkinsCrumbRequired(false);
        auto client = jenkins();
        Spies spies(client.get());
        client->trigger(QStringLiteral("develop"), {});
        SUCCEEDED(spies);
        const auto builds =
            m_server->requestsTo(QStringLiteral("/jenkins/job/pgdeck-deploy/buildWithParameters"));
        QCOMPARE(builds.size(), 1);
        QVERIFY(!builds.first().hasHeader(FakeCiServer::jenkinsCrumbField()));
        QCOMPARE(builds.first().query.queryItemValue("BRANCH"), QStringLiteral("develop"));
    }

    void jenkinsListsBuildsStagesAndConsole()
    {
        auto client = jenkins();
        Spies spies(client.get());
        client->listRuns(5);
        SUCCEEDED(spies);
        const QList<CiRun> runs = spies.runList();
        QCOMPARE(statuses(runs),
                 QStringList({"success", "failed", "cancelled", "failed", "skipped"}));
        QCOMPARE(runs.first().rawStatus, QStringLiteral("SUCCESS"));
        QCOMPARE(runs.first().durationSeconds, 61);
        QVERIFY(m_server->requests()
                    .last()
                    .query.queryItemValue("tree", QUrl::FullyDecoded)
                    .endsWith(QStringLiteral("{0,5}")));

        client->listJobs(QStringLiteral("40"));
        SUCCEEDED(spies);
        const QList<CiJob> stages = spies.jobList();
        QCOMPARE(stages.size(), 2);
        QCOMPARE(stages.at(0).id, QStringLiteral("40:6"));
        QCOMPARE(stages.at(0).name, QStringLiteral("Test"));
        QCOMPARE(stages.at(1).status, QStringLiteral("success"));
        QVERIFY(stages.at(1).finished > stages.at(1).started);

        client->fetchLog(stages.at(0).id);
        SUCCEEDED(spies);
        QVERIFY(spies.logText().contains(QStringLiteral("console of build 40")));
        QCOMPARE(m_server->requests().last().path,
                 QStringLiteral("/jenkins/job/pgdeck-deploy/40/consoleText"));
    }

    void jenkinsErrorsCarryTheServiceMessage()
    {
        const QString wrongToken = QStringLiteral("11wrongButSecretToken");
        auto badToken = jenkins(wrongToken);
        Spies spies(badToken.get());
        badToken->listRuns(5);
        FAILED(spies);
        QCOMPARE(spies.error().httpStatus, 401);
        QCOMPARE(spies.error().message,
                 QStringLiteral("Invalid password/token for user: deployer"));
        QVERIFY(spies.error().toString().contains(QStringLiteral("JENKINS_TOKEN")));
        QVERIFY(!spies.error().toString().contains(wrongToken));

        auto client = jenkins();
        Spies missing(client.get());
        client->listJobs(QStringLiteral("999"));
        FAILED(missing);
        QCOMPARE(missing.error().httpStatus, 404);
        QCOMPARE(missing.error().message, QStringLiteral("Not Found"));
    }

    // --- CircleCI ----------------------------------------------------------------------------

    void circleCiTriggeredPipelineAppearsInTheList()
    {
        auto client = circleCi();
        Spies spies(client.get());
        client->trigger(QStringLiteral("main"),
                        {{QStringLiteral("deploy"), QStringLiteral("true")},
                         {QStringLiteral("target"), QStringLiteral("staging")}});
        SUCCEEDED(spies);
        const CiRun run = spies.run();
        QVERIFY(!run.id.isEmpty());
        QCOMPARE(run.number, QStringLiteral("11"));
        QCOMPARE(run.status, QStringLiteral("queued"));
        const auto posts =
            m_server->requestsTo(QStringLiteral("/circleci/api/v2/project/gh/octo/app/pipeline"));
        QCOMPARE(posts.size(), 1);
        QCOMPARE(posts.first().header("Circle-Token"), FakeCiServer::circleCiToken().toUtf8());
        const QJsonObject parameters = jsonBody(posts.first()).value("parameters").toObject();
        QCOMPARE(parameters.value("deploy"), QJsonValue(true));
        QCOMPARE(parameters.value("target"), QJsonValue(QStringLiteral("staging")));

        client->listRuns(3);
        SUCCEEDED(spies);
        const QList<CiRun> runs = spies.runList();
        QCOMPARE(runs.size(), 3);
        QCOMPARE(runs.at(0).id, run.id);
        QCOMPARE(runs.at(0).status, QStringLiteral("running")); // its workflow's status
        QCOMPARE(runs.at(0).branch, QStringLiteral("main"));
        QCOMPARE(statuses(runs).mid(1), QStringList({"success", "failed"}));
        QCOMPARE(runs.at(1).durationSeconds, 300);
    }

    void circleCiFollowsNextPageToken()
    {
        m_server->setMaxPageSize(4);
        auto client = circleCi();
        client->setBranchFilter(QStringLiteral("main"));
        Spies spies(client.get());
        client->listRuns(9);
        SUCCEEDED(spies);
        QCOMPARE(statuses(spies.runList()),
                 QStringList({"success", "failed", "running", "queued", "cancelled", "skipped",
                              "running", "failed", "success"}));
        const auto pages =
            m_server->requestsTo(QStringLiteral("/circleci/api/v2/project/gh/octo/app/pipeline"));
        QCOMPARE(pages.size(), 3);
        QVERIFY(!pages.at(0).query.hasQueryItem("page-token"));
        QVERIFY(!pages.at(1).query.queryItemValue("page-token").isEmpty());
        QCOMPARE(pages.at(2).query.queryItemValue("branch"), QStringLiteral("main"));
        QCOMPARE(m_server->requestsTo(QStringLiteral("/circleci/api/v2/pipeline/")).size(), 9);
    }

    void circleCiJobsAndWhereTheLogIs()
    {
        auto client = circleCi();
        Spies spies(client.get());
        client->listRuns(1);
        SUCCEEDED(spies);
        const QString pipelineId = spies.runList().first().id;

        client->listJobs(pipelineId);
        SUCCEEDED(spies);
        const QList<CiJob> jobs = spies.jobList();
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs.at(0).id, QStringLiteral("101"));
        QCOMPARE(jobs.at(0).status, QStringLiteral("success"));
        QVERIFY(jobs.at(0).url.contains(QStringLiteral("/jobs/101")));
        QCOMPARE(jobs.at(1).name, QStringLiteral("approve-deploy")); // no number: not a build

        client->fetchLog(QStringLiteral("101"));
        SUCCEEDED(spies);
        QVERIFY(spies.logText().contains(QStringLiteral("no endpoint for job logs")));
        QVERIFY2(spies.logText().contains(
                     QStringLiteral("https://app.circleci.com/pipelines/github/octo/app/10/")),
                 qPrintable(spies.logText()));
        QCOMPARE(m_server->requests().last().path,
                 QStringLiteral("/circleci/api/v2/project/gh/octo/app/job/101"));
    }

    void circleCiErrorsCarryTheServiceMessage()
    {
        const QString wrongToken = QStringLiteral("CCIPAT_wrongButSecret");
        auto client = circleCi(wrongToken);
        Spies spies(client.get());
        client->trigger(QStringLiteral("main"), {});
        FAILED(spies);
        QCOMPARE(spies.error().httpStatus, 401);
        QCOMPARE(spies.error().message, QStringLiteral("You must log in first."));
        QVERIFY(spies.error().toString().contains(QStringLiteral("CIRCLECI_TOKEN")));
        QVERIFY(!spies.error().toString().contains(wrongToken));

        auto good = circleCi();
        Spies missing(good.get());
        good->fetchLog(QStringLiteral("999"));
        FAILED(missing);
        QCOMPARE(missing.error().httpStatus, 404);
        QCOMPARE(missing.error().message, QStringLiteral("Job not found"));
    }

    void circleCiRateLimitUsesRetryAfter()
    {
        m_server->setRateLimited(true);
        auto client = circleCi();
        Spies spies(client.get());
        const QDateTime before = QDateTime::currentDateTimeUtc();
        client->listRuns(5);
        FAILED(spies);
        QVERIFY(spies.error().rateLimited);
        const qint64 wait = before.secsTo(spies.error().retryAt);
        QVERIFY2(wait >= 29 && wait <= 32, qPrintable(QString::number(wait)));
        QVERIFY(
            spies.error().toString().startsWith(QStringLiteral("CircleCI: rate limit reached")));
    }

    void unreachableServiceFailsWithoutAnHttpStatus()
    {
        auto client = gitHub();
        client->setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:1")));
        Spies spies(client.get());
        client->listRuns(1);
        FAILED(spies);
        QCOMPARE(spies.error().httpStatus, 0);
        QVERIFY(!spies.error().message.isEmpty());
        QVERIFY(!spies.error().toString().contains(FakeCiServer::gitHubToken()));
    }
};

QTEST_GUILESS_MAIN(TstCiClients)
#include "tst_ciclients.moc"
