#pragma once

#include "pg/connectionparams.h"
#include "plan/plan.h"
#include "plan/planexecutor.h"
#include "sandbox/sandboxconfig.h"

#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace pgdeck::test {

// Real PostgreSQL servers on 127.0.0.1 for integration tests: a primary and `standbys`
// streaming standbys in a temporary directory, built by running the sandbox's own Plan
// in-process (so every test also exercises the executor), and removed again by the
// sandbox's down Plan. Journals and audit records go to the temp dir, not the user's.
class SandboxFixture {
public:
    SandboxFixture() = default;
    ~SandboxFixture();
    SandboxFixture(const SandboxFixture &) = delete;
    SandboxFixture &operator=(const SandboxFixture &) = delete;

    // Skips the calling test (returns false with *skip set) when no PostgreSQL binaries
    // exist; fails with the executor's summary otherwise.
    bool start(int standbys, QString *error, bool load = false);
    void stop();

    const SandboxConfig &config() const { return m_config; }
    ConnectionParams params(int node = 0, const QString &dbname = QStringLiteral("postgres")) const;
    QString tempPath() const { return m_tmp ? m_tmp->path() : QString(); }
    QString stateDir() const;

    // Runs one Plan to the end in-process; returns the executor's summary in *summary.
    // Also collects each step's outcome when asked; sshOptions go to the command runner.
    static bool runPlan(const Plan &plan, QString *summary,
                        QList<PlanExecutor::StepOutcome> *outcomes = nullptr,
                        const QStringList &sshOptions = {});

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    SandboxConfig m_config;
    QByteArray m_oldStateDir;
    bool m_started = false;
};

} // namespace pgdeck::test
