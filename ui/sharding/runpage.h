#pragma once

#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace pgdeck {

class PlanExecutor;
class ShardingWizard;

// Page 5: runs the previewed Plan with the PlanExecutor (journaled, resumable with
// `pgdeckctl resume`), one progress bar per step and a log; the verification step's
// result is shown at the end.
class RunPage : public QWizardPage {
    Q_OBJECT
public:
    explicit RunPage(ShardingWizard *wizard);

    void initializePage() override;
    bool isComplete() const override { return !isRunning(); }

    void run();
    void cancel();
    bool isRunning() const;
    bool hasFinished() const { return m_finished; }

private:
    void onStepStarted(int index, int total, const QString &title);
    void onStepFinished(int index, int outcome, const QString &message);
    void onFinished(bool ok, const QString &summary);

    ShardingWizard *m_wizard;
    QPushButton *m_run;
    QTableWidget *m_steps;
    QProgressBar *m_progress;
    QPlainTextEdit *m_log;
    QLabel *m_verify;
    PlanExecutor *m_executor = nullptr;
    bool m_finished = false;
    bool m_closeWhenDone = false;
};

} // namespace pgdeck
