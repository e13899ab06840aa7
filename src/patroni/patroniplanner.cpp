#include "patroniplanner.h"

#include "common/plainname.h"
#include "patroniconfig.h"

#include <QDir>
#include <QRegularExpression>
#include <QSet>

namespace pgdeck {

namespace {

const QString kSh = QStringLiteral("sh");

// Refuses, with the reason and the fix, a host where creating the member would fail or
// destroy something. Runs as the server's user, so "writable" means writable for it.
const QString kCheckScript = QStringLiteral(
    "patroni=$1 bindir=$2 data=$3 conf=$4 addr=$5; shift 5\n"
    "[ -x \"$patroni\" ] || { echo \"$patroni is missing: install Patroni (Debian: apt-get "
    "install patroni)\" >&2; exit 1; }\n"
    "[ -z \"$bindir\" ] || [ -x \"$bindir/postgres\" ] || { echo \"no PostgreSQL server in "
    "$bindir: install it or choose its bin directory\" >&2; exit 1; }\n"
    "if [ -e \"$data\" ] && [ -n \"$(ls -A \"$data\" 2>/dev/null)\" ]; then echo \"data "
    "directory $data is not empty: pgdeck never overwrites one; choose another\" >&2; exit 1; fi\n"
    "for d in \"$data\" \"$conf\"; do p=$(dirname \"$d\"); while [ ! -e \"$p\" ]; do "
    "p=$(dirname \"$p\"); done; [ -w \"$p\" ] || { echo \"$p is not writable by $(id -un): "
    "create $(dirname \"$d\") for it or choose another place\" >&2; exit 1; }; done\n"
    "for port in \"$@\"; do python3 -c 'import socket,sys; s=socket.socket(); "
    "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((sys.argv[1], "
    "int(sys.argv[2])))' \"$addr\" \"$port\" 2>/dev/null || { echo \"port $port on $addr is "
    "in use or not local: choose another\" >&2; exit 1; }; done\n");

// Detached from pgdeck's session so it outlives the plan; the pid file finds it again.
const QString kStartScript =
    QStringLiteral("cd \"$1\" && setsid \"$2\" \"$3\" >> \"$4\" 2>&1 < /dev/null & "
                   "echo $! > \"$5\"");
const QString kRunningScript = QStringLiteral("kill -0 \"$(cat \"$1\" 2>/dev/null)\" 2>/dev/null");
const QString kStopScript = QStringLiteral(
    "p=$(cat \"$1\" 2>/dev/null) || exit 0; kill \"$p\" 2>/dev/null || { rm -f \"$1\"; exit 0; }; "
    "i=0; while kill -0 \"$p\" 2>/dev/null; do i=$((i+1)); if [ $i -gt 600 ]; then echo "
    "\"Patroni (pid $p) did not stop within 60 s\" >&2; exit 1; fi; sleep 0.1; done; rm -f \"$1\"");

HostTarget rootOn(const HostTarget &host)
{
    return {host.ssh, {}};
}

void addStart(Plan &plan, const PatroniClusterSpec &spec, const PatroniMemberSpec &m)
{
    if (spec.start == PatroniClusterSpec::Start::Systemd) {
        const QString unit = spec.systemdUnit(m);
        plan.add(steps::writeFile(QStringLiteral("unit-") + m.name,
                                  QStringLiteral("Install the systemd unit %1").arg(unit),
                                  rootOn(m.host), QStringLiteral("/etc/systemd/system/") + unit,
                                  PatroniConfig::systemdUnit(spec, m)));
        PlanStep &start = plan.add(steps::command(
            QStringLiteral("start-") + m.name,
            QStringLiteral("Enable and start %1 on %2").arg(unit, m.host.describe()),
            rootOn(m.host),
            {kSh, QStringLiteral("-c"),
             QStringLiteral("systemctl daemon-reload && systemctl enable --now \"$1\""), kSh,
             unit}));
        start.guard = steps::commandSucceeds(rootOn(m.host), {QStringLiteral("systemctl"),
                                                              QStringLiteral("is-active"),
                                                              QStringLiteral("--quiet"), unit});
        return;
    }
    PlanStep &start = plan.add(steps::command(
        QStringLiteral("start-") + m.name,
        QStringLiteral("Start Patroni for %1 on %2").arg(m.name, m.host.describe()), m.host,
        {kSh, QStringLiteral("-c"), kStartScript, kSh, m.configDirectory(), spec.patroniBin,
         m.configFile(), m.logFile(), m.pidFile()}));
    start.guard = steps::commandSucceeds(
        m.host, {kSh, QStringLiteral("-c"), kRunningScript, kSh, m.pidFile()});
}

// Starts every member, then waits until each one's PostgreSQL runs, whoever leads.
void addStartAll(Plan &plan, const PatroniClusterSpec &spec)
{
    for (const PatroniMemberSpec &m : spec.members)
        addStart(plan, spec, m);
    for (const PatroniMemberSpec &m : spec.members)
        plan.add(steps::waitForHttp(QStringLiteral("wait-") + m.name,
                                    QStringLiteral("Wait until %1 runs").arg(m.name),
                                    m.restUrl() + QStringLiteral("/health"), 300000));
}

} // namespace

QStringList validatePatroniSpec(const PatroniClusterSpec &spec, bool creating)
{
    QStringList errors;
    if (!isPlainName(spec.scope))
        errors << QStringLiteral("cluster name \"%1\" must be letters, digits, '_', '.' or '-'")
                      .arg(spec.scope);
    if (spec.members.size() < 2)
        errors << QStringLiteral("a Patroni cluster needs at least two members to fail over");
    if (spec.dcs == PatroniClusterSpec::Dcs::Etcd3 && spec.etcdHosts.isEmpty())
        errors << QStringLiteral("no etcd host given: name etcd's client address (host:port)");
    static const QRegularExpression hostPort(QStringLiteral("^[^\\s:/]+:\\d+$"));
    for (const QString &h : spec.etcdHosts)
        if (!hostPort.match(h).hasMatch())
            errors << QStringLiteral("etcd host \"%1\" must be host:port").arg(h);
    if (spec.dcs == PatroniClusterSpec::Dcs::Raft && spec.members.size() == 2)
        errors << QStringLiteral("raft with two members loses its majority when one fails: add a "
                                 "third member (or a patroni_raft_controller) or use etcd");
    if (creating && (spec.superuserSecret.isEmpty() || spec.replicationSecret.isEmpty()))
        errors << QStringLiteral("the superuser and replication passwords must be given");
    if (spec.ttl < 2 * spec.loopWait)
        errors << QStringLiteral("ttl (%1 s) must be at least twice loop_wait (%2 s)")
                      .arg(spec.ttl)
                      .arg(spec.loopWait);

    QSet<QString> names, endpoints, dirs;
    for (const PatroniMemberSpec &m : spec.members) {
        if (!isPlainName(m.name))
            errors << QStringLiteral("member name \"%1\" must be letters, digits, '_', '.' or '-'")
                          .arg(m.name);
        if (names.contains(m.name))
            errors << QStringLiteral("member name \"%1\" is used twice").arg(m.name);
        names.insert(m.name);
        if (m.address.isEmpty())
            errors << QStringLiteral("%1: no address given").arg(m.name);
        QList<int> ports{m.pgPort, m.restPort};
        if (spec.dcs == PatroniClusterSpec::Dcs::Raft)
            ports << m.raftPort;
        for (int port : ports) {
            if (port < 1 || port > 65535)
                errors << QStringLiteral("%1: port %2 is out of range").arg(m.name).arg(port);
            const QString endpoint =
                QStringLiteral("%1 %2:%3").arg(m.host.ssh, m.address).arg(port);
            if (endpoints.contains(endpoint))
                errors
                    << QStringLiteral("%1: %2:%3 is used twice").arg(m.name, m.address).arg(port);
            endpoints.insert(endpoint);
        }
        if (!QDir::isAbsolutePath(m.dataDir))
            errors << QStringLiteral("%1: data directory \"%2\" must be an absolute path")
                          .arg(m.name, m.dataDir);
        const QString dirKey = m.host.ssh + QLatin1Char(' ') + QDir::cleanPath(m.dataDir);
        if (dirs.contains(dirKey))
            errors << QStringLiteral("%1: data directory %2 is used twice").arg(m.name, m.dataDir);
        dirs.insert(dirKey);
    }
    return errors;
}

Plan patroniCreatePlan(const PatroniClusterSpec &spec)
{
    Plan plan(QStringLiteral("Create Patroni cluster %1").arg(spec.scope), spec.scope);

    for (const PatroniMemberSpec &m : spec.members) {
        QStringList argv{kSh,
                         QStringLiteral("-c"),
                         kCheckScript,
                         kSh,
                         spec.patroniBin,
                         spec.binDir,
                         m.dataDir,
                         m.configDirectory(),
                         m.address,
                         QString::number(m.pgPort),
                         QString::number(m.restPort)};
        if (spec.dcs == PatroniClusterSpec::Dcs::Raft)
            argv << QString::number(m.raftPort);
        // No guard: a check is never skipped (resume a failed run instead of re-creating).
        plan.add(steps::command(
            QStringLiteral("check-") + m.name,
            QStringLiteral("Check %1 on %2: Patroni, PostgreSQL, empty data directory, free ports")
                .arg(m.name, m.host.describe()),
            m.host, argv));
    }
    for (int i = 0; i < spec.etcdHosts.size() && spec.dcs == PatroniClusterSpec::Dcs::Etcd3; ++i)
        plan.add(
            steps::waitForHttp(QStringLiteral("etcd-%1").arg(i + 1),
                               QStringLiteral("Check etcd at %1 is healthy").arg(spec.etcdHosts[i]),
                               QStringLiteral("http://%1/health").arg(spec.etcdHosts[i]), 10000));

    for (const PatroniMemberSpec &m : spec.members) {
        plan.add(steps::command(
            QStringLiteral("dirs-") + m.name,
            QStringLiteral("Create %1 on %2").arg(m.configDirectory(), m.host.describe()), m.host,
            {QStringLiteral("mkdir"), QStringLiteral("-p"), QStringLiteral("-m"),
             QStringLiteral("0700"), m.configDirectory()}));
        plan.add(steps::writeFile(QStringLiteral("config-") + m.name,
                                  QStringLiteral("Write %1").arg(m.configFile()), m.host,
                                  m.configFile(), PatroniConfig::yaml(spec, m), 0600));
    }

    if (spec.dcs == PatroniClusterSpec::Dcs::Raft) {
        // Raft needs a majority of its members before anyone can take the leader key.
        addStartAll(plan, spec);
        return plan;
    }
    // The first member bootstraps the cluster (initdb); the others then clone from it.
    for (int i = 0; i < spec.members.size(); ++i) {
        const PatroniMemberSpec &m = spec.members[i];
        addStart(plan, spec, m);
        const bool leader = i == 0;
        plan.add(steps::waitForHttp(
            QStringLiteral("wait-") + m.name,
            leader ? QStringLiteral("Wait until %1 leads the cluster").arg(m.name)
                   : QStringLiteral("Wait until %1 runs as a replica").arg(m.name),
            m.restUrl() + (leader ? QStringLiteral("/leader") : QStringLiteral("/replica")),
            300000));
    }
    return plan;
}

Plan patroniStartPlan(const PatroniClusterSpec &spec)
{
    Plan plan(QStringLiteral("Start Patroni cluster %1").arg(spec.scope), spec.scope);
    addStartAll(plan, spec);
    return plan;
}

Plan patroniStopPlan(const PatroniClusterSpec &spec)
{
    Plan plan(QStringLiteral("Stop Patroni cluster %1").arg(spec.scope), spec.scope);
    // Replicas first, so the leader does not fail over to a member about to stop.
    for (auto it = spec.members.crbegin(); it != spec.members.crend(); ++it) {
        const PatroniMemberSpec &m = *it;
        if (spec.start == PatroniClusterSpec::Start::Systemd)
            plan.add(steps::command(QStringLiteral("stop-") + m.name,
                                    QStringLiteral("Stop and disable %1").arg(spec.systemdUnit(m)),
                                    rootOn(m.host),
                                    {QStringLiteral("systemctl"), QStringLiteral("disable"),
                                     QStringLiteral("--now"), spec.systemdUnit(m)}));
        else
            plan.add(steps::command(
                QStringLiteral("stop-") + m.name,
                QStringLiteral("Stop Patroni for %1 on %2").arg(m.name, m.host.describe()), m.host,
                {kSh, QStringLiteral("-c"), kStopScript, kSh, m.pidFile()}));
    }
    return plan;
}

ClusterSpec patroniInventoryCluster(const PatroniClusterSpec &spec)
{
    ClusterSpec cluster;
    cluster.name = spec.scope;
    for (int i = 0; i < spec.members.size(); ++i) {
        const PatroniMemberSpec &m = spec.members[i];
        NodeSpec node;
        node.name = m.name;
        node.host = m.address;
        node.port = m.pgPort;
        node.dbname = QStringLiteral("postgres");
        node.user = spec.superuser;
        node.role = i == 0 ? QStringLiteral("primary") : QStringLiteral("standby");
        node.patroni = m.restUrl();
        node.ssh = m.host.ssh;
        node.dataDir = m.dataDir;
        cluster.nodes << node;
    }
    return cluster;
}

} // namespace pgdeck
