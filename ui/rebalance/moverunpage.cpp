#include "moverunpage.h"

#include "moveprogressview.h"
#include "plan/planexecutor.h"
#include "rebalancewizard.h"
#include "sharding/asynclookup.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimer>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

struct ProgressRead {
    QList<ShardMoveProgress> moves;
    QString error;
};

struct AbortPlan {
    Plan plan;
    QString error;
};

// "m3-copy" -> (2, "copy"); steps outside moves -> (-1, "").
QPair<int, QString> moveStep(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^m(\\d+)-(\\w+)$"));
    const QRegularExpressionMatch m = re.match(id);
    return m.hasMatch() ? qMakePair(m.captured(1).toInt() - 1, m.captured(2))
                        : qMakePair(-1, QString());
}

QString describe(const QString &kind)
{
    if (kind == QLatin1String("table") || kind == QLatin1String("foreign"))
        return QObject::tr("preparing the new copy");
    if (kind == QLatin1String("freeze"))
        return QObject::tr("pausing writes");
    if (kind == QLatin1String("copy"))
        return QObject::tr("copying");
    if (kind == QLatin1String("verify"))
        return QObject::tr("verifying count and checksum");
    if (kind == QLatin1String("swap"))
        return QObject::tr("switching");
    return QObject::tr("cleaning up");
}

// Rough share of a move's work done when its step starts, for the bar between polls.
int percentAt(const QString &kind)
{
    if (kind == QLatin1String("verify"))
        return 90;
    if (kind == QLatin1String("swap"))
        return 95;
    if (kind == QLatin1String("analyze") || kind == QLatin1String("drop"))
        return 98;
    return -1;
}

} // namespace

MoveRunPage::MoveRunPage(RebalanceWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("moveRunPage"));
    setTitle(tr("Run"));
    setSubTitle(tr("Each shard is copied, verified (row count and checksum) and switched over "
                   "on its own; a stopped run resumes where it stopped."));
    m_status = new QLabel(tr("Ready."));
    m_status->setObjectName(QStringLiteral("runStatus"));
    m_status->setWordWrap(true);
    m_overall = new QProgressBar;
    m_overall->setObjectName(QStringLiteral("overallProgress"));
    m_view = new MoveProgressView;
    m_log = new QPlainTextEdit;
    m_log->setObjectName(QStringLiteral("runLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setMaximumHeight(110);
    m_run = new QPushButton(tr("&Run"));
    m_run->setObjectName(QStringLiteral("runButton"));
    m_resume = new QPushButton(tr("Re&sume"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_undo = new QPushButton(tr("&Undo unfinished moves"));
    m_undo->setObjectName(QStringLiteral("undoButton"));
    m_poll = new QTimer(this);
    m_poll->setInterval(500);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_undo);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_overall);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_log);
    layout->addLayout(buttons);

    connect(m_run, &QPushButton::clicked, this, &MoveRunPage::run);
    connect(m_resume, &QPushButton::clicked, this, &MoveRunPage::resume);
    connect(m_undo, &QPushButton::clicked, this, &MoveRunPage::undo);
    connect(m_poll, &QTimer::timeout, this, &MoveRunPage::poll);
}

void MoveRunPage::initializePage()
{
    m_view->setMoves(m_wizard->prepared().proposal.moves);
    m_overall->setValue(0);
    m_resume->hide();
    m_undo->hide();
    m_run->setEnabled(true);
    m_succeeded = false;
    m_status->setText(tr("%1: %2 steps. Press Run to start.")
                          .arg(m_wizard->prepared().plan.title())
                          .arg(m_wizard->prepared().plan.steps().size()));
}

bool MoveRunPage::isRunning() const
{
    return m_executor && m_executor->isRunning();
}

