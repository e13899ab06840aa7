#pragma once

#include "plan/plan.h"
#include "plan/planexecutor.h"

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTimer;
class QTreeWidget;

namespace pgdeck {

// Runs a Plan and shows it: one row per step with its state and duration, the steps' live
// output, and a status line. A failed run can be resumed from its journal, so steps already
// done are not repeated. Wizards put their own buttons around it.
class PlanRunView : public QWidget {
    Q_OBJECT
public:
    enum class StepState { Pending, Running, Done, Skipped, Failed, Cancelled };
    Q_ENUM(StepState)
    enum Column { GlyphColumn, TitleColumn, StateColumn, TimeColumn };

    explicit PlanRunView(QWidget *parent = nullptr);

    // Shows the plan's steps as pending. Refused while a run is under way.
    void setPlan(const Plan &plan);
    const Plan &plan() const { return m_plan; }
    bool start(QString *error);
    // Continues the run that failed or was cancelled, from its journal.
    bool resume(QString *error);
    void cancel();

    bool isRunning() const;
    bool hasSucceeded() const { return m_succeeded; }
    bool hasFailed() const { return m_failed; }
    bool canResume() const { return m_failed && !m_planId.isEmpty() && !isRunning(); }
    // The id the journal knows the last run by; empty before the first start.
    QString planId() const { return m_planId; }
    // "“title” failed: message" for the step that stopped the run; the status line shows
    // the lines of the message that name the error, the step's tooltip all of it.
    QString failure() const { return m_failure; }
    StepState stepState(int index) const;
    int stepCount() const;
    static QString stateName(StepState state);

    // Replaces the status line, for what the caller does before or after the run.
    void setStatus(const QString &text, const QColor &color = QColor());
    QString statusText() const;

    QTreeWidget *stepsTree() const { return m_steps; }
    QPlainTextEdit *outputView() const { return m_output; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    void runningChanged(bool running);
    void finished(bool ok, const QString &summary);

private:
    void attachExecutor();
    void fillSteps();
    void setStepState(int index, StepState state, const QString &message = {});
    void onStepStarted(int index, int total, const QString &title);
    void onStepFinished(int index, PlanExecutor::StepOutcome outcome, const QString &message);
    void onFinished(bool ok, const QString &summary);
    void showRunningTime();

    Plan m_plan;
    QLabel *m_status;
    QTreeWidget *m_steps;
    QPlainTextEdit *m_output;
    QTimer *m_clockTimer;
    PlanExecutor *m_executor = nullptr;
    QElapsedTimer m_stepClock;
    int m_runningIndex = -1;
    QString m_planId;
    QString m_failure;
    QString m_failureBrief; // what the status line shows of it
    bool m_succeeded = false;
    bool m_failed = false;
};

} // namespace pgdeck
