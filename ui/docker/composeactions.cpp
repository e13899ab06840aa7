#include "composeactions.h"

#include "common/planrunview.h"
#include "docker/composetool.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace pgdeck {

ComposeActionDialog::ComposeActionDialog(const Plan &plan, QWidget *parent)
    : QDialog(parent)
    , m_view(new PlanRunView(this))
{
    setObjectName(QStringLiteral("composeActionDialog"));
    setWindowTitle(plan.title());
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeButton"));
    connect(buttons, &QDialogButtonBox::rejected, this, [this] {
        if (m_view->isRunning())
            m_view->cancel(); // the step in progress stops; Close again closes
        else
            reject();
    });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(860, 520);
    connect(m_view, &PlanRunView::finished, this, [this](bool ok) { Q_EMIT finished(ok); });
    m_view->setPlan(plan);
    QString error;
    if (!m_view->start(&error))
        m_view->setStatus(error, Qt::red);
}

ComposeActions::ComposeActions(QWidget *parent)
    : QWidget(parent)
    , m_restart(new QPushButton(tr("&Restart"), this))
    , m_down(new QPushButton(tr("Take &Down…"), this))
{
    m_restart->setObjectName(QStringLiteral("restartButton"));
    m_restart->setAccessibleName(tr("Restart the selected service, or the whole project"));
    m_down->setObjectName(QStringLiteral("downButton"));
    m_down->setAccessibleName(tr("Stop and remove the project's containers"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_restart);
    layout->addWidget(m_down);
    connect(m_restart, &QPushButton::clicked, this, &ComposeActions::restart);
    connect(m_down, &QPushButton::clicked, this, &ComposeActions::takeDown);
    setProject({}, {}, {});
}

bool ComposeActions::projectFromContainers(const QString &name,
                                           const QList<DockerContainer> &containers,
                                           ComposeProject *project, QString *why)
{
    for (const DockerContainer &c : containers) {
        const QString dir =
            c.labels.value(QStringLiteral("com.docker.compose.project.working_dir"));
        if (c.composeProject != name || dir.isEmpty())
            continue;
        if (!QFileInfo(dir).isDir()) {
            *why = tr("%1's directory %2 is gone").arg(name, dir);
            return false;
        }
        project->dir = dir;
        project->name = name;
        // Which Compose is installed does not change while the console runs: asked once.
        static QString detectError;
        static const QStringList compose = ComposeTool::detect(nullptr, &detectError);
        project->compose = compose;
        if (project->compose.isEmpty()) {
            *why = detectError;
            return false;
        }
        if (!QFileInfo::exists(project->composeFile())) {
            *why = tr("no compose file in %1").arg(dir);
            return false;
        }
        return true;
    }
    *why = name.isEmpty() ? tr("choose a project")
                          : tr("%1 was not started by Docker Compose").arg(name);
    return false;
}

void ComposeActions::setProject(const QString &name, const QList<DockerContainer> &containers,
                                const QString &selectedService)
{
    m_name = name;
    m_containers = containers;
    m_service = selectedService;
    const bool known =
        std::any_of(containers.begin(), containers.end(), [&](const DockerContainer &c) {
            return !name.isEmpty() && c.composeProject == name &&
                   c.labels.contains(QStringLiteral("com.docker.compose.project.working_dir"));
        });
    m_restart->setEnabled(known);
    m_down->setEnabled(known);
    m_restart->setText(known && !m_service.isEmpty() ? tr("&Restart %1").arg(m_service)
                                                     : tr("&Restart"));
    const QString off = name.isEmpty() ? tr("Choose a compose project first") : QString();
    m_restart->setToolTip(off.isEmpty() ? tr("docker compose restart, then wait until healthy")
                                        : off);
    m_down->setToolTip(
        off.isEmpty() ? tr("docker compose down (the volumes are kept unless you say so)") : off);
}

ComposeActionDialog *ComposeActions::run(const Plan &plan)
{
    auto *dialog = new ComposeActionDialog(plan, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ComposeActionDialog::finished, this, &ComposeActions::actionFinished);
    dialog->show();
    return dialog;
}

void ComposeActions::restart()
{
    ComposeProject project;
    QString why;
    if (!projectFromContainers(m_name, m_containers, &project, &why)) {
        QMessageBox::warning(this, tr("Restart"), why);
        return;
    }
    // `config` takes a moment (it is a process): not on the GUI thread.
    const QStringList services = m_service.isEmpty() ? QStringList() : QStringList{m_service};
    auto *watcher = new QFutureWatcher<std::pair<bool, QString>>(this);
    auto file = std::make_shared<ComposeFile>();
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, file, project, services] {
        watcher->deleteLater();
        const auto [ok, message] = watcher->result();
        if (!ok) {
            QMessageBox::warning(this, tr("Restart"), message);
            return;
        }
        run(composeplans::restart(project, *file, services));
    });
    m_restart->setEnabled(false);
    connect(watcher, &QFutureWatcherBase::finished, m_restart,
            [this] { m_restart->setEnabled(true); });
    watcher->setFuture(QtConcurrent::run([project, file]() -> std::pair<bool, QString> {
        QByteArray yaml;
        QString message;
        if (!ComposeTool::config(project.command({}), project.dir, &yaml, &message) ||
            !ComposeFile::parse(yaml, file.get(), &message))
            return {false, message};
        return {true, {}};
    }));
}

void ComposeActions::takeDown()
{
    ComposeProject project;
    QString why;
    if (!projectFromContainers(m_name, m_containers, &project, &why)) {
        QMessageBox::warning(this, tr("Take Down"), why);
        return;
    }
    QMessageBox ask(QMessageBox::Question, tr("Take Down %1").arg(m_name),
                    tr("Stop and remove every container of %1?").arg(m_name), QMessageBox::Cancel,
                    this);
    ask.setInformativeText(tr("The volumes, and so the databases' data, are kept: the next up "
                              "starts from them."));
    QPushButton *down = ask.addButton(tr("Take Down"), QMessageBox::AcceptRole);
    auto *volumes = new QCheckBox(tr("Also delete the volumes (the data)"), &ask);
    volumes->setObjectName(QStringLiteral("deleteVolumesCheck"));
    ask.setCheckBox(volumes);
    ask.setDefaultButton(QMessageBox::Cancel);
    ask.exec();
    if (ask.clickedButton() != down)
        return;
    if (volumes->isChecked() &&
        QMessageBox::warning(this, tr("Delete the Data of %1").arg(m_name),
                             tr("Delete the volumes of %1? The databases' data in them is lost "
                                "for good; there is no undo.")
                                 .arg(m_name),
                             QMessageBox::Yes | QMessageBox::No,
                             QMessageBox::No) != QMessageBox::Yes)
        return;
    run(composeplans::down(project, volumes->isChecked()));
}

} // namespace pgdeck
