#include "sandboxbuilddialog.h"

#include "common/healthstyle.h"
#include "sandbox/sandbox.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

enum StepColumn { TitleColumn, OutcomeColumn, TimeColumn };

QColor outcomeColor(PlanExecutor::StepOutcome outcome)
{
    switch (outcome) {
    case PlanExecutor::StepOutcome::Done:
        return HealthStyle::color(NodeStatus::Health::Up);
    case PlanExecutor::StepOutcome::Failed:
        return HealthStyle::color(NodeStatus::Health::Down);
    case PlanExecutor::StepOutcome::Cancelled:
        return HealthStyle::color(NodeStatus::Health::Stale);
    default: // skipped or done before: nothing happened now
        return HealthStyle::staleText();
    }
}

} // namespace

SandboxBuildDialog::SandboxBuildDialog(const SandboxConfig &config, QWidget *parent)
    : QDialog(parent)
    , m_config(config)
    , m_executor(new PlanExecutor(this))
    , m_heading(new QLabel(tr("Building the sandbox"), this))
    , m_subtitle(new QLabel(this))
    , m_steps(new QTreeWidget(this))
    , m_progress(new QProgressBar(this))
    , m_details(new QPlainTextEdit(this))
    , m_button(new QPushButton(tr("Cancel"), this))
{
    setWindowTitle(tr("Sandbox"));
    setModal(false);
    resize(720, 540);

    QFont hf = m_heading->font();
    hf.setPointSizeF(hf.pointSizeF() * 1.35);
    hf.setBold(true);
    m_heading->setFont(hf);
    m_subtitle->setWordWrap(true);
    const QString standbys = config.standbys == 1
                                 ? tr("1 streaming standby")
                                 : tr("%1 streaming standbys").arg(config.standbys);
    m_subtitle->setText(tr("A primary and %1 on 127.0.0.1, ports %2–%3, in %4")
                            .arg(standbys)
                            .arg(config.port(0))
                            .arg(config.port(config.nodeCount() - 1))
                            .arg(config.dir));

    m_steps->setColumnCount(3);
    m_steps->setHeaderLabels({tr("Step"), tr("Outcome"), tr("Time")});
    m_steps->setRootIsDecorated(false);
    m_steps->setUniformRowHeights(true);
    m_steps->setSelectionMode(QAbstractItemView::NoSelection);
    m_steps->setFocusPolicy(Qt::NoFocus);
    m_steps->setIconSize(QSize(12, 12));
    m_steps->header()->setStretchLastSection(false);
    m_steps->header()->setSectionResizeMode(TitleColumn, QHeaderView::Stretch);
    m_steps->header()->setSectionResizeMode(OutcomeColumn, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(TimeColumn, QHeaderView::ResizeToContents);

    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_details->setReadOnly(true);
    m_details->setMaximumBlockCount(2000);
    m_details->setPlaceholderText(tr("Command output"));
    m_details->setFixedHeight(m_details->fontMetrics().height() * 5 + 12);
    m_details->setFont(QFont(QStringLiteral("monospace")));

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_button);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 16, 18, 14);
    layout->addWidget(m_heading);
    layout->addWidget(m_subtitle);
    layout->addSpacing(4);
    layout->addWidget(m_steps, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_details);
    layout->addLayout(buttons);

    connect(m_button, &QPushButton::clicked, this, &SandboxBuildDialog::reject);
    connect(m_executor, &PlanExecutor::stepStarted, this, &SandboxBuildDialog::onStepStarted);
    connect(m_executor, &PlanExecutor::stepFinished, this, &SandboxBuildDialog::onStepFinished);
    connect(m_executor, &PlanExecutor::output, this,
            [this](const QString &line) { m_details->appendPlainText(line); });
    connect(m_executor, &PlanExecutor::finished, this, &SandboxBuildDialog::onFinished);
}

bool SandboxBuildDialog::isRunning() const
{
    return m_executor->isRunning();
}

