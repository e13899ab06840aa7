#include "commandrunner.h"

#include "common/statepaths.h"
#include "pg/quoting.h"

#include <QProcess>
#include <QTimer>

namespace pgdeck {

namespace {
constexpr qsizetype kOutputCap = 64 * 1024;
}

CommandRunner::CommandRunner(QObject *parent)
    : QObject(parent)
    , m_sshOptions(defaultSshOptions())
{}

CommandRunner::~CommandRunner()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
        delete m_process;
    }
}

QStringList CommandRunner::defaultSshOptions()
{
    const QString config = qEnvironmentVariable("PGDECK_SSH_CONFIG");
    if (config.isEmpty())
        return {};
    return {QStringLiteral("-F"), config};
}

QStringList CommandRunner::commandLine(const HostTarget &host, const QStringList &argv,
                                       const QStringList &sshOptions)
{
    QStringList prefix;
    if (!host.runAs.isEmpty()) {
        if (host.isLocal() && host.runAs == currentOsUser())
            ; // already that user
        else if (host.isLocal() && runningAsRoot())
            prefix = {QStringLiteral("runuser"), QStringLiteral("-u"), host.runAs,
                      QStringLiteral("--")};
        else if (host.isLocal())
            prefix = {QStringLiteral("sudo"), QStringLiteral("-n"), QStringLiteral("-u"),
                      host.runAs, QStringLiteral("--")};
        else // the remote login may be root (runuser, no sudo needed) or not (sudo -n)
            prefix = {QStringLiteral("sh"), QStringLiteral("-c"),
                      QStringLiteral("u=$1; shift; if [ \"$(id -un)\" = \"$u\" ]; then exec "
                                     "\"$@\"; elif [ \"$(id -u)\" = 0 ]; then exec runuser -u "
                                     "\"$u\" -- \"$@\"; else exec sudo -n -u \"$u\" -- \"$@\"; fi"),
                      QStringLiteral("sh"), host.runAs};
    }
    if (host.isLocal())
        return prefix + argv;
    QStringList ssh{QStringLiteral("ssh"), QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                    QStringLiteral("-o"), QStringLiteral("ConnectTimeout=10")};
    ssh << sshOptions << host.ssh << QStringLiteral("--") << sql::shellJoin(prefix + argv);
    return ssh;
}

void CommandRunner::run(const HostTarget &host, const QStringList &argv, const QByteArray &input,
                        int timeoutMs, Done done)
{
    Q_ASSERT(!m_process);
    m_done = std::move(done);
    m_result = Result{};
    m_partialLine.clear();
    const QStringList line = commandLine(host, argv, m_sshOptions);

    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_process, &QProcess::readyRead, this, [this] {
        const QByteArray chunk = m_process->readAll();
        m_result.output += QString::fromLocal8Bit(chunk);
        if (m_result.output.size() > kOutputCap)
            m_result.output = m_result.output.right(kOutputCap);
        m_partialLine += chunk;
        qsizetype nl;
        while ((nl = m_partialLine.indexOf('\n')) >= 0) {
            Q_EMIT outputLine(QString::fromLocal8Bit(m_partialLine.left(nl)));
            m_partialLine.remove(0, nl + 1);
        }
    });
    connect(m_process, &QProcess::errorOccurred, this, [this, line](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            Result r = m_result;
            r.error =
                QStringLiteral("cannot start %1: %2").arg(line.value(0), m_process->errorString());
            finish(r);
        }
    });
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        Result r = m_result;
        r.started = true;
        r.exitCode = status == QProcess::NormalExit ? code : -1;
        if (status != QProcess::NormalExit && r.error.isEmpty() && !r.timedOut && !r.cancelled)
            r.error = QStringLiteral("the command crashed");
        finish(r);
    });
    if (timeoutMs > 0) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, [this, timeoutMs] {
            m_result.timedOut = true;
            m_result.error = QStringLiteral("no result within %1 s").arg(timeoutMs / 1000.0);
            m_process->kill();
        });
        m_timer->start(timeoutMs);
    }
    m_process->start(line.first(), line.mid(1));
    if (!input.isEmpty()) {
        m_process->write(input);
    }
    m_process->closeWriteChannel();
}

void CommandRunner::cancel()
{
    if (!m_process)
        return;
    m_result.cancelled = true;
    m_result.error = QStringLiteral("cancelled");
    m_process->terminate();
    QTimer::singleShot(3000, m_process, [p = m_process] { p->kill(); });
}

void CommandRunner::finish(Result result)
{
    if (!m_process)
        return;
    if (!m_partialLine.isEmpty())
        Q_EMIT outputLine(QString::fromLocal8Bit(m_partialLine));
    m_partialLine.clear();
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;
    delete m_timer;
    m_timer = nullptr;
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(result);
}

} // namespace pgdeck
