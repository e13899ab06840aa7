// pgdeckctl replica add: a streaming replica of a primary, on this machine or over ssh,
// with the primary checked (and fixed as Plan steps) first.
#include "ctlcommand.h"

#include "inventory/inventory.h"
#include "inventory/inventoryloader.h"
#include "inventory/inventorywriter.h"
#include "pg/connectionparams.h"
#include "pg/pgconnection.h"
#include "plan/plan.h"
#include "replication/basebackupwatcher.h"
#include "replication/promoteplanner.h"
#include "replication/replicaplanner.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxconfig.h"

#include <QElapsedTimer>
#include <QFileInfo>

namespace pgdeck {

namespace {

// The cluster --cluster names (else the first with nodes) that holds `node`, if one is given.
ClusterSpec *pickCluster(Inventory *inv, const QString &wanted, const QString &node)
{
    for (ClusterSpec &c : inv->clusters)
        if ((wanted.isEmpty() ? !c.nodes.isEmpty() : c.name == wanted) &&
            (node.isEmpty() || c.node(node)))
            return &c;
    return nullptr;
}

} // namespace

bool CtlCommand::loadInventory(SandboxShape defaultShape, Inventory *inventory, QString *path)
{
    *path = m_parser.value(QStringLiteral("inventory"));
    if (path->isEmpty()) {
        SandboxConfig c;
        QString error;
        const QString dir = m_parser.value(QStringLiteral("dir")).isEmpty()
                                ? Sandbox::defaultDir(defaultShape)
                                : m_parser.value(QStringLiteral("dir"));
        if (!Sandbox::loadConfig(dir, &c, &error)) {
            usage(QStringLiteral("no --inventory given and %1").arg(error));
            return false;
        }
        *path = c.inventoryPath();
    }
    QList<InventoryError> errors;
    if (!InventoryLoader::load(*path, inventory, &errors)) {
        for (const InventoryError &e : errors)
            m_err << e.toString() << "\n";
        m_err.flush();
        return false;
    }
    return true;
}

int CtlCommand::replica(const QStringList &args)
{
    if (args.value(0) != QLatin1String("add") || args.size() != 1)
        return usage(QStringLiteral("replica takes one action: add"));
    Inventory inv;
    QString inventoryPath;
    if (!loadInventory(SandboxShape::Replicated, &inv, &inventoryPath))
        return 2;
    const QString wanted = m_parser.value(QStringLiteral("cluster"));
    ClusterSpec *found = pickCluster(&inv, wanted, {});
    if (!found)
        return usage(QStringLiteral("cluster %1 is not in %2").arg(wanted, inventoryPath));
    ClusterSpec &cluster = *found;

    ReplicaSpec spec;
    spec.primary = m_parser.value(QStringLiteral("primary"));
    for (const NodeSpec &n : cluster.nodes)
        if (spec.primary.isEmpty() && n.role == QLatin1String("primary"))
            spec.primary = n.name;
    spec.name = m_parser.value(QStringLiteral("name"));
    spec.host = HostTarget{m_parser.value(QStringLiteral("host")),
                           m_parser.value(QStringLiteral("run-as"))};
    spec.address = m_parser.value(QStringLiteral("address"));
    if (spec.address.isEmpty() && spec.host.isLocal())
        spec.address = QStringLiteral("127.0.0.1");
    spec.dataDir = m_parser.value(QStringLiteral("data-dir"));
    spec.port = m_parser.value(QStringLiteral("port")).toInt();
    spec.slot = m_parser.value(QStringLiteral("slot"));
    spec.replicationUser = m_parser.value(QStringLiteral("replication-user"));
    spec.passwordSecret = m_parser.value(QStringLiteral("password-secret"));
    spec.binDir = m_parser.value(QStringLiteral("bin-dir"));
    QString error;
    if (spec.binDir.isEmpty() && spec.host.isLocal())
        spec.binDir = Sandbox::findBinDir(&error);
    spec.allowRestart = m_parser.isSet(QStringLiteral("allow-restart"));
    const QStringList invalid = validateReplicaSpec(spec, cluster);
    if (!invalid.isEmpty()) {
        for (const QString &e : invalid)
            m_err << "error: " << e << "\n";
        m_err << "pgdeckctl: nothing changed\n";
        m_err.flush();
        return 2;
    }
    if (!spec.passwordSecret.isEmpty() &&
        qEnvironmentVariableIsEmpty(
            qPrintable(QStringLiteral("PGDECK_SECRET_") + spec.passwordSecret))) {
        m_err << "pgdeckctl: the replication password is read from PGDECK_SECRET_"
              << spec.passwordSecret << ", which is not set; nothing changed\n";
        m_err.flush();
        return 2;
    }

    const NodeSpec &primaryNode = *cluster.node(spec.primary);
    PgConnection primary;
    primary.setParams(ConnectionParams::fromNode(primaryNode));
    if (!primary.waitForReady(10000)) {
        m_err << "pgdeckctl: primary " << spec.primary
              << " not reachable: " << primary.lastError().trimmed() << "; nothing changed\n";
        m_err.flush();
        return 1;
    }
    const PrimaryReadiness readiness = checkPrimary(primary, spec, primaryNode.host);
    if (!readiness.error.isEmpty()) {
        m_err << "pgdeckctl: could not check " << spec.primary << ": " << readiness.error << "\n";
        m_err.flush();
        return 1;
    }
    m_out << "primary " << spec.primary << ":\n";
    for (const PrimaryFinding &f : readiness.findings) {
        const char *mark = f.severity == PrimaryFinding::Severity::Ok        ? "ok     "
                           : f.severity == PrimaryFinding::Severity::Warning ? "warning"
                                                                             : "fix    ";
        m_out << "  " << mark << " " << f.setting << ": " << f.message
              << (f.needsRestart && f.severity != PrimaryFinding::Severity::Ok
                      ? " (needs a restart)"
                      : "")
              << "\n";
    }
    const QStringList refusals = readiness.refusals(spec.allowRestart);
    if (!refusals.isEmpty()) {
        m_out.flush();
        for (const QString &r : refusals)
            m_err << "error: " << r << "\n";
        m_err << "pgdeckctl: nothing changed\n";
        m_err.flush();
        return 1;
    }

    Plan plan = addReplicaPlan(spec, cluster, readiness);
    // The new node joins the inventory as the run's last step.
    cluster.nodes << replicaNode(spec, primaryNode);
    plan.add(steps::writeFile(QStringLiteral("inventory"),
                              QStringLiteral("Add %1 to %2").arg(spec.name, inventoryPath),
                              HostTarget{}, QFileInfo(inventoryPath).absoluteFilePath(),
                              QString::fromUtf8(InventoryWriter::toYaml(inv)), 0644));
    if (!m_parser.isSet(QStringLiteral("apply")))
        return printPlan(plan);
    m_out.flush();
    // pg_basebackup's progress as the primary sees it, a line every few seconds.
    BasebackupWatcher watcher(ConnectionParams::fromNode(primaryNode), spec.name);
    QElapsedTimer lastLine;
    connect(&watcher, &BasebackupWatcher::progress, this, [&](const BasebackupProgress &p) {
        if (lastLine.isValid() && lastLine.elapsed() < 3000)
            return;
        lastLine.start();
        m_out << "\n      " << BasebackupWatcher::describe(p) << " ";
        m_out.flush();
    });
    watcher.start(1000);
    return runPlan(plan);
}

} // namespace pgdeck

