#include "planjournal.h"

#include "common/statepaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

namespace pgdeck {

QString PlanJournal::directoryFor(const QString &planId)
{
    return planJournalDir() + QLatin1Char('/') + planId;
}

bool PlanJournal::create(const Plan &plan, PlanJournal *journal, QString *error)
{
    const QString dir = directoryFor(plan.id());
    if (QFileInfo::exists(dir + QStringLiteral("/journal.jsonl"))) {
        *error = QStringLiteral("plan %1 already has a journal in %2; resume it instead")
                     .arg(plan.id(), dir);
        return false;
    }
    if (!ensureDir(dir, error))
        return false;
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (!plan.save(dir + QStringLiteral("/plan.json"), error))
        return false;
    PlanJournal j;
    j.m_plan = plan;
    j.m_dir = dir;
    *journal = j;
    return true;
}

bool PlanJournal::open(const QString &planId, PlanJournal *journal, QString *error)
{
    const QString dir = directoryFor(planId);
    if (!QFileInfo::exists(dir + QStringLiteral("/plan.json"))) {
        *error = QStringLiteral("no plan with id \"%1\" in %2 (see: pgdeckctl plans)")
                     .arg(planId, planJournalDir());
        return false;
    }
    PlanJournal j;
    j.m_dir = dir;
    if (!Plan::load(dir + QStringLiteral("/plan.json"), &j.m_plan, error))
        return false;
    if (!j.readEntries(error))
        return false;
    *journal = j;
    return true;
}

QStringList PlanJournal::listIds()
{
    QDir dir(planJournalDir());
    return dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time);
}

bool PlanJournal::readEntries(QString *error)
{
    QFile f(m_dir + QStringLiteral("/journal.jsonl"));
    if (!f.exists())
        return true;
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(f.fileName(), f.errorString());
        return false;
    }
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty())
            continue; // a line torn by a crash mid-write: ignore it
        Entry e{QDateTime::fromString(o.value(QLatin1String("time")).toString(), Qt::ISODateWithMs),
                o.value(QLatin1String("event")).toString(),
                o.value(QLatin1String("step")).toString(),
                o.value(QLatin1String("message")).toString()};
        m_entries << e;
        if (e.event == QLatin1String("started"))
            m_steps[e.step] = StepState::Started;
        else if (e.event == QLatin1String("done") || e.event == QLatin1String("skipped"))
            m_steps[e.step] = StepState::Done;
        else if (e.event == QLatin1String("failed"))
            m_steps[e.step] = StepState::Failed;
    }
    return true;
}

bool PlanJournal::append(const QString &event, const QString &step, const QString &message)
{
    Entry e{QDateTime::currentDateTimeUtc(), event, step, message};
    QJsonObject o;
    o[QLatin1String("time")] = e.time.toString(Qt::ISODateWithMs);
    o[QLatin1String("event")] = event;
    if (!step.isEmpty())
        o[QLatin1String("step")] = step;
    if (!message.isEmpty())
        o[QLatin1String("message")] = message;
    QFile f(m_dir + QStringLiteral("/journal.jsonl"));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
        return false;
    f.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
    f.flush();
    ::fsync(f.handle()); // the next step must not run before this line is on disk
    f.close();
    m_entries << e;
    if (event == QLatin1String("started"))
        m_steps[step] = StepState::Started;
    else if (event == QLatin1String("done") || event == QLatin1String("skipped"))
        m_steps[step] = StepState::Done;
    else if (event == QLatin1String("failed"))
        m_steps[step] = StepState::Failed;
    return true;
}

PlanJournal::StepState PlanJournal::stepState(const QString &stepId) const
{
    return m_steps.value(stepId, StepState::Pending);
}

PlanJournal::RunState PlanJournal::runState() const
{
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
        if (it->event == QLatin1String("plan-finished"))
            return RunState::Finished;
        if (it->event == QLatin1String("plan-failed"))
            return RunState::Failed;
        if (it->event == QLatin1String("plan-cancelled"))
            return RunState::Cancelled;
        if (it->event == QLatin1String("plan-started") ||
            it->event == QLatin1String("plan-resumed"))
            return RunState::Running; // or killed: nothing after the start
    }
    return RunState::NotStarted;
}

QString PlanJournal::lastMessage() const
{
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it)
        if (!it->message.isEmpty())
            return it->message;
    return {};
}

QString PlanJournal::runStateName(RunState s)
{
    switch (s) {
    case RunState::NotStarted:
        return QStringLiteral("not started");
    case RunState::Running:
        return QStringLiteral("running or interrupted");
    case RunState::Finished:
        return QStringLiteral("finished");
    case RunState::Failed:
        return QStringLiteral("failed");
    case RunState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

} // namespace pgdeck
