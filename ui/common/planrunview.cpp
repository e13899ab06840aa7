#include "planrunview.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

constexpr int StateRole = Qt::UserRole + 1;
constexpr int OutputBlockLimit = 5000; // enough for a build's log; older lines scroll away

QString formatDuration(qint64 ms)
{
    return ms < 60000 ? QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 1)
                      : QStringLiteral("%1 min %2 s").arg(ms / 60000).arg(ms % 60000 / 1000);
}

struct StateLook {
    QString glyph;
    QColor color;
};

// Darker shades than the usual Material ones: they stay readable on a white row.
StateLook lookOf(PlanRunView::StepState state)
{
    using S = PlanRunView::StepState;
    switch (state) {
    case S::Pending:
        return {QStringLiteral("○"), QColor(0x75, 0x75, 0x75)};
    case S::Running:
        return {QStringLiteral("▶"), QColor(0x15, 0x65, 0xc0)};
    case S::Done:
        return {QStringLiteral("✔"), QColor(0x2e, 0x7d, 0x32)};
    case S::Skipped:
        return {QStringLiteral("✔"), QColor(0x60, 0x7d, 0x8b)};
    case S::Failed:
        return {QStringLiteral("✖"), QColor(0xc6, 0x28, 0x28)};
    case S::Cancelled:
        return {QStringLiteral("■"), QColor(0xe6, 0x51, 0x00)};
    }
    return {};
}

PlanRunView::StepState stateOf(PlanExecutor::StepOutcome outcome)
{
    switch (outcome) {
    case PlanExecutor::StepOutcome::Done:
    case PlanExecutor::StepOutcome::AlreadyDone:
        return PlanRunView::StepState::Done;
    case PlanExecutor::StepOutcome::Skipped:
        return PlanRunView::StepState::Skipped;
    case PlanExecutor::StepOutcome::Failed:
        return PlanRunView::StepState::Failed;
    case PlanExecutor::StepOutcome::Cancelled:
        return PlanRunView::StepState::Cancelled;
    }
    return PlanRunView::StepState::Failed;
}

// A step's message can be a tool's whole output. The status line keeps the lines that say
// what went wrong (the last ones mentioning an error, else the last ones); the step's
// tooltip and the output pane keep all of it.
QString essentialLines(const QString &message)
{
    constexpr int MaxLines = 2;
    QStringList lines, errors;
    for (const QString &line : message.split(QLatin1Char('\n'))) {
        const QString text = line.trimmed();
        if (text.isEmpty())
            continue;
        lines << text;
        if (text.contains(QLatin1String("error"), Qt::CaseInsensitive) && !errors.contains(text))
            errors << text;
    }
    const QStringList &from = errors.isEmpty() ? lines : errors;
    return from.mid(qMax(0, int(from.size()) - MaxLines)).join(QLatin1Char('\n'));
}

} // namespace

