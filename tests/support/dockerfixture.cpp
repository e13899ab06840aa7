#include "dockerfixture.h"

#include "sandbox/sandbox.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

namespace pgdeck::test {

namespace {

// A first build bootstraps two Debian root filesystems: a few minutes on 2 cores.
constexpr int kBuildTimeoutMs = 20 * 60 * 1000;

struct BuildOutcome {
    bool done = false;
    bool ok = false;
    QString output;
};

bool runProcess(const QString &program, const QStringList &args, int timeoutMs, QString *output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, args);
    const bool finished = process.waitForStarted(10000) && process.waitForFinished(timeoutMs);
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    const QString text = QString::fromLocal8Bit(process.readAll());
    if (output) {
        *output = text;
        if (!finished)
            *output += QStringLiteral("\n%1 %2: %3")
                           .arg(program, args.join(QLatin1Char(' ')),
                                process.error() == QProcess::FailedToStart
                                    ? process.errorString()
                                    : QStringLiteral("timed out after %1 ms").arg(timeoutMs));
    }
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace

QString DockerFixture::socketPath()
{
    const QUrl host(qEnvironmentVariable("DOCKER_HOST"));
    if (host.scheme() == QLatin1String("unix") && !host.path().isEmpty())
        return host.path();
    return QStringLiteral("/var/run/docker.sock");
}

QString DockerFixture::scriptPath()
{
    const QString relative = QStringLiteral("tests/support/docker/build-images.sh");
    const QString root = qEnvironmentVariable("PGDECK_SOURCE_DIR");
    if (!root.isEmpty())
        return QDir(root).filePath(relative);
    // Run outside CTest: the compiler saw this file under its absolute source path.
    return QFileInfo(QStringLiteral(__FILE__))
        .absoluteDir()
        .filePath(QStringLiteral("docker/build-images.sh"));
}

bool DockerFixture::docker(const QStringList &args, QString *output, int timeoutMs)
{
    return runProcess(QStringLiteral("docker"), args, timeoutMs, output);
}

bool DockerFixture::engineAvailable(QString *why)
{
    if (QStandardPaths::findExecutable(QStringLiteral("docker")).isEmpty()) {
        if (why)
            *why = QStringLiteral("no docker client on PATH (apt-get install docker.io)");
        return false;
    }
    QString output;
    if (docker({QStringLiteral("version"), QStringLiteral("--format"),
                QStringLiteral("{{.Server.Version}}")},
               &output, 30000))
        return true;
    if (why) {
        const QFileInfo socket(socketPath());
        *why = socket.exists()
                   ? QStringLiteral("docker engine at %1 does not answer: %2")
                         .arg(socketPath(), output.trimmed())
                   : QStringLiteral("no docker engine (%1 missing) and dockerd cannot be "
                                    "started here: %2")
                         .arg(socketPath(), output.trimmed());
    }
    return false;
}

bool DockerFixture::ensureImages(QString *error)
{
    static BuildOutcome outcome;
    if (!outcome.done) {
        outcome.done = true;
        const QString script = scriptPath();
        if (!QFileInfo(script).isExecutable()) {
            outcome.output = QStringLiteral("%1 missing or not executable").arg(script);
        } else {
            outcome.ok =
                runProcess(QStringLiteral("bash"), {script}, kBuildTimeoutMs, &outcome.output);
            // Timings and image sizes, for the test log.
            qInfo("%s", qPrintable(outcome.output.trimmed()));
        }
    }
    if (!outcome.ok && error)
        *error = outcome.output;
    return outcome.ok;
}

bool DockerFixture::imagesPresent()
{
    return docker({QStringLiteral("image"), QStringLiteral("inspect"),
                   QStringLiteral("postgres:15"), QStringLiteral("node:18")},
                  nullptr, 30000);
}

QString DockerFixture::whyNoImages()
{
    QString why;
    if (!engineAvailable(&why))
        return QStringLiteral("docker engine unavailable: ") + why;
    if (qEnvironmentVariableIsEmpty("PGDECK_TEST_DOCKER_IMAGES") && !imagesPresent())
        return QStringLiteral("postgres:15 and node:18 are not built here: set "
                              "PGDECK_TEST_DOCKER_IMAGES=1 to build them from Debian packages");
    if (const QString problem = networkingProblem(); !problem.isEmpty())
        return QStringLiteral("this engine's containers cannot be reached on 127.0.0.1: ") +
               problem;
    return {};
}

QString DockerFixture::networkingProblem()
{
    static const QString problem = [] {
        QString error;
        if (!ensureBusyboxImage(&error))
            return error;
        const int port =
            Sandbox::findFreePorts(21000 + QRandomGenerator::global()->bounded(1000), 1);
        QString id;
        // A web server in a container, published on loopback the way generated files do.
        if (!docker({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--rm"),
                     QStringLiteral("-p"), QStringLiteral("127.0.0.1:%1:8080").arg(port),
                     busyboxImage(), QStringLiteral("httpd"), QStringLiteral("-f"),
                     QStringLiteral("-p"), QStringLiteral("8080"), QStringLiteral("-h"),
                     QStringLiteral("/")},
                    &id, 60000))
            return QStringLiteral("docker run -p failed: ") + id.trimmed();
        bool reached = false;
        for (int attempt = 0; attempt < 50 && !reached; ++attempt) {
            QTcpSocket socket;
            socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
            reached = socket.waitForConnected(200);
            if (!reached)
                QThread::msleep(100);
        }
        docker({QStringLiteral("rm"), QStringLiteral("-f"), id.trimmed()});
        return reached ? QString()
                       : QStringLiteral("a published port (127.0.0.1:%1) never answered").arg(port);
    }();
    return problem;
}

bool DockerFixture::copySampleApp(const QString &dir)
{
    const QDir sample(qEnvironmentVariable("PGDECK_SOURCE_DIR") +
                      QStringLiteral("/tests/docker/sample-node-app"));
    if (!sample.exists() || !QDir().mkpath(dir))
        return false;
    for (const QString &f : sample.entryList(QDir::Files))
        if (!QFile::copy(sample.filePath(f), QDir(dir).filePath(f)))
            return false;
    return true;
}

QString DockerFixture::busyboxImage()
{
    return QStringLiteral("pgdeck-test/busybox:latest");
}

bool DockerFixture::ensureBusyboxImage(QString *error)
{
    if (docker({QStringLiteral("image"), QStringLiteral("inspect"), busyboxImage()}, nullptr,
               30000))
        return true;
    const QString busybox = QStandardPaths::findExecutable(QStringLiteral("busybox"));
    if (busybox.isEmpty()) {
        *error = QStringLiteral("busybox not found (apt-get install busybox-static)");
        return false;
    }
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("rootfs"));
    for (const char *sub : {"bin", "tmp", "proc", "sys", "dev", "etc"})
        QDir().mkpath(root + QLatin1Char('/') + QLatin1String(sub));
    QFile::copy(busybox, root + QStringLiteral("/bin/busybox"));
    QString applets;
    runProcess(busybox, {QStringLiteral("--list")}, 30000, &applets);
    for (const QString &applet : applets.split(QLatin1Char('\n')))
        if (!applet.isEmpty() && applet != QLatin1String("busybox"))
            QFile::link(QStringLiteral("busybox"), root + QStringLiteral("/bin/") + applet);
    const QString tar = dir.filePath(QStringLiteral("rootfs.tar"));
    if (!runProcess(QStringLiteral("tar"),
                    {QStringLiteral("-C"), root, QStringLiteral("-cf"), tar, QStringLiteral(".")},
                    120000, error))
        return false;
    return docker({QStringLiteral("import"), QStringLiteral("-c"), QStringLiteral("ENV PATH=/bin"),
                   QStringLiteral("-c"), QStringLiteral(R"(CMD ["/bin/sh"])"), tar, busyboxImage()},
                  error);
}

} // namespace pgdeck::test
