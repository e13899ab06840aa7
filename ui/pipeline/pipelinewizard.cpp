#include "pipelinewizard.h"

#include "pipelinebuildpage.h"
#include "pipelinefilespage.h"
#include "pipelinerepositorypage.h"
#include "pipelinetrypage.h"

namespace pgdeck {

PipelineWizard::PipelineWizard(QWidget *parent)
    : QWizard(parent)
{
    setObjectName(QStringLiteral("pipelineWizard"));
    setAccessibleName(tr("New delivery pipeline"));
    setWindowTitle(tr("New delivery pipeline"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage, false);
    setPage(RepositoryPageId, new PipelineRepositoryPage(this));
    setPage(BuildPageId, new PipelineBuildPage(this));
    setPage(FilesPageId, new PipelineFilesPage(this));
    setPage(TryPageId, new PipelineTryPage(this));
    setStartId(RepositoryPageId);
    resize(1100, 760);
}

void PipelineWizard::setRepositoryDirectory(const QString &dir)
{
    repositoryPage()->setDirectory(dir);
}

QString PipelineWizard::repositoryDirectory() const
{
    return repositoryPage()->directory();
}

PipelineSpec PipelineWizard::spec() const
{
    PipelineSpec s;
    s.name = repositoryPage()->pipelineName();
    s.branch = repositoryPage()->branch();
    buildPage()->apply(&s);
    return s;
}

QList<CiSystem> PipelineWizard::systems() const
{
    return repositoryPage()->systems();
}

QList<GeneratedFile> PipelineWizard::generatedFiles() const
{
    const PipelineSpec s = spec();
    QList<GeneratedFile> files;
    for (CiSystem system : systems())
        files << PipelineGenerator::file(s, system);
    return files;
}

PipelineRepositoryPage *PipelineWizard::repositoryPage() const
{
    return static_cast<PipelineRepositoryPage *>(page(RepositoryPageId));
}

PipelineBuildPage *PipelineWizard::buildPage() const
{
    return static_cast<PipelineBuildPage *>(page(BuildPageId));
}

PipelineFilesPage *PipelineWizard::filesPage() const
{
    return static_cast<PipelineFilesPage *>(page(FilesPageId));
}

PipelineTryPage *PipelineWizard::tryPage() const
{
    return static_cast<PipelineTryPage *>(page(TryPageId));
}

void PipelineWizard::reject()
{
    // A local run leaves nothing behind: its service and scratch copy go with it.
    tryPage()->cancel();
    QWizard::reject();
}

} // namespace pgdeck
