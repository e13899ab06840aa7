#include "replicaplanner.h"

#include "inventory/inventory.h"
#include "pg/connectionparams.h"
#include "pg/pgconnection.h"
#include "pg/quoting.h"

#include <QDir>
#include <QRegularExpression>

namespace pgdeck {

using sql::quoteIdent;
using sql::quoteLiteral;

namespace {

constexpr int kTimeoutMs = 30000;

PrimaryFinding finding(PrimaryFinding::Severity s, const QString &setting, const QString &message)
{
    PrimaryFinding f;
    f.severity = s;
    f.setting = setting;
    f.message = message;
    return f;
}

} // namespace

QString ReplicaSpec::slotName() const
{
    if (!slot.isEmpty())
        return slot;
    QString s = QStringLiteral("pgdeck_") + name.toLower();
    s.replace(QRegularExpression(QStringLiteral("[^a-z0-9_]")), QStringLiteral("_"));
    return s;
}

QString ReplicaSpec::user() const
{
    return replicationUser.isEmpty() ? QStringLiteral("replicator") : replicationUser;
}

QStringList PrimaryReadiness::refusals(bool allowRestart) const
{
    QStringList out;
    for (const PrimaryFinding &f : findings)
        if (f.severity == PrimaryFinding::Severity::Blocker && f.needsRestart && !allowRestart)
            out << QStringLiteral("%1: %2 The fix needs a restart of the primary; allow it "
                                  "(--allow-restart) or change it in a maintenance window.")
                       .arg(f.setting, f.message);
    return out;
}

PrimaryReadiness checkPrimary(PgConnection &primary, const ReplicaSpec &spec,
                              const QString &primaryAddress)
{
    PrimaryReadiness r;
    const PgResult s = primary.execSync(
        QStringLiteral(
            "select current_setting('server_version_num')::int, current_setting('wal_level'), "
            "current_setting('max_wal_senders')::int, (select count(*) from pg_stat_replication), "
            "current_setting('max_replication_slots')::int, (select count(*) from "
            "pg_replication_slots), pg_size_bytes(current_setting('wal_keep_size')), "
            "current_setting('listen_addresses'), current_setting('hba_file'), "
            "current_setting('data_directory'), (select rolreplication and rolcanlogin from "
            "pg_roles where rolname = $1), exists (select from pg_replication_slots where "
            "slot_name = $2), (select active from pg_replication_slots where slot_name = $2)"),
        {spec.user(), spec.slotName()}, kTimeoutMs);
    if (!s.ok()) {
        r.error = s.errorMessage().trimmed();
        return r;
    }
    using S = PrimaryFinding::Severity;
    r.serverVersion = s.text(0, 0).toInt();
    r.hbaFile = s.text(0, 8);
    r.dataDirectory = s.text(0, 9);

    PrimaryFinding f = finding(S::Ok, QStringLiteral("wal_level"),
                               QStringLiteral("wal_level is %1").arg(s.text(0, 1)));
    if (s.text(0, 1) == QLatin1String("minimal")) {
        f = finding(S::Blocker, QStringLiteral("wal_level"),
                    QStringLiteral("wal_level is minimal: standbys need replica."));
        f.fixSql = QStringLiteral("ALTER SYSTEM SET wal_level = 'replica'");
        f.needsRestart = true;
    }
    r.findings << f;

    const int senders = s.text(0, 2).toInt(), used = s.text(0, 3).toInt();
    f = finding(S::Ok, QStringLiteral("max_wal_senders"),
                QStringLiteral("%1 of %2 WAL senders in use").arg(used).arg(senders));
    if (used + 1 > senders) {
        f = finding(S::Blocker, QStringLiteral("max_wal_senders"),
                    QStringLiteral("all %1 WAL senders are in use; pg_basebackup -X stream and "
                                   "the new standby need two more.")
                        .arg(senders));
        f.fixSql = QStringLiteral("ALTER SYSTEM SET max_wal_senders = %1").arg(used + 5);
        f.needsRestart = true;
    }
    r.findings << f;

    const int slots = s.text(0, 4).toInt(), slotsUsed = s.text(0, 5).toInt();
    const bool slotExists = s.text(0, 11) == QLatin1String("t");
    f = finding(S::Ok, QStringLiteral("max_replication_slots"),
                QStringLiteral("%1 of %2 replication slots used").arg(slotsUsed).arg(slots));
    if (!slotExists && slotsUsed + 1 > slots) {
        f = finding(S::Blocker, QStringLiteral("max_replication_slots"),
                    QStringLiteral("all %1 replication slots are used.").arg(slots));
        f.fixSql = QStringLiteral("ALTER SYSTEM SET max_replication_slots = %1").arg(slotsUsed + 5);
        f.needsRestart = true;
    }
    r.findings << f;
    if (slotExists && s.text(0, 12) == QLatin1String("t"))
        r.findings << finding(S::Blocker, QStringLiteral("slot"),
                              QStringLiteral("replication slot %1 exists and is in use by "
                                             "another standby; name another with --slot.")
                                  .arg(spec.slotName()));

    f = finding(S::Ok, QStringLiteral("wal_keep_size"),
                QStringLiteral("wal_keep_size is %1 bytes").arg(s.text(0, 6)));
    if (s.text(0, 6).toLongLong() == 0) {
        // The slot keeps the WAL the new standby needs; a margin helps other standbys.
        f = finding(S::Warning, QStringLiteral("wal_keep_size"),
                    QStringLiteral("wal_keep_size is 0: standbys without a slot can fall "
                                   "behind for good. The new standby uses slot %1.")
                        .arg(spec.slotName()));
        f.fixSql = QStringLiteral("ALTER SYSTEM SET wal_keep_size = '1GB'");
    }
    r.findings << f;

    const QString listen = s.text(0, 7);
    const bool loopbackOnly = listen == QLatin1String("localhost") ||
                              listen == QLatin1String("127.0.0.1") || listen.isEmpty();
    const bool targetLocal = spec.address == QLatin1String("127.0.0.1") ||
                             spec.address == QLatin1String("localhost") ||
                             spec.address == QLatin1String("::1");
    f = finding(S::Ok, QStringLiteral("listen_addresses"),
                QStringLiteral("listen_addresses is '%1'").arg(listen));
    if (loopbackOnly && !targetLocal) {
        f = finding(S::Blocker, QStringLiteral("listen_addresses"),
                    QStringLiteral("the primary listens on '%1' only; %2 cannot reach it.")
                        .arg(listen, spec.address));
        f.fixSql = QStringLiteral("ALTER SYSTEM SET listen_addresses = %1")
                       .arg(quoteLiteral(listen + QLatin1Char(',') + primaryAddress));
        f.needsRestart = true;
    }
    r.findings << f;

    // The first rule a replication connection from the new node would meet decides.
    const PgResult hba = primary.execSync(
        QStringLiteral(
            "select line_number, type, auth_method from pg_hba_file_rules where error is null "
            "and type <> 'local' and 'replication' = any(database) and ('all' = any(user_name) "
            "or $1 = any(user_name)) and case when address = 'all' then true when address = "
            "'samehost' then $2 in ('127.0.0.1', '::1') when address ~ '^[0-9a-fA-F.:]+$' and "
            "netmask is not null then family(address::inet) = family($2::inet) and "
            "(address::inet & netmask::inet) = ($2::inet & netmask::inet) else false end "
            "order by line_number limit 1"),
        {spec.user(), spec.address}, kTimeoutMs);
    const QString hbaLine =
        QStringLiteral("host replication %1 %2/%3 %4")
            .arg(spec.user(), spec.address,
                 spec.address.contains(QLatin1Char(':')) ? QStringLiteral("128")
                                                         : QStringLiteral("32"),
                 spec.passwordSecret.isEmpty() ? QStringLiteral("trust")
                                               : QStringLiteral("scram-sha-256"));
    if (!hba.ok()) {
        r.findings << finding(S::Warning, QStringLiteral("pg_hba.conf"),
                              QStringLiteral("could not read pg_hba_file_rules (%1): the "
                                             "replication rule is not checked.")
                                  .arg(hba.errorMessage().trimmed()));
    } else if (hba.rowCount() == 0 || hba.text(0, 2) == QLatin1String("reject")) {
        f = finding(S::Blocker, QStringLiteral("pg_hba.conf"),
                    hba.rowCount() == 0
                        ? QStringLiteral("no pg_hba.conf rule lets %1 connect for replication "
                                         "from %2.")
                              .arg(spec.user(), spec.address)
                        : QStringLiteral("line %1 of pg_hba.conf rejects replication from %2.")
                              .arg(hba.text(0, 0), spec.address));
        f.hbaLine = hbaLine;
        r.findings << f;
    } else {
        r.findings << finding(S::Ok, QStringLiteral("pg_hba.conf"),
                              QStringLiteral("line %1 allows replication from %2 (%3)")
                                  .arg(hba.text(0, 0), spec.address, hba.text(0, 2)));
    }

    if (s.isNull(0, 10)) {
        f = finding(S::Blocker, QStringLiteral("role"),
                    QStringLiteral("role %1 does not exist.").arg(spec.user()));
        f.fixSql = spec.passwordSecret.isEmpty()
                       ? QStringLiteral("CREATE ROLE %1 WITH REPLICATION LOGIN")
                             .arg(quoteIdent(spec.user()))
                       : QStringLiteral("CREATE ROLE %1 WITH REPLICATION LOGIN PASSWORD "
                                        "'${secret-scram:%2}'")
                             .arg(quoteIdent(spec.user()), spec.passwordSecret);
        r.findings << f;
    } else if (s.text(0, 10) != QLatin1String("t")) {
        f = finding(S::Blocker, QStringLiteral("role"),
                    QStringLiteral("role %1 lacks REPLICATION or LOGIN.").arg(spec.user()));
        f.fixSql =
            QStringLiteral("ALTER ROLE %1 WITH REPLICATION LOGIN").arg(quoteIdent(spec.user()));
        r.findings << f;
    } else {
        r.findings << finding(S::Ok, QStringLiteral("role"),
                              QStringLiteral("role %1 can replicate").arg(spec.user()));
    }
    return r;
}

NodeSpec replicaNode(const ReplicaSpec &spec, const NodeSpec &primary)
{
    NodeSpec node = primary; // same database and user as the primary
    node.name = spec.name;
    node.host = spec.address;
    node.port = spec.port;
    node.role = QStringLiteral("standby");
    node.upstream = spec.primary;
    node.ssh = spec.host.ssh;
    node.dataDir = spec.dataDir;
    node.patroni.clear();
    node.line = node.column = 0;
    return node;
}

QStringList validateReplicaSpec(const ReplicaSpec &spec, const ClusterSpec &cluster)
{
    QStringList errors;
    if (!cluster.node(spec.primary))
        errors << QStringLiteral("primary %1 is not in cluster %2").arg(spec.primary, cluster.name);
    if (spec.name.isEmpty())
        errors << QStringLiteral("the new node needs a name (--name)");
    else if (cluster.node(spec.name))
        errors << QStringLiteral("cluster %1 already has a node named %2; pick another --name")
                      .arg(cluster.name, spec.name);
    if (spec.dataDir.isEmpty() || !QDir::isAbsolutePath(spec.dataDir))
        errors
            << QStringLiteral("--data-dir must be an absolute path, not \"%1\"").arg(spec.dataDir);
    if (spec.port < 1 || spec.port > 65535)
        errors << QStringLiteral("--port must be from 1 to 65535");
    if (spec.address.isEmpty())
        errors << QStringLiteral("the new node needs an address the primary sees it at "
                                 "(--address)");
    if (spec.binDir.isEmpty())
        errors << QStringLiteral("no PostgreSQL bin directory for the target (--bin-dir)");
    if (!QRegularExpression(QStringLiteral("^[a-z0-9_]{1,63}$")).match(spec.slotName()).hasMatch())
        errors
            << QStringLiteral("slot name \"%1\" may hold only a-z, 0-9 and _").arg(spec.slotName());
    return errors;
}

Plan addReplicaPlan(const ReplicaSpec &spec, const ClusterSpec &cluster,
                    const PrimaryReadiness &readiness)
{
    const NodeSpec &primary = *cluster.node(spec.primary);
    const int primaryPort = primary.port ? primary.port : 5432;
    Plan plan(QStringLiteral("Add replica %1 of %2 on %3")
                  .arg(spec.name, spec.primary, spec.host.describe()),
              cluster.name);
    plan.setNode(spec.primary, ConnectionParams::fromNode(primary));
    NodeSpec replica = primary;
    replica.name = spec.name;
    replica.host = spec.address;
    replica.port = spec.port;
    plan.setNode(spec.name, ConnectionParams::fromNode(replica));
    const HostTarget primaryHost{primary.ssh, QString()};
    const QString bin = spec.binDir + QLatin1Char('/');

    // First what may stop the run, on the target: nothing has changed yet.
    plan.add(steps::command(
        QStringLiteral("check-datadir"),
        QStringLiteral("Check that %1 is empty or absent on %2")
            .arg(spec.dataDir, spec.host.describe()),
        spec.host,
        {QStringLiteral("sh"), QStringLiteral("-c"),
         QStringLiteral("if [ -e \"$1\" ] && [ -n \"$(ls -A \"$1\" 2>/dev/null)\" ]; then echo "
                        "\"$1 is not empty: pgdeck never overwrites a data directory; pick another "
                        "--data-dir or empty it yourself\" >&2; exit 1; fi"),
         QStringLiteral("sh"), spec.dataDir}));
    plan.add(steps::command(
        QStringLiteral("check-port"),
        QStringLiteral("Check that port %1 is free on %2").arg(spec.port).arg(spec.address),
        spec.host,
        {QStringLiteral("bash"), QStringLiteral("-c"),
         QStringLiteral("if (exec 3<>/dev/tcp/\"$1\"/\"$2\") 2>/dev/null; then echo \"port $2 "
                        "on $1 is in use; pick another --port\" >&2; exit 1; fi"),
         QStringLiteral("bash"), spec.address, QString::number(spec.port)}));
    plan.add(steps::command(QStringLiteral("check-bin"),
                            QStringLiteral("Check pg_basebackup on %1").arg(spec.host.describe()),
                            spec.host,
                            {bin + QStringLiteral("pg_basebackup"), QStringLiteral("--version")}));

    // The primary's fixes.
    bool reload = false, restart = false;
    for (const PrimaryFinding &f : readiness.findings) {
        if (f.severity == PrimaryFinding::Severity::Ok)
            continue;
        const QString id =
            QStringLiteral("fix-") + QString(f.setting).replace(QLatin1Char('.'), QLatin1Char('-'));
        if (!f.fixSql.isEmpty()) {
            plan.add(steps::sql(id,
                                QStringLiteral("Primary: %1")
                                    .arg(f.fixSql.section(QStringLiteral(" PASSWORD"), 0, 0)),
                                spec.primary, f.fixSql));
            reload = true;
            restart = restart || (f.needsRestart && spec.allowRestart);
        }
        if (!f.hbaLine.isEmpty()) {
            PlanStep &s = plan.add(steps::command(
                id,
                QStringLiteral("Append \"%1\" to %2 on %3")
                    .arg(f.hbaLine, readiness.hbaFile, primaryHost.describe()),
                primaryHost,
                {QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("grep -qxF \"$1\" \"$2\" || printf '%s\\n' \"$1\" >> \"$2\""),
                 QStringLiteral("sh"), f.hbaLine, readiness.hbaFile}));
            s.guard =
                steps::commandSucceeds(primaryHost, {QStringLiteral("grep"), QStringLiteral("-qxF"),
                                                     f.hbaLine, readiness.hbaFile});
            reload = true;
        }
    }
    if (restart) {
        plan.add(steps::command(
            QStringLiteral("restart-primary"),
            QStringLiteral("Restart %1 for the settings above").arg(spec.primary), primaryHost,
            {bin + QStringLiteral("pg_ctl"), QStringLiteral("restart"), QStringLiteral("-D"),
             readiness.dataDirectory, QStringLiteral("-m"), QStringLiteral("fast"),
             QStringLiteral("-w")}));
    } else if (reload) {
        plan.add(steps::sql(QStringLiteral("reload-primary"),
                            QStringLiteral("Reload %1's configuration").arg(spec.primary),
                            spec.primary, QStringLiteral("select pg_reload_conf()")));
    }

    PlanStep &slot = plan.add(steps::sql(
        QStringLiteral("slot"),
        QStringLiteral("Create replication slot %1 on %2").arg(spec.slotName(), spec.primary),
        spec.primary, QStringLiteral("select pg_create_physical_replication_slot($1)"),
        {spec.slotName()}));
    slot.guard = steps::sqlTrue(
        spec.primary,
        QStringLiteral("select exists (select from pg_replication_slots where slot_name = %1)")
            .arg(quoteLiteral(spec.slotName())));

    QString conninfo = QStringLiteral("host=%1 port=%2 user=%3 application_name=%4")
                           .arg(primary.host)
                           .arg(primaryPort)
                           .arg(spec.user(), spec.name);
    if (!spec.passwordSecret.isEmpty()) {
        // The password lives in a 0600 file of the server's user; primary_conninfo names it.
        plan.add(steps::writeFile(
            QStringLiteral("passfile"),
            QStringLiteral("Write the replication password file %1").arg(spec.passfile()),
            spec.host, spec.passfile(),
            QStringLiteral("%1:%2:*:%3:${secret:%4}\n")
                .arg(primary.host)
                .arg(primaryPort)
                .arg(spec.user(), spec.passwordSecret),
            0600));
        conninfo += QStringLiteral(" passfile=") + spec.passfile();
    }
    PlanStep &backup = plan.add(steps::command(
        QStringLiteral("basebackup"),
        QStringLiteral("Copy %1 into %2 with pg_basebackup").arg(spec.primary, spec.dataDir),
        spec.host,
        {bin + QStringLiteral("pg_basebackup"), QStringLiteral("-d"), conninfo,
         QStringLiteral("-D"), spec.dataDir, QStringLiteral("-R"), QStringLiteral("-X"),
         QStringLiteral("stream"), QStringLiteral("-S"), spec.slotName(), QStringLiteral("-c"),
         QStringLiteral("fast")}));
    backup.timeoutMs = 24 * 3600 * 1000;
    backup.guard = steps::fileExists(spec.host, spec.dataDir + QStringLiteral("/PG_VERSION"));

    // syncfs: the start's flush of the copied directory is one call per file system, not one
    // fsync per file (PostgreSQL 14+).
    const QString settings =
        QStringLiteral("# added by pgdeck\nport = %1\nlisten_addresses = '%2'\n"
                       "recovery_init_sync_method = syncfs\n")
            .arg(spec.port)
            .arg(spec.address);
    PlanStep &port = plan.add(
        steps::command(QStringLiteral("configure"),
                       QStringLiteral("Set %1's port and listen address").arg(spec.name), spec.host,
                       {QStringLiteral("sh"), QStringLiteral("-c"),
                        QStringLiteral("printf '%s' \"$1\" >> \"$2/postgresql.auto.conf\""),
                        QStringLiteral("sh"), settings, spec.dataDir}));
    port.guard =
        steps::commandSucceeds(spec.host, {QStringLiteral("grep"), QStringLiteral("-q"),
                                           QStringLiteral("^# added by pgdeck"),
                                           spec.dataDir + QStringLiteral("/postgresql.auto.conf")});
    PlanStep &start = plan.add(steps::command(
        QStringLiteral("start"), QStringLiteral("Start %1").arg(spec.name), spec.host,
        {bin + QStringLiteral("pg_ctl"), QStringLiteral("start"), QStringLiteral("-D"),
         spec.dataDir, QStringLiteral("-l"), spec.dataDir + QStringLiteral("/pgdeck-start.log"),
         QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("120")}));
    start.guard =
        steps::commandSucceeds(spec.host, {bin + QStringLiteral("pg_ctl"), QStringLiteral("status"),
                                           QStringLiteral("-D"), spec.dataDir});
    PlanStep &streaming = plan.add(steps::waitUntil(
        QStringLiteral("streaming"),
        QStringLiteral("Wait until %1 reports %2 streaming").arg(spec.primary, spec.name),
        spec.primary,
        QStringLiteral("select exists (select from pg_stat_replication where application_name = %1 "
                       "and state = 'streaming')")
            .arg(quoteLiteral(spec.name)),
        120000));
    streaming.pollIntervalMs = 25; // the walreceiver connects within moments of the start
    plan.add(steps::verify(QStringLiteral("verify"),
                           QStringLiteral("Verify %1 is a standby").arg(spec.name), spec.name,
                           QStringLiteral("select pg_is_in_recovery()"), QStringLiteral("t")));
    return plan;
}

QString basebackupProgressSql()
{
    return QStringLiteral("select b.phase, b.backup_total, b.backup_streamed from "
                          "pg_stat_progress_basebackup b join pg_stat_activity a using (pid) "
                          "where a.application_name = $1");
}

BasebackupProgress basebackupProgress(const PgResult &r)
{
    BasebackupProgress p;
    if (!r.ok() || r.rowCount() == 0)
        return p;
    p.running = true;
    p.phase = r.text(0, 0);
    p.total = r.isNull(0, 1) ? -1 : r.text(0, 1).toLongLong();
    p.streamed = r.text(0, 2).toLongLong();
    return p;
}

} // namespace pgdeck
