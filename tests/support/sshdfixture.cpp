#include "sshdfixture.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgdeck::test {

namespace {

constexpr int kReadyTimeoutMs = 15000;
constexpr int kStopGraceMs = 3000;
constexpr int kPortAttempts = 3;

QString findTool(const QString &name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty()) {
        // sbin is often missing from a normal user's PATH.
        path = QStandardPaths::findExecutable(name, {QStringLiteral("/usr/sbin"),
                                                     QStringLiteral("/usr/local/sbin"),
                                                     QStringLiteral("/sbin")});
    }
    return path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
}

QString currentUserName()
{
    // $USER is not set everywhere (CI, runuser); the passwd entry is what sshd checks.
    if (const passwd *pw = ::getpwuid(::geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER");
}

int pickFreePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

// sshd_config and ssh_config take double-quoted arguments; temp paths may contain spaces.
QString quoted(const QString &path)
{
    return QLatin1Char('"') + path + QLatin1Char('"');
}

bool writeFile(const QString &path, const QByteArray &data, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    // ssh refuses a config or key that others can write.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

bool runTool(const QString &program, const QStringList &args, QString *error)
{
    QProcess proc;
    proc.setProcessChannelMode(QProcess::MergedChannels);
    proc.setStandardInputFile(QProcess::nullDevice());
    proc.start(program, args);
    if (!proc.waitForFinished(30000) || proc.exitStatus() != QProcess::NormalExit ||
        proc.exitCode() != 0) {
        if (proc.state() != QProcess::NotRunning) {
            proc.kill();
            proc.waitForFinished(1000);
        }
        const QString why = proc.error() == QProcess::UnknownError
                                ? QStringLiteral("exit code %1").arg(proc.exitCode())
                                : proc.errorString();
        *error = QStringLiteral("%1 %2 failed (%3):\n%4")
                     .arg(program, args.join(QLatin1Char(' ')), why,
                          QString::fromLocal8Bit(proc.readAll()).trimmed());
        return false;
    }
    return true;
}

bool generateKey(const QString &path, const QString &comment, QString *error)
{
    return runTool(findTool(QStringLiteral("ssh-keygen")),
                   {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                    QStringLiteral("-N"), QString(), QStringLiteral("-C"), comment,
                    QStringLiteral("-f"), path},
                   error);
}

// A process as seen in /proc: its start time tells a live pid from a reused one.
struct ProcEntry {
    pid_t pid = 0;
    pid_t ppid = 0;
    qulonglong startTime = 0;
    char state = 0;
};

bool readProc(pid_t pid, ProcEntry *entry)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray stat = file.readAll();
    // The command name is in parentheses and may hold spaces: parse after the last ')'.
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return false;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 20)
        return false;
    entry->pid = pid;
    entry->state = fields.at(0).isEmpty() ? 0 : fields.at(0).at(0);
    entry->ppid = fields.at(1).toInt();
    entry->startTime = fields.at(19).toULongLong(); // field 22 of stat(5)
    return true;
}

// Every live descendant of root: sshd forks one monitor per connection, which forks the
// user's session; none of them die with the listener.
QList<ProcEntry> descendantsOf(pid_t root)
{
    QList<ProcEntry> all;
    const QStringList names = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &name : names) {
        bool ok = false;
        const pid_t pid = name.toInt(&ok);
        ProcEntry entry;
        if (ok && readProc(pid, &entry))
            all.append(entry);
    }
    QList<ProcEntry> found;
    QList<pid_t> frontier{root};
    while (!frontier.isEmpty()) {
        const pid_t parent = frontier.takeFirst();
        for (const ProcEntry &entry : std::as_const(all)) {
            if (entry.ppid == parent && entry.state != 'Z') {
                found.append(entry);
                frontier.append(entry.pid);
            }
        }
    }
    return found;
}

