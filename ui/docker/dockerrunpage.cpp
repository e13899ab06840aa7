#include "dockerrunpage.h"

#include "dockerwizard.h"
#include "dockerwizardhelpers.h"

#include "common/pgpassfile.h"
#include "common/planrunview.h"
#include "docker/composetool.h"

#include <QCheckBox>
#include <QDir>
#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

namespace pgdeck {

using namespace dockerwizard;

namespace {

QString homeRelative(const QString &path)
{
    const QString home = QDir::homePath();
    return path.startsWith(home + QLatin1Char('/')) ? QStringLiteral("~") + path.mid(home.size())
                                                    : path;
}

} // namespace

struct DockerRunPage::Config {
    QStringList compose;
    QString version;
    bool ok = false;
    ComposeFile file;
    QString message;
};

DockerRunPage::DockerRunPage(DockerWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("dockerRunPage"));
    setTitle(tr("Start the deployment"));
    setSubTitle(tr("Compose builds the application's image, starts every service and pgdeck "
                   "waits until each is healthy. Each step is journaled: a stopped run resumes "
                   "where it stopped."));
    m_inventory =
        new QCheckBox(tr("Add the PostgreSQL services to the inventory and their passwords to %1")
                          .arg(homeRelative(PgPassFile::defaultPath())));
    m_inventory->setObjectName(QStringLiteral("inventoryCheck"));
    m_inventory->setAccessibleName(tr("Add the PostgreSQL services to the inventory"));
    m_inventory->setToolTip(tr("libpq reads the passwords from this file, so the console "
                               "connects without asking; other lines in it stay as they are."));
    m_inventory->setChecked(true);
    m_run = new PlanRunView;
    m_run->setObjectName(QStringLiteral("dockerPlanRun"));
    m_start = new QPushButton(tr("&Start"));
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setAccessibleName(tr("Start the deployment"));
    m_cancel = new QPushButton(tr("S&top"));
    m_cancel->setObjectName(QStringLiteral("cancelRunButton"));
    m_cancel->setAccessibleName(tr("Stop after the current step"));
    m_resume = new QPushButton(tr("Re&sume"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_resume->setAccessibleName(tr("Resume the failed run"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_inventory, 1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_resume);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_run, 1);
    layout->addLayout(buttons);

    connect(m_start, &QPushButton::clicked, this, &DockerRunPage::start);
    connect(m_cancel, &QPushButton::clicked, this, &DockerRunPage::cancel);
    connect(m_resume, &QPushButton::clicked, this, &DockerRunPage::resume);
    connect(m_run, &PlanRunView::runningChanged, this, &DockerRunPage::updateButtons);
    connect(m_run, &PlanRunView::finished, this, [this](bool ok) { finished(ok); });
    updateButtons();
}

void DockerRunPage::initializePage()
{
    loadConfig();
}

void DockerRunPage::cleanupPage()
{
    ++m_configToken; // a configuration still being read is for a page no longer shown
    m_wizard->setOption(QWizard::DisabledBackButtonOnLastPage, false);
}

bool DockerRunPage::isComplete() const
{
    return !isRunning();
}

bool DockerRunPage::isRunning() const
{
    return m_run->isRunning();
}

bool DockerRunPage::hasSucceeded() const
{
    return m_run->hasSucceeded();
}

bool DockerRunPage::hasFailed() const
{
    return m_run->hasFailed();
}

void DockerRunPage::loadConfig()
{
    const quint64 token = ++m_configToken;
    m_ready = false;
    m_run->setPlan(Plan());
    m_run->setStatus(tr("Reading the configuration as Docker Compose resolves it…"));
    updateButtons();
    const ComposeProject project = m_wizard->composeProject();
    runOffGuiThread<Config>(
        this,
        [project] {
            Config c;
            c.compose = project.compose;
            if (c.compose.isEmpty())
                c.compose = ComposeTool::detect(&c.version, &c.message);
            if (c.compose.isEmpty())
                return c;
            ComposeProject p = project;
            p.compose = c.compose;
            QByteArray yaml;
            c.ok = ComposeTool::config(p.command({}), p.dir, &yaml, &c.message) &&
                   ComposeFile::parse(yaml, &c.file, &c.message);
            return c;
        },
        [this, token](const Config &c) {
            if (token == m_configToken)
                configLoaded(c);
        });
}

void DockerRunPage::configLoaded(const Config &c)
{
    if (!c.ok) {
        m_run->setStatus(tr("Docker Compose refuses the configuration:\n%1").arg(c.message), kRed);
        updateButtons();
        return;
    }
    if (m_wizard->composeCommand().isEmpty())
        m_wizard->setComposeCommand(c.compose, c.version);
    m_composeProject = m_wizard->composeProject();
    m_file = c.file;
    m_run->setPlan(composeplans::up(m_composeProject, m_file));
    m_ready = true;
    m_run->setStatus(
        tr("Press Start to build and start %1 in project %2.")
            .arg(m_file.serviceNames().join(QStringLiteral(", ")), m_composeProject.name));
    updateButtons();
}

void DockerRunPage::start()
{
    if (!m_ready || isRunning())
        return;
    QString error;
    if (!m_run->start(&error))
        m_run->setStatus(error, kRed);
    updateButtons();
}

void DockerRunPage::cancel()
{
    m_run->cancel();
}

void DockerRunPage::resume()
{
    QString error;
    if (!m_run->resume(&error))
        m_run->setStatus(error, kRed);
    updateButtons();
}

void DockerRunPage::finished(bool ok)
{
    if (ok) {
        QString status = summary();
        QColor color = kGreen;
        if (m_inventory->isChecked()) {
            const QString path = PgPassFile::defaultPath();
            QString error;
            if (PgPassFile::upsert(path, composePgPassEntries(m_composeProject, m_file), &error)) {
                status += QLatin1Char('\n') +
                          tr("Passwords added to %1; cluster %2 goes to the inventory.")
                              .arg(path, m_composeProject.name);
            } else {
                status +=
                    QLatin1Char('\n') + tr("The passwords could not be written: %1").arg(error);
                color = kOrange;
            }
            Q_EMIT m_wizard->deploymentReady(composeInventoryCluster(m_composeProject, m_file));
        }
        m_run->setStatus(status, color);
    }
    updateButtons();
    Q_EMIT completeChanged();
}

QString DockerRunPage::summary() const
{
    QStringList where;
    const Deployment d = m_wizard->deployment();
    if (const ComposeService *app = m_file.service(d.appService))
        if (const int port = app->publishedPort(d.appPort))
            where << tr("the application on http://127.0.0.1:%1/").arg(port);
    for (const NodeSpec &node : composeInventoryCluster(m_composeProject, m_file).nodes)
        where << QStringLiteral("%1 on %2:%3").arg(node.name, node.host).arg(node.port);
    return tr("%1 is up: %2.").arg(m_composeProject.name, where.join(QStringLiteral(", ")));
}

void DockerRunPage::updateButtons()
{
    const bool running = isRunning();
    m_start->setEnabled(m_ready && !running && !hasSucceeded());
    m_start->setText(hasFailed() ? tr("&Start again") : tr("&Start"));
    m_cancel->setEnabled(running);
    m_resume->setVisible(m_run->canResume());
    m_inventory->setEnabled(!running && !hasSucceeded());
    // Going back while containers start, or after they run, would describe another deployment.
    m_wizard->setOption(QWizard::DisabledBackButtonOnLastPage, running || hasSucceeded());
    Q_EMIT completeChanged();
}

} // namespace pgdeck
