// Running a pipeline here before it is pushed: the sample Node.js app's pipeline runs for
// real, with the PostgreSQL service its test job declares on 127.0.0.1 — in a scratch
// directory with this machine's node and PostgreSQL, and in containers of the jobs' images
// when the engine and the images are here. A failing step is reported as failed, the steps
// after it are skipped, and the service and the copy are removed all the same.
#include "dockerfixture.h"
#include "pipeline/localrun.h"
#include "sandbox/sandbox.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;
using pgdeck::test::DockerFixture;

namespace {

PipelineSpec sampleSpec()
{
    PipelineSpec spec;
    spec.image = QStringLiteral("ghcr.io/pgdeck-test/sample");
    spec.deployHost = QStringLiteral("deploy@app.example.com");
    return spec;
}

bool portAnswers(int port)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
    return s.waitForConnected(1000);
}

} // namespace

class TestPipelineRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_repo;

    LocalRunOptions options(bool containers)
    {
        LocalRunOptions o;
        o.repoDir = m_repo;
        o.inContainers = containers;
        QString error;
        if (!containers) {
            o.pgBinDir = Sandbox::findBinDir(&error);
            o.pgOsUser = Sandbox::defaultOsUser();
        }
        o.pgPort = Sandbox::findFreePorts(26000 + QRandomGenerator::global()->bounded(1500), 1);
        o.scratchDir = m_tmp.filePath(
            QStringLiteral("pgdeck-run-%1").arg(QRandomGenerator::global()->bounded(1000000)));
        return o;
    }

    // Runs to the end; the states by step id.
    QHash<QString, PipelineLocalRun::State>
    runToEnd(PipelineLocalRun &run, const LocalRunOptions &o, QString *summary, QStringList *output)
    {
        QSignalSpy done(&run, &PipelineLocalRun::finished);
        connect(&run, &PipelineLocalRun::output, this,
                [output](int, const QString &l) { *output << l; });
        QString error;
        if (!run.start(sampleSpec(), o, &error)) {
            *summary = error;
            return {};
        }
        if (!done.wait(600000))
            return {};
        *summary = done.first().at(1).toString();
        QHash<QString, PipelineLocalRun::State> states;
        for (const auto &s : run.steps())
            states.insert(s.job + QLatin1Char('/') + s.id, s.state);
        return states;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_repo = m_tmp.filePath(QStringLiteral("repo"));
        QVERIFY(DockerFixture::copySampleApp(m_repo));
        // The Docker wizard's Dockerfile, so the build job has something to build.
        QProcess init;
        init.start(qEnvironmentVariable("PGDECKCTL"),
                   {QStringLiteral("docker"), QStringLiteral("init"), QStringLiteral("--dir"),
                    m_repo, QStringLiteral("--write")});
        QVERIFY(init.waitForFinished(30000) && init.exitCode() == 0);
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
    }

    void runsInAScratchDirectory()
    {
        const LocalRunOptions o = options(false);
        PipelineLocalRun run;
        QString summary;
        QStringList output;
        const auto states = runToEnd(run, o, &summary, &output);
        QVERIFY2(summary.startsWith(QLatin1String("passed")),
                 qPrintable(summary + output.join(QLatin1Char('\n'))));
        QCOMPARE(states.value(QStringLiteral("services/postgres")),
                 PipelineLocalRun::State::Passed);
        QCOMPARE(states.value(QStringLiteral("test/wait-db")), PipelineLocalRun::State::Passed);
        QCOMPARE(states.value(QStringLiteral("test/install")), PipelineLocalRun::State::Passed);
        QCOMPARE(states.value(QStringLiteral("test/test")), PipelineLocalRun::State::Passed);
        // Without containers there is no engine to build with; nothing leaves this machine.
        QCOMPARE(states.value(QStringLiteral("build/build")), PipelineLocalRun::State::Skipped);
        QCOMPARE(states.value(QStringLiteral("build/push")), PipelineLocalRun::State::Skipped);
        QCOMPARE(states.value(QStringLiteral("deploy/deploy")), PipelineLocalRun::State::Skipped);
        // The app's test reached the service the run started.
        QVERIFY2(
            output.contains(QStringLiteral("ok - PostgreSQL at 127.0.0.1:%1 accepts connections")
                                .arg(o.pgPort)),
            qPrintable(output.join(QLatin1Char('\n'))));
        for (const auto &s : run.steps())
            if (s.state == PipelineLocalRun::State::Passed)
                QVERIFY(s.durationMs >= 0 && s.exitCode == 0);
        // Nothing left behind.
        QVERIFY(!portAnswers(o.pgPort));
        QVERIFY(!QFile::exists(o.scratchDir));
        QVERIFY(!QFile::exists(QDir::temp().filePath(QFileInfo(o.scratchDir).fileName() +
                                                     QStringLiteral("-postgres"))));
    }

    void aFailingStepIsReportedAndTheRestCleansUp()
    {
        QFile test(QDir(m_repo).filePath(QStringLiteral("test.js")));
        QVERIFY(test.rename(QDir(m_repo).filePath(QStringLiteral("test.js.good"))));
        QFile bad(QDir(m_repo).filePath(QStringLiteral("test.js")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("console.error('not ok - 1 + 1 is not 3'); process.exit(3);\n");
        bad.close();
        const LocalRunOptions o = options(false);
        PipelineLocalRun run;
        QString summary;
        QStringList output;
        const auto states = runToEnd(run, o, &summary, &output);
        QFile::remove(QDir(m_repo).filePath(QStringLiteral("test.js")));
        QVERIFY(QFile::rename(QDir(m_repo).filePath(QStringLiteral("test.js.good")),
                              QDir(m_repo).filePath(QStringLiteral("test.js"))));

        QVERIFY2(summary.startsWith(QLatin1String("failed")) &&
                     summary.contains(QLatin1String("test/test failed")),
                 qPrintable(summary));
        QCOMPARE(states.value(QStringLiteral("test/install")), PipelineLocalRun::State::Passed);
        QCOMPARE(states.value(QStringLiteral("test/test")), PipelineLocalRun::State::Failed);
        QVERIFY(output.contains(QStringLiteral("not ok - 1 + 1 is not 3")));
        for (const auto &s : run.steps())
            if (s.job == QLatin1String("build") || s.job == QLatin1String("deploy"))
                QCOMPARE(s.state, PipelineLocalRun::State::Skipped);
        QCOMPARE(states.value(QStringLiteral("services/postgres-stop")),
                 PipelineLocalRun::State::Passed);
        QCOMPARE(states.value(QStringLiteral("local/clean")), PipelineLocalRun::State::Passed);
        QVERIFY(!portAnswers(o.pgPort));
        QVERIFY(!QFile::exists(o.scratchDir));
    }

    void runsInContainersThroughPgdeckctl()
    {
        if (const QString why = DockerFixture::whyNoImages(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QString error;
        QVERIFY2(DockerFixture::ensureImages(&error), qPrintable(error));
        const QStringList runContainers{QStringLiteral("ps"), QStringLiteral("-aq"),
                                        QStringLiteral("--filter"),
                                        QStringLiteral("name=pgdeck-run-")};
        QString before;
        QVERIFY(DockerFixture::docker(runContainers, &before));
        QProcess ctl;
        ctl.setProcessChannelMode(QProcess::MergedChannels);
        ctl.start(qEnvironmentVariable("PGDECKCTL"),
                  {QStringLiteral("pipeline"), QStringLiteral("run-local"),
                   QStringLiteral("--containers"), QStringLiteral("--dir"), m_repo,
                   QStringLiteral("--image"), sampleSpec().image, QStringLiteral("--deploy-host"),
                   sampleSpec().deployHost});
        QVERIFY(ctl.waitForFinished(600000));
        const QString out = QString::fromUtf8(ctl.readAll());
        DockerFixture::docker({QStringLiteral("rmi"), sampleSpec().image + QStringLiteral(":local"),
                               sampleSpec().image + QStringLiteral(":latest")});
        QVERIFY2(ctl.exitCode() == 0, qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("in containers of each job's image")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("| ok - PostgreSQL at 127.0.0.1:")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("Successfully tagged ") + sampleSpec().image +
                              QLatin1String(":local")),
                 qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("Push the image ... skipped")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("passed: 8 passed, 3 skipped")), qPrintable(out));
        QString after;
        QVERIFY(DockerFixture::docker(runContainers, &after));
        QCOMPARE(after, before); // the service container is gone
    }
};

QTEST_GUILESS_MAIN(TestPipelineRun)
#include "tst_pipelinerun.moc"
