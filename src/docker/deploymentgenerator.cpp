#include "deploymentgenerator.h"

#include <QRandomGenerator>

#include <yaml-cpp/yaml.h>

namespace pgdeck {

namespace {

std::string s(const QString &text)
{
    return text.toStdString();
}

// Ports are always quoted: YAML 1.1 readers (Compose v1) take 5432:5432 for a base-60 number.
std::string published(const Deployment &d, int hostPort, int containerPort)
{
    const QString bind = d.bindAddress();
    return s(bind.isEmpty()
                 ? QStringLiteral("%1:%2").arg(hostPort).arg(containerPort)
                 : QStringLiteral("%1:%2:%3").arg(bind).arg(hostPort).arg(containerPort));
}

QString randomSecret()
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    QString out;
    for (int i = 0; i < 24; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof alphabet) - 1)]);
    return out;
}

void pgHealthcheck(YAML::Emitter &out)
{
    // $$: Compose passes a literal $ to the container's shell. Over TCP, so the temporary
    // socket-only server of a first start's initdb does not count as healthy.
    out << YAML::Key << "healthcheck" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "test" << YAML::Value << YAML::Flow << YAML::BeginSeq << "CMD-SHELL"
        << "pg_isready -h 127.0.0.1 -U \"$${POSTGRES_USER}\" -d \"$${POSTGRES_DB}\""
        << YAML::EndSeq;
    out << YAML::Key << "interval" << YAML::Value << "5s";
    out << YAML::Key << "timeout" << YAML::Value << "5s";
    out << YAML::Key << "retries" << YAML::Value << 20;
    out << YAML::Key << "start_period" << YAML::Value << "10s";
    out << YAML::EndMap;
}

// replicaSlots: the primary of a replicated deployment creates these slots (its init script).
void dbEnvironment(YAML::Emitter &out, bool replicationRole, const QString &replicaSlots = {})
{
    out << YAML::Key << "environment" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "POSTGRES_USER" << YAML::Value << "${POSTGRES_USER}";
    out << YAML::Key << "POSTGRES_DB" << YAML::Value << "${POSTGRES_DB}";
    out << YAML::Key << "POSTGRES_PASSWORD" << YAML::Value
        << "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}";
    if (replicationRole) {
        out << YAML::Key << "REPLICATION_USER" << YAML::Value << "${REPLICATION_USER}";
        out << YAML::Key << "REPLICATION_PASSWORD" << YAML::Value
            << "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD in .env}";
    }
    if (!replicaSlots.isEmpty())
        out << YAML::Key << "REPLICA_SLOTS" << YAML::Value << s(replicaSlots);
    out << YAML::EndMap;
}

void dependsOnHealthy(YAML::Emitter &out, const QStringList &services)
{
    out << YAML::Key << "depends_on" << YAML::Value << YAML::BeginMap;
    for (const QString &service : services)
        out << YAML::Key << s(service) << YAML::Value << YAML::BeginMap << YAML::Key << "condition"
            << YAML::Value << "service_healthy" << YAML::EndMap;
    out << YAML::EndMap;
}

void volume(YAML::Emitter &out, const QString &name, const QString &mountPoint)
{
    out << YAML::Key << "volumes" << YAML::Value << YAML::BeginSeq
        << s(name + QLatin1Char(':') + mountPoint) << YAML::EndSeq;
}

// A replica clones the primary on its first start, then runs as a hot standby.
QString replicaScript(const Deployment &d, int index)
{
    return QStringLiteral(
               "set -e\n"
               "if [ ! -s \"$$PGDATA/PG_VERSION\" ]; then\n"
               "  until pg_basebackup -h %1 -U \"$$REPLICATION_USER\" -D \"$$PGDATA\" -R -X stream "
               "-S replica_%2; do\n"
               "    echo \"waiting for %1\"; sleep 2\n"
               "  done\n"
               "fi\n"
               "chmod 0700 \"$$PGDATA\"\n"
               "# images without a writable /var/run/postgresql keep the socket in /tmp\n"
               "[ -w /var/run/postgresql ] || set -- -c unix_socket_directories=/tmp\n"
               "exec postgres -c cluster_name=%3 \"$$@\"\n")
        .arg(d.primaryService())
        .arg(index)
        .arg(d.replicaService(index));
}

