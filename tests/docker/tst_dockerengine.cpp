// DockerEngine against the real engine on the local socket, with containers of a small
// busybox image the DockerFixture builds (no registry can be reached).

#include "docker/dockerengine.h"
#include "dockerfixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace pgdeck;
using pgdeck::test::DockerFixture;

namespace {

const QString image = DockerFixture::busyboxImage();
const QString testLabel = QStringLiteral("pgdeck.test=tst_dockerengine");
const QString project = QStringLiteral("pgdecktest");
// Writes "out N" to stdout and "err N" to stderr five times a second.
const QString chatter =
    QStringLiteral("i=0; while true; do echo out $i; echo err $i >&2; i=$((i+1)); sleep 0.2; done");

struct Run {
    bool ok = false;
    QString out;
    QString err;
};

Run docker(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(QStringLiteral("docker"), args);
    Run r;
    if (!p.waitForFinished(timeoutMs))
        return r;
    r.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    r.out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    r.err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    return r;
}

QString runContainer(const QString &name, const QStringList &options, const QString &script)
{
    QStringList args{"run", "-d", "--name", name, "--label", testLabel};
    args << options << image << "sh"
         << "-c" << script;
    const Run r = docker(args);
    return r.ok ? r.out : QString();
}

void removeTestContainers()
{
    const Run ids = docker({"ps", "-aq", "--filter", "label=" + testLabel});
    if (ids.ok && !ids.out.isEmpty())
        docker(QStringList{"rm", "-f"} + ids.out.split('\n'));
}

QList<DockerLogLine> withStream(const QList<DockerLogLine> &lines, DockerLogLine::Stream stream)
{
    QList<DockerLogLine> out;
    for (const DockerLogLine &line : lines)
        if (line.stream == stream)
            out.append(line);
    return out;
}

// "out 0", "out 1", ... on stdout and "err 0", ... on stderr, each numbered without gaps.
void verifyChatter(const QList<DockerLogLine> &lines, int firstOut = -1)
{
    const QList<DockerLogLine> out = withStream(lines, DockerLogLine::Stream::Stdout);
    const QList<DockerLogLine> err = withStream(lines, DockerLogLine::Stream::Stderr);
    QCOMPARE(out.size() + err.size(), lines.size());
    QVERIFY(!out.isEmpty());
    QVERIFY(!err.isEmpty());
    int n = firstOut >= 0 ? firstOut : out.first().text.mid(4).toInt();
    for (const DockerLogLine &line : out)
        QCOMPARE(line.text, QStringLiteral("out %1").arg(n++));
    n = err.first().text.mid(4).toInt();
    for (const DockerLogLine &line : err)
        QCOMPARE(line.text, QStringLiteral("err %1").arg(n++));
}

} // namespace

class TestDockerEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void negotiatesVersion();
    void listsOneComposeProject();
    void inspectsContainers();
    void inspectOfMissingIdCarriesEngineMessage();
    void samplesStats();
    void decodesMultiplexedLogs();
    void keepsTtyLogsRaw();
    void followsLogsUntilCancelled();
    void followEndsWhenContainerStops();
    void explainsMissingSocket();
    void explainsStoppedDaemon();
    void explainsPermissionDenied();
    void rejectsUnusableDockerHost();

private:
    QString m_web;
    QString m_busy;
    QString m_tty;
};

// Set in the child that explainsPermissionDenied() starts as an unprivileged user.
bool isUnprivilegedChild()
{
    return qEnvironmentVariableIsSet("PGDECK_TEST_UNPRIVILEGED");
}

void TestDockerEngine::initTestCase()
{
    if (isUnprivilegedChild())
        return;
    if (!docker({"version"}).ok)
        QSKIP("no Docker engine answers on the local socket");
    QString error;
    QVERIFY2(DockerFixture::ensureBusyboxImage(&error), qPrintable(error));
    removeTestContainers();
    m_web = runContainer("pgdeck-tst-web",
                         {"--label", "com.docker.compose.project=" + project, "--label",
                          "com.docker.compose.service=web"},
                         chatter);
    m_busy = runContainer("pgdeck-tst-busy",
                          {"--label", "com.docker.compose.project=" + project, "--label",
                           "com.docker.compose.service=worker"},
                          "yes > /dev/null");
    m_tty = runContainer("pgdeck-tst-tty", {"-t"},
                         "echo tty line 1; echo tty err >&2; echo tty line 2; sleep 1000");
    QVERIFY(!m_web.isEmpty());
    QVERIFY(!m_busy.isEmpty());
    QVERIFY(!m_tty.isEmpty());
    QTest::qWait(1500); // some log lines to read
}

void TestDockerEngine::cleanupTestCase()
{
    if (isUnprivilegedChild())
        return;
    removeTestContainers();
}

