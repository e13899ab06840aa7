#include "pipelinespec.h"

#include "common/plainname.h"

#include <QRegularExpression>

namespace pgdeck {

QStringList PipelineSpec::secretNames() const
{
    QStringList names{registryUserSecret, registryPasswordSecret};
    if (deploy != Deploy::None)
        names << sshKeySecret << knownHostsSecret;
    return names;
}

QString PipelineSpec::deployName(Deploy deploy)
{
    switch (deploy) {
    case Deploy::Ssh:
        return QStringLiteral("ssh");
    case Deploy::DockerContext:
        return QStringLiteral("context");
    case Deploy::None:
        return QStringLiteral("none");
    }
    return {};
}

bool PipelineSpec::deployFromName(const QString &name, Deploy *deploy)
{
    for (Deploy d : {Deploy::Ssh, Deploy::DockerContext, Deploy::None})
        if (deployName(d) == name) {
            *deploy = d;
            return true;
        }
    return false;
}

QStringList validatePipelineSpec(const PipelineSpec &s)
{
    QStringList errors;
    static const QRegularExpression secretName(QStringLiteral("^[A-Z][A-Z0-9_]*$"));
    for (const QString &name : s.secretNames())
        if (!secretName.match(name).hasMatch())
            errors << QStringLiteral("secret name \"%1\" must be upper-case letters, digits and "
                                     "'_' (every CI system accepts those)")
                          .arg(name);
    if (!isPlainName(s.name))
        errors << QStringLiteral("pipeline name \"%1\": letters, digits, '.', '_' and '-'")
                      .arg(s.name);
    static const QRegularExpression branch(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_./-]*$"));
    if (!branch.match(s.branch).hasMatch())
        errors << QStringLiteral("branch \"%1\" is not a plain branch name").arg(s.branch);
    static const QRegularExpression image(QStringLiteral("^[a-z0-9][a-z0-9._/:-]*$"));
    if (!image.match(s.image).hasMatch() || s.image.endsWith(QLatin1Char(':')))
        errors << QStringLiteral("image \"%1\" must be a lower-case image name such as "
                                 "ghcr.io/owner/app (no tag: the pipeline tags it)")
                      .arg(s.image);
    else if (!s.image.startsWith(s.registry + QLatin1Char('/')))
        errors << QStringLiteral("image \"%1\" is not in registry \"%2\"").arg(s.image, s.registry);
    if (s.installCommand.trimmed().isEmpty() || s.testCommand.trimmed().isEmpty())
        errors << QStringLiteral("install and test commands must not be empty");
    if (s.deploy != PipelineSpec::Deploy::None) {
        static const QRegularExpression host(QStringLiteral("^[A-Za-z0-9_.-]+@[A-Za-z0-9.-]+$"));
        if (!host.match(s.deployHost).hasMatch())
            errors << QStringLiteral("deploy host \"%1\" must be user@host").arg(s.deployHost);
        static const QRegularExpression dir(QStringLiteral("^/[A-Za-z0-9_./-]*$"));
        if (!dir.match(s.deployDir).hasMatch())
            errors << QStringLiteral("deploy directory \"%1\" must be an absolute path without "
                                     "spaces or quotes")
                          .arg(s.deployDir);
    }
    static const QRegularExpression version(QStringLiteral("^[0-9]+(\\.[0-9]+)*$"));
    if (!version.match(s.nodeVersion).hasMatch())
        errors << QStringLiteral("Node.js version \"%1\" must be a number such as 18")
                      .arg(s.nodeVersion);
    return errors;
}

namespace {

PipelineStep step(const QString &id, const QString &title, const QStringList &commands)
{
    return PipelineStep{id, title, commands};
}

QStringList sshSetup(const PipelineSpec &s)
{
    return {QStringLiteral("install -m 700 -d ~/.ssh"),
            QStringLiteral("printf '%s\\n' \"$%1\" > ~/.ssh/id_deploy").arg(s.sshKeySecret),
            QStringLiteral("chmod 600 ~/.ssh/id_deploy"),
            QStringLiteral("printf '%s\\n' \"$%1\" > ~/.ssh/known_hosts").arg(s.knownHostsSecret)};
}

} // namespace

QList<PipelineJob> PipelineModel::jobs(const PipelineSpec &s, const QString &dbHost)
{
    QList<PipelineJob> out;

    PipelineJob test;
    test.id = QStringLiteral("test");
    test.image = QStringLiteral("node:%1").arg(s.nodeVersion);
    test.postgres = !s.postgresImage.isEmpty();
    if (test.postgres) {
        // The service trusts connections: a throwaway database on the job's own network,
        // so there is no password to keep secret.
        test.env.insert(QStringLiteral("PGHOST"), dbHost);
        test.env.insert(QStringLiteral("PGPORT"), QStringLiteral("5432"));
        test.env.insert(QStringLiteral("PGUSER"), s.dbUser);
        test.env.insert(QStringLiteral("PGDATABASE"), s.dbName);
        test.env.insert(QStringLiteral("DATABASE_URL"),
                        QStringLiteral("postgres://%1@%2:5432/%3").arg(s.dbUser, dbHost, s.dbName));
    }
    if (test.postgres)
        // Node.js itself, so no PostgreSQL client is needed in the image: up to a minute for
        // the service to accept connections.
        test.steps << step(
            QStringLiteral("wait-db"), QStringLiteral("Wait for PostgreSQL"),
            {QStringLiteral("node -e \"\n"
                            "  const net = require('net');\n"
                            "  const end = Date.now() + 60000;\n"
                            "  (function attempt() {\n"
                            "    net.connect(process.env.PGPORT, process.env.PGHOST)\n"
                            "      .on('connect', () => process.exit(0))\n"
                            "      .on('error', () => Date.now() > end\n"
                            "        ? process.exit(1) : setTimeout(attempt, 1000));\n"
                            "  })();\n"
                            "\"")});
    test.steps << step(QStringLiteral("install"), QStringLiteral("Install dependencies"),
                       {s.installCommand})
               << step(QStringLiteral("test"), QStringLiteral("Run the tests"), {s.testCommand});
    out << test;

    PipelineJob build;
    build.id = QStringLiteral("build");
    build.image = QStringLiteral("docker:24");
    build.needs = {test.id};
    build.onBranchOnly = true;
    build.docker = true;
    build.env.insert(QStringLiteral("IMAGE"), s.image);
    build.env.insert(QStringLiteral("REGISTRY"), s.registry);
    build.secrets = {s.registryUserSecret, s.registryPasswordSecret};
    build.steps
        << step(QStringLiteral("login"), QStringLiteral("Log in to the registry"),
                {QStringLiteral("printf '%s' \"$%1\" | docker login \"$REGISTRY\" -u \"$%2\" "
                                "--password-stdin")
                     .arg(s.registryPasswordSecret, s.registryUserSecret)})
        << step(QStringLiteral("build"), QStringLiteral("Build the image"),
                {QStringLiteral("docker build -t \"$IMAGE:$IMAGE_TAG\" -t \"$IMAGE:latest\" .")})
        << step(QStringLiteral("push"), QStringLiteral("Push the image"),
                {QStringLiteral("docker push \"$IMAGE:$IMAGE_TAG\""),
                 QStringLiteral("docker push \"$IMAGE:latest\"")});
    out << build;

    if (s.deploy == PipelineSpec::Deploy::None)
        return out;
    PipelineJob deploy;
    deploy.id = QStringLiteral("deploy");
    deploy.needs = {build.id};
    deploy.onBranchOnly = true;
    deploy.secrets = {s.sshKeySecret, s.knownHostsSecret};
    deploy.env.insert(QStringLiteral("DEPLOY_HOST"), s.deployHost);
    deploy.env.insert(QStringLiteral("DEPLOY_DIR"), s.deployDir);
    QStringList commands = sshSetup(s);
    if (s.deploy == PipelineSpec::Deploy::Ssh) {
        deploy.image = QStringLiteral("alpine:3.19");
        commands.prepend(
            QStringLiteral("command -v ssh >/dev/null || apk add --no-cache openssh-client"));
        // The tag is expanded here, so the host pulls exactly the image this run built.
        commands << QStringLiteral("ssh -i ~/.ssh/id_deploy \"$DEPLOY_HOST\" \\\n"
                                   "  \"cd $DEPLOY_DIR && export IMAGE_TAG=$IMAGE_TAG \\\n"
                                   "  && docker compose pull && docker compose up -d\"");
    } else {
        deploy.image = QStringLiteral("docker:24");
        deploy.docker = true;
        commands << QStringLiteral(
                        "printf 'Host *\\n  IdentityFile ~/.ssh/id_deploy\\n' >> ~/.ssh/config")
                 << QStringLiteral(
                        "docker context create deploy --docker \"host=ssh://$DEPLOY_HOST\"")
                 << QStringLiteral("docker --context deploy compose -f docker-compose.yml pull")
                 << QStringLiteral("docker --context deploy compose -f docker-compose.yml up -d");
    }
    deploy.steps << step(QStringLiteral("deploy"), QStringLiteral("Deploy to %1").arg(s.deployHost),
                         commands);
    out << deploy;
    return out;
}

} // namespace pgdeck
