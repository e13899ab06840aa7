#include "patronirunpage.h"

#include "patroniwizard.h"
#include "patroniwizardpages.h"

#include "plan/planexecutor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pgdeck {

// --- run --------------------------------------------------------------------------------

namespace {

QString red(const QString &text)
{
    return QStringLiteral("<span style='color:#c62828'>%1</span>").arg(text.toHtmlEscaped());
}

QString formatDuration(qint64 ms)
{
    return ms < 60000 ? QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 1)
                      : QStringLiteral("%1 min %2 s").arg(ms / 60000).arg(ms % 60000 / 1000);
}

enum StepColumn { IconColumn, TitleColumn, StateColumn, TimeColumn };

QString stateName(PlanExecutor::StepOutcome outcome)
{
    switch (outcome) {
    case PlanExecutor::StepOutcome::Done:
        return PatroniRunPage::tr("done");
    case PlanExecutor::StepOutcome::Skipped:
        return PatroniRunPage::tr("skipped (already done)");
    case PlanExecutor::StepOutcome::AlreadyDone:
        return PatroniRunPage::tr("done in an earlier run");
    case PlanExecutor::StepOutcome::Failed:
        return PatroniRunPage::tr("failed");
    case PlanExecutor::StepOutcome::Cancelled:
        return PatroniRunPage::tr("cancelled");
    }
    return {};
}

} // namespace

PatroniRunPage::PatroniRunPage(PatroniWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("patroniRunPage"));
    setTitle(tr("Create the cluster"));
    setSubTitle(tr("Each step is journaled: a stopped run resumes where it stopped. A "
                   "non-empty data directory is never overwritten."));
    m_status = new QLabel(tr("Ready."));
    m_status->setObjectName(QStringLiteral("runStatus"));
    m_status->setAccessibleName(tr("Status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_steps = new QTreeWidget;
    m_steps->setObjectName(QStringLiteral("stepsTree"));
    m_steps->setAccessibleName(tr("Steps"));
    m_steps->setRootIsDecorated(false);
    m_steps->setUniformRowHeights(true);
    m_steps->setHeaderLabels({QString(), tr("Step"), tr("State"), tr("Time")});
    m_steps->header()->setStretchLastSection(false);
    m_steps->header()->setSectionResizeMode(TitleColumn, QHeaderView::Stretch);
    m_log = readOnlyCodeView(QStringLiteral("runLog"), tr("Output"));
    m_log->setMaximumBlockCount(5000);
    m_run = new QPushButton(tr("&Run"));
    m_run->setObjectName(QStringLiteral("runButton"));
    m_resume = new QPushButton(tr("Re&sume"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_resume->setVisible(false);
    connect(m_run, &QPushButton::clicked, this, &PatroniRunPage::run);
    connect(m_resume, &QPushButton::clicked, this, &PatroniRunPage::resume);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_resume);
    buttons->addStretch();
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_steps);
    splitter->addWidget(m_log);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);
    layout->addLayout(buttons);
}

void PatroniRunPage::initializePage()
{
    m_succeeded = m_failed = false;
    m_failure.clear();
    m_planId.clear();
    m_log->clear();
    m_run->setEnabled(true);
    m_resume->setVisible(false);
    fillSteps();
    m_status->setText(tr("Press Run to create %1.").arg(m_wizard->clusterPage()->scope()));
}

void PatroniRunPage::fillSteps()
{
    m_steps->clear();
    const Plan plan = m_wizard->plan(); // a named copy: the loop must not outlive it
    for (const PlanStep &step : plan.steps()) {
        auto *item = new QTreeWidgetItem(m_steps);
        item->setText(TitleColumn, step.title);
        item->setToolTip(TitleColumn, step.id);
    }
    for (int i = 0; i < m_steps->topLevelItemCount(); ++i)
        setStepState(i, tr("pending"));
    m_steps->resizeColumnToContents(IconColumn);
    m_steps->setColumnWidth(StateColumn, 170);
    m_steps->setColumnWidth(TimeColumn, 80);
}

