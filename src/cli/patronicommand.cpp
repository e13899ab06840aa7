// pgdeckctl patroni create|stop: a Patroni cluster built (or stopped) by a Plan.
#include "ctlcommand.h"

#include "inventory/inventory.h"
#include "inventory/inventoryloader.h"
#include "inventory/inventorywriter.h"
#include "patroni/patroniplanner.h"
#include "plan/plan.h"
#include "sandbox/sandbox.h"

#include <QFileInfo>

namespace pgdeck {

namespace {

// --member name=n1,address=127.0.0.1,port=5432,rest=8008,data=/srv/n1[,host=DEST][,raft=P]
bool parseMember(const QString &text, PatroniMemberSpec *m, QString *error)
{
    const QSet<QString> known{QStringLiteral("name"), QStringLiteral("address"),
                              QStringLiteral("port"), QStringLiteral("rest"),
                              QStringLiteral("data"), QStringLiteral("host"),
                              QStringLiteral("raft"), QStringLiteral("config")};
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString key = part.section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = part.section(QLatin1Char('='), 1).trimmed();
        if (!known.contains(key) || !part.contains(QLatin1Char('='))) {
            *error = QStringLiteral("--member \"%1\": unknown key \"%2\" (name, address, port, "
                                    "rest, data, host, raft, config)")
                         .arg(text, key);
            return false;
        }
        bool ok = true;
        if (key == QLatin1String("name"))
            m->name = value;
        else if (key == QLatin1String("address"))
            m->address = value;
        else if (key == QLatin1String("port"))
            m->pgPort = value.toInt(&ok);
        else if (key == QLatin1String("rest"))
            m->restPort = value.toInt(&ok);
        else if (key == QLatin1String("raft"))
            m->raftPort = value.toInt(&ok);
        else if (key == QLatin1String("data"))
            m->dataDir = value;
        else if (key == QLatin1String("config"))
            m->configDir = value;
        else
            m->host.ssh = value;
        if (!ok) {
            *error = QStringLiteral("--member \"%1\": %2 must be a number").arg(text, key);
            return false;
        }
    }
    if (m->address.isEmpty() && m->host.isLocal())
        m->address = QStringLiteral("127.0.0.1");
    return true;
}

} // namespace

bool CtlCommand::patroniSpec(PatroniClusterSpec *spec, bool creating)
{
    spec->scope = m_parser.value(QStringLiteral("cluster"));
    const QString runAs = m_parser.value(QStringLiteral("run-as"));
    for (const QString &text : m_parser.values(QStringLiteral("member"))) {
        PatroniMemberSpec m;
        m.host.runAs = runAs;
        QString error;
        if (!parseMember(text, &m, &error)) {
            usage(error);
            return false;
        }
        spec->members << m;
    }
    const QString etcd = m_parser.value(QStringLiteral("etcd"));
    spec->dcs = m_parser.isSet(QStringLiteral("raft")) ? PatroniClusterSpec::Dcs::Raft
                                                       : PatroniClusterSpec::Dcs::Etcd3;
    spec->etcdHosts = etcd.split(QLatin1Char(','), Qt::SkipEmptyParts);
    spec->start = m_parser.isSet(QStringLiteral("systemd")) ? PatroniClusterSpec::Start::Systemd
                                                            : PatroniClusterSpec::Start::Process;
    spec->binDir = m_parser.value(QStringLiteral("bin-dir"));
    QString error;
    if (spec->binDir.isEmpty())
        spec->binDir = Sandbox::findBinDir(&error);
    spec->superuserSecret = m_parser.value(QStringLiteral("password-secret"));
    spec->replicationSecret = m_parser.value(QStringLiteral("replication-secret"));
    if (m_parser.isSet(QStringLiteral("rest-user"))) {
        spec->restUser = m_parser.value(QStringLiteral("rest-user"));
        spec->restSecret = m_parser.value(QStringLiteral("rest-secret"));
    }
    if (m_parser.isSet(QStringLiteral("networks")))
        spec->clientNetworks =
            m_parser.value(QStringLiteral("networks")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (m_parser.isSet(QStringLiteral("loop-wait"))) {
        spec->loopWait = m_parser.value(QStringLiteral("loop-wait")).toInt();
        spec->ttl = qMax(spec->ttl, 3 * spec->loopWait);
        spec->retryTimeout = spec->loopWait;
    }
    if (m_parser.isSet(QStringLiteral("ttl")))
        spec->ttl = m_parser.value(QStringLiteral("ttl")).toInt();

    QStringList invalid = validatePatroniSpec(*spec, creating);
    for (const QString &secret : {spec->superuserSecret, spec->replicationSecret, spec->restSecret})
        if (creating && !secret.isEmpty() &&
            qEnvironmentVariableIsEmpty(qPrintable(QStringLiteral("PGDECK_SECRET_") + secret)))
            invalid << QStringLiteral(
                           "the password is read from PGDECK_SECRET_%1, which is not set")
                           .arg(secret);
    if (!invalid.isEmpty()) {
        for (const QString &e : std::as_const(invalid))
            m_err << "error: " << e << "\n";
        m_err << "pgdeckctl: nothing changed\n";
        m_err.flush();
        return false;
    }
    return true;
}

int CtlCommand::patroni(const QStringList &args)
{
    const QString action = args.value(0);
    if (action == QLatin1String("create") && args.size() == 1)
        return patroniCreate();
    if ((action == QLatin1String("stop") || action == QLatin1String("start")) && args.size() == 1) {
        PatroniClusterSpec spec;
        if (!patroniSpec(&spec, false))
            return 2;
        const Plan plan =
            action == QLatin1String("stop") ? patroniStopPlan(spec) : patroniStartPlan(spec);
        return m_parser.isSet(QStringLiteral("apply")) ? runPlan(plan) : printPlan(plan);
    }
    if (action == QLatin1String("list") && args.size() == 1)
        return patroniList();
    return patroniAction(args);
}

int CtlCommand::patroniCreate()
{
    PatroniClusterSpec spec;
    if (!patroniSpec(&spec))
        return 2;
    const QString inventoryPath = m_parser.value(QStringLiteral("inventory"));
    Plan plan = patroniCreatePlan(spec);
    if (!inventoryPath.isEmpty()) {
        // The new cluster joins the inventory (created when missing) as the last step.
        Inventory inv;
        if (!inventoryToExtend(inventoryPath, &inv))
            return 2;
        if (inv.cluster(spec.scope))
            return usage(QStringLiteral("cluster %1 is already in %2: choose another name")
                             .arg(spec.scope, inventoryPath));
        inv.clusters << patroniInventoryCluster(spec);
        return applyWithInventory(
            plan, inv, inventoryPath,
            QStringLiteral("Add cluster %1 to %2").arg(spec.scope, inventoryPath));
    }
    return printOrRun(plan);
}

} // namespace pgdeck
