#pragma once

#include "plan/planexecutor.h"
#include "sandbox/sandboxconfig.h"

#include <QDialog>
#include <QElapsedTimer>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace pgdeck {

// Builds (or finishes building) the sandbox: runs Sandbox::upPlan through a PlanExecutor
// and shows every step and its outcome as it happens. Window-modal-free: the console
// behind it stays usable. On success it reports the sandbox's inventory and closes.
class SandboxBuildDialog : public QDialog {
    Q_OBJECT
public:
    explicit SandboxBuildDialog(const SandboxConfig &config, QWidget *parent = nullptr);

    bool start(QString *error);
    bool isRunning() const;

Q_SIGNALS:
    void sandboxReady(const QString &inventoryPath);
    void buildFailed(const QString &summary);

protected:
    void reject() override;

private:
    void onStepStarted(int index, int total, const QString &title);
    void onStepFinished(int index, PlanExecutor::StepOutcome outcome, const QString &message);
    void onFinished(bool ok, const QString &summary);

    SandboxConfig m_config;
    PlanExecutor *m_executor;
    QLabel *m_heading;
    QLabel *m_subtitle;
    QTreeWidget *m_steps;
    QProgressBar *m_progress;
    QPlainTextEdit *m_details;
    QPushButton *m_button;
    QElapsedTimer m_stepClock;
    int m_done = 0;
    bool m_closeWhenStopped = false;
};

} // namespace pgdeck
