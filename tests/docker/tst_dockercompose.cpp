// A generated deployment run for real through pgdeckctl: `docker init` writes the files for
// the sample Node.js app with a primary and a streaming replica, `docker validate` checks
// them, `docker up` builds the app's image, starts everything and waits for health, then
// joins the inventory. Asserted: replication streaming over 127.0.0.1 with the passwords
// pgdeckctl wrote to PGPASSFILE, the Engine API's view (health, stats, logs), the app
// answering on its port, restart, a second project refused on a taken port and on an image
// no registry serves (each with the engine's own text), and `down` keeping the volumes unless
// asked. Needs the locally built postgres:15 and node:18 images.
#include "docker/composetool.h"
#include "docker/dockerengine.h"
#include "dockerfixture.h"
#include "pg/pgconnection.h"
#include "pg/pgresult.h"
#include "sandbox/sandbox.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;
using pgdeck::test::DockerFixture;

namespace {

struct CtlRun {
    int exitCode = -1;
    QString out;
};

CtlRun ctl(const QStringList &args, int timeoutMs = 600000,
           const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("PGDECKCTL"), args);
    CtlRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    } else if (p.exitStatus() == QProcess::NormalExit) {
        r.exitCode = p.exitCode();
    }
    r.out = QString::fromUtf8(p.readAll());
    return r;
}

} // namespace

