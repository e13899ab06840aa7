#pragma once

#include <QElapsedTimer>
#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace pgdeck {

class PatroniWizard;
class PlanExecutor;

// Page 4: the run, one line per step with its state and duration, and the output.
class PatroniRunPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PatroniRunPage(PatroniWizard *wizard);
    void initializePage() override;
    bool isComplete() const override { return !isRunning(); }
    void run();
    void resume();
    void cancel();
    bool isRunning() const;
    bool hasSucceeded() const { return m_succeeded; }
    bool hasFailed() const { return m_failed; }
    QString failure() const { return m_failure; }
    QString planId() const { return m_planId; }
    QTreeWidget *steps() const { return m_steps; }

private:
    void attach();
    void fillSteps();
    void setStepState(int index, const QString &state, const QString &message = {});

    PatroniWizard *m_wizard;
    QLabel *m_status;
    QTreeWidget *m_steps;
    QPlainTextEdit *m_log;
    QPushButton *m_run, *m_resume;
    PlanExecutor *m_executor = nullptr;
    QElapsedTimer m_stepClock;
    QString m_planId;
    QString m_failure;
    bool m_succeeded = false;
    bool m_failed = false;
};

} // namespace pgdeck