void MoveRunPage::start(PlanExecutor *executor, bool resumed)
{
    delete m_executor;
    m_executor = executor;
    connect(m_executor, &PlanExecutor::stepStarted, this,
            [this](int index, int, const QString &) { onStepStarted(index); });
    connect(m_executor, &PlanExecutor::stepFinished, this,
            [this](int index, PlanExecutor::StepOutcome outcome, const QString &) {
                onStepFinished(index, int(outcome));
            });
    connect(m_executor, &PlanExecutor::progress, m_overall, &QProgressBar::setValue);
    connect(m_executor, &PlanExecutor::output, m_log, &QPlainTextEdit::appendPlainText);
    connect(m_executor, &PlanExecutor::finished, this, &MoveRunPage::onFinished);
    QString error;
    const bool ok = resumed
                        ? m_executor->resume(m_planId, &error)
                        : m_executor->start(m_undoing ? Plan() : m_wizard->prepared().plan, &error);
    if (!ok) {
        m_status->setText(tr("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
        return;
    }
    m_run->setEnabled(false);
    m_resume->hide();
    m_undo->hide();
    m_poll->start();
    Q_EMIT completeChanged();
}

void MoveRunPage::run()
{
    m_undoing = false;
    auto *executor = new PlanExecutor(this);
    m_planId = QString();
    start(executor, false);
    if (m_executor)
        m_planId = m_wizard->prepared().plan.id();
    m_status->setText(tr("Running…"));
}

void MoveRunPage::resume()
{
    m_undoing = false;
    start(new PlanExecutor(this), true);
    m_status->setText(tr("Resuming…"));
}

void MoveRunPage::cancel()
{
    if (m_executor)
        m_executor->cancel();
}

void MoveRunPage::undo()
{
    m_undo->setEnabled(false);
    m_status->setText(tr("Finding the unfinished moves…"));
    const ClusterSpec cluster = m_wizard->cluster();
    const QString coordinator = m_wizard->request().coordinator;
    runLookup(
        this,
        [cluster, coordinator] {
            AbortPlan a;
            prepareAbortMoves(cluster, coordinator, &a.plan, &a.error);
            return a;
        },
        [this](const AbortPlan &a) {
            m_undo->setEnabled(true);
            if (!a.error.isEmpty() || a.plan.steps().isEmpty()) {
                m_status->setText(
                    a.error.isEmpty()
                        ? tr("No move is left half done.")
                        : tr("<span style='color:#c62828'>%1</span>").arg(a.error.toHtmlEscaped()));
                return;
            }
            m_undoing = true;
            auto *executor = new PlanExecutor(this);
            delete m_executor;
            m_executor = executor;
            connect(executor, &PlanExecutor::output, m_log, &QPlainTextEdit::appendPlainText);
            connect(executor, &PlanExecutor::finished, this, [this](bool ok, const QString &s) {
                m_status->setText(
                    ok ? tr("Unfinished moves undone; the shards stay where they "
                            "were and take writes again.")
                       : tr("<span style='color:#c62828'>%1</span>").arg(s.toHtmlEscaped()));
                Q_EMIT completeChanged();
            });
            QString error;
            if (!executor->start(a.plan, &error))
                m_status->setText(
                    tr("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
            m_resume->hide();
            m_undo->hide();
            Q_EMIT completeChanged();
        });
}

void MoveRunPage::onStepStarted(int index)
{
    const Plan &plan = m_wizard->prepared().plan;
    if (index < 0 || index >= plan.steps().size())
        return;
    const PlanStep &step = plan.steps()[index];
    const auto [move, kind] = moveStep(step.id);
    if (move >= 0) {
        m_view->setState(move, describe(kind), percentAt(kind));
        m_view->scrollToItem(m_view->topLevelItem(move));
    }
    m_status->setText(step.title);
}

void MoveRunPage::onStepFinished(int index, int outcome)
{
    const Plan &plan = m_wizard->prepared().plan;
    if (index < 0 || index >= plan.steps().size())
        return;
    const auto [move, kind] = moveStep(plan.steps()[index].id);
    if (move < 0)
        return;
    if (outcome == int(PlanExecutor::StepOutcome::Failed))
        m_view->setState(move, tr("failed"));
    else if (kind == QLatin1String("drop"))
        m_view->setState(move, tr("done"), 100);
}

void MoveRunPage::onFinished(bool ok, const QString &summary)
{
    m_poll->stop();
    m_succeeded = ok;
    if (ok) {
        m_overall->setValue(100);
        m_status->setText(tr("Done: %n shard(s) moved, each verified by row count and checksum.",
                             nullptr, int(m_wizard->prepared().proposal.moves.size())));
        // Citus moves are known only from the servers: show them finished.
        m_view->markMissingDone({});
    } else {
        m_status->setText(tr("<span style='color:#c62828'>%1</span><br>Resume to continue "
                             "where it stopped, or undo the moves not yet switched.")
                              .arg(summary.toHtmlEscaped()));
        m_resume->show();
        m_undo->setVisible(m_wizard->prepared().backend == QLatin1String("native"));
    }
    Q_EMIT completeChanged();
}

void MoveRunPage::poll()
{
    if (m_polling)
        return;
    m_polling = true;
    const ClusterSpec cluster = m_wizard->cluster();
    const QString coordinator = m_wizard->request().coordinator;
    runLookup(
        this,
        [cluster, coordinator] {
            ProgressRead r;
            readMoveProgress(cluster, coordinator, &r.moves, &r.error);
            return r;
        },
        [this](const ProgressRead &r) {
            m_polling = false;
            if (r.error.isEmpty() && isRunning())
                m_view->applyProgress(r.moves);
        });
}

} // namespace pgdeck