bool SandboxBuildDialog::start(QString *error)
{
    const Plan plan = Sandbox::upPlan(m_config);
    // Every step listed up front: the user sees how far there is to go.
    m_steps->clear();
    for (const PlanStep &step : plan.steps()) {
        auto *item = new QTreeWidgetItem(m_steps, {step.title, QString(), QString()});
        item->setIcon(TitleColumn, HealthStyle::dot(HealthStyle::staleText(), true));
        item->setForeground(TitleColumn, HealthStyle::staleText());
        item->setTextAlignment(TimeColumn, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_done = 0;
    if (!m_executor->start(plan, error)) {
        onFinished(false, *error);
        return false;
    }
    return true;
}

void SandboxBuildDialog::onStepStarted(int index, int total, const QString &title)
{
    m_stepClock.start();
    m_progress->setFormat(tr("Step %1 of %2").arg(index + 1).arg(total));
    m_progress->setValue(total ? m_done * 100 / total : 0);
    QTreeWidgetItem *item = m_steps->topLevelItem(index);
    if (!item)
        return;
    item->setText(TitleColumn, title);
    item->setText(OutcomeColumn, tr("running…"));
    item->setIcon(TitleColumn, HealthStyle::dot(HealthStyle::color(NodeStatus::Health::Stale)));
    item->setForeground(TitleColumn, palette().color(QPalette::Text));
    item->setForeground(OutcomeColumn, HealthStyle::color(NodeStatus::Health::Stale).darker(120));
    QFont f = item->font(TitleColumn);
    f.setBold(true);
    item->setFont(TitleColumn, f);
    m_steps->scrollToItem(item);
}

void SandboxBuildDialog::onStepFinished(int index, PlanExecutor::StepOutcome outcome,
                                        const QString &message)
{
    ++m_done;
    const int total = m_steps->topLevelItemCount();
    m_progress->setValue(total ? m_done * 100 / total : 100);
    QTreeWidgetItem *item = m_steps->topLevelItem(index);
    if (!item)
        return;
    const QColor c = outcomeColor(outcome);
    item->setIcon(TitleColumn, HealthStyle::dot(c));
    item->setText(OutcomeColumn, PlanExecutor::outcomeName(outcome));
    item->setForeground(OutcomeColumn, c.darker(115));
    QFont f = item->font(TitleColumn);
    f.setBold(false);
    item->setFont(TitleColumn, f);
    if (outcome == PlanExecutor::StepOutcome::Done)
        item->setText(TimeColumn, tr("%1 s").arg(m_stepClock.elapsed() / 1000.0, 0, 'f', 1));
    if (!message.isEmpty())
        item->setToolTip(OutcomeColumn, message);
}

void SandboxBuildDialog::onFinished(bool ok, const QString &summary)
{
    m_button->setText(tr("Close"));
    if (m_closeWhenStopped) {
        Q_EMIT buildFailed(summary);
        QDialog::reject();
        return;
    }
    if (ok) {
        m_heading->setText(tr("Sandbox ready"));
        m_progress->setFormat(tr("Done"));
        m_progress->setValue(100);
        Q_EMIT sandboxReady(m_config.inventoryPath());
        // Long enough to see it worked, short enough not to be in the way.
        QTimer::singleShot(1200, this, &QDialog::accept);
        return;
    }
    m_heading->setText(tr("The sandbox could not be built"));
    m_heading->setStyleSheet(
        QStringLiteral("color: %1").arg(HealthStyle::color(NodeStatus::Health::Down).name()));
    m_progress->setFormat(tr("Stopped"));
    // The executor's summary says what failed and how to continue: keep it whole.
    m_details->appendPlainText(QString());
    m_details->appendPlainText(summary);
    m_details->setFixedHeight(m_details->fontMetrics().height() * 9 + 12);
    Q_EMIT buildFailed(summary);
}

void SandboxBuildDialog::reject()
{
    if (m_executor->isRunning()) {
        // Let the running step stop cleanly; the journal allows resuming later.
        m_closeWhenStopped = true;
        m_button->setEnabled(false);
        m_button->setText(tr("Cancelling…"));
        m_executor->cancel();
        return;
    }
    QDialog::reject();
}

} // namespace pgdeck