void PatroniRunPage::setStepState(int index, const QString &state, const QString &message)
{
    QTreeWidgetItem *item = m_steps->topLevelItem(index);
    if (!item)
        return;
    struct Look {
        QString glyph;
        QColor color;
    };
    static const QHash<QString, Look> looks{
        {tr("pending"), {QStringLiteral("○"), QColor(0x9e, 0x9e, 0x9e)}},
        {tr("running"), {QStringLiteral("▶"), QColor(0x15, 0x65, 0xc0)}},
        {tr("done"), {QStringLiteral("✔"), QColor(0x2e, 0x7d, 0x32)}},
        {tr("skipped (already done)"), {QStringLiteral("✔"), QColor(0x9e, 0x9e, 0x9e)}},
        {tr("done in an earlier run"), {QStringLiteral("✔"), QColor(0x9e, 0x9e, 0x9e)}},
        {tr("failed"), {QStringLiteral("✖"), QColor(0xc6, 0x28, 0x28)}},
        {tr("cancelled"), {QStringLiteral("■"), QColor(0xef, 0x6c, 0x00)}},
    };
    const Look look = looks.value(state, {QStringLiteral("·"), QColor(0x9e, 0x9e, 0x9e)});
    item->setText(IconColumn, look.glyph);
    item->setForeground(IconColumn, look.color);
    item->setText(StateColumn, state);
    item->setForeground(StateColumn, look.color);
    if (!message.isEmpty())
        item->setToolTip(StateColumn, message);
}

bool PatroniRunPage::isRunning() const
{
    return m_executor && m_executor->isRunning();
}

void PatroniRunPage::attach()
{
    delete m_executor;
    m_executor = new PlanExecutor(this);
    connect(m_executor, &PlanExecutor::stepStarted, this,
            [this](int index, int total, const QString &title) {
                m_stepClock.start();
                setStepState(index, tr("running"));
                m_steps->scrollToItem(m_steps->topLevelItem(index));
                m_status->setText(tr("Step %1 of %2: %3").arg(index + 1).arg(total).arg(title));
                m_log->appendPlainText(QStringLiteral("── %1").arg(title));
            });
    connect(m_executor, &PlanExecutor::stepFinished, this,
            [this](int index, PlanExecutor::StepOutcome outcome, const QString &message) {
                const QString state = stateName(outcome);
                setStepState(index, state, message);
                if (QTreeWidgetItem *item = m_steps->topLevelItem(index))
                    item->setText(TimeColumn, outcome == PlanExecutor::StepOutcome::AlreadyDone
                                                  ? QString()
                                                  : formatDuration(m_stepClock.elapsed()));
                if (outcome == PlanExecutor::StepOutcome::Failed) {
                    const QString title = m_executor->plan().steps().value(index).title;
                    m_failure = tr("“%1” failed: %2").arg(title, message);
                    m_log->appendPlainText(message);
                }
            });
    connect(m_executor, &PlanExecutor::output, m_log, &QPlainTextEdit::appendPlainText);
    connect(m_executor, &PlanExecutor::finished, this, [this](bool ok, const QString &summary) {
        m_wizard->clearSecrets();
        m_succeeded = ok;
        m_failed = !ok;
        m_log->appendPlainText(summary);
        const QString scope = m_executor->plan().cluster();
        if (ok) {
            m_status->setText(QStringLiteral("<span style='color:#2e7d32'>%1</span>")
                                  .arg(tr("Cluster %1 is up%2.")
                                           .arg(scope, m_wizard->inventoryPath().isEmpty()
                                                           ? QString()
                                                           : tr(" and in the inventory"))
                                           .toHtmlEscaped()));
            m_run->setEnabled(false);
            m_resume->setVisible(false);
            if (!m_wizard->inventoryPath().isEmpty())
                Q_EMIT m_wizard->inventoryChanged(m_wizard->inventoryPath());
        } else {
            if (m_failure.isEmpty())
                m_failure = summary;
            m_status->setText(red(m_failure) + QStringLiteral("<br>") +
                              tr("Fix the cause, then press Resume: steps already done are "
                                 "not repeated."));
            m_resume->setVisible(true);
            m_resume->setEnabled(true);
        }
        Q_EMIT completeChanged();
    });
}

void PatroniRunPage::run()
{
    const QStringList errors = m_wizard->validationErrors();
    if (!errors.isEmpty()) {
        m_status->setText(red(errors.join(QLatin1Char('\n'))));
        return;
    }
    fillSteps();
    m_failure.clear();
    m_succeeded = m_failed = false;
    m_wizard->exportSecrets(); // right before the run, and taken out when it ends
    attach();
    QString error;
    if (!m_executor->start(m_wizard->plan(), &error)) {
        m_wizard->clearSecrets();
        m_status->setText(red(error));
        return;
    }
    m_planId = m_executor->plan().id();
    m_run->setEnabled(false);
    Q_EMIT completeChanged();
}

void PatroniRunPage::resume()
{
    if (m_planId.isEmpty() || isRunning())
        return;
    m_failure.clear();
    m_failed = false;
    m_wizard->exportSecrets();
    attach();
    QString error;
    if (!m_executor->resume(m_planId, &error)) {
        m_wizard->clearSecrets();
        m_status->setText(red(error));
        return;
    }
    m_resume->setEnabled(false);
    Q_EMIT completeChanged();
}

void PatroniRunPage::cancel()
{
    if (m_executor)
        m_executor->cancel();
}

} // namespace pgdeck