bool stillAlive(const ProcEntry &entry)
{
    ProcEntry now;
    return readProc(entry.pid, &now) && now.startTime == entry.startTime && now.state != 'Z';
}

} // namespace

SshdFixture::SshdFixture() = default;

SshdFixture::~SshdFixture()
{
    stop();
}

QString SshdFixture::sshdPath()
{
    return findTool(QStringLiteral("sshd"));
}

bool SshdFixture::isAvailable(QString *missing)
{
    QStringList absent;
    for (const QString &tool :
         {QStringLiteral("sshd"), QStringLiteral("ssh"), QStringLiteral("ssh-keygen")}) {
        if (findTool(tool).isEmpty())
            absent.append(tool);
    }
    if (missing)
        *missing = absent.join(QStringLiteral(", "));
    return absent.isEmpty();
}

bool SshdFixture::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QString SshdFixture::logText() const
{
    if (m_logFile.isEmpty())
        return m_logSnapshot;
    QFile file(m_logFile);
    if (!file.open(QIODevice::ReadOnly))
        return m_logSnapshot;
    return QString::fromLocal8Bit(file.readAll());
}

bool SshdFixture::start(QString *error)
{
    QString dummy;
    if (!error)
        error = &dummy;
    stop();

    QString missing;
    if (!isAvailable(&missing)) {
        *error = QStringLiteral("OpenSSH not installed (missing: %1)").arg(missing);
        return false;
    }
    m_sshd = sshdPath();
    m_user = currentUserName();
    if (m_user.isEmpty()) {
        *error = QStringLiteral("cannot tell the current user's name");
        return false;
    }

    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/pgdeck-sshd-XXXXXX"));
    if (!m_dir->isValid()) {
        *error = QStringLiteral("cannot create temp dir: %1").arg(m_dir->errorString());
        m_dir.reset();
        return false;
    }
    m_configFile = m_dir->filePath(QStringLiteral("ssh_config"));
    m_sshdConfigFile = m_dir->filePath(QStringLiteral("sshd_config"));
    m_identityFile = m_dir->filePath(QStringLiteral("id_ed25519"));
    m_knownHostsFile = m_dir->filePath(QStringLiteral("known_hosts"));
    m_logFile = m_dir->filePath(QStringLiteral("sshd.log"));

    if (!generateKey(m_dir->filePath(QStringLiteral("ssh_host_ed25519_key")),
                     QStringLiteral("pgdeck-test-hostkey"), error) ||
        !generateKey(m_identityFile, QStringLiteral("pgdeck-test-client"), error)) {
        stop();
        return false;
    }

    // As root, sshd insists on its privilege separation dir, which a fresh machine lacks.
    if (::geteuid() == 0 && !QFileInfo::exists(QStringLiteral("/run/sshd"))) {
        if (::mkdir("/run/sshd", 0755) != 0 && errno != EEXIST) {
            *error = QStringLiteral("cannot create /run/sshd: %1")
                         .arg(QString::fromLocal8Bit(strerror(errno)));
            stop();
            return false;
        }
    }

    // The free port is only free until sshd binds it; another process may win the race.
    const QDeadlineTimer deadline(kReadyTimeoutMs);
    for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
        m_port = pickFreePort();
        if (m_port == 0) {
            *error = QStringLiteral("cannot find a free port on 127.0.0.1");
            break;
        }
        if (!writeFiles(error) || !launch(error))
            break;
        if (waitUntilReady(int(deadline.remainingTime()), error))
            return true;
        const QString log = logText();
        const bool lostPort = !isRunning() && (log.contains(QLatin1String("Bind to port")) ||
                                               log.contains(QLatin1String("Cannot bind")));
        if (!lostPort || deadline.hasExpired() || attempt == kPortAttempts) {
            // Without PAM, sshd refuses a root-run login whose shadow password starts with '!'.
            if (log.contains(QLatin1String("account is locked"))) {
                *error += QStringLiteral("\nsshd says %1's account is locked; unlock it for key "
                                         "logins with: usermod -p '*' %1")
                              .arg(m_user);
            }
            *error += QStringLiteral("\n--- sshd log (%1) ---\n%2").arg(m_logFile, log);
            break;
        }
        terminateProcessTree();
    }
    stop();
    return false;
}

