#pragma once

#include "pipeline/pipelinegenerator.h"
#include "pipeline/pipelinespec.h"

#include <QWizard>

namespace pgdeck {

class PipelineRepositoryPage;
class PipelineBuildPage;
class PipelineFilesPage;
class PipelineTryPage;

// Writes a delivery pipeline into the user's repository for GitHub Actions, GitLab CI,
// Jenkins and CircleCI: the repository and systems, how to build and deploy, the generated
// files (diffed against the repository, written only when asked, checked, optionally
// committed on a new branch, never pushed), then an optional local run of its shell steps.
// The same steps as `pgdeckctl pipeline init --write --commit` and `pipeline run-local`.
class PipelineWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { RepositoryPageId, BuildPageId, FilesPageId, TryPageId };

    explicit PipelineWizard(QWidget *parent = nullptr);

    // Starts the wizard on a directory, as if the user had browsed to it.
    void setRepositoryDirectory(const QString &dir);
    QString repositoryDirectory() const;

    // The pipeline and the systems as the pages describe them now.
    PipelineSpec spec() const;
    QList<CiSystem> systems() const;
    QList<GeneratedFile> generatedFiles() const;

    PipelineRepositoryPage *repositoryPage() const;
    PipelineBuildPage *buildPage() const;
    PipelineFilesPage *filesPage() const;
    PipelineTryPage *tryPage() const;

    void reject() override;
};

} // namespace pgdeck
