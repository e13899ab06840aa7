#include "pipelinetrypage.h"

#include "pipelinewizard.h"
#include "pipelinewizardhelpers.h"

#include "sandbox/sandbox.h"

#include <QDir>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pgdeck {

using namespace pipelinewizard;

namespace {

constexpr int kDockerProbeTimeoutMs = 15000;

QColor runStateColor(PipelineLocalRun::State state)
{
    switch (state) {
    case PipelineLocalRun::State::Passed:
        return kGreen;
    case PipelineLocalRun::State::Failed:
        return kRed;
    case PipelineLocalRun::State::Running:
        return kOrange;
    case PipelineLocalRun::State::Pending:
    case PipelineLocalRun::State::Skipped:
    case PipelineLocalRun::State::Cancelled:
        break;
    }
    return kGrey;
}

} // namespace

PipelineTryPage::PipelineTryPage(PipelineWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("pipelineTryPage"));
    setTitle(tr("Try it here"));
    setSubTitle(tr("Optional: the pipeline's shell steps run on this machine before you push. "
                   "What needs the outside world (registry, deploy) is skipped. You may "
                   "finish without it."));
    m_mode = noteLabel(QStringLiteral("runMode"), tr("Where the steps run"));
    m_runButton = new QPushButton(tr("&Run here"));
    m_runButton->setObjectName(QStringLiteral("runHereButton"));
    m_runButton->setAccessibleName(tr("Run the pipeline here"));
    m_cancelButton = new QPushButton(tr("&Stop"));
    m_cancelButton->setObjectName(QStringLiteral("stopRunButton"));
    m_cancelButton->setAccessibleName(tr("Stop the local run"));
    m_cancelButton->setEnabled(false);
    m_steps = new QTreeWidget;
    m_steps->setObjectName(QStringLiteral("stepsList"));
    m_steps->setAccessibleName(tr("Steps of the local run"));
    m_steps->setRootIsDecorated(false);
    m_steps->setUniformRowHeights(true);
    m_steps->setHeaderLabels({tr("Step"), tr("State"), tr("Duration")});
    m_steps->header()->setStretchLastSection(false);
    m_steps->header()->setSectionResizeMode(StepColumn, QHeaderView::Stretch);
    m_steps->header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(DurationColumn, QHeaderView::ResizeToContents);
    m_output = new QPlainTextEdit;
    m_output->setObjectName(QStringLiteral("runOutput"));
    m_output->setAccessibleName(tr("Output of the steps"));
    m_output->setReadOnly(true);
    m_output->setMaximumBlockCount(5000);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_result = noteLabel(QStringLiteral("runResult"), tr("Result of the local run"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_mode, 1);
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_steps);
    splitter->addWidget(m_output);
    splitter->setSizes({440, 540});
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_result);

    connect(m_runButton, &QPushButton::clicked, this, [this] { runLocally(); });
    connect(m_cancelButton, &QPushButton::clicked, this, &PipelineTryPage::cancel);
}

PipelineTryPage::~PipelineTryPage()
{
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->kill();
        m_probe->waitForFinished(1000); // the docker client goes at once on SIGKILL
    }
}

void PipelineTryPage::initializePage()
{
    fillSteps();
    if (!m_modeForced)
        probeDocker();
    showMode();
}

void PipelineTryPage::cleanupPage()
{
    cancel();
}

bool PipelineTryPage::isComplete() const
{
    return !isRunning();
}

// Asks `docker version` without waiting for it: an engine that hangs must not freeze the page.
void PipelineTryPage::probeDocker()
{
    if (m_probe)
        return;
    m_probe = new QProcess(this);
    const auto done = [this](bool answered) {
        if (!m_probe)
            return;
        m_probe->deleteLater();
        m_probe = nullptr;
        if (!m_modeForced)
            m_containers = answered;
        showMode();
    };
    connect(m_probe, &QProcess::finished, this,
            [this, done](int code, QProcess::ExitStatus status) {
                done(status == QProcess::NormalExit && code == 0);
            });
    connect(m_probe, &QProcess::errorOccurred, this, [this, done](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            done(false);
    });
    QTimer::singleShot(kDockerProbeTimeoutMs, m_probe, [this, done] {
        m_probe->kill();
        done(false);
    });
    m_probe->start(QStringLiteral("docker"), {QStringLiteral("version")});
}

void PipelineTryPage::setUseContainers(bool containers)
{
    // A probe still running is left to finish; its answer no longer decides anything.
    m_modeForced = true;
    m_containers = containers;
    showMode();
}

void PipelineTryPage::showMode()
{
    m_runButton->setEnabled(!isDetecting() && !isRunning());
    if (isDetecting())
        setColoredText(m_mode, tr("Asking the Docker engine whether it answers…"), kGrey);
    else if (m_containers)
        setColoredText(m_mode,
                       tr("Each job runs in a container of its image (host network: its "
                          "traffic stays on this machine)."),
                       kGrey);
    else
        setColoredText(m_mode,
                       tr("No containers: the steps run in a scratch copy of the repository "
                          "with a local PostgreSQL."),
                       kGrey);
}

