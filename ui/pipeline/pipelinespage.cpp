#include "pipelinespage.h"

#include "cirunsmodel.h"
#include "citokenpanel.h"
#include "common/emptystatewidget.h"
#include "common/healthbadgedelegate.h"
#include "common/healthstyle.h"
#include "common/styledlabel.h"
#include "common/tablestyle.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

enum JobColumn { JobNameColumn, JobStatusColumn, JobDurationColumn, JobColumnCount };

bool isTerminal(const QString &status)
{
    return status == QLatin1String("success") || status == QLatin1String("failed") ||
           status == QLatin1String("cancelled") || status == QLatin1String("skipped");
}

QLabel *banner(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setObjectName(QStringLiteral("errorBanner"));
    l->setAccessibleName(QObject::tr("CI service error"));
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QColor accent = HealthStyle::color(NodeStatus::Health::Down);
    l->setStyleSheet(QStringLiteral("QLabel#errorBanner { background: rgba(%1,%2,%3,0.14); "
                                    "color: %4; border-left: 4px solid %5; padding: 6px 10px; }")
                         .arg(accent.red())
                         .arg(accent.green())
                         .arg(accent.blue())
                         .arg(accent.darker(150).name(), accent.name()));
    l->hide();
    return l;
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    QLabel *l = styledLabel(text, parent, 1.05, true);
    l->setTextFormat(Qt::PlainText);
    return l;
}

QString jobDuration(const CiJob &job)
{
    if (!job.started.isValid())
        return {};
    if (job.finished.isValid())
        return CiRunsModel::formatDuration(job.started.secsTo(job.finished));
    // Still running: how long so far.
    return CiRunsModel::formatDuration(job.started.secsTo(QDateTime::currentDateTimeUtc())) +
           QStringLiteral("…");
}

} // namespace

