#pragma once

#include "pipelinespec.h"
#include "plan/planstep.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

namespace pgdeck {

class CommandRunner;

// How to run a pipeline here: in containers of each job's image (host network, so all its
// traffic stays on this machine), or directly in a scratch copy of the repository.
struct LocalRunOptions {
    QString repoDir;
    bool inContainers = false;
    QString pgBinDir;   // without containers: initdb and pg_ctl for the PostgreSQL service
    QString pgOsUser;   // without containers: the OS user the service runs as (not root)
    int pgPort = 0;     // the service's port on 127.0.0.1
    QString scratchDir; // the copy of the repository; removed at the end
    // Without containers: the service's data directory, where pgOsUser can create it;
    // empty: <temp>/<scratch name>-postgres.
    QString pgDataDir;
    int stepTimeoutMs = 15 * 60 * 1000;
};

// Runs a pipeline's shell steps on this machine before it is pushed: a copy of the
// repository, the PostgreSQL service its test job declares, then each step in order with
// its status, duration and output. What needs the outside world (registry login, push,
// deploy) is listed as skipped with the reason. The service and the copy are always
// removed, also after a failed or cancelled step.
class PipelineLocalRun : public QObject {
    Q_OBJECT
public:
    enum class State { Pending, Running, Passed, Failed, Skipped, Cancelled };
    Q_ENUM(State)

    struct Step {
        QString job;
        QString id;
        QString title;
        QStringList argv;
        HostTarget host;
        bool teardown = false; // runs whatever happened before it
        QString skipReason;    // set: not run here
        State state = State::Pending;
        qint64 durationMs = 0;
        QString output;
        int exitCode = -1;
    };

    explicit PipelineLocalRun(QObject *parent = nullptr);
    ~PipelineLocalRun() override;

    // The steps a run of spec with these options would take (nothing runs).
    static QList<Step> plan(const PipelineSpec &spec, const LocalRunOptions &options);

    bool start(const PipelineSpec &spec, const LocalRunOptions &options, QString *error);
    void cancel();
    bool isRunning() const { return m_running; }
    const QList<Step> &steps() const { return m_steps; }
    static QString stateName(State state);

Q_SIGNALS:
    void stepStarted(int index);
    void stepFinished(int index, pgdeck::PipelineLocalRun::State state);
    void output(int index, const QString &line);
    void finished(bool ok, const QString &summary);

private:
    void runNext();

    CommandRunner *m_runner;
    QList<Step> m_steps;
    QElapsedTimer m_clock;
    int m_index = -1;
    int m_timeoutMs = 0;
    bool m_running = false;
    bool m_failed = false;
    bool m_cancelled = false;
};

} // namespace pgdeck
