#pragma once

#include "plan.h"
#include "planjournal.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

class QNetworkAccessManager;
class QTimer;

namespace pgdeck {

class CommandRunner;
class PgConnection;
class PgResult;

// Runs a Plan step by step on the event loop. Before each step it writes "started" to the
// journal, checks the step's guard (skip when already done), runs it, then writes "done"
// or "failed". A failed step stops the plan; resume() continues from the journal, never
// redoing a step recorded as done. Every step outcome also goes to the audit log.
class PlanExecutor : public QObject {
    Q_OBJECT
public:
    enum class StepOutcome { Done, Skipped, AlreadyDone, Failed, Cancelled };
    Q_ENUM(StepOutcome)

    explicit PlanExecutor(QObject *parent = nullptr);
    ~PlanExecutor() override;

    void setSshOptions(const QStringList &options);
    // Used when a step sets no timeout of its own.
    void setDefaultTimeouts(int sqlMs, int commandMs, int waitMs);

    bool start(const Plan &plan, QString *error);
    bool resume(const QString &planId, QString *error);
    void cancel();

    bool isRunning() const { return m_running; }
    const Plan &plan() const { return m_journal.plan(); }
    const PlanJournal &journal() const { return m_journal; }
    static QString outcomeName(StepOutcome outcome);

Q_SIGNALS:
    void stepStarted(int index, int total, const QString &title);
    void stepFinished(int index, pgdeck::PlanExecutor::StepOutcome outcome, const QString &message);
    void progress(int percent);
    void output(const QString &line);
    void finished(bool ok, const QString &summary);

private:
    void begin(bool resumed);
    void runNext();
    void checkGuard();
    void execute();
    void executeSql(const PlanStep &step);
    void executeCommand(const PlanStep &step);
    void executeWriteFile(const PlanStep &step);
    void pollWait();
    void getHttp(const QString &url, std::function<void(bool, const QString &)> done);
    void executeVerify(const PlanStep &step);
    void completeStep(StepOutcome outcome, const QString &message);
    void finishPlan(bool ok, const QString &summary);
    PgConnection *connectionFor(const QString &node);
    void runSql(const QString &node, const QString &sql, const QStringList &params, int timeoutMs,
                std::function<void(const PgResult &)> done);
    QString describeStep(int index) const;
    QString whatRuns(const PlanStep &step) const;

    PlanJournal m_journal;
    CommandRunner *m_runner = nullptr;
    CommandRunner *m_waitRunner = nullptr; // polls a command wait; its output is not shown
    QHash<QString, PgConnection *> m_connections;
    QTimer *m_sqlTimer = nullptr;
    QTimer *m_pollTimer = nullptr;
    QNetworkAccessManager *m_http = nullptr; // created by the first HTTP wait
    QElapsedTimer m_waitClock;
    QString m_lastWaitError;
    int m_index = -1;
    quint64 m_stepToken = 0; // results of a cancelled step must not complete the next one
    bool m_running = false;
    bool m_cancelled = false;
    int m_sqlTimeoutMs = 0;
    int m_commandTimeoutMs = 30 * 60 * 1000;
    int m_waitTimeoutMs = 120 * 1000;
};

} // namespace pgdeck