void primaryService(YAML::Emitter &out, const Deployment &d)
{
    const bool replicated = d.database == Deployment::Database::Replicated;
    out << YAML::Key << s(d.primaryService()) << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "image" << YAML::Value
        << s(d.database == Deployment::Database::Citus ? d.citusImage : d.postgresImage);
    out << YAML::Key << "restart" << YAML::Value << "unless-stopped";
    QStringList slots;
    for (int i = 1; replicated && i <= d.replicas; ++i)
        slots << QStringLiteral("replica_%1").arg(i);
    dbEnvironment(out, replicated, slots.join(QLatin1Char(' ')));
    if (replicated) {
        out << YAML::Key << "volumes" << YAML::Value << YAML::BeginSeq
            << s(d.primaryService() + QStringLiteral("-data:/var/lib/postgresql/data"))
            << "./initdb:/docker-entrypoint-initdb.d:ro" << YAML::EndSeq;
        out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap << YAML::Key
            << "io.pgdeck.role" << YAML::Value << "primary" << YAML::EndMap;
        out << YAML::Key << "command" << YAML::Value << YAML::Flow << YAML::BeginSeq << "postgres"
            << "-c"
            << "wal_level=replica"
            << "-c" << s(QStringLiteral("max_wal_senders=%1").arg(d.replicas + 5)) << "-c"
            << s(QStringLiteral("max_replication_slots=%1").arg(d.replicas + 5)) << YAML::EndSeq;
    } else {
        volume(out, d.primaryService() + QStringLiteral("-data"),
               QStringLiteral("/var/lib/postgresql/data"));
        out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap << YAML::Key
            << "io.pgdeck.role" << YAML::Value
            << (d.database == Deployment::Database::Citus ? "coordinator" : "primary")
            << YAML::EndMap;
    }
    out << YAML::Key << "ports" << YAML::Value << YAML::BeginSeq << YAML::DoubleQuoted
        << published(d, d.dbHostPort, 5432) << YAML::EndSeq;
    pgHealthcheck(out);
    out << YAML::EndMap;
}

} // namespace

QString Deployment::primaryService() const
{
    switch (database) {
    case Database::Single:
        return QStringLiteral("db");
    case Database::Replicated:
        return QStringLiteral("db-primary");
    case Database::Citus:
        return QStringLiteral("coordinator");
    }
    return {};
}

QString Deployment::replicaService(int index) const
{
    return QStringLiteral("db-replica-%1").arg(index);
}

QString Deployment::workerService(int index) const
{
    return QStringLiteral("worker-%1").arg(index);
}

QList<GeneratedFile> DeploymentGenerator::files(const Deployment &d)
{
    QList<GeneratedFile> out;
    if (d.app != Deployment::App::None) {
        out << GeneratedFile{QStringLiteral("Dockerfile"), dockerfile(d)};
        out << GeneratedFile{QStringLiteral(".dockerignore"), dockerignore(d)};
    }
    out << GeneratedFile{QStringLiteral("docker-compose.yml"), compose(d)};
    out << GeneratedFile{QStringLiteral(".env"), envFile(d), 0600, true};
    if (d.database == Deployment::Database::Replicated)
        out << GeneratedFile{QStringLiteral("initdb/10-replication.sh"), replicationInitScript(),
                             0755};
    return out;
}

