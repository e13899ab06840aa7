#include "composeplanner.h"

#include "common/pgpassfile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace pgdeck {

namespace {

const int commandTimeoutMs = 30 * 60 * 1000; // builds and pulls of large images

QStringList dockerPs(const ComposeProject &p, const QStringList &filters, const QString &format)
{
    QStringList argv{QStringLiteral("docker"), QStringLiteral("ps"), QStringLiteral("-a"),
                     QStringLiteral("--filter"),
                     QStringLiteral("label=com.docker.compose.project=") + p.name};
    for (const QString &f : filters)
        argv << QStringLiteral("--filter") << f;
    return argv << QStringLiteral("--format") << format;
}

PlanStep composeStep(const ComposeProject &p, const QString &id, const QString &title,
                     const QStringList &args)
{
    PlanStep s = steps::command(id, title, HostTarget{}, p.command(args));
    s.timeoutMs = commandTimeoutMs;
    return s;
}

Plan newPlan(const ComposeProject &p, const QString &action)
{
    return Plan(QStringLiteral("docker compose %1 of %2").arg(action, p.name), p.name);
}

PlanStep checkConfig(const ComposeProject &p)
{
    PlanStep s = steps::command(
        QStringLiteral("config"),
        QStringLiteral("Check %1 with Compose").arg(QFileInfo(p.composeFile()).fileName()),
        HostTarget{}, p.command({QStringLiteral("config"), QStringLiteral("-q")}));
    s.timeoutMs = 60000;
    return s;
}

void addWaits(Plan *plan, const ComposeProject &p, const ComposeFile &file, const QStringList &only)
{
    for (const ComposeService &s : file.startOrder())
        if (only.isEmpty() || only.contains(s.name))
            plan->add(composeplans::waitServiceUp(p, s));
}

// build and pull: the file checked first, then the one Compose command.
Plan imagesPlan(const ComposeProject &p, const QString &verb, const QString &title,
                const QStringList &services)
{
    Plan plan = newPlan(p, verb);
    plan.add(checkConfig(p));
    plan.add(composeStep(p, verb, title, QStringList{verb} + services));
    return plan;
}

bool isPostgres(const ComposeService &s)
{
    return s.labels.contains(QStringLiteral("io.pgdeck.role")) ||
           s.image.startsWith(QLatin1String("postgres:")) || s.image == QLatin1String("postgres") ||
           s.image.startsWith(QLatin1String("citusdata/citus"));
}

QString reachableHost(const ComposePort &port)
{
    // 0.0.0.0 and :: mean every interface, loopback included.
    if (port.hostIp.isEmpty() || port.hostIp == QLatin1String("0.0.0.0") ||
        port.hostIp == QLatin1String("::"))
        return QStringLiteral("127.0.0.1");
    return port.hostIp;
}

} // namespace

QString ComposeProject::composeFile() const
{
    const QDir d(dir);
    for (const char *name :
         {"docker-compose.yml", "docker-compose.yaml", "compose.yaml", "compose.yml"})
        if (d.exists(QLatin1String(name)))
            return d.filePath(QLatin1String(name));
    return d.filePath(QStringLiteral("docker-compose.yml"));
}

QStringList ComposeProject::command(const QStringList &args) const
{
    return compose +
           QStringList{QStringLiteral("--project-directory"),
                       dir,
                       QStringLiteral("-f"),
                       composeFile(),
                       QStringLiteral("-p"),
                       name} +
           args;
}

QString ComposeProject::normalizedName(const QString &name)
{
    static const QRegularExpression invalid(QStringLiteral("[^a-z0-9_-]"));
    return name.toLower().remove(invalid);
}