class TestDockerCompose : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_dir;      // the project
    QString m_otherDir; // a second project on the same ports
    QString m_project;
    int m_port = 0;
    int m_appPort = 0;

    QStringList projectArgs(const QString &dir, const QString &project) const
    {
        return {QStringLiteral("--dir"), dir, QStringLiteral("--project"), project};
    }

    QStringList docker(const QString &action, const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("docker"), action} + more + projectArgs(m_dir, m_project);
    }

    // No password here: libpq reads it from the PGPASSFILE `docker up` wrote.
    QString scalar(int port, const QString &sql)
    {
        PgConnection c;
        c.setParams(ConnectionParams::parse(
            QStringLiteral("host=127.0.0.1 port=%1 dbname=app user=app connect_timeout=3")
                .arg(port)));
        if (!c.waitForReady(5000))
            return QStringLiteral("error: ") + c.lastError();
        const PgResult r = c.execSync(sql);
        return r.ok() ? r.scalar().toString() : QStringLiteral("error: ") + r.errorMessage();
    }

    QList<DockerContainer> containers(DockerEngine *engine)
    {
        QSignalSpy listed(engine, &DockerEngine::containersListed);
        engine->listContainers(m_project);
        if (!listed.wait(10000))
            return {};
        return listed.first().at(2).value<QList<DockerContainer>>();
    }

    QString containerId(DockerEngine *engine, const QString &service)
    {
        for (const DockerContainer &c : containers(engine))
            if (c.composeService == service)
                return c.id;
        return {};
    }

    static bool initProject(const QString &dir, const QString &project, int port, int appPort,
                            QString *out)
    {
        if (!DockerFixture::copySampleApp(dir))
            return false;
        const CtlRun r = ctl(
            {QStringLiteral("docker"), QStringLiteral("init"), QStringLiteral("--dir"), dir,
             QStringLiteral("--project"), project, QStringLiteral("--app"), QStringLiteral("node"),
             QStringLiteral("--db"), QStringLiteral("replicated"), QStringLiteral("--replicas"),
             QStringLiteral("1"), QStringLiteral("--port"), QString::number(port),
             QStringLiteral("--app-port"), QString::number(appPort), QStringLiteral("--write")},
            60000);
        *out = r.out;
        return r.exitCode == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = DockerFixture::whyNoImages(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QString error;
        QVERIFY2(DockerFixture::ensureImages(&error), qPrintable(error));
        QVERIFY2(!ComposeTool::detect(nullptr, &error).isEmpty(), qPrintable(error));
        m_project = QStringLiteral("pgdecktest%1").arg(QRandomGenerator::global()->bounded(100000));
        m_port = Sandbox::findFreePorts(24000 + QRandomGenerator::global()->bounded(1500), 2);
        m_appPort = Sandbox::findFreePorts(m_port + 10, 1);
        m_dir = m_tmp.filePath(QStringLiteral("app"));
        m_otherDir = m_tmp.filePath(QStringLiteral("other"));
        QVERIFY(QDir().mkpath(m_dir) && QDir().mkpath(m_otherDir));
        qputenv("PGPASSFILE", m_tmp.filePath(QStringLiteral("pgpass")).toUtf8());
    }

    void initAndValidate()
    {
        QString out;
        QVERIFY2(initProject(m_dir, m_project, m_port, m_appPort, &out), qPrintable(out));
        const CtlRun valid = ctl(docker(QStringLiteral("validate")), 60000);
        QVERIFY2(valid.exitCode == 0 && valid.out.startsWith(QLatin1String("valid")),
                 qPrintable(valid.out));
    }

    void upBuildsStartsAndJoinsTheInventory()
    {
        const QString inventory = m_tmp.filePath(QStringLiteral("inventory.yml"));
        // Without --apply: the plan only, nothing started.
        const CtlRun preview = ctl(docker(QStringLiteral("up"), {QStringLiteral("-i"), inventory}));
        QVERIFY2(preview.exitCode == 0 &&
                     preview.out.contains(QLatin1String("Wait until app is healthy")),
                 qPrintable(preview.out));
        QVERIFY(!QFile::exists(inventory));

        QElapsedTimer clock;
        clock.start();
        const CtlRun up = ctl(docker(QStringLiteral("up"),
                                     {QStringLiteral("-i"), inventory, QStringLiteral("--apply")}));
        qInfo("docker up took %.1f s", clock.elapsed() / 1000.0);
        QVERIFY2(up.exitCode == 0, qPrintable(up.out));
        // Every service waited on; Compose's own output shown as it came.
        for (const char *service : {"db-primary", "db-replica-1", "app"})
            QVERIFY2(up.out.contains(QStringLiteral("Wait until %1 is healthy ... done")
                                         .arg(QLatin1String(service))),
                     qPrintable(up.out));
        QVERIFY2(up.out.contains(QLatin1String("      | ")), qPrintable(up.out));

        QFile inv(inventory);
        QVERIFY(inv.open(QIODevice::ReadOnly));
        const QString yaml = QString::fromUtf8(inv.readAll());
        QVERIFY2(yaml.contains(QStringLiteral("name: %1").arg(m_project)), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("port: %1").arg(m_port)) &&
                     yaml.contains(QStringLiteral("port: %1").arg(m_port + 1)),
                 qPrintable(yaml));
        QVERIFY(!yaml.contains(QLatin1String("password")));
        QFile pgpass(qEnvironmentVariable("PGPASSFILE"));
        QCOMPARE(int(pgpass.permissions() & 0x0077), 0); // group and others: nothing
        QVERIFY(pgpass.open(QIODevice::ReadOnly));
        QCOMPARE(pgpass.readAll().count('\n'), 2);
    }

    void replicaStreamsOverLoopback()
    {
        // The replica names itself (cluster_name), so the primary reports it by service.
        QElapsedTimer clock;
        clock.start();
        QString state;
        while (clock.elapsed() < 60000) {
            state = scalar(m_port, QStringLiteral("select string_agg(application_name || '=' || "
                                                  "state, ',') from pg_stat_replication"));
            if (state == QLatin1String("db-replica-1=streaming"))
                break;
            QTest::qWait(1000);
        }
        QCOMPARE(state, QStringLiteral("db-replica-1=streaming"));
        QCOMPARE(scalar(m_port + 1, QStringLiteral("select pg_is_in_recovery()")),
                 QStringLiteral("true"));
        QCOMPARE(
            scalar(m_port, QStringLiteral("create table t as select 42 as v; select v from t")),
            QStringLiteral("42"));
        QTRY_COMPARE_WITH_TIMEOUT(scalar(m_port + 1, QStringLiteral("select v from t")),
                                  QStringLiteral("42"), 20000);
    }

    void engineApiSeesHealthStatsAndLogs()
    {
        DockerEngine engine;
        const QList<DockerContainer> list = containers(&engine);
        QCOMPARE(list.size(), 3);
        for (const DockerContainer &c : list) {
            QVERIFY2(c.isRunning(), qPrintable(c.name + QLatin1Char(' ') + c.state));
            QCOMPARE(c.health, QStringLiteral("healthy"));
        }
        const QString primary = containerId(&engine, QStringLiteral("db-primary"));
        QVERIFY(!primary.isEmpty());

        QSignalSpy stats(&engine, &DockerEngine::statsReceived);
        engine.stats(primary);
        QVERIFY(stats.wait(15000));
        const auto sample = stats.first().at(2).value<DockerStats>();
        QVERIFY2(stats.first().at(1).value<DockerResult>().ok,
                 qPrintable(stats.first().at(1).value<DockerResult>().message));
        QVERIFY(sample.memoryBytes > 1024 * 1024); // a running PostgreSQL: more than a MiB
        QVERIFY(sample.onlineCpus >= 1);

        QSignalSpy logs(&engine, &DockerEngine::logsReceived);
        engine.logs(primary);
        QVERIFY(logs.wait(15000));
        QStringList text;
        for (const DockerLogLine &l : logs.first().at(2).value<QList<DockerLogLine>>())
            text << l.text;
        QVERIFY2(
            text.join(QLatin1Char('\n')).contains(QLatin1String("ready to accept connections")),
            qPrintable(text.join(QLatin1Char('\n')).right(2000)));

        const CtlRun ps = ctl(docker(QStringLiteral("ps"), {QStringLiteral("--json")}), 30000);
        QCOMPARE(ps.exitCode, 0);
        const QJsonArray rows = QJsonDocument::fromJson(ps.out.toUtf8()).array();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0].toObject().value(QStringLiteral("service")).toString(),
                 QStringLiteral("app"));
        QCOMPARE(rows[0].toObject().value(QStringLiteral("health")).toString(),
                 QStringLiteral("healthy"));

        const CtlRun tail =
            ctl(docker(QStringLiteral("logs"),
                       {QStringLiteral("app"), QStringLiteral("--tail"), QStringLiteral("5")}),
                60000);
        QVERIFY2(tail.exitCode == 0 &&
                     tail.out.contains(QStringLiteral("listening on %1").arg(m_appPort)),
                 qPrintable(tail.out));
    }

    void appAnswersOnItsPort()
    {
        QNetworkAccessManager http;
        QNetworkReply *reply =
            http.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_appPort))));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(15000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(body.value(QStringLiteral("database")).toString(), QStringLiteral("reachable"));
        reply->deleteLater();
    }

    void restartWaitsForHealthAgain()
    {
        const CtlRun r = ctl(docker(QStringLiteral("restart"),
                                    {QStringLiteral("db-replica-1"), QStringLiteral("--apply")}));
        QVERIFY2(r.exitCode == 0 &&
                     r.out.contains(QLatin1String("Wait until db-replica-1 is healthy ... done")),
                 qPrintable(r.out));
        QCOMPARE(scalar(m_port + 1, QStringLiteral("select v from t")), QStringLiteral("42"));
    }

    void badInputGetsTheEnginesOwnWords()
    {
        // A second project on the same host ports: Compose fails and says why.
        QString out;
        const QString other = m_project + QStringLiteral("b");
        QVERIFY2(initProject(m_otherDir, other, m_port, m_appPort, &out), qPrintable(out));
        const CtlRun taken =
            ctl({QStringLiteral("docker"), QStringLiteral("up"), QStringLiteral("--apply"),
                 QStringLiteral("--dir"), m_otherDir, QStringLiteral("--project"), other});
        QVERIFY(taken.exitCode != 0);
        QVERIFY2(taken.out.contains(QLatin1String("port is already allocated")) ||
                     taken.out.contains(QLatin1String("address already in use")),
                 qPrintable(taken.out));
        QVERIFY2(taken.out.contains(QLatin1String("pgdeckctl resume")), qPrintable(taken.out));

        // An image no registry serves (one on a closed loopback port): the engine's words head
        // the failure, not Compose's progress lines.
        QFile compose(QDir(m_otherDir).filePath(QStringLiteral("docker-compose.yml")));
        QVERIFY(compose.open(QIODevice::ReadOnly));
        QString yaml = QString::fromUtf8(compose.readAll());
        compose.close();
        QVERIFY(yaml.contains(QLatin1String("image: postgres:15")));
        yaml.replace(QLatin1String("image: postgres:15"),
                     QLatin1String("image: 127.0.0.1:9/pgdeck/missing:0"));
        QVERIFY(compose.open(QIODevice::WriteOnly | QIODevice::Truncate));
        compose.write(yaml.toUtf8());
        compose.close();
        const CtlRun unpullable =
            ctl({QStringLiteral("docker"), QStringLiteral("pull"), QStringLiteral("db-primary"),
                 QStringLiteral("--apply"), QStringLiteral("--dir"), m_otherDir,
                 QStringLiteral("--project"), other});
        QCOMPARE(unpullable.exitCode, 1);
        const QRegularExpression headline(
            QStringLiteral("stopped: .*failed on local: exit status 1: .*127\\.0\\.0\\.1:9.*"
                           "(connection refused|no such host|not found)"));
        QVERIFY2(headline.match(unpullable.out).hasMatch(), qPrintable(unpullable.out));
        ctl({QStringLiteral("docker"), QStringLiteral("down"), QStringLiteral("--volumes"),
             QStringLiteral("--apply"), QStringLiteral("--dir"), m_otherDir,
             QStringLiteral("--project"), other});

        // An unknown service, and an engine that is not there.
        const CtlRun unknown =
            ctl(docker(QStringLiteral("restart"), {QStringLiteral("nosuch")}), 60000);
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.out.contains(QLatin1String("no service \"nosuch\"")),
                 qPrintable(unknown.out));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"),
                   QStringLiteral("unix://") + m_tmp.filePath(QStringLiteral("none.sock")));
        const CtlRun noEngine = ctl(docker(QStringLiteral("ps")), 30000, env);
        QCOMPARE(noEngine.exitCode, 1);
        QVERIFY2(noEngine.out.contains(m_tmp.filePath(QStringLiteral("none.sock"))),
                 qPrintable(noEngine.out));
    }

    void downKeepsTheVolumesUnlessAsked()
    {
        QString out;
        const CtlRun down = ctl(docker(QStringLiteral("down"), {QStringLiteral("--apply")}));
        QVERIFY2(down.exitCode == 0, qPrintable(down.out));
        DockerEngine engine;
        QVERIFY(containers(&engine).isEmpty());
        const QStringList volumeFilter{QStringLiteral("volume"), QStringLiteral("ls"),
                                       QStringLiteral("-q"), QStringLiteral("--filter"),
                                       QStringLiteral("label=com.docker.compose.project=") +
                                           m_project};
        QVERIFY(DockerFixture::docker(volumeFilter, &out));
        QCOMPARE(out.trimmed().split(QLatin1Char('\n')).size(), 2); // both databases' data

        const CtlRun wipe = ctl(docker(QStringLiteral("down"),
                                       {QStringLiteral("--volumes"), QStringLiteral("--apply")}));
        QVERIFY2(wipe.exitCode == 0, qPrintable(wipe.out));
        QVERIFY(DockerFixture::docker(volumeFilter, &out));
        QCOMPARE(out.trimmed(), QString());
    }

    void cleanupTestCase()
    {
        if (m_project.isEmpty())
            return;
        for (const auto &[dir, project] :
             {std::pair{m_dir, m_project}, std::pair{m_otherDir, m_project + QStringLiteral("b")}})
            if (QFile::exists(QDir(dir).filePath(QStringLiteral("docker-compose.yml"))))
                ctl({QStringLiteral("docker"), QStringLiteral("down"), QStringLiteral("--volumes"),
                     QStringLiteral("--apply"), QStringLiteral("--dir"), dir,
                     QStringLiteral("--project"), project});
    }
};

QTEST_GUILESS_MAIN(TestDockerCompose)
#include "tst_dockercompose.moc"