PipelinesPage::PipelinesPage(QWidget *parent)
    : QWidget(parent)
    , m_serviceCombo(new QComboBox(this))
    , m_repoEdit(new QLineEdit(this))
    , m_urlEdit(new QLineEdit(this))
    , m_workflowLabel(new QLabel(tr("&Workflow:"), this))
    , m_workflowEdit(new QLineEdit(this))
    , m_connectButton(new QPushButton(tr("Connect"), this))
    , m_tokenPanel(new CiTokenPanel(this))
    , m_statusLine(new QLabel(this))
    , m_banner(banner(this))
    , m_branchEdit(new QLineEdit(QStringLiteral("main"), this))
    , m_triggerButton(new QPushButton(tr("Run pipeline…"), this))
    , m_triggerResult(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(this))
    , m_runsModel(new CiRunsModel(this))
    , m_runsTable(new QTableView(this))
    , m_jobsModel(new QStandardItemModel(0, JobColumnCount, this))
    , m_jobsTable(new QTableView(this))
    , m_jobsTitle(sectionTitle(tr("Jobs"), this))
    , m_logTitle(sectionTitle(tr("Log"), this))
    , m_log(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("pipelinesPage"));
    setAccessibleName(tr("Pipelines"));
    m_refreshTimer.setInterval(kDefaultIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &PipelinesPage::refresh);

    // Header: title and what is being watched.
    m_statusLine->setObjectName(QStringLiteral("statusLine"));
    m_statusLine->setAccessibleName(tr("Connection status"));
    m_statusLine->setTextFormat(Qt::PlainText);
    QPalette muted = m_statusLine->palette();
    muted.setColor(QPalette::WindowText, HealthStyle::staleText().darker(130));
    m_statusLine->setPalette(muted);
    auto *header = new QHBoxLayout;
    header->addWidget(styledLabel(tr("Pipelines"), this, 1.45, true));
    header->addStretch(1);
    header->addWidget(m_statusLine);

    auto *bar = new QFrame(this);
    bar->setObjectName(QStringLiteral("connectionBar"));
    bar->setFrameShape(QFrame::StyledPanel);
    buildConnectionBar(bar);

    // Trigger row: a branch and the button, the answer next to them.
    m_branchEdit->setObjectName(QStringLiteral("branchEdit"));
    m_branchEdit->setAccessibleName(tr("Branch to run the pipeline on"));
    m_branchEdit->setMaximumWidth(180);
    m_triggerButton->setObjectName(QStringLiteral("triggerButton"));
    m_triggerButton->setAccessibleName(tr("Run pipeline"));
    m_triggerButton->setToolTip(tr("Starts a run of the pipeline on the branch"));
    m_triggerResult->setObjectName(QStringLiteral("triggerResult"));
    m_triggerResult->setAccessibleName(tr("Result of the last run request"));
    m_triggerResult->setTextFormat(Qt::PlainText);
    m_triggerResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *branchLabel = new QLabel(tr("&Branch:"), this);
    branchLabel->setBuddy(m_branchEdit);
    auto *triggerRow = new QHBoxLayout;
    triggerRow->addWidget(sectionTitle(tr("Runs"), this));
    triggerRow->addStretch(1);
    triggerRow->addWidget(m_triggerResult);
    triggerRow->addSpacing(8);
    triggerRow->addWidget(branchLabel);
    triggerRow->addWidget(m_branchEdit);
    triggerRow->addWidget(m_triggerButton);

    // Runs, then the selected run's jobs and the selected job's log.
    m_runsTable->setObjectName(QStringLiteral("runsTable"));
    m_runsTable->setAccessibleName(tr("Pipeline runs"));
    m_runsTable->setModel(m_runsModel);
    TableStyle::apply(m_runsTable);
    m_runsTable->setItemDelegateForColumn(
        CiRunsModel::StatusColumn, new HealthBadgeDelegate(CiRunsModel::HealthRole, m_runsTable));
    m_runsTable->horizontalHeader()->setSectionResizeMode(CiRunsModel::StartedColumn,
                                                          QHeaderView::Stretch);

    m_jobsModel->setHorizontalHeaderLabels({tr("Job"), tr("Status"), tr("Duration")});
    m_jobsTable->setObjectName(QStringLiteral("jobsTable"));
    m_jobsTable->setAccessibleName(tr("Jobs of the selected run"));
    m_jobsTable->setModel(m_jobsModel);
    TableStyle::apply(m_jobsTable);
    m_jobsTable->setItemDelegateForColumn(
        JobStatusColumn, new HealthBadgeDelegate(CiRunsModel::HealthRole, m_jobsTable));
    m_jobsTable->horizontalHeader()->setSectionResizeMode(JobNameColumn, QHeaderView::Stretch);
    m_jobsTitle->setObjectName(QStringLiteral("jobsTitle"));

    m_log->setObjectName(QStringLiteral("logView"));
    m_log->setAccessibleName(tr("Job log"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kMaxLogLines);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("Select a job to read its log."));
    m_logTitle->setObjectName(QStringLiteral("logTitle"));

    auto *jobsPanel = new QWidget(this);
    auto *jobsLayout = new QVBoxLayout(jobsPanel);
    jobsLayout->setContentsMargins(0, 0, 0, 0);
    jobsLayout->addWidget(m_jobsTitle);
    jobsLayout->addWidget(m_jobsTable, 1);
    auto *logPanel = new QWidget(this);
    auto *logLayout = new QVBoxLayout(logPanel);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addWidget(m_logTitle);
    logLayout->addWidget(m_log, 1);
    auto *details = new QSplitter(Qt::Horizontal, this);
    details->setObjectName(QStringLiteral("detailsSplitter"));
    details->setChildrenCollapsible(false);
    details->addWidget(jobsPanel);
    details->addWidget(logPanel);
    details->setSizes({380, 720});

    auto *runsPanel = new QWidget(this);
    auto *runsLayout = new QVBoxLayout(runsPanel);
    runsLayout->setContentsMargins(0, 0, 0, 0);
    runsLayout->addLayout(triggerRow);
    runsLayout->addWidget(m_runsTable, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("pipelinesSplitter"));
    split->setChildrenCollapsible(false);
    split->addWidget(runsPanel);
    split->addWidget(details);
    split->setSizes({370, 290});

    m_empty->setObjectName(QStringLiteral("pipelinesEmptyState"));
    m_empty->setAccessibleName(tr("No CI service connected"));
    m_stack->addWidget(split);
    m_stack->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(10);
    layout->addLayout(header);
    layout->addWidget(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_stack, 1);

    connect(m_runsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PipelinesPage::onRunSelectionChanged);
    connect(m_runsModel, &QAbstractItemModel::modelReset, this, [this] {
        // A reset drops the selection; the run the user chose is put back.
        const int row = m_runsModel->rowOf(m_selectedRun);
        m_updatingSelection = true;
        if (row >= 0)
            m_runsTable->selectRow(row);
        m_updatingSelection = false;
    });
    connect(m_jobsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PipelinesPage::onJobSelectionChanged);
    connect(m_triggerButton, &QPushButton::clicked, this,
            [this] { trigger(m_branchEdit->text().trimmed()); });
    connect(m_branchEdit, &QLineEdit::returnPressed, m_triggerButton, &QPushButton::click);

    onServiceChanged();
    resetView();
}