namespace composeplans {

PlanStep waitServiceUp(const ComposeProject &p, const ComposeService &service, int timeoutMs)
{
    const bool health = service.reportsHealth();
    return steps::waitForCommand(
        QStringLiteral("wait-") + service.name,
        QStringLiteral("Wait until %1 is %2")
            .arg(service.name, health ? QStringLiteral("healthy") : QStringLiteral("running")),
        HostTarget{},
        dockerPs(p,
                 {QStringLiteral("label=com.docker.compose.service=") + service.name,
                  health ? QStringLiteral("health=healthy") : QStringLiteral("status=running")},
                 QStringLiteral("{{.Label \"com.docker.compose.service\"}}")),
        service.name, timeoutMs);
}

Plan up(const ComposeProject &p, const ComposeFile &file)
{
    Plan plan = newPlan(p, QStringLiteral("up"));
    plan.add(checkConfig(p));
    QStringList built;
    for (const ComposeService &s : file.services())
        if (s.builds())
            built << s.name;
    if (!built.isEmpty())
        plan.add(composeStep(p, QStringLiteral("build"),
                             QStringLiteral("Build %1").arg(built.join(QStringLiteral(", "))),
                             QStringList{QStringLiteral("build")} + built));
    plan.add(composeStep(
        p, QStringLiteral("up"), QStringLiteral("Start the services (up -d)"),
        {QStringLiteral("up"), QStringLiteral("-d"), QStringLiteral("--remove-orphans")}));
    addWaits(&plan, p, file, {});
    return plan;
}

Plan down(const ComposeProject &p, bool removeVolumes)
{
    Plan plan = newPlan(p, QStringLiteral("down"));
    QStringList args{QStringLiteral("down"), QStringLiteral("--remove-orphans")};
    if (removeVolumes)
        args << QStringLiteral("--volumes");
    plan.add(composeStep(
        p, QStringLiteral("down"),
        removeVolumes ? QStringLiteral("Stop and remove the containers and the volumes (data)")
                      : QStringLiteral("Stop and remove the containers (volumes kept)"),
        args));
    plan.add(steps::waitForCommand(
        QStringLiteral("gone"), QStringLiteral("Wait until no container of %1 is left").arg(p.name),
        HostTarget{}, dockerPs(p, {}, QStringLiteral("{{.Names}}")), QString(), 60000));
    return plan;
}

Plan restart(const ComposeProject &p, const ComposeFile &file, const QStringList &services)
{
    Plan plan = newPlan(p, QStringLiteral("restart"));
    plan.add(composeStep(p, QStringLiteral("restart"),
                         QStringLiteral("Restart %1")
                             .arg(services.isEmpty() ? QStringLiteral("every service")
                                                     : services.join(QStringLiteral(", "))),
                         QStringList{QStringLiteral("restart")} + services));
    addWaits(&plan, p, file, services);
    return plan;
}

Plan build(const ComposeProject &p, const QStringList &services)
{
    return imagesPlan(p, QStringLiteral("build"), QStringLiteral("Build the images"), services);
}

Plan pull(const ComposeProject &p, const QStringList &services)
{
    return imagesPlan(p, QStringLiteral("pull"), QStringLiteral("Pull the images"), services);
}

Plan logs(const ComposeProject &p, const QStringList &services, int tail)
{
    Plan plan = newPlan(p, QStringLiteral("logs"));
    plan.add(composeStep(p, QStringLiteral("logs"),
                         QStringLiteral("Show the last %1 log lines").arg(tail),
                         QStringList{QStringLiteral("logs"), QStringLiteral("--no-color"),
                                     QStringLiteral("--tail=%1").arg(tail)} +
                             services));
    return plan;
}

} // namespace composeplans

ClusterSpec composeInventoryCluster(const ComposeProject &p, const ComposeFile &file)
{
    ClusterSpec cluster;
    cluster.name = p.name;
    for (const ComposeService &s : file.services()) {
        if (!isPostgres(s))
            continue;
        for (const ComposePort &port : s.ports) {
            if (port.containerPort != 5432 || port.hostPort <= 0)
                continue;
            NodeSpec node;
            node.name = s.name;
            node.host = reachableHost(port);
            node.port = port.hostPort;
            node.user =
                s.environment.value(QStringLiteral("POSTGRES_USER"), QStringLiteral("postgres"));
            node.dbname = s.environment.value(QStringLiteral("POSTGRES_DB"), node.user);
            node.role = s.labels.value(QStringLiteral("io.pgdeck.role"), QStringLiteral("primary"));
            node.upstream = s.labels.value(QStringLiteral("io.pgdeck.upstream"));
            cluster.nodes << node;
            break;
        }
    }
    return cluster;
}

QList<PgPassEntry> composePgPassEntries(const ComposeProject &p, const ComposeFile &file)
{
    const QString passwordKey = QStringLiteral("POSTGRES_PASSWORD");
    QList<PgPassEntry> entries;
    for (const NodeSpec &node : composeInventoryCluster(p, file).nodes) {
        // A standby's roles are its primary's: follow upstream until a password is found.
        const ComposeService *s = file.service(node.name);
        for (int hops = 0; s && !s->environment.contains(passwordKey) && hops < 8; ++hops)
            s = file.service(s->labels.value(QStringLiteral("io.pgdeck.upstream")));
        if (!s || !s->environment.contains(passwordKey))
            continue;
        entries << PgPassEntry{node.host, node.port, QStringLiteral("*"), node.user,
                               s->environment.value(passwordKey)};
    }
    return entries;
}

} // namespace pgdeck
