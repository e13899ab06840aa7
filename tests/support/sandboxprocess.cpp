#include "sandboxprocess.h"

#include "sandbox/sandbox.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>

namespace pgdeck::test {

SandboxProcess::~SandboxProcess()
{
    down();
}

bool SandboxProcess::runCtl(const QStringList &args, int timeoutMs, QString *output)
{
    const QString ctl = qEnvironmentVariable("PGDECKCTL");
    if (ctl.isEmpty()) {
        *output = QStringLiteral("PGDECKCTL is not set (run the test through ctest)");
        return false;
    }
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(ctl, args);
    const bool finished = p.waitForFinished(timeoutMs);
    *output = QString::fromLocal8Bit(p.readAll());
    if (!finished) {
        p.kill();
        p.waitForFinished(5000);
        *output += QStringLiteral("\n(no end within %1 s)").arg(timeoutMs / 1000);
        return false;
    }
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool SandboxProcess::up(int standbys, QString *error)
{
    if (!m_tmp.isValid()) {
        *error = QStringLiteral("no temporary directory: %1").arg(m_tmp.errorString());
        return false;
    }
    // QTemporaryDir is 0700; the unprivileged server user must get through it when we are root.
    QFile::setPermissions(m_tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                            QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                            QFile::ExeOther);
    m_dir = m_tmp.filePath(QStringLiteral("sb"));
    // Random start: tests run in parallel, and 54320+ belongs to the developer's sandbox.
    for (int attempt = 0; attempt < 3; ++attempt) {
        m_port =
            Sandbox::findFreePorts(55600 + QRandomGenerator::global()->bounded(4000), standbys + 1);
        m_started = true;
        QString out;
        if (runCtl({QStringLiteral("sandbox"), QStringLiteral("up"), QStringLiteral("--dir"), m_dir,
                    QStringLiteral("--no-load"), QStringLiteral("--standbys"),
                    QString::number(standbys), QStringLiteral("--port"), QString::number(m_port)},
                   180000, &out))
            return true;
        *error = out;
        if (!out.contains(QLatin1String("in use")))
            return false;
        down(); // lost a race for the ports: try elsewhere
    }
    return false;
}

void SandboxProcess::down()
{
    if (!m_started)
        return;
    m_started = false;
    QString out;
    if (!runCtl({QStringLiteral("sandbox"), QStringLiteral("down"), QStringLiteral("--dir"), m_dir},
                120000, &out))
        qWarning("sandbox down failed: %s", qPrintable(out));
}

} // namespace pgdeck::test