QString DeploymentGenerator::dockerfile(const Deployment &d)
{
    const QString health = QStringLiteral("http://127.0.0.1:%1%2").arg(d.appPort).arg(d.healthPath);
    switch (d.app) {
    case Deployment::App::Node:
        // Dependencies in their own layer from the lockfile; the runtime has no dev tools.
        // npm makes no node_modules for an app without dependencies: mkdir keeps COPY valid.
        return QStringLiteral(
                   "# syntax=docker/dockerfile:1\n"
                   "# generated by pgdeck\n"
                   "FROM %1 AS deps\n"
                   "WORKDIR /usr/src/app\n"
                   "COPY package.json package-lock.json ./\n"
                   "RUN npm ci --omit=dev && mkdir -p node_modules && npm cache clean --force\n\n"
                   "FROM %1\n"
                   "ENV NODE_ENV=production\n"
                   "WORKDIR /usr/src/app\n"
                   "COPY --from=deps --chown=node:node /usr/src/app/node_modules ./node_modules\n"
                   "COPY --chown=node:node . .\n"
                   "USER node\n"
                   "EXPOSE %2\n"
                   "HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \\\n"
                   "  CMD node -e \"require('http').get('%3', r => process.exit(r.statusCode < 400 "
                   "? "
                   "0 : 1)).on('error', () => process.exit(1))\"\n"
                   "CMD [\"node\", \"%4\"]\n")
            .arg(d.nodeImage)
            .arg(d.appPort)
            .arg(health, d.entry);
    case Deployment::App::Python:
        return QStringLiteral(
                   "# syntax=docker/dockerfile:1\n"
                   "# generated by pgdeck\n"
                   "FROM %1\n"
                   "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n"
                   "WORKDIR /app\n"
                   "COPY requirements.txt ./\n"
                   "RUN pip install --no-cache-dir -r requirements.txt\n"
                   "COPY . .\n"
                   "RUN useradd --system --uid 10001 --no-create-home app\n"
                   "USER app\n"
                   "EXPOSE %2\n"
                   "HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \\\n"
                   "  CMD python -c \"import urllib.request; urllib.request.urlopen('%3', "
                   "timeout=2)\"\n"
                   "CMD [\"python\", \"-m\", \"%4\"]\n")
            .arg(d.pythonImage)
            .arg(d.appPort)
            .arg(health, d.entry);
    case Deployment::App::Binary:
        return QStringLiteral("# syntax=docker/dockerfile:1\n"
                              "# generated by pgdeck\n"
                              "FROM %1\n"
                              "COPY %2 /usr/local/bin/app\n"
                              "USER 10001:10001\n"
                              "EXPOSE %3\n"
                              "CMD [\"/usr/local/bin/app\"]\n")
            .arg(d.binaryImage, d.entry)
            .arg(d.appPort);
    case Deployment::App::None:
        break;
    }
    return {};
}

QString DeploymentGenerator::dockerignore(const Deployment &d)
{
    QString out = QStringLiteral("# generated by pgdeck: what the image never needs\n"
                                 ".git\n.env\n*.env\ndocker-compose*.yml\nDockerfile\n"
                                 ".dockerignore\ninitdb/\n");
    if (d.app == Deployment::App::Node)
        out += QStringLiteral("node_modules\nnpm-debug.log*\ncoverage/\n");
    else if (d.app == Deployment::App::Python)
        out += QStringLiteral("__pycache__/\n*.pyc\n.venv/\n");
    return out;
}

QString DeploymentGenerator::envFile(const Deployment &d)
{
    QString out =
        QStringLiteral("# generated by pgdeck: the secrets docker-compose.yml refers to.\n"
                       "# Keep this file out of version control.\n"
                       "COMPOSE_PROJECT_NAME=%1\n"
                       "POSTGRES_USER=%2\n"
                       "POSTGRES_DB=%3\n"
                       "POSTGRES_PASSWORD=%4\n")
            .arg(d.project, d.dbUser, d.dbName, randomSecret());
    if (d.database == Deployment::Database::Replicated)
        out += QStringLiteral("REPLICATION_USER=replicator\nREPLICATION_PASSWORD=%1\n")
                   .arg(randomSecret());
    return out;
}