void TestDockerEngine::negotiatesVersion()
{
    DockerEngine engine;
    QVERIFY(engine.apiVersion().isEmpty());
    QSignalSpy spy(&engine, &DockerEngine::versionReceived);
    const int id = engine.version();
    QVERIFY(spy.wait(10000));
    QCOMPARE(spy[0][0].toInt(), id);
    const auto result = spy[0][1].value<DockerResult>();
    const auto version = spy[0][2].value<DockerVersion>();
    QVERIFY2(result.ok, qPrintable(result.message));
    QVERIFY(!version.version.isEmpty());
    const QString expected = std::min(DockerApiVersion::fromString(version.apiVersion),
                                      DockerApiVersion::fromString("1.41"))
                                 .toString();
    QCOMPARE(engine.apiVersion(), expected);

    // A first versioned call negotiates on its own.
    DockerEngine fresh;
    QSignalSpy listed(&fresh, &DockerEngine::containersListed);
    fresh.listContainers();
    QVERIFY(listed.wait(10000));
    QVERIFY(listed[0][1].value<DockerResult>().ok);
    QCOMPARE(fresh.apiVersion(), expected);
}

void TestDockerEngine::listsOneComposeProject()
{
    DockerEngine engine;
    QSignalSpy spy(&engine, &DockerEngine::containersListed);
    engine.listContainers(project);
    QVERIFY(spy.wait(10000));
    const auto result = spy[0][1].value<DockerResult>();
    QVERIFY2(result.ok, qPrintable(result.message));
    auto list = spy[0][2].value<QList<DockerContainer>>();
    QCOMPARE(list.size(), 2);
    std::sort(list.begin(), list.end(),
              [](const DockerContainer &a, const DockerContainer &b) { return a.name < b.name; });
    QCOMPARE(list[0].name, QStringLiteral("pgdeck-tst-busy"));
    QCOMPARE(list[0].composeService, QStringLiteral("worker"));
    QCOMPARE(list[0].id, m_busy);
    QCOMPARE(list[1].name, QStringLiteral("pgdeck-tst-web"));
    QCOMPARE(list[1].composeService, QStringLiteral("web"));
    QCOMPARE(list[1].id, m_web);
    for (const DockerContainer &c : list) {
        QCOMPARE(c.composeProject, project);
        QCOMPARE(c.image, image);
        QVERIFY(c.isRunning());
        QVERIFY(c.status.startsWith(QLatin1String("Up")));
        QVERIFY(c.created.isValid());
    }

    // Without a project the third one is there too.
    engine.listContainers();
    QVERIFY(spy.wait(10000));
    const auto all = spy[1][2].value<QList<DockerContainer>>();
    QVERIFY(std::any_of(all.begin(), all.end(), [&](const DockerContainer &c) {
        return c.id == m_tty && c.composeProject.isEmpty();
    }));
}

void TestDockerEngine::inspectsContainers()
{
    DockerEngine engine;
    QSignalSpy spy(&engine, &DockerEngine::containerInspected);
    engine.inspect(m_web);
    engine.inspect("pgdeck-tst-tty"); // a name works as well as an id
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 10000);
    for (const QList<QVariant> &args : spy) {
        const auto result = args[1].value<DockerResult>();
        QVERIFY2(result.ok, qPrintable(result.message));
        const auto c = args[2].value<DockerContainer>();
        if (c.id == m_web) {
            QCOMPARE(c.name, QStringLiteral("pgdeck-tst-web"));
            QCOMPARE(c.composeService, QStringLiteral("web"));
            QVERIFY(!c.tty);
        } else {
            QCOMPARE(c.id, m_tty);
            QVERIFY(c.tty);
        }
        QCOMPARE(c.state, QStringLiteral("running"));
        QVERIFY(c.health.isEmpty()); // no health check
        QVERIFY(c.created.isValid());
    }
}

void TestDockerEngine::inspectOfMissingIdCarriesEngineMessage()
{
    DockerEngine engine;
    QSignalSpy spy(&engine, &DockerEngine::containerInspected);
    engine.inspect("pgdeck-no-such-container");
    QVERIFY(spy.wait(10000));
    const auto result = spy[0][1].value<DockerResult>();
    QVERIFY(!result.ok);
    QCOMPARE(result.httpStatus, 404);
    QCOMPARE(result.message, QStringLiteral("No such container: pgdeck-no-such-container"));
}

