// pgdeckctl docker up|down|restart|build|pull|logs|ps|pgpass: Compose's actions as plans on
// the project directory, the project's containers from the Engine API, and the PostgreSQL
// services' passwords for libpq.
#include "ctlcommand.h"
#include "texttable.h"

#include "common/pgpassfile.h"
#include "docker/composeplanner.h"
#include "docker/composetool.h"
#include "docker/dockerengine.h"
#include "inventory/inventoryloader.h"
#include "plan/plan.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace pgdeck {

namespace {

QString portsText(const QList<DockerPort> &ports)
{
    QStringList out;
    for (const DockerPort &p : ports)
        out << (p.publicPort ? QStringLiteral("%1:%2->%3/%4")
                                   .arg(p.ip.isEmpty() ? QStringLiteral("*") : p.ip)
                                   .arg(p.publicPort)
                                   .arg(p.privatePort)
                                   .arg(p.type)
                             : QStringLiteral("%1/%2").arg(p.privatePort).arg(p.type));
    out.removeDuplicates(); // the engine lists IPv4 and IPv6 bindings apart
    return out.join(QStringLiteral(", "));
}

} // namespace

bool CtlCommand::dockerComposeProject(ComposeProject *project, ComposeFile *file)
{
    QString version, error;
    project->compose = ComposeTool::detect(&version, &error);
    if (project->compose.isEmpty()) {
        m_err << "pgdeckctl: " << error << "\n";
        return false;
    }
    project->dir = dockerProjectDir();
    project->name = dockerProjectName();
    if (project->name != ComposeProject::normalizedName(project->name)) {
        usage(QStringLiteral("--project \"%1\": use lowercase letters, digits, '-' and '_'")
                  .arg(project->name));
        return false;
    }
    if (!QFileInfo::exists(project->composeFile())) {
        m_err << "pgdeckctl: no compose file in " << project->dir
              << " (pgdeckctl docker init --write makes one)\n";
        return false;
    }
    if (!file)
        return true;
    QByteArray yaml;
    if (!ComposeTool::config(project->command({}), project->dir, &yaml, &error) ||
        !ComposeFile::parse(yaml, file, &error)) {
        m_err << "pgdeckctl: " << project->composeFile() << " is refused by "
              << project->compose.join(QLatin1Char(' ')) << ":\n"
              << error << "\n";
        return false;
    }
    return true;
}

int CtlCommand::dockerAction(const QString &action, const QStringList &services)
{
    ComposeProject project;
    ComposeFile file;
    if (!dockerComposeProject(&project, &file))
        return 1;
    for (const QString &s : services)
        if (!file.service(s))
            return usage(
                QStringLiteral("no service \"%1\" in %2 (it has: %3)")
                    .arg(s, project.composeFile(), file.serviceNames().join(QStringLiteral(", "))));
    if ((action == QLatin1String("up") || action == QLatin1String("down")) && !services.isEmpty())
        return usage(
            QStringLiteral("docker %1 acts on the whole project: no service names").arg(action));
    if (action != QLatin1String("down") && m_parser.isSet(QStringLiteral("volumes")))
        return usage(QStringLiteral("--volumes only goes with docker down"));

    m_liveOutput = true;
    if (action == QLatin1String("logs")) {
        bool ok = true;
        const int tail = m_parser.isSet(QStringLiteral("tail"))
                             ? m_parser.value(QStringLiteral("tail")).toInt(&ok)
                             : 100;
        if (!ok || tail < 0)
            return usage(QStringLiteral("--tail takes a number of lines"));
        return runPlan(composeplans::logs(project, services, tail)); // only reads
    }
    Plan plan;
    if (action == QLatin1String("up"))
        plan = composeplans::up(project, file);
    else if (action == QLatin1String("down"))
        plan = composeplans::down(project, m_parser.isSet(QStringLiteral("volumes")));
    else if (action == QLatin1String("restart"))
        plan = composeplans::restart(project, file, services);
    else if (action == QLatin1String("build"))
        plan = composeplans::build(project, services);
    else
        plan = composeplans::pull(project, services);

    const QString inventoryPath = m_parser.value(QStringLiteral("inventory"));
    if (action == QLatin1String("up") && !inventoryPath.isEmpty()) {
        const ClusterSpec cluster = composeInventoryCluster(project, file);
        if (cluster.nodes.isEmpty()) {
            m_err << "pgdeckctl: no PostgreSQL service of " << project.name
                  << " publishes port 5432: nothing to add to " << inventoryPath << "\n";
            return 1;
        }
        Inventory inv;
        if (!inventoryToExtend(inventoryPath, &inv))
            return 1;
        // Running up again is safe: the project's cluster is replaced, not added twice.
        inv.clusters.removeIf([&](const ClusterSpec &c) { return c.name == cluster.name; });
        inv.clusters << cluster;
        // The passwords stay in .env: a step of pgdeckctl reads them when it runs, so the
        // plan (journal, runbook) never holds one.
        plan.add(steps::command(QStringLiteral("pgpass"),
                                QStringLiteral("Add the PostgreSQL services' passwords to %1")
                                    .arg(PgPassFile::defaultPath()),
                                HostTarget{},
                                {QCoreApplication::applicationFilePath(), QStringLiteral("docker"),
                                 QStringLiteral("pgpass"), QStringLiteral("--dir"), project.dir,
                                 QStringLiteral("--project"), project.name}));
        return applyWithInventory(
            plan, inv, inventoryPath,
            QStringLiteral("Add cluster %1 to %2").arg(cluster.name, inventoryPath));
    }
    return printOrRun(plan);
}