QString DeploymentGenerator::replicationInitScript()
{
    // Variables reach psql as psql variables, so no password can break the SQL.
    return QStringLiteral(
        "#!/bin/sh\n"
        "# generated by pgdeck: runs once, when the primary's data directory is created.\n"
        "set -e\n"
        "psql -v ON_ERROR_STOP=1 --username \"$POSTGRES_USER\" --dbname \"$POSTGRES_DB\" \\\n"
        "  -v role=\"$REPLICATION_USER\" -v password=\"$REPLICATION_PASSWORD\" <<'SQL'\n"
        "CREATE ROLE :\"role\" WITH REPLICATION LOGIN PASSWORD :'password';\n"
        "SQL\n"
        "for slot in $REPLICA_SLOTS; do\n"
        "  psql -v ON_ERROR_STOP=1 --username \"$POSTGRES_USER\" --dbname \"$POSTGRES_DB\" \\\n"
        "    -c \"select pg_create_physical_replication_slot('$slot')\"\n"
        "done\n"
        "echo \"host replication $REPLICATION_USER all scram-sha-256\" >> "
        "\"$PGDATA/pg_hba.conf\"\n");
}

QString DeploymentGenerator::compose(const Deployment &d)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "services" << YAML::Value << YAML::BeginMap;

    primaryService(out, d);
    const QString primary = d.primaryService();
    QStringList databases{primary};
    if (d.database == Deployment::Database::Replicated) {
        for (int i = 1; i <= d.replicas; ++i) {
            out << YAML::Key << s(d.replicaService(i)) << YAML::Value << YAML::BeginMap;
            out << YAML::Key << "image" << YAML::Value << s(d.postgresImage);
            out << YAML::Key << "restart" << YAML::Value << "unless-stopped";
            out << YAML::Key << "user" << YAML::Value << "postgres";
            out << YAML::Key << "environment" << YAML::Value << YAML::BeginMap;
            out << YAML::Key << "PGDATA" << YAML::Value << "/var/lib/postgresql/data";
            out << YAML::Key << "POSTGRES_USER" << YAML::Value << "${POSTGRES_USER}";
            out << YAML::Key << "POSTGRES_DB" << YAML::Value << "${POSTGRES_DB}";
            out << YAML::Key << "REPLICATION_USER" << YAML::Value << "${REPLICATION_USER}";
            out << YAML::Key << "PGPASSWORD" << YAML::Value
                << "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD in .env}";
            out << YAML::EndMap;
            out << YAML::Key << "entrypoint" << YAML::Value << YAML::Flow << YAML::BeginSeq
                << "/bin/sh"
                << "-c" << YAML::EndSeq;
            // A list: a string command would be split into words by Compose.
            out << YAML::Key << "command" << YAML::Value << YAML::BeginSeq << YAML::Literal
                << s(replicaScript(d, i)) << YAML::EndSeq;
            volume(out, d.replicaService(i) + QStringLiteral("-data"),
                   QStringLiteral("/var/lib/postgresql/data"));
            out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap << YAML::Key
                << "io.pgdeck.role" << YAML::Value << "standby" << YAML::Key << "io.pgdeck.upstream"
                << YAML::Value << s(primary) << YAML::EndMap;
            out << YAML::Key << "ports" << YAML::Value << YAML::BeginSeq << YAML::DoubleQuoted
                << published(d, d.dbHostPort + i, 5432) << YAML::EndSeq;
            dependsOnHealthy(out, {primary});
            pgHealthcheck(out);
            out << YAML::EndMap;
            databases << d.replicaService(i);
        }
    }
    if (d.database == Deployment::Database::Citus) {
        QStringList register_{primary};
        for (int i = 1; i <= d.citusWorkers; ++i) {
            out << YAML::Key << s(d.workerService(i)) << YAML::Value << YAML::BeginMap;
            out << YAML::Key << "image" << YAML::Value << s(d.citusImage);
            out << YAML::Key << "restart" << YAML::Value << "unless-stopped";
            dbEnvironment(out, false);
            volume(out, d.workerService(i) + QStringLiteral("-data"),
                   QStringLiteral("/var/lib/postgresql/data"));
            out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap << YAML::Key
                << "io.pgdeck.role" << YAML::Value << "worker" << YAML::EndMap;
            pgHealthcheck(out);
            out << YAML::EndMap;
            register_ << d.workerService(i);
        }
        // Once every node is healthy, the coordinator learns its workers (idempotent).
        QString sql = QStringLiteral("psql -v ON_ERROR_STOP=1 -h %1 -c \"select "
                                     "citus_set_coordinator_host('%1', 5432)\"")
                          .arg(primary);
        for (int i = 1; i <= d.citusWorkers; ++i)
            sql +=
                QStringLiteral(" -c \"select citus_add_node('%1', 5432)\"").arg(d.workerService(i));
        out << YAML::Key << "citus-register" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "image" << YAML::Value << s(d.citusImage);
        out << YAML::Key << "restart" << YAML::Value << "on-failure";
        out << YAML::Key << "environment" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "PGUSER" << YAML::Value << "${POSTGRES_USER}";
        out << YAML::Key << "PGDATABASE" << YAML::Value << "${POSTGRES_DB}";
        out << YAML::Key << "PGPASSWORD" << YAML::Value << "${POSTGRES_PASSWORD}";
        out << YAML::EndMap;
        out << YAML::Key << "entrypoint" << YAML::Value << YAML::Flow << YAML::BeginSeq << "/bin/sh"
            << "-c" << YAML::EndSeq;
        out << YAML::Key << "command" << YAML::Value << YAML::BeginSeq << YAML::DoubleQuoted
            << s(sql) << YAML::EndSeq;
        dependsOnHealthy(out, register_);
        out << YAML::EndMap;
    }

    if (d.app != Deployment::App::None) {
        out << YAML::Key << s(d.appService) << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "build" << YAML::Value << ".";
        out << YAML::Key << "restart" << YAML::Value << "unless-stopped";
        out << YAML::Key << "environment" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "DATABASE_URL" << YAML::Value
            << s(QStringLiteral("postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@%1:5432/"
                                "${POSTGRES_DB}")
                     .arg(primary));
        out << YAML::Key << "PGHOST" << YAML::Value << s(primary);
        out << YAML::Key << "PORT" << YAML::Value << YAML::DoubleQuoted
            << s(QString::number(d.appPort));
        out << YAML::EndMap;
        out << YAML::Key << "ports" << YAML::Value << YAML::BeginSeq << YAML::DoubleQuoted
            << published(d, d.appHostPort, d.appPort) << YAML::EndSeq;
        dependsOnHealthy(out, {primary});
        out << YAML::EndMap;
    }
    out << YAML::EndMap; // services

    out << YAML::Key << "volumes" << YAML::Value << YAML::BeginMap;
    for (const QString &db : databases)
        out << YAML::Key << s(db + QStringLiteral("-data")) << YAML::Value << YAML::Null;
    for (int i = 1; d.database == Deployment::Database::Citus && i <= d.citusWorkers; ++i)
        out << YAML::Key << s(d.workerService(i) + QStringLiteral("-data")) << YAML::Value
            << YAML::Null;
    out << YAML::EndMap;
    out << YAML::EndMap;
    return QStringLiteral("# generated by pgdeck for %1: secrets come from .env beside this "
                          "file, never from here\n")
               .arg(d.project) +
           QString::fromUtf8(out.c_str()) + QLatin1Char('\n');
}

} // namespace pgdeck