namespace pgdeck {

int CtlCommand::promote(const QString &candidate)
{
    Inventory inv;
    QString inventoryPath;
    if (!loadInventory(SandboxShape::Replicated, &inv, &inventoryPath))
        return 2;
    ClusterSpec *found = pickCluster(&inv, m_parser.value(QStringLiteral("cluster")), candidate);
    if (!found)
        return usage(QStringLiteral("no node %1 in %2").arg(candidate, inventoryPath));
    ClusterSpec &cluster = *found;
    PromoteSpec spec;
    spec.candidate = candidate;
    spec.runAs = m_parser.value(QStringLiteral("run-as"));
    spec.binDir = m_parser.value(QStringLiteral("bin-dir"));
    QString error;
    if (spec.binDir.isEmpty())
        spec.binDir = Sandbox::findBinDir(&error);
    spec.rewindOldPrimary = !m_parser.isSet(QStringLiteral("no-rewind"));
    const PromoteReview review = reviewPromote(cluster, spec);
    if (!review.ok()) {
        for (const QString &e : review.errors)
            m_err << "error: " << e << "\n";
        m_err << "pgdeckctl: nothing changed\n";
        m_err.flush();
        return 1;
    }
    m_out << (review.oldPrimaryUp ? "switchover" : "failover") << ": " << candidate
          << " takes over from " << review.oldPrimary;
    if (review.candidateLagBytes >= 0)
        m_out << " (" << review.candidateLagBytes << " bytes behind)";
    m_out << "\n";
    for (const QString &w : review.warnings)
        m_out << "warning: " << w << "\n";
    Plan plan = promotePlan(cluster, spec, review);
    cluster = promotedCluster(cluster, spec, review);
    return applyWithInventory(plan, inv, inventoryPath,
                              QStringLiteral("Record the new roles in %1").arg(inventoryPath));
}

bool CtlCommand::inventoryToExtend(const QString &path, Inventory *inv)
{
    if (!QFileInfo::exists(path))
        return true;
    QList<InventoryError> errors;
    if (InventoryLoader::load(path, inv, &errors))
        return true;
    for (const InventoryError &e : errors)
        m_err << e.toString() << "\n";
    m_err << "pgdeckctl: nothing changed\n";
    m_err.flush();
    return false;
}

int CtlCommand::printOrRun(const Plan &plan)
{
    if (!m_parser.isSet(QStringLiteral("apply")))
        return printPlan(plan);
    m_out.flush();
    return runPlan(plan);
}

int CtlCommand::applyWithInventory(Plan plan, const Inventory &inv, const QString &inventoryPath,
                                   const QString &title)
{
    plan.add(steps::writeFile(QStringLiteral("inventory"), title, HostTarget{},
                              QFileInfo(inventoryPath).absoluteFilePath(),
                              QString::fromUtf8(InventoryWriter::toYaml(inv)), 0644));
    return printOrRun(plan);
}

} // namespace pgdeck
