// pgdeckctl pipeline runs|trigger|watch against the local server that implements the CI
// services' documented endpoints: the run list, a trigger found in the list afterwards, a
// failed run followed to its end with the failed jobs' logs, and a missing token refused
// before any request.
#include "fakeciserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

using namespace pgdeck;
using pgdeck::test::FakeCiServer;

class TestPipelineCli : public QObject {
    Q_OBJECT

    std::unique_ptr<FakeCiServer> m_server;

    struct Run {
        int exitCode = -1;
        QString out;
    };

    // pgdeckctl in a child process while this thread's event loop serves its requests.
    Run ctl(const QStringList &args, const QProcessEnvironment &env)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setProcessEnvironment(env);
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(qEnvironmentVariable("PGDECKCTL"), QStringList{QStringLiteral("pipeline")} + args);
        Run r;
        if (finished.wait(120000) && p.exitStatus() == QProcess::NormalExit)
            r.exitCode = p.exitCode();
        r.out = QString::fromUtf8(p.readAll());
        return r;
    }

    QProcessEnvironment withToken(const QString &variable, const QString &token)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *v :
             {"GITHUB_TOKEN", "GITLAB_TOKEN", "JENKINS_USER", "JENKINS_TOKEN", "CIRCLECI_TOKEN"})
            env.remove(QLatin1String(v));
        if (!variable.isEmpty())
            env.insert(variable, token);
        return env;
    }

    QStringList gitHub() const
    {
        return {QStringLiteral("--service"), QStringLiteral("github"),
                QStringLiteral("--repo"),    FakeCiServer::gitHubRepository(),
                QStringLiteral("--url"),     m_server->gitHubApiUrl().toString()};
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeCiServer>();
        QVERIFY(m_server->start());
    }
    void cleanup() { m_server.reset(); }

    void listsRuns()
    {
        const auto env = withToken(QStringLiteral("GITHUB_TOKEN"), FakeCiServer::gitHubToken());
        const Run r = ctl(QStringList{QStringLiteral("runs"), QStringLiteral("--json"),
                                      QStringLiteral("--limit"), QStringLiteral("4")} +
                              gitHub(),
                          env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        const QJsonArray runs = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(runs.size(), 4);
        QCOMPARE(runs[0].toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("success"));
        QCOMPARE(runs[1].toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("failed"));

        const Run table = ctl(QStringList{QStringLiteral("runs")} + gitHub(), env);
        QVERIFY2(table.exitCode == 0 && table.out.contains(QLatin1String("#10")) &&
                     table.out.contains(QLatin1String("failed")),
                 qPrintable(table.out));
    }

    void triggerFindsTheNewRun()
    {
        const Run r = ctl(QStringList{QStringLiteral("trigger"), QStringLiteral("--branch"),
                                      QStringLiteral("main"), QStringLiteral("--param"),
                                      QStringLiteral("environment=staging")} +
                              gitHub(),
                          withToken(QStringLiteral("GITHUB_TOKEN"), FakeCiServer::gitHubToken()));
        QVERIFY2(r.exitCode == 0 &&
                     r.out.contains(QLatin1String("GitHub: triggered on main, run ")),
                 qPrintable(r.out));
        QCOMPARE(m_server
                     ->requestsTo(QStringLiteral(
                         "/github/repos/octo/app/actions/workflows/deploy.yml/dispatches"))
                     .size(),
                 1);
    }

    void watchFollowsAFailedRunAndPrintsItsLogs()
    {
        // Run 1009 (#9) ended in failure: both jobs listed, the failed ones' logs printed.
        const Run r = ctl(QStringList{QStringLiteral("watch"), QStringLiteral("--run"),
                                      QStringLiteral("1009"), QStringLiteral("--logs")} +
                              gitHub(),
                          withToken(QStringLiteral("GITHUB_TOKEN"), FakeCiServer::gitHubToken()));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QLatin1String("run #9: failed")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("test: failed (40s)")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("--- log of test ---")) &&
                     r.out.contains(QLatin1String("Run npm test")),
                 qPrintable(r.out));
        // The log came through the redirect without the token.
        const auto blobs = m_server->requestsTo(QStringLiteral("/gh-logs/"));
        QVERIFY(!blobs.isEmpty());
        for (const auto &b : blobs)
            QVERIFY(!b.hasHeader("Authorization"));

        // A successful run exits 0.
        const Run ok = ctl(
            QStringList{QStringLiteral("watch"), QStringLiteral("--run"), QStringLiteral("1010")} +
                gitHub(),
            withToken(QStringLiteral("GITHUB_TOKEN"), FakeCiServer::gitHubToken()));
        QVERIFY2(ok.exitCode == 0 && ok.out.contains(QLatin1String("run #10: success")),
                 qPrintable(ok.out));
    }

    void otherServicesToo()
    {
        const Run gitlab = ctl(
            {QStringLiteral("runs"), QStringLiteral("--service"), QStringLiteral("gitlab"),
             QStringLiteral("--repo"), FakeCiServer::gitLabProjectPath(), QStringLiteral("--url"),
             m_server->gitLabApiUrl().toString(), QStringLiteral("--json")},
            withToken(QStringLiteral("GITLAB_TOKEN"), FakeCiServer::gitLabToken()));
        QVERIFY2(gitlab.exitCode == 0 &&
                     QJsonDocument::fromJson(gitlab.out.toUtf8()).array().size() == 10,
                 qPrintable(gitlab.out));
        QProcessEnvironment jenkinsEnv =
            withToken(QStringLiteral("JENKINS_TOKEN"), FakeCiServer::jenkinsToken());
        jenkinsEnv.insert(QStringLiteral("JENKINS_USER"), FakeCiServer::jenkinsUser());
        const Run jenkins =
            ctl({QStringLiteral("watch"), QStringLiteral("--service"), QStringLiteral("jenkins"),
                 QStringLiteral("--repo"), FakeCiServer::jenkinsJob(), QStringLiteral("--url"),
                 m_server->jenkinsUrl().toString()},
                jenkinsEnv);
        QVERIFY2(jenkins.exitCode == 0 && jenkins.out.contains(QLatin1String(": success")),
                 qPrintable(jenkins.out));
    }

    void missingOrWrongTokensAreNamed()
    {
        const Run none = ctl(QStringList{QStringLiteral("runs")} + gitHub(), withToken({}, {}));
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.out.contains(QLatin1String("set GITHUB_TOKEN")), qPrintable(none.out));
        QVERIFY(m_server->requests().isEmpty());

        const Run wrong =
            ctl(QStringList{QStringLiteral("runs")} + gitHub(),
                withToken(QStringLiteral("GITHUB_TOKEN"), QStringLiteral("ghp_wrong")));
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.out.contains(QLatin1String("401 Bad credentials")), qPrintable(wrong.out));
        QVERIFY(!wrong.out.contains(QLatin1String("ghp_wrong")));
    }
};

QTEST_GUILESS_MAIN(TestPipelineCli)
#include "tst_pipelinecli.moc"