bool SshdFixture::writeFiles(QString *error)
{
    const QString hostKey = m_dir->filePath(QStringLiteral("ssh_host_ed25519_key"));
    const QString authorizedKeys = m_dir->filePath(QStringLiteral("authorized_keys"));

    QFile clientPub(m_identityFile + QStringLiteral(".pub"));
    QFile hostPub(hostKey + QStringLiteral(".pub"));
    if (!clientPub.open(QIODevice::ReadOnly) || !hostPub.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read generated public keys");
        return false;
    }
    const QByteArray clientKey = clientPub.readAll().trimmed();
    // "ssh-ed25519 AAAA… comment": known_hosts wants the type and the key.
    const QList<QByteArray> hostFields = hostPub.readAll().trimmed().split(' ');
    if (hostFields.size() < 2) {
        *error = QStringLiteral("malformed host public key");
        return false;
    }

    const QByteArray knownHosts = QStringLiteral("[127.0.0.1]:%1 ").arg(m_port).toUtf8() +
                                  hostFields.at(0) + ' ' + hostFields.at(1) + '\n';

    const QString sshdConfig =
        QStringLiteral("# pgdeck test sshd: 127.0.0.1 only, key login for one user.\n"
                       "Port %1\n"
                       "ListenAddress 127.0.0.1\n"
                       "HostKey %2\n"
                       "AuthorizedKeysFile %3\n"
                       "PidFile %4\n"
                       "AllowUsers %5\n"
                       "PubkeyAuthentication yes\n"
                       "PasswordAuthentication no\n"
                       "KbdInteractiveAuthentication no\n"
                       "UsePAM no\n"
                       "StrictModes no\n"
                       "PermitRootLogin prohibit-password\n"
                       "LogLevel VERBOSE\n"
                       "UseDNS no\n"
                       "PrintMotd no\n"
                       "PrintLastLog no\n"
                       "X11Forwarding no\n"
                       // Tests may open many connections at once; the default throttles.
                       "MaxStartups 100\n")
            .arg(m_port)
            .arg(quoted(hostKey), quoted(authorizedKeys),
                 quoted(m_dir->filePath(QStringLiteral("sshd.pid"))), m_user);

    // Matching 127.0.0.1 too lets callers use destination() with sshArgs().
    const QString sshConfig = QStringLiteral("Host %1 127.0.0.1\n"
                                             "    HostName 127.0.0.1\n"
                                             "    Port %2\n"
                                             "    User %3\n"
                                             "    IdentityFile %4\n"
                                             "    IdentitiesOnly yes\n"
                                             "    IdentityAgent none\n"
                                             "    UserKnownHostsFile %5\n"
                                             "    GlobalKnownHostsFile /dev/null\n"
                                             "    StrictHostKeyChecking yes\n"
                                             "    UpdateHostKeys no\n"
                                             "    CheckHostIP no\n"
                                             "    BatchMode yes\n"
                                             "    ConnectTimeout 5\n"
                                             "    PreferredAuthentications publickey\n"
                                             "    ControlMaster no\n"
                                             "    ControlPath none\n"
                                             "    LogLevel ERROR\n")
                                  .arg(alias())
                                  .arg(m_port)
                                  .arg(m_user, quoted(m_identityFile), quoted(m_knownHostsFile));

    return writeFile(authorizedKeys, clientKey + '\n', error) &&
           writeFile(m_knownHostsFile, knownHosts, error) &&
           writeFile(m_sshdConfigFile, sshdConfig.toUtf8(), error) &&
           writeFile(m_configFile, sshConfig.toUtf8(), error);
}

