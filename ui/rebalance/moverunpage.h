#pragma once

#include "sharding/rebalance.h"

#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;

namespace pgdeck {

class MoveProgressView;
class PlanExecutor;
class RebalanceWizard;

// Page 3: runs the Plan (journaled, resumable) with a progress bar per shard move. Each
// move's state comes from the executor's steps; the bytes copied so far are read from the
// servers twice a second, off the GUI thread. A stopped run can be resumed or its
// unfinished moves undone from here.
class MoveRunPage : public QWizardPage {
    Q_OBJECT
public:
    explicit MoveRunPage(RebalanceWizard *wizard);

    void initializePage() override;
    bool isComplete() const override { return !isRunning(); }

    void run();
    void cancel();
    void resume();
    void undo();
    bool isRunning() const;
    bool hasSucceeded() const { return m_succeeded; }
    MoveProgressView *moves() const { return m_view; }

private:
    void start(PlanExecutor *executor, bool resumed);
    void onStepStarted(int index);
    void onStepFinished(int index, int outcome);
    void onFinished(bool ok, const QString &summary);
    void poll();

    RebalanceWizard *m_wizard;
    QLabel *m_status;
    QProgressBar *m_overall;
    MoveProgressView *m_view;
    QPlainTextEdit *m_log;
    QPushButton *m_run;
    QPushButton *m_resume;
    QPushButton *m_undo;
    QTimer *m_poll;
    PlanExecutor *m_executor = nullptr;
    QString m_planId;
    bool m_polling = false;
    bool m_succeeded = false;
    bool m_undoing = false;
};

} // namespace pgdeck