void PipelineTryPage::fillSteps()
{
    if (isRunning())
        return;
    LocalRunOptions options;
    options.repoDir = m_wizard->repositoryDirectory();
    options.inContainers = m_containers;
    m_steps->clear();
    for (const PipelineLocalRun::Step &s : PipelineLocalRun::plan(m_wizard->spec(), options)) {
        auto *item = new QTreeWidgetItem(m_steps);
        item->setText(StepColumn, QStringLiteral("%1: %2").arg(s.job, s.title));
        item->setText(StateColumn, PipelineLocalRun::stateName(s.state));
        item->setToolTip(StepColumn, s.skipReason);
    }
}

bool PipelineTryPage::runLocally()
{
    if (isRunning() || isDetecting())
        return false;
    LocalRunOptions options;
    options.repoDir = m_wizard->repositoryDirectory();
    options.inContainers = m_containers;
    QString error;
    if (!options.inContainers) {
        options.pgBinDir = Sandbox::findBinDir(&error);
        if (options.pgBinDir.isEmpty()) {
            setColoredText(m_result, tr("Cannot run here: %1").arg(error), kRed);
            return false;
        }
        options.pgOsUser = Sandbox::defaultOsUser();
    }
    options.pgPort = Sandbox::findFreePorts(55400 + QRandomGenerator::global()->bounded(2000), 1);
    options.scratchDir = QDir::temp().filePath(
        QStringLiteral("pgdeck-run-%1")
            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0')));

    m_run = std::make_unique<PipelineLocalRun>();
    connect(m_run.get(), &PipelineLocalRun::stepStarted, this, [this](int i) {
        updateStep(i);
        const auto &s = m_run->steps().at(i);
        m_output->appendPlainText(QStringLiteral("▶ %1: %2").arg(s.job, s.title));
    });
    connect(m_run.get(), &PipelineLocalRun::stepFinished, this,
            [this](int i, PipelineLocalRun::State) { updateStep(i); });
    connect(m_run.get(), &PipelineLocalRun::output, this,
            [this](int, const QString &line) { m_output->appendPlainText(line); });
    connect(m_run.get(), &PipelineLocalRun::finished, this, &PipelineTryPage::onFinished);
    m_finished = false;
    m_ok = false;
    m_summary.clear();
    m_output->clear();
    if (!m_run->start(m_wizard->spec(), options, &error)) {
        setColoredText(m_result, tr("Cannot run here: %1").arg(error), kRed);
        m_run.reset();
        return false;
    }
    m_steps->clear();
    for (int i = 0; i < m_run->steps().size(); ++i) {
        new QTreeWidgetItem(m_steps);
        updateStep(i);
    }
    setColoredText(m_result, tr("Running…"), kGrey);
    m_runButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    Q_EMIT completeChanged();
    return true;
}

void PipelineTryPage::updateStep(int index)
{
    QTreeWidgetItem *item = m_steps->topLevelItem(index);
    if (!item || !m_run)
        return;
    const PipelineLocalRun::Step &s = m_run->steps().at(index);
    item->setText(StepColumn, QStringLiteral("%1: %2").arg(s.job, s.title));
    item->setText(StateColumn, PipelineLocalRun::stateName(s.state));
    item->setForeground(StateColumn, runStateColor(s.state));
    const bool timed =
        s.state == PipelineLocalRun::State::Passed || s.state == PipelineLocalRun::State::Failed;
    item->setText(DurationColumn,
                  timed ? QStringLiteral("%1 s").arg(s.durationMs / 1000.0, 0, 'f', 1) : QString());
    item->setToolTip(StepColumn, s.skipReason.isEmpty()
                                     ? s.title
                                     : tr("%1 — skipped: %2").arg(s.title, s.skipReason));
}

void PipelineTryPage::onFinished(bool ok, const QString &summary)
{
    m_finished = true;
    m_ok = ok;
    m_summary = summary;
    for (int i = 0; m_run && i < m_run->steps().size(); ++i)
        updateStep(i);
    setColoredText(m_result, summary, ok ? kGreen : kRed);
    m_cancelButton->setEnabled(false);
    showMode();
    Q_EMIT runFinished(ok);
    Q_EMIT completeChanged();
}

void PipelineTryPage::cancel()
{
    if (isRunning())
        m_run->cancel();
}

bool PipelineTryPage::isRunning() const
{
    return m_run && m_run->isRunning();
}

PipelineLocalRun::State PipelineTryPage::stepState(const QString &jobAndId) const
{
    if (m_run)
        for (const auto &s : m_run->steps())
            if (s.job + QLatin1Char('/') + s.id == jobAndId)
                return s.state;
    return PipelineLocalRun::State::Pending;
}

QString PipelineTryPage::outputText() const
{
    return m_output->toPlainText();
}

QString PipelineTryPage::summary() const
{
    return m_summary;
}

} // namespace pgdeck
