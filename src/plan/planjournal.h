#pragma once

#include "plan.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

namespace pgdeck {

// The on-disk record of a Plan run: <journal dir>/<plan id>/plan.json plus journal.jsonl,
// one JSON object per line, flushed and fsynced before the step it announces runs on.
// A killed process leaves at worst a "started" line without its "done": resume re-checks
// that step's guard and runs it again.
class PlanJournal {
public:
    enum class StepState { Pending, Started, Done, Failed };
    enum class RunState { NotStarted, Running, Finished, Failed, Cancelled };

    struct Entry {
        QDateTime time;
        QString event; // started, done, skipped, failed, plan-started, plan-finished, ...
        QString step;
        QString message;
    };

    // Creates the journal for a new run and stores the plan beside it.
    static bool create(const Plan &plan, PlanJournal *journal, QString *error);
    // Opens an existing journal, e.g. for resume.
    static bool open(const QString &planId, PlanJournal *journal, QString *error);
    static QStringList listIds(); // newest first
    static QString directoryFor(const QString &planId);

    const Plan &plan() const { return m_plan; }
    QString directory() const { return m_dir; }
    const QList<Entry> &entries() const { return m_entries; }

    bool append(const QString &event, const QString &step = {}, const QString &message = {});

    StepState stepState(const QString &stepId) const;
    RunState runState() const;
    QString lastMessage() const;
    static QString runStateName(RunState s);

private:
    bool readEntries(QString *error);

    Plan m_plan;
    QString m_dir;
    QList<Entry> m_entries;
    QHash<QString, StepState> m_steps;
};

} // namespace pgdeck