int CtlCommand::dockerPgPass()
{
    ComposeProject project;
    ComposeFile file;
    if (!dockerComposeProject(&project, &file))
        return 1;
    const QList<PgPassEntry> entries = composePgPassEntries(project, file);
    if (entries.isEmpty()) {
        m_err << "pgdeckctl: no PostgreSQL service of " << project.name
              << " publishes port 5432 with a POSTGRES_PASSWORD\n";
        return 1;
    }
    QString error;
    const QString path = PgPassFile::defaultPath();
    if (!PgPassFile::upsert(path, entries, &error)) {
        m_err << "pgdeckctl: " << error << "\n";
        return 1;
    }
    for (const PgPassEntry &e : entries)
        m_out << path << ": " << e.host << ":" << e.port << ":" << e.database << ":" << e.user
              << ":********\n";
    return 0;
}

int CtlCommand::dockerPs()
{
    DockerEngine engine;
    QEventLoop loop;
    DockerResult result;
    QList<DockerContainer> containers;
    connect(&engine, &DockerEngine::containersListed, &loop,
            [&](int, const DockerResult &r, const QList<DockerContainer> &list) {
                result = r;
                containers = list;
                loop.quit();
            });
    const QString name = dockerProjectName();
    engine.listContainers(name);
    loop.exec();
    if (!result.ok) {
        m_err << "pgdeckctl: Docker engine at " << engine.endpoint().toString() << ": "
              << result.message << "\n";
        return 1;
    }
    std::sort(containers.begin(), containers.end(), [](const auto &a, const auto &b) {
        return a.composeService < b.composeService ||
               (a.composeService == b.composeService && a.name < b.name);
    });
    if (m_parser.isSet(QStringLiteral("json"))) {
        QJsonArray out;
        for (const DockerContainer &c : containers) {
            QJsonArray ports;
            for (const DockerPort &p : c.ports)
                ports << QJsonObject{{QStringLiteral("ip"), p.ip},
                                     {QStringLiteral("private"), p.privatePort},
                                     {QStringLiteral("public"), p.publicPort},
                                     {QStringLiteral("type"), p.type}};
            out << QJsonObject{{QStringLiteral("service"), c.composeService},
                               {QStringLiteral("name"), c.name},
                               {QStringLiteral("id"), c.id.left(12)},
                               {QStringLiteral("image"), c.image},
                               {QStringLiteral("state"), c.state},
                               {QStringLiteral("health"), c.health},
                               {QStringLiteral("status"), c.status},
                               {QStringLiteral("ports"), ports}};
        }
        m_out << QJsonDocument(out).toJson(QJsonDocument::Indented);
        return 0;
    }
    if (containers.isEmpty()) {
        m_out << "no containers of project " << name << "\n";
        return 0;
    }
    TextTable table({QStringLiteral("SERVICE"), QStringLiteral("CONTAINER"),
                     QStringLiteral("STATE"), QStringLiteral("HEALTH"), QStringLiteral("PORTS")},
                    {false, false, false, false, false});
    const auto colour = [](const QString &word) -> const char * {
        if (word == QLatin1String("running") || word == QLatin1String("healthy"))
            return "32";
        if (word == QLatin1String("starting") || word == QLatin1String("restarting"))
            return "33";
        return word.isEmpty() ? nullptr : "31";
    };
    for (const DockerContainer &c : containers)
        table.add({{c.composeService},
                   {c.name},
                   {c.state, colour(c.state)},
                   {c.health.isEmpty() ? QStringLiteral("-") : c.health, colour(c.health)},
                   {portsText(c.ports)}});
    m_out << table.render(isatty(fileno(stdout)));
    return 0;
}

} // namespace pgdeck
