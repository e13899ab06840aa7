#include "sandboxfixture.h"

#include "plan/planexecutor.h"
#include "sandbox/sandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>

namespace pgdeck::test {

SandboxFixture::~SandboxFixture()
{
    stop();
}

QString SandboxFixture::stateDir() const
{
    return tempPath() + QStringLiteral("/state");
}

bool SandboxFixture::runPlan(const Plan &plan, QString *summary,
                             QList<PlanExecutor::StepOutcome> *outcomes, const QStringList &sshOptions)
{
    PlanExecutor executor;
    if (!sshOptions.isEmpty())
        executor.setSshOptions(sshOptions);
    QEventLoop loop;
    bool ok = false;
    QObject::connect(&executor, &PlanExecutor::stepFinished, &loop,
                     [&](int, PlanExecutor::StepOutcome o, const QString &) {
                         if (outcomes)
                             *outcomes << o;
                     });
    QObject::connect(&executor, &PlanExecutor::finished, &loop, [&](bool success, const QString &s) {
        ok = success;
        *summary = s;
        loop.quit();
    });
    if (!executor.start(plan, summary))
        return false;
    loop.exec();
    return ok;
}

bool SandboxFixture::start(int standbys, QString *error, bool load)
{
    m_tmp =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/pgdeck-test-XXXXXX"));
    if (!m_tmp->isValid()) {
        *error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    // When we are root the servers run as an unprivileged user who must reach the dir.
    QFile::setPermissions(m_tmp->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                             QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup |
                                             QFile::ExeGroup);
    m_oldStateDir = qgetenv("PGDECK_STATE_DIR");
    qputenv("PGDECK_STATE_DIR", stateDir().toLocal8Bit());

    SandboxConfig wanted;
    wanted.dir = m_tmp->path() + QStringLiteral("/sandbox");
    wanted.standbys = standbys;
    wanted.load = load;
    // Spread parallel test runs over the port range.
    wanted.basePort = Sandbox::findFreePorts(
        20000 + int(QCoreApplication::applicationPid() % 2000) * 10, standbys + 1);
    if (!Sandbox::resolveConfig(wanted, &m_config, error))
        return false;
    m_started = true;
    QString summary;
    if (!runPlan(Sandbox::upPlan(m_config), &summary)) {
        *error = summary;
        return false;
    }
    return true;
}

void SandboxFixture::stop()
{
    if (!m_started)
        return;
    m_started = false;
    QString summary;
    if (!runPlan(Sandbox::downPlan(m_config), &summary))
        qWarning("sandbox fixture teardown: %s", qPrintable(summary));
    if (m_oldStateDir.isEmpty())
        qunsetenv("PGDECK_STATE_DIR");
    else
        qputenv("PGDECK_STATE_DIR", m_oldStateDir);
    m_tmp.reset();
}

ConnectionParams SandboxFixture::params(int node, const QString &dbname) const
{
    return Sandbox::nodeParams(m_config, node, dbname);
}

} // namespace pgdeck::test