PipelinesPage::~PipelinesPage() = default;

void PipelinesPage::setClientFactory(const QString &description, const ClientFactory &factory)
{
    disconnectService();
    m_factory = factory;
    m_description = description;
    for (Channel *c : {&m_runsCall, &m_jobsCall, &m_logCall, &m_triggerCall})
        c->client = m_factory();
    wireChannels();
    resetView();
    if (isActive())
        refresh();
}

void PipelinesPage::wireChannels()
{
    connect(m_runsCall.client.get(), &CiClient::runsListed, this, &PipelinesPage::onRunsListed);
    connect(m_jobsCall.client.get(), &CiClient::jobsListed, this, &PipelinesPage::onJobsListed);
    connect(m_logCall.client.get(), &CiClient::logFetched, this, &PipelinesPage::onLogFetched);
    connect(m_triggerCall.client.get(), &CiClient::triggered, this, &PipelinesPage::onTriggered);
    for (Channel *c : {&m_runsCall, &m_jobsCall, &m_logCall, &m_triggerCall})
        connect(c->client.get(), &CiClient::failed, this,
                [this, c](const CiError &error) { onFailed(c, error); });
}

void PipelinesPage::disconnectService()
{
    // Destroying the clients drops every answer still on its way.
    for (Channel *c : {&m_runsCall, &m_jobsCall, &m_logCall, &m_triggerCall})
        *c = Channel();
    m_factory = nullptr;
    m_description.clear();
    m_pausedUntil = {};
    m_lastRefresh = {};
    clearBanner(m_bannerSource);
    resetView();
}

void PipelinesPage::resetView()
{
    m_hasRuns = false;
    m_selectedRun.clear();
    m_selectedJob.clear();
    m_runsModel->clear();
    m_jobsModel->removeRows(0, m_jobsModel->rowCount());
    m_log->clear();
    m_triggerResult->clear();
    m_jobsTitle->setText(tr("Jobs"));
    m_logTitle->setText(tr("Log"));
    m_triggerButton->setEnabled(isConnected());
    updateEmptyState();
    updateStatusLine();
}