bool SshdFixture::launch(QString *error)
{
    // `sshd -t` names a bad config line at once instead of a silent exit later.
    if (!runTool(m_sshd, {QStringLiteral("-t"), QStringLiteral("-f"), m_sshdConfigFile}, error))
        return false;

    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(m_logFile, QIODevice::Append);
    // If the test binary dies without running stop() (crash, CTest timeout), take sshd along.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    // sshd re-executes itself per connection and so needs its absolute path.
    m_process->start(m_sshd, {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                              m_sshdConfigFile});
    if (!m_process->waitForStarted(5000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(m_sshd, m_process->errorString());
        m_process.reset();
        return false;
    }
    return true;
}

bool SshdFixture::waitUntilReady(int timeoutMs, QString *error)
{
    const QDeadlineTimer deadline(qMax(timeoutMs, 0));
    bool listening = false;
    QString lastSsh;
    while (!deadline.hasExpired()) {
        if (!isRunning()) {
            *error = QStringLiteral("sshd exited (code %1) before accepting logins")
                         .arg(m_process->exitCode());
            return false;
        }
        if (!listening) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, quint16(m_port));
            listening = socket.waitForConnected(500);
        }
        if (listening) {
            // The port alone is not enough: prove a real login runs a command.
            QProcess ssh;
            ssh.setProcessChannelMode(QProcess::MergedChannels);
            ssh.setStandardInputFile(QProcess::nullDevice());
            ssh.start(findTool(QStringLiteral("ssh")),
                      sshArgs() +
                          QStringList{alias(), QStringLiteral("--"), QStringLiteral("true")});
            const int budget = int(std::clamp<qint64>(deadline.remainingTime(), 1000, 10000));
            if (ssh.waitForFinished(budget) && ssh.exitStatus() == QProcess::NormalExit &&
                ssh.exitCode() == 0) {
                return true;
            }
            if (ssh.state() != QProcess::NotRunning) {
                ssh.kill();
                ssh.waitForFinished(1000);
            }
            lastSsh = QStringLiteral("ssh exit %1: %2")
                          .arg(ssh.exitCode())
                          .arg(QString::fromLocal8Bit(ssh.readAll()).trimmed());
        }
        QThread::msleep(100);
    }
    *error = listening ? QStringLiteral("sshd on 127.0.0.1:%1 accepts connections but no login "
                                        "succeeded within %2 ms (%3)")
                             .arg(m_port)
                             .arg(timeoutMs)
                             .arg(lastSsh)
                       : QStringLiteral("sshd did not listen on 127.0.0.1:%1 within %2 ms")
                             .arg(m_port)
                             .arg(timeoutMs);
    return false;
}

void SshdFixture::terminateProcessTree()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        // Snapshot the connection children first: once the listener is gone they are
        // reparented and can no longer be told apart from anyone else's processes.
        const QList<ProcEntry> children = descendantsOf(pid_t(m_process->processId()));
        m_process->terminate();
        for (const ProcEntry &child : children) {
            if (stillAlive(child))
                ::kill(child.pid, SIGTERM);
        }
        const QDeadlineTimer grace(kStopGraceMs);
        if (!m_process->waitForFinished(int(grace.remainingTime()))) {
            m_process->kill();
            m_process->waitForFinished(1000);
        }
        for (const ProcEntry &child : children) {
            while (stillAlive(child) && !grace.hasExpired())
                QThread::msleep(20);
            if (stillAlive(child))
                ::kill(child.pid, SIGKILL);
        }
    }
    m_process.reset();
}

void SshdFixture::stop()
{
    terminateProcessTree();
    if (m_dir) {
        m_logSnapshot = logText();
        m_dir.reset(); // QTemporaryDir removes itself
    }
    m_port = 0;
    m_configFile.clear();
    m_sshdConfigFile.clear();
    m_identityFile.clear();
    m_knownHostsFile.clear();
    m_logFile.clear();
}

} // namespace pgdeck::test