void TestDockerEngine::samplesStats()
{
    DockerEngine engine;
    QSignalSpy spy(&engine, &DockerEngine::statsReceived);
    const int web = engine.stats(m_web);
    QVERIFY(spy.wait(15000));
    auto result = spy[0][1].value<DockerResult>();
    QVERIFY2(result.ok, qPrintable(result.message));
    QCOMPARE(spy[0][0].toInt(), web);
    const auto s = spy[0][2].value<DockerStats>();
    QVERIFY(s.memoryBytes > 0);
    QVERIFY(s.memoryLimit >= s.memoryBytes);
    QVERIFY(s.cpuPercent >= 0.0);
    QVERIFY(s.onlineCpus > 0);
    QVERIFY(s.sampledAt.isValid());

    // The busy one burns a whole CPU; by the second sample the engine has seen it.
    double busiest = 0.0;
    for (int i = 0; i < 2; ++i) {
        spy.clear();
        engine.stats(m_busy);
        QVERIFY(spy.wait(15000));
        result = spy[0][1].value<DockerResult>();
        QVERIFY2(result.ok, qPrintable(result.message));
        busiest = std::max(busiest, spy[0][2].value<DockerStats>().cpuPercent);
    }
    qInfo("busy container: %.1f %% CPU", busiest);
    QVERIFY(busiest > 10.0);
}

void TestDockerEngine::decodesMultiplexedLogs()
{
    DockerEngine engine;
    QSignalSpy spy(&engine, &DockerEngine::logsReceived);
    engine.logs(m_web);
    QVERIFY(spy.wait(10000));
    auto result = spy[0][1].value<DockerResult>();
    QVERIFY2(result.ok, qPrintable(result.message));
    auto lines = spy[0][2].value<QList<DockerLogLine>>();
    QVERIFY(lines.size() >= 10);
    verifyChatter(lines, 0);
    // The two pipes reach the engine independently: order holds within a stream only.
    QCOMPARE(withStream(lines, DockerLogLine::Stream::Stderr).first().text,
             QStringLiteral("err 0"));

    // tail counts lines of both streams; timestamps come off the text.
    spy.clear();
    engine.logs(m_web, 4, true, DockerEngine::LogFraming::Multiplexed);
    QVERIFY(spy.wait(10000));
    lines = spy[0][2].value<QList<DockerLogLine>>();
    QCOMPARE(lines.size(), 4);
    verifyChatter(lines);
    for (const DockerLogLine &line : lines) {
        QVERIFY(line.timestamp.isValid());
        QVERIFY(qAbs(line.timestamp.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    }
}

void TestDockerEngine::keepsTtyLogsRaw()
{
    DockerEngine engine;
    QSignalSpy spy(&engine, &DockerEngine::logsReceived);
    engine.logs(m_tty);
    QVERIFY(spy.wait(10000));
    const auto result = spy[0][1].value<DockerResult>();
    QVERIFY2(result.ok, qPrintable(result.message));
    const auto lines = spy[0][2].value<QList<DockerLogLine>>();
    QStringList texts;
    for (const DockerLogLine &line : lines) {
        QCOMPARE(line.stream, DockerLogLine::Stream::Raw);
        texts << line.text;
    }
    QCOMPARE(texts, (QStringList{"tty line 1", "tty err", "tty line 2"}));
}

void TestDockerEngine::followsLogsUntilCancelled()
{
    DockerEngine engine;
    QSignalSpy lines(&engine, &DockerEngine::logLinesReceived);
    QSignalSpy finished(&engine, &DockerEngine::followFinished);
    const int id = engine.followLogs(m_web);
    const QDateTime started = QDateTime::currentDateTimeUtc();

    // New lines keep coming: gather two seconds' worth.
    QList<DockerLogLine> received;
    while (received.size() < 16) {
        QVERIFY(!lines.isEmpty() || lines.wait(5000));
        for (; !lines.isEmpty(); lines.removeFirst()) {
            QCOMPARE(lines.first()[0].toInt(), id);
            received += lines.first()[1].value<QList<DockerLogLine>>();
        }
    }
    QVERIFY(started.msecsTo(QDateTime::currentDateTimeUtc()) >= 1000); // they came over time
    QVERIFY(finished.isEmpty());
    verifyChatter(received);

    engine.cancel(id);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished[0][0].toInt(), id);
    const auto result = finished[0][1].value<DockerResult>();
    QVERIFY(result.cancelled);
    QVERIFY(!result.ok);
    QCOMPARE(engine.pendingCount(), 0);
    lines.clear();
    QTest::qWait(1000);
    QCOMPARE(lines.size(), 0); // nothing after the cancellation
    QCOMPARE(finished.size(), 1);
}

void TestDockerEngine::followEndsWhenContainerStops()
{
    const QString id = runContainer("pgdeck-tst-short", {},
                                    "sleep 1; for i in 1 2 3; do echo line $i; sleep 0.2; done");
    QVERIFY(!id.isEmpty());
    DockerEngine engine;
    QSignalSpy lines(&engine, &DockerEngine::logLinesReceived);
    QSignalSpy finished(&engine, &DockerEngine::followFinished);
    engine.followLogs(id, -1);
    QVERIFY(finished.wait(15000));
    const auto result = finished[0][1].value<DockerResult>();
    QVERIFY2(result.ok, qPrintable(result.message));
    QStringList texts;
    for (const QList<QVariant> &args : lines)
        for (const DockerLogLine &line : args[1].value<QList<DockerLogLine>>())
            texts << line.text;
    QCOMPARE(texts, (QStringList{"line 1", "line 2", "line 3"}));
}

void TestDockerEngine::explainsMissingSocket()
{
    qputenv("DOCKER_HOST", "unix:///nonexistent.sock");
    DockerEngine engine;
    qunsetenv("DOCKER_HOST");
    QCOMPARE(engine.endpoint().unixSocket, QStringLiteral("/nonexistent.sock"));
    QSignalSpy spy(&engine, &DockerEngine::containersListed);
    QSignalSpy followed(&engine, &DockerEngine::followFinished);
    engine.listContainers(project);
    engine.followLogs(m_web);
    QVERIFY(spy.wait(10000));
    const auto result = spy[0][1].value<DockerResult>();
    QVERIFY(!result.ok);
    QCOMPARE(result.httpStatus, 0);
    qInfo() << result.message;
    QCOMPARE(result.message,
             QStringLiteral("cannot connect to the Docker engine at /nonexistent.sock: "
                            "No such file or directory — is Docker installed and its daemon "
                            "running?"));
    QTRY_COMPARE_WITH_TIMEOUT(followed.size(), 1, 10000);
    QCOMPARE(followed[0][1].value<DockerResult>().message, result.message);
    QVERIFY(engine.apiVersion().isEmpty());
}

void TestDockerEngine::explainsStoppedDaemon()
{
    // A socket file nobody listens on: what a crashed daemon leaves behind.
    QTemporaryDir dir;
    const QByteArray path = QFile::encodeName(dir.filePath(QStringLiteral("docker.sock")));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    qstrncpy(address.sun_path, path.constData(), sizeof(address.sun_path));
    QCOMPARE(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)), 0);
    ::close(fd);

    DockerEngine engine(DockerEndpoint::local(QFile::decodeName(path)));
    QSignalSpy spy(&engine, &DockerEngine::versionReceived);
    engine.version();
    QVERIFY(spy.wait(10000));
    const auto result = spy[0][1].value<DockerResult>();
    QVERIFY(!result.ok);
    qInfo() << result.message;
    QCOMPARE(result.message,
             QStringLiteral("cannot connect to the Docker engine at %1: Connection refused — "
                            "the Docker daemon is not running")
                 .arg(QFile::decodeName(path)));
}