void PipelinesPage::updateEmptyState()
{
    if (!isConnected()) {
        m_empty->setTitle(tr("No CI service connected"));
        m_empty->setMessage(tr("Choose the service, name the repository or project, and press "
                               "Connect. The token is read from the environment variable "
                               "shown above."));
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    m_stack->setCurrentIndex(0);
}

void PipelinesPage::setInterval(int ms)
{
    m_refreshTimer.setInterval(std::max(500, ms));
    updateStatusLine();
}

void PipelinesPage::start()
{
    m_refreshTimer.start();
    updateStatusLine();
    refresh();
}

void PipelinesPage::stop()
{
    m_refreshTimer.stop();
    updateStatusLine();
}

void PipelinesPage::refresh()
{
    if (!isConnected())
        return;
    // A rate-limited service is left alone until its limit resets.
    if (m_pausedUntil.isValid() && QDateTime::currentDateTimeUtc() < m_pausedUntil)
        return;
    m_pausedUntil = {};
    if (!m_runsCall.busy) {
        m_runsCall.busy = true;
        m_runsCall.client->listRuns(kRunLimit);
    }
    // A run still going has jobs that change.
    if (!m_selectedRun.isEmpty() && !isTerminal(selectedRunStatus()))
        requestJobs(m_selectedRun);
}

QString PipelinesPage::selectedRunStatus() const
{
    const int row = m_runsModel->rowOf(m_selectedRun);
    return row < 0 ? QString() : m_runsModel->run(row).status;
}

void PipelinesPage::onRunsListed(const QList<CiRun> &runs)
{
    m_runsCall.busy = false;
    m_lastRefresh = QDateTime::currentDateTime();
    clearBanner(&m_runsCall);
    m_hasRuns = true;
    m_runsModel->setStale(false);
    m_runsModel->setRuns(runs);
    if (!m_selectedRun.isEmpty() && m_runsModel->rowOf(m_selectedRun) < 0)
        selectRun({}); // gone from the list
    fitRunColumns();
    updateStatusLine();
    Q_EMIT runsRefreshed(true);
}

void PipelinesPage::fitRunColumns()
{
    if (m_runsModel->rowCount() == 0)
        return;
    for (int c = 0; c < CiRunsModel::ColumnCount; ++c)
        if (c != CiRunsModel::StartedColumn)
            m_runsTable->resizeColumnToContents(c);
}

void PipelinesPage::selectRun(const QString &id)
{
    const int row = m_runsModel->rowOf(id);
    if (row < 0)
        m_runsTable->clearSelection();
    else
        m_runsTable->selectRow(row);
}

void PipelinesPage::onRunSelectionChanged()
{
    if (m_updatingSelection)
        return;
    const QModelIndexList rows = m_runsTable->selectionModel()->selectedRows();
    const QString id = rows.isEmpty() ? QString() : m_runsModel->run(rows.first().row()).id;
    if (id == m_selectedRun)
        return;
    m_selectedRun = id;
    m_selectedJob.clear();
    m_jobsModel->removeRows(0, m_jobsModel->rowCount());
    m_log->clear();
    m_logTitle->setText(tr("Log"));
    if (id.isEmpty()) {
        m_jobsTitle->setText(tr("Jobs"));
        m_jobsCall.wanted.clear();
        return;
    }
    const int row = m_runsModel->rowOf(id);
    m_jobsTitle->setText(tr("Jobs of run %1").arg(CiRunsModel::runLabel(m_runsModel->run(row))));
    requestJobs(id);
}

void PipelinesPage::requestJobs(const QString &runId)
{
    m_jobsCall.wanted = runId;
    if (m_jobsCall.busy || !m_jobsCall.client)
        return; // asked when the call in flight answers
    m_jobsCall.busy = true;
    m_jobsCall.asked = runId;
    m_jobsCall.client->listJobs(runId);
}

void PipelinesPage::onJobsListed(const QString &runId, const QList<CiJob> &jobs)
{
    m_jobsCall.busy = false;
    clearBanner(&m_jobsCall);
    if (runId != m_selectedRun || m_jobsCall.wanted != m_jobsCall.asked) {
        if (!m_jobsCall.wanted.isEmpty() && m_jobsCall.wanted == m_selectedRun)
            requestJobs(m_jobsCall.wanted);
        return;
    }
    m_updatingSelection = true;
    m_jobsModel->removeRows(0, m_jobsModel->rowCount());
    for (const CiJob &job : jobs) {
        auto *name = new QStandardItem(job.name);
        name->setData(job.id, CiRunsModel::IdRole);
        name->setToolTip(job.url);
        auto *status = new QStandardItem(job.status);
        status->setData(int(CiRunsModel::statusHealth(job.status)), CiRunsModel::HealthRole);
        status->setToolTip(tr("Reported as \"%1\"").arg(job.rawStatus));
        auto *took = new QStandardItem(jobDuration(job));
        took->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_jobsModel->appendRow({name, status, took});
        if (job.id == m_selectedJob)
            m_jobsTable->selectRow(m_jobsModel->rowCount() - 1);
    }
    m_updatingSelection = false;
    m_jobsTable->resizeColumnToContents(JobStatusColumn);
    m_jobsTable->resizeColumnToContents(JobDurationColumn);
    const int row = m_runsModel->rowOf(runId);
    const QString run = row < 0 ? runId : CiRunsModel::runLabel(m_runsModel->run(row));
    m_jobsTitle->setText(jobs.isEmpty() ? tr("Jobs of run %1 — none yet").arg(run)
                                        : tr("Jobs of run %1").arg(run));
    Q_EMIT jobsShown(runId);
}

QAbstractItemModel *PipelinesPage::jobsModel() const
{
    return m_jobsModel;
}

int PipelinesPage::jobCount() const
{
    return m_jobsModel->rowCount();
}

void PipelinesPage::selectJob(const QString &id)
{
    for (int row = 0; row < m_jobsModel->rowCount(); ++row)
        if (m_jobsModel->item(row, JobNameColumn)->data(CiRunsModel::IdRole).toString() == id) {
            m_jobsTable->selectRow(row);
            return;
        }
    m_jobsTable->clearSelection();
}

void PipelinesPage::onJobSelectionChanged()
{
    if (m_updatingSelection)
        return;
    const QModelIndexList rows = m_jobsTable->selectionModel()->selectedRows();
    const QStandardItem *item =
        rows.isEmpty() ? nullptr : m_jobsModel->item(rows.first().row(), JobNameColumn);
    const QString id = item ? item->data(CiRunsModel::IdRole).toString() : QString();
    if (id == m_selectedJob)
        return;
    m_selectedJob = id;
    m_log->clear();
    m_logTitle->setText(item ? tr("Log of %1").arg(item->text()) : tr("Log"));
    if (!id.isEmpty()) {
        m_log->setPlaceholderText(tr("Reading the log…"));
        requestLog(id);
    } else {
        m_log->setPlaceholderText(tr("Select a job to read its log."));
        m_logCall.wanted.clear();
    }
}

void PipelinesPage::requestLog(const QString &jobId)
{
    m_logCall.wanted = jobId;
    if (m_logCall.busy || !m_logCall.client)
        return;
    m_logCall.busy = true;
    m_logCall.asked = jobId;
    m_logCall.client->fetchLog(jobId);
}

void PipelinesPage::onLogFetched(const QString &jobId, const QString &text)
{
    m_logCall.busy = false;
    clearBanner(&m_logCall);
    if (jobId != m_selectedJob || m_logCall.wanted != m_logCall.asked) {
        if (!m_logCall.wanted.isEmpty() && m_logCall.wanted == m_selectedJob)
            requestLog(m_logCall.wanted);
        return;
    }
    // Only the end of a long log: that is where a failure explains itself.
    QString shown = text;
    if (shown.size() > kMaxLogChars)
        shown = tr("[%1 earlier characters not shown]\n").arg(shown.size() - kMaxLogChars) +
                shown.right(kMaxLogChars);
    m_log->setPlainText(shown);
    if (shown.isEmpty())
        m_log->setPlaceholderText(tr("The log is empty."));
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
    Q_EMIT logShown(jobId);
}

QString PipelinesPage::logText() const
{
    return m_log->toPlainText();
}

void PipelinesPage::trigger(const QString &branch)
{
    if (!m_triggerCall.client) {
        showBanner(nullptr, tr("Connect to a CI service first."));
        return;
    }
    if (m_triggerCall.busy)
        return;
    m_triggerBranch = branch.isEmpty() ? QStringLiteral("main") : branch;
    if (m_branchEdit->text().trimmed() != m_triggerBranch)
        m_branchEdit->setText(m_triggerBranch);
    m_triggerCall.busy = true;
    m_triggerButton->setEnabled(false);
    m_triggerResult->setText(tr("Starting a run on %1…").arg(m_triggerBranch));
    m_triggerCall.client->trigger(m_triggerBranch, {});
}

void PipelinesPage::onTriggered(const CiRun &run)
{
    m_triggerCall.busy = false;
    m_triggerButton->setEnabled(true);
    clearBanner(&m_triggerCall);
    const QString at = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    // GitHub's dispatch does not name the run it starts; the list shows it soon.
    m_triggerResult->setText(
        run.id.isEmpty()
            ? tr("Started on %1 at %2; it appears in the list shortly.").arg(m_triggerBranch, at)
            : tr("Started run %1 on %2 at %3.")
                  .arg(CiRunsModel::runLabel(run), m_triggerBranch, at));
    refresh();
    Q_EMIT triggerFinished(true);
}

QString PipelinesPage::triggerResultText() const
{
    return m_triggerResult->text();
}

void PipelinesPage::onFailed(Channel *channel, const CiError &error)
{
    channel->busy = false;
    showBanner(channel, error.toString());
    if (error.rateLimited && error.retryAt.isValid())
        m_pausedUntil = error.retryAt.toUTC();
    if (channel == &m_runsCall) {
        m_runsModel->setStale(m_hasRuns); // the rows stay, greyed, never passing for current
        updateStatusLine();
        Q_EMIT runsRefreshed(false);
    } else if (channel == &m_jobsCall) {
        if (!m_jobsCall.wanted.isEmpty() && m_jobsCall.wanted != m_jobsCall.asked)
            requestJobs(m_jobsCall.wanted);
    } else if (channel == &m_logCall) {
        m_log->setPlaceholderText(tr("The log could not be read."));
        if (!m_logCall.wanted.isEmpty() && m_logCall.wanted != m_logCall.asked)
            requestLog(m_logCall.wanted);
    } else if (channel == &m_triggerCall) {
        m_triggerButton->setEnabled(true);
        m_triggerResult->setText(tr("Not started on %1.").arg(m_triggerBranch));
        Q_EMIT triggerFinished(false);
    }
}

void PipelinesPage::showBanner(Channel *source, const QString &text)
{
    m_bannerSource = source;
    m_banner->setText(text);
    m_banner->show();
}

// A banner goes away when the kind of request that raised it succeeds.
void PipelinesPage::clearBanner(Channel *source)
{
    if (m_banner->isHidden() || source != m_bannerSource)
        return;
    m_banner->hide();
    m_banner->clear();
    m_bannerSource = nullptr;
}

QString PipelinesPage::errorText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void PipelinesPage::updateStatusLine()
{
    if (!isConnected()) {
        m_statusLine->setText(tr("Not connected"));
        return;
    }
    QString line = m_description;
    if (m_lastRefresh.isValid())
        line += tr(" · refreshed %1").arg(m_lastRefresh.toString(QStringLiteral("HH:mm:ss")));
    if (m_pausedUntil.isValid())
        line += tr(" · paused until %1")
                    .arg(m_pausedUntil.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    else if (isActive())
        line += tr(" · every %1 s").arg(interval() / 1000.0, 0, 'g', 3);
    m_statusLine->setText(line);
}

} // namespace pgdeck
