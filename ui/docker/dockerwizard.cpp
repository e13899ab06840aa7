#include "dockerwizard.h"

#include "dockerdatabasepage.h"
#include "dockerfilespage.h"
#include "dockerprojectpage.h"
#include "dockerrunpage.h"

#include <QDir>
#include <QFileInfo>
#include <QMessageBox>

namespace pgdeck {

DockerWizard::DockerWizard(QWidget *parent)
    : QWizard(parent)
{
    setObjectName(QStringLiteral("dockerWizard"));
    setWindowTitle(tr("New Container Deployment"));
    setWizardStyle(QWizard::ModernStyle);
    setPage(ProjectPageId, new DockerProjectPage(this));
    setPage(DatabasePageId, new DockerDatabasePage(this));
    setPage(FilesPageId, new DockerFilesPage(this));
    setPage(RunPageId, new DockerRunPage(this));
    resize(1000, 720);
}

DockerProjectPage *DockerWizard::projectPage() const
{
    return qobject_cast<DockerProjectPage *>(page(ProjectPageId));
}

DockerDatabasePage *DockerWizard::databasePage() const
{
    return qobject_cast<DockerDatabasePage *>(page(DatabasePageId));
}

DockerFilesPage *DockerWizard::filesPage() const
{
    return qobject_cast<DockerFilesPage *>(page(FilesPageId));
}

DockerRunPage *DockerWizard::runPage() const
{
    return qobject_cast<DockerRunPage *>(page(RunPageId));
}

void DockerWizard::setProjectDirectory(const QString &dir)
{
    projectPage()->setDirectory(dir);
}

QString DockerWizard::projectDirectory() const
{
    const QString dir = projectPage()->directory();
    return dir.isEmpty() ? QString() : QDir(dir).absolutePath();
}

Deployment DockerWizard::deployment() const
{
    Deployment d;
    projectPage()->apply(&d);
    databasePage()->apply(&d);
    return d;
}

QStringList DockerWizard::validationErrors() const
{
    QStringList errors;
    const QString dir = projectDirectory();
    if (dir.isEmpty())
        errors << tr("choose the project directory");
    else if (!QFileInfo(dir).isDir())
        errors << tr("directory %1 does not exist").arg(dir);
    else if (!QFileInfo(dir).isWritable())
        errors << tr("directory %1 is not writable: the files could not be written").arg(dir);
    return errors + validateDeployment(deployment());
}

void DockerWizard::setComposeCommand(const QStringList &compose, const QString &version)
{
    m_compose = compose;
    m_composeVersion = version;
}

ComposeProject DockerWizard::composeProject() const
{
    ComposeProject project;
    project.dir = projectDirectory();
    project.name = deployment().project;
    project.compose = m_compose;
    return project;
}

void DockerWizard::reject()
{
    DockerRunPage *run = runPage();
    if (run && run->isRunning()) {
        if (QMessageBox::question(this, windowTitle(),
                                  tr("The deployment is starting. Stop after the current step? "
                                     "The run can be resumed later.")) == QMessageBox::Yes)
            run->cancel();
        return;
    }
    QWizard::reject();
}

} // namespace pgdeck