PlanRunView::PlanRunView(QWidget *parent)
    : QWidget(parent)
{
    m_status = new QLabel(tr("Nothing to run yet."));
    m_status->setObjectName(QStringLiteral("planRunStatus"));
    m_status->setAccessibleName(tr("Run status"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_steps = new QTreeWidget;
    m_steps->setObjectName(QStringLiteral("planRunSteps"));
    m_steps->setAccessibleName(tr("Steps"));
    m_steps->setRootIsDecorated(false);
    m_steps->setUniformRowHeights(true);
    m_steps->setSelectionMode(QAbstractItemView::SingleSelection);
    m_steps->setHeaderLabels({QString(), tr("Step"), tr("State"), tr("Time")});
    m_steps->header()->setStretchLastSection(false);
    m_steps->header()->setSectionResizeMode(GlyphColumn, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(TitleColumn, QHeaderView::Stretch);
    m_steps->setColumnWidth(StateColumn, 110);
    m_steps->setColumnWidth(TimeColumn, 90);

    m_output = new QPlainTextEdit;
    m_output->setObjectName(QStringLiteral("planRunOutput"));
    m_output->setAccessibleName(tr("Output"));
    m_output->setReadOnly(true);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_output->setMaximumBlockCount(OutputBlockLimit);
    m_output->setPlaceholderText(tr("The steps' output appears here as it comes."));

    m_clockTimer = new QTimer(this);
    m_clockTimer->setInterval(500);
    connect(m_clockTimer, &QTimer::timeout, this, &PlanRunView::showRunningTime);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_steps);
    splitter->addWidget(m_output);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);
}

QString PlanRunView::stateName(StepState state)
{
    switch (state) {
    case StepState::Pending:
        return tr("pending");
    case StepState::Running:
        return tr("running");
    case StepState::Done:
        return tr("done");
    case StepState::Skipped:
        return tr("skipped");
    case StepState::Failed:
        return tr("failed");
    case StepState::Cancelled:
        return tr("cancelled");
    }
    return {};
}

void PlanRunView::setPlan(const Plan &plan)
{
    if (isRunning())
        return;
    m_plan = plan;
    m_planId.clear();
    m_failure.clear();
    m_failureBrief.clear();
    m_succeeded = m_failed = false;
    m_output->clear();
    fillSteps();
    setStatus(tr("%n step(s) to run.", nullptr, int(plan.steps().size())));
}

void PlanRunView::fillSteps()
{
    m_steps->clear();
    for (const PlanStep &step : m_plan.steps()) {
        auto *item = new QTreeWidgetItem(m_steps);
        item->setText(TitleColumn, step.title);
        item->setToolTip(TitleColumn, step.id);
    }
    for (int i = 0; i < m_steps->topLevelItemCount(); ++i)
        setStepState(i, StepState::Pending);
}

void PlanRunView::setStepState(int index, StepState state, const QString &message)
{
    QTreeWidgetItem *item = m_steps->topLevelItem(index);
    if (!item)
        return;
    const StateLook look = lookOf(state);
    item->setData(StateColumn, StateRole, int(state));
    item->setText(GlyphColumn, look.glyph);
    item->setForeground(GlyphColumn, look.color);
    item->setText(StateColumn, stateName(state));
    item->setForeground(StateColumn, look.color);
    // The step's own message (a failure's cause) is one hover away on every column.
    const QString tip = message.isEmpty() ? m_plan.steps().value(index).id : message;
    for (int c = GlyphColumn; c <= TimeColumn; ++c)
        item->setToolTip(c, tip);
}

PlanRunView::StepState PlanRunView::stepState(int index) const
{
    const QTreeWidgetItem *item = m_steps->topLevelItem(index);
    return item ? StepState(item->data(StateColumn, StateRole).toInt()) : StepState::Pending;
}

int PlanRunView::stepCount() const
{
    return m_steps->topLevelItemCount();
}

void PlanRunView::setStatus(const QString &text, const QColor &color)
{
    m_status->setText(text);
    m_status->setStyleSheet(color.isValid() ? QStringLiteral("color: %1").arg(color.name())
                                            : QString());
}

QString PlanRunView::statusText() const
{
    return m_status->text();
}

bool PlanRunView::isRunning() const
{
    return m_executor && m_executor->isRunning();
}

void PlanRunView::attachExecutor()
{
    // A fresh executor per run: nothing of an earlier run's state can leak into this one.
    if (m_executor)
        m_executor->deleteLater();
    m_executor = new PlanExecutor(this);
    connect(m_executor, &PlanExecutor::stepStarted, this, &PlanRunView::onStepStarted);
    connect(m_executor, &PlanExecutor::stepFinished, this, &PlanRunView::onStepFinished);
    connect(m_executor, &PlanExecutor::output, m_output, &QPlainTextEdit::appendPlainText);
    connect(m_executor, &PlanExecutor::finished, this, &PlanRunView::onFinished);
}

bool PlanRunView::start(QString *error)
{
    if (isRunning()) {
        *error = tr("the plan is already running");
        return false;
    }
    if (m_plan.steps().isEmpty()) {
        *error = tr("there is no plan to run");
        return false;
    }
    fillSteps();
    m_output->clear();
    m_failure.clear();
    m_failureBrief.clear();
    m_succeeded = m_failed = false;
    attachExecutor();
    if (!m_executor->start(m_plan, error)) {
        setStatus(*error, lookOf(StepState::Failed).color);
        return false;
    }
    m_planId = m_executor->plan().id();
    setStatus(tr("Starting…"));
    Q_EMIT runningChanged(true);
    return true;
}

bool PlanRunView::resume(QString *error)
{
    if (!canResume()) {
        *error = isRunning() ? tr("the plan is already running") : tr("there is no failed run");
        return false;
    }
    // Steps that did not finish run again; the executor reports the done ones as such.
    for (int i = 0; i < stepCount(); ++i)
        if (stepState(i) == StepState::Failed || stepState(i) == StepState::Cancelled)
            setStepState(i, StepState::Pending);
    m_failure.clear();
    m_failureBrief.clear();
    m_failed = false;
    attachExecutor();
    m_output->appendPlainText(tr("── resuming plan %1").arg(m_planId));
    if (!m_executor->resume(m_planId, error)) {
        m_failed = true;
        setStatus(*error, lookOf(StepState::Failed).color);
        return false;
    }
    setStatus(tr("Resuming…"));
    Q_EMIT runningChanged(true);
    return true;
}

void PlanRunView::cancel()
{
    if (isRunning()) {
        setStatus(tr("Cancelling after the current action…"), lookOf(StepState::Cancelled).color);
        m_executor->cancel();
    }
}

void PlanRunView::onStepStarted(int index, int total, const QString &title)
{
    m_runningIndex = index;
    m_stepClock.start();
    m_clockTimer->start();
    setStepState(index, StepState::Running);
    if (QTreeWidgetItem *item = m_steps->topLevelItem(index))
        m_steps->scrollToItem(item);
    setStatus(tr("Step %1 of %2: %3").arg(index + 1).arg(total).arg(title));
    m_output->appendPlainText(QStringLiteral("── %1").arg(title));
}

void PlanRunView::onStepFinished(int index, PlanExecutor::StepOutcome outcome,
                                 const QString &message)
{
    const StepState state = stateOf(outcome);
    QString tip = message;
    if (outcome == PlanExecutor::StepOutcome::AlreadyDone)
        tip = tr("done in an earlier run");
    else if (outcome == PlanExecutor::StepOutcome::Skipped && tip.isEmpty())
        tip = tr("skipped: already done");
    setStepState(index, state, tip);
    if (QTreeWidgetItem *item = m_steps->topLevelItem(index))
        item->setText(TimeColumn, outcome == PlanExecutor::StepOutcome::AlreadyDone
                                      ? QString()
                                      : formatDuration(m_stepClock.elapsed()));
    m_runningIndex = -1;
    m_clockTimer->stop();
    if (state == StepState::Failed) {
        const QString title = m_plan.steps().value(index).title;
        m_failure = tr("“%1” failed: %2").arg(title, message);
        const QString brief = essentialLines(message);
        m_failureBrief =
            (brief.contains(QLatin1Char('\n')) ? tr("“%1” failed:\n%2") : tr("“%1” failed: %2"))
                .arg(title, brief);
    }
}

void PlanRunView::onFinished(bool ok, const QString &summary)
{
    m_clockTimer->stop();
    m_succeeded = ok;
    m_failed = !ok;
    m_output->appendPlainText(summary); // names the journal, and the failing step's message
    // Once the appended lines are laid out: the last line, from its left end.
    QTimer::singleShot(0, m_output, [output = m_output] {
        output->verticalScrollBar()->setValue(output->verticalScrollBar()->maximum());
        output->horizontalScrollBar()->setValue(0);
    });
    if (ok) {
        setStatus(tr("All %n step(s) done.", nullptr, stepCount()), lookOf(StepState::Done).color);
    } else {
        bool cancelled = false;
        for (int i = 0; i < stepCount(); ++i)
            cancelled = cancelled || stepState(i) == StepState::Cancelled;
        if (m_failure.isEmpty())
            m_failure = m_failureBrief = cancelled ? tr("Cancelled.") : essentialLines(summary);
        setStatus(m_failureBrief + QLatin1Char('\n') +
                      tr("Resume continues from there: steps already done are not repeated."),
                  lookOf(cancelled ? StepState::Cancelled : StepState::Failed).color);
    }
    Q_EMIT runningChanged(false);
    Q_EMIT finished(ok, summary);
}

void PlanRunView::showRunningTime()
{
    if (QTreeWidgetItem *item = m_steps->topLevelItem(m_runningIndex))
        item->setText(TimeColumn, formatDuration(m_stepClock.elapsed()));
}

} // namespace pgdeck
