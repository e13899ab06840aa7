#pragma once

#include "docker/composeplanner.h"
#include "docker/deployment.h"
#include "inventory/inventory.h"

#include <QWizard>

namespace pgdeck {

class DockerProjectPage;
class DockerDatabasePage;
class DockerFilesPage;
class DockerRunPage;

// Deploys an application with PostgreSQL in containers: the project and its application,
// the database layout, the generated files (diffed against what the directory holds, written
// only when asked, checked by Compose), then `up` as a Plan. The same steps as
// `pgdeckctl docker init --write`, `docker validate` and `docker up -i`. On success the
// PostgreSQL services' passwords go to the libpq password file and `deploymentReady` hands
// the cluster to the console for its inventory.
class DockerWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { ProjectPageId, DatabasePageId, FilesPageId, RunPageId };

    explicit DockerWizard(QWidget *parent = nullptr);

    // Starts the wizard on a directory, as if the user had browsed to it.
    void setProjectDirectory(const QString &dir);
    QString projectDirectory() const;

    // The deployment as the pages describe it now.
    Deployment deployment() const;
    // validateDeployment's problems, and the directory's own.
    QStringList validationErrors() const;

    // The Compose command found while checking the files (empty before), and its version.
    void setComposeCommand(const QStringList &compose, const QString &version);
    QStringList composeCommand() const { return m_compose; }
    QString composeVersion() const { return m_composeVersion; }
    ComposeProject composeProject() const;

    DockerProjectPage *projectPage() const;
    DockerDatabasePage *databasePage() const;
    DockerFilesPage *filesPage() const;
    DockerRunPage *runPage() const;

    void reject() override;

Q_SIGNALS:
    void deploymentReady(const pgdeck::ClusterSpec &cluster);

private:
    QStringList m_compose;
    QString m_composeVersion;
};

} // namespace pgdeck