void TestDockerEngine::explainsPermissionDenied()
{
    const QString socketPath = QLatin1String(DockerEndpoint::defaultSocket);
    if (isUnprivilegedChild()) {
        DockerEngine engine(DockerEndpoint::local());
        QSignalSpy spy(&engine, &DockerEngine::versionReceived);
        engine.version();
        QVERIFY(spy.wait(10000));
        QCOMPARE(spy[0][1].value<DockerResult>().message,
                 QStringLiteral("cannot connect to the Docker engine at %1: Permission denied — "
                                "add your user to the docker group")
                     .arg(socketPath));
        return;
    }
    // Root may open any socket: run this same test as nobody, outside the docker group.
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    if (::geteuid() != 0 || setpriv.isEmpty())
        QSKIP("needs root and setpriv to run a child as an unprivileged user");
    if (QFileInfo(socketPath).permissions() & QFile::WriteOther)
        QSKIP("the socket is open to everyone");
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGDECK_TEST_UNPRIVILEGED"), QStringLiteral("1"));
    env.remove(QStringLiteral("DOCKER_HOST"));
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.setWorkingDirectory(QDir::tempPath());
    child.start(setpriv, {"--reuid=65534", "--regid=65534", "--clear-groups",
                          QCoreApplication::applicationFilePath(), "explainsPermissionDenied"});
    QVERIFY(child.waitForFinished(30000));
    QVERIFY2(child.exitCode() == 0, child.readAll().constData());
}

void TestDockerEngine::rejectsUnusableDockerHost()
{
    qputenv("DOCKER_HOST", "ssh://me@somewhere");
    DockerEngine engine;
    qunsetenv("DOCKER_HOST");
    QSignalSpy spy(&engine, &DockerEngine::containerInspected);
    engine.inspect(m_web);
    QVERIFY(spy.wait(5000));
    const auto result = spy[0][1].value<DockerResult>();
    QVERIFY(!result.ok);
    QCOMPARE(
        result.message,
        QStringLiteral("DOCKER_HOST=ssh://me@somewhere is not unix:///path or tcp://host:port"));
}

QTEST_GUILESS_MAIN(TestDockerEngine)
#include "tst_dockerengine.moc"
