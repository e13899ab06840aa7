#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pgdeck {

// One delivery pipeline, whatever CI system runs it: install and test the app against a
// PostgreSQL service, build and push its image, deploy it to the host that runs the
// compose project. Secrets are only ever named here; each CI system stores the values.
struct PipelineSpec {
    enum class Deploy { Ssh, DockerContext, None };

    QString name = QStringLiteral("deploy");
    QString branch = QStringLiteral("main"); // pushes here build and deploy; others only test

    QString nodeVersion = QStringLiteral("18");
    QString installCommand = QStringLiteral("npm ci");
    QString testCommand = QStringLiteral("npm test");
    QString postgresImage = QStringLiteral("postgres:15"); // empty: the tests need no database
    QString dbName = QStringLiteral("app");
    QString dbUser = QStringLiteral("app");

    QString registry = QStringLiteral("ghcr.io");
    QString image = QStringLiteral("ghcr.io/example/app");
    QString registryUserSecret = QStringLiteral("REGISTRY_USER");
    QString registryPasswordSecret = QStringLiteral("REGISTRY_PASSWORD");

    Deploy deploy = Deploy::Ssh;
    QString deployHost = QStringLiteral("deploy@app.example.com"); // user@host
    QString deployDir = QStringLiteral("/srv/app"); // holds docker-compose.yml and .env
    QString sshKeySecret = QStringLiteral("DEPLOY_SSH_KEY");
    QString knownHostsSecret = QStringLiteral("DEPLOY_KNOWN_HOSTS");

    // Every secret the pipeline reads, for the user to create in the CI system.
    QStringList secretNames() const;
    static QString deployName(Deploy deploy);
    static bool deployFromName(const QString &name, Deploy *deploy);
};

// Problems with the spec, each naming the field and what is allowed.
QStringList validatePipelineSpec(const PipelineSpec &spec);

// A job's shell step: the same commands in every CI system's file and in a local run.
struct PipelineStep {
    QString id;
    QString title;
    QStringList commands;
};

// The CI-neutral shape: jobs, their order, images, environment and steps. Generators only
// translate this into each system's syntax, so the four files stay equivalent.
struct PipelineJob {
    QString id;
    QString image;              // the container the steps run in
    QStringList needs;          // jobs that must succeed first
    bool onBranchOnly = false;  // not for pull/merge requests or other branches
    bool postgres = false;      // a PostgreSQL service beside the job
    bool docker = false;        // needs a Docker engine (build and push)
    QMap<QString, QString> env; // plain values
    QStringList secrets;        // exposed to the steps as variables of the same name
    QList<PipelineStep> steps;
};

class PipelineModel {
public:
    // dbHost: where the job reaches its PostgreSQL service, which differs per CI system
    // (localhost beside a GitHub runner or in CircleCI, the service alias in GitLab).
    static QList<PipelineJob> jobs(const PipelineSpec &spec, const QString &dbHost);
};

} // namespace pgdeck
