#include "runpage.h"

#include "plan/planexecutor.h"
#include "shardingwizard.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pgdeck {

RunPage::RunPage(ShardingWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("runPage"));
    setTitle(tr("Run"));
    setSubTitle(tr("Each step is journaled: a stopped run resumes with "
                   "<code>pgdeckctl resume</code>, never redoing a finished step."));

    m_run = new QPushButton(tr("&Run the plan"));
    m_run->setObjectName(QStringLiteral("runButton"));
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_steps = new QTableWidget(0, 3);
    m_steps->setObjectName(QStringLiteral("stepTable"));
    m_steps->setHorizontalHeaderLabels({tr("Step"), tr("Progress"), tr("Result")});
    m_steps->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_steps->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Fixed);
    m_steps->horizontalHeader()->resizeSection(1, 120);
    m_steps->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Interactive);
    m_steps->horizontalHeader()->resizeSection(2, 200);
    m_steps->verticalHeader()->hide();
    m_steps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_log = new QPlainTextEdit;
    m_log->setObjectName(QStringLiteral("runLog"));
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_verify = new QLabel;
    m_verify->setObjectName(QStringLiteral("verifyResult"));
    m_verify->setWordWrap(true);
    m_verify->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QHBoxLayout;
    top->addWidget(m_run);
    top->addWidget(m_progress, 1);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_steps);
    split->addWidget(m_log);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    layout->addWidget(m_verify);

    connect(m_run, &QPushButton::clicked, this, &RunPage::run);
}

void RunPage::initializePage()
{
    m_finished = false;
    m_run->setEnabled(true);
    m_progress->setValue(0);
    m_log->clear();
    m_verify->clear();
    const Plan &plan = m_wizard->plan();
    m_steps->setRowCount(int(plan.steps().size()));
    for (int i = 0; i < plan.steps().size(); ++i) {
        m_steps->setItem(i, 0, new QTableWidgetItem(plan.steps()[i].title));
        auto *bar = new QProgressBar;
        bar->setRange(0, 100);
        bar->setValue(0);
        bar->setTextVisible(false);
        m_steps->setCellWidget(i, 1, bar);
        m_steps->setItem(i, 2, new QTableWidgetItem(tr("waiting")));
    }
}

bool RunPage::isRunning() const
{
    return m_executor && m_executor->isRunning();
}

void RunPage::run()
{
    if (isRunning() || m_finished)
        return;
    delete m_executor;
    m_executor = new PlanExecutor(this);
    connect(m_executor, &PlanExecutor::stepStarted, this, &RunPage::onStepStarted);
    connect(m_executor, &PlanExecutor::stepFinished, this,
            [this](int index, PlanExecutor::StepOutcome outcome, const QString &message) {
                onStepFinished(index, int(outcome), message);
            });
    connect(m_executor, &PlanExecutor::progress, m_progress, &QProgressBar::setValue);
    connect(m_executor, &PlanExecutor::output, m_log, &QPlainTextEdit::appendPlainText);
    connect(m_executor, &PlanExecutor::finished, this, &RunPage::onFinished);
    QString error;
    if (!m_executor->start(m_wizard->plan(), &error)) {
        m_log->appendPlainText(error);
        m_verify->setText(
            QStringLiteral("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
        return;
    }
    m_run->setEnabled(false);
    m_wizard->setOption(QWizard::DisabledBackButtonOnLastPage, true);
    m_log->appendPlainText(tr("Plan %1 started.").arg(m_wizard->plan().id()));
    Q_EMIT completeChanged();
}

void RunPage::cancel()
{
    if (!isRunning())
        return;
    m_closeWhenDone = true;
    m_log->appendPlainText(tr("Cancelling after the running step…"));
    m_executor->cancel();
}

void RunPage::onStepStarted(int index, int, const QString &title)
{
    if (auto *bar = qobject_cast<QProgressBar *>(m_steps->cellWidget(index, 1)))
        bar->setRange(0, 0); // busy until the step ends
    if (QTableWidgetItem *i = m_steps->item(index, 2))
        i->setText(tr("running"));
    m_steps->scrollToItem(m_steps->item(index, 0));
    m_log->appendPlainText(QStringLiteral("%1 …").arg(title));
}

void RunPage::onStepFinished(int index, int outcome, const QString &message)
{
    const auto o = PlanExecutor::StepOutcome(outcome);
    const bool failed =
        o == PlanExecutor::StepOutcome::Failed || o == PlanExecutor::StepOutcome::Cancelled;
    if (auto *bar = qobject_cast<QProgressBar *>(m_steps->cellWidget(index, 1))) {
        bar->setRange(0, 100);
        bar->setValue(failed ? 0 : 100);
    }
    if (QTableWidgetItem *i = m_steps->item(index, 2)) {
        i->setText(PlanExecutor::outcomeName(o));
        i->setToolTip(message);
        if (failed)
            i->setForeground(QColor(0xc6, 0x28, 0x28));
    }
    if (!message.isEmpty())
        m_log->appendPlainText(
            QStringLiteral("  %1: %2").arg(PlanExecutor::outcomeName(o), message));
    const Plan &plan = m_wizard->plan();
    if (index >= 0 && index < plan.steps().size() &&
        plan.steps()[index].kind == PlanStep::Kind::Verify) {
        m_verify->setText(QStringLiteral("<b>%1</b>: <span style='color:%2'>%3</span> %4")
                              .arg(plan.steps()[index].title.toHtmlEscaped(),
                                   failed ? QStringLiteral("#c62828") : QStringLiteral("#2e7d32"),
                                   PlanExecutor::outcomeName(o).toHtmlEscaped(),
                                   message.toHtmlEscaped()));
    }
}

void RunPage::onFinished(bool ok, const QString &summary)
{
    m_finished = true;
    m_log->appendPlainText(summary);
    if (!ok && m_verify->text().isEmpty())
        m_verify->setText(
            QStringLiteral("<span style='color:#c62828'>%1</span>").arg(summary.toHtmlEscaped()));
    Q_EMIT completeChanged();
    if (m_closeWhenDone)
        m_wizard->reject();
}

} // namespace pgdeck
