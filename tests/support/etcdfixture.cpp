#include "etcdfixture.h"

#include "common/statepaths.h"
#include "sandbox/sandbox.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

namespace pgdeck::test {

namespace {

constexpr int kHealthTimeoutMs = 15000;
constexpr int kStopGraceMs = 5000;

// One GET /health, answered or not within a second.
bool healthy(QNetworkAccessManager *network, const QString &url)
{
    QNetworkRequest request{QUrl(url + QStringLiteral("/health"))};
    request.setTransferTimeout(1000);
    QNetworkReply *reply = network->get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    return reply->error() == QNetworkReply::NoError &&
           answer.value(QLatin1String("health")).toString() == QLatin1String("true");
}

bool giveTo(const QString &path, const QString &user, QString *error)
{
    const passwd *pw = ::getpwnam(user.toLocal8Bit().constData());
    if (!pw || ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) != 0) {
        *error = QStringLiteral("cannot give %1 to %2").arg(path, user);
        return false;
    }
    return true;
}

} // namespace

EtcdFixture::EtcdFixture() = default;

EtcdFixture::~EtcdFixture()
{
    stop();
}

QString EtcdFixture::etcdPath()
{
    const QString path = QStandardPaths::findExecutable(QStringLiteral("etcd"));
    return path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
}

int EtcdFixture::freePort(const QList<int> &taken)
{
    // Holding every probe open until the end keeps the kernel from handing one out twice.
    QList<QTcpServer *> probes;
    int port = 0;
    for (int attempt = 0; attempt < 20 && port == 0; ++attempt) {
        auto *probe = new QTcpServer;
        probes.append(probe);
        if (probe->listen(QHostAddress::LocalHost, 0) && !taken.contains(probe->serverPort()))
            port = probe->serverPort();
    }
    qDeleteAll(probes);
    return port;
}

QString EtcdFixture::serverUser(QString *error)
{
    const QString user = Sandbox::defaultOsUser();
    if (!runningAsRoot() || ::getpwnam(user.toLocal8Bit().constData()))
        return user;
    // "|| id -u": another fixture may create it at the same moment.
    QProcess useradd;
    useradd.setProcessChannelMode(QProcess::MergedChannels);
    useradd.start(QStringLiteral("sh"),
                  {QStringLiteral("-c"),
                   QStringLiteral("useradd --system --user-group --no-create-home --home-dir "
                                  "/nonexistent --shell /usr/sbin/nologin %1 || id -u %1")
                       .arg(user)});
    if (!useradd.waitForFinished(30000) || useradd.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("cannot create the OS user %1: %2")
                         .arg(user, QString::fromLocal8Bit(useradd.readAll()).trimmed());
        return {};
    }
    return user;
}

bool EtcdFixture::start(QString *error)
{
    stop();
    if (etcdPath().isEmpty()) {
        *error = QStringLiteral("etcd not found; install etcd-server");
        return false;
    }
    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/pgdeck-etcd-XXXXXX"));
    if (!m_dir->isValid()) {
        *error = QStringLiteral("cannot create a temp dir: %1").arg(m_dir->errorString());
        return false;
    }
    const QString user = serverUser(error);
    if (user.isEmpty() || (runningAsRoot() && !giveTo(m_dir->path(), user, error)))
        return false;
    m_dataDir = m_dir->filePath(QStringLiteral("data"));
    m_logFile = m_dir->filePath(QStringLiteral("etcd.log"));

    // A port taken between our probe and etcd's bind makes etcd exit: try again.
    for (int attempt = 0; attempt < 3; ++attempt) {
        m_clientPort = freePort();
        m_peerPort = freePort({m_clientPort});
        m_metricsPort = freePort({m_clientPort, m_peerPort});
        if (!launch(error))
            return false;
        if (waitUntilHealthy(kHealthTimeoutMs, error))
            return true;
        if (m_process->state() == QProcess::Running)
            break; // running but not healthy: a real problem, not a port race
        m_process.reset();
    }
    m_logSnapshot = logText();
    *error += QStringLiteral("\netcd log:\n") + m_logSnapshot;
    stop();
    return false;
}

bool EtcdFixture::launch(QString *error)
{
    const QString client = clientUrl();
    const QString peer = QStringLiteral("http://127.0.0.1:%1").arg(m_peerPort);
    QStringList argv{etcdPath(),
                     QStringLiteral("--name=pgdeck-test"),
                     QStringLiteral("--data-dir=") + m_dataDir,
                     QStringLiteral("--listen-client-urls=") + client,
                     QStringLiteral("--advertise-client-urls=") + client,
                     QStringLiteral("--listen-peer-urls=") + peer,
                     QStringLiteral("--initial-advertise-peer-urls=") + peer,
                     QStringLiteral("--initial-cluster=pgdeck-test=") + peer,
                     QStringLiteral("--listen-metrics-urls=http://127.0.0.1:%1").arg(m_metricsPort),
                     QStringLiteral("--initial-cluster-state=new")};
    if (runningAsRoot())
        argv = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"),
                           Sandbox::defaultOsUser(), QStringLiteral("--")} +
               argv;

    m_process = std::make_unique<QProcess>();
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(m_logFile, QIODevice::Append);
    m_process->setStandardErrorFile(m_logFile, QIODevice::Append);
    // Its own process group, so stop() reaches etcd behind runuser too.
    m_process->setChildProcessModifier([] { ::setsid(); });
    m_process->start(argv.takeFirst(), argv);
    if (!m_process->waitForStarted(10000)) {
        *error = QStringLiteral("cannot start etcd: %1").arg(m_process->errorString());
        return false;
    }
    return true;
}

bool EtcdFixture::waitUntilHealthy(int timeoutMs, QString *error)
{
    QNetworkAccessManager network;
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running) {
            *error = QStringLiteral("etcd exited (code %1) before it became healthy")
                         .arg(m_process->exitCode());
            return false;
        }
        if (healthy(&network, clientUrl()))
            return true;
        QThread::msleep(100);
    }
    *error = QStringLiteral("etcd at %1 not healthy after %2 ms").arg(clientUrl()).arg(timeoutMs);
    return false;
}

void EtcdFixture::stop()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        const pid_t group = pid_t(m_process->processId());
        ::kill(-group, SIGTERM);
        if (!m_process->waitForFinished(kStopGraceMs)) {
            ::kill(-group, SIGKILL);
            m_process->waitForFinished(2000);
        }
    }
    m_process.reset();
    if (m_dir) {
        m_logSnapshot = logText();
        m_dir.reset();
    }
    m_clientPort = m_peerPort = m_metricsPort = 0;
    m_dataDir.clear();
    m_logFile.clear();
}

bool EtcdFixture::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QString EtcdFixture::clientUrl() const
{
    return QStringLiteral("http://%1").arg(hostPort());
}

QString EtcdFixture::hostPort() const
{
    return QStringLiteral("127.0.0.1:%1").arg(m_clientPort);
}

QString EtcdFixture::logText() const
{
    if (m_logFile.isEmpty())
        return m_logSnapshot;
    QFile file(m_logFile);
    return file.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(file.readAll()) : m_logSnapshot;
}

} // namespace pgdeck::test
