#include "promoteplanner.h"

#include "inventory/inventory.h"
#include "pg/connectionparams.h"
#include "pg/pgconnection.h"
#include "pg/quoting.h"

#include <QRegularExpression>

namespace pgdeck {

using sql::quoteLiteral;

namespace {

constexpr int kTimeoutMs = 30000;

QString slotFor(const QString &node)
{
    QString s = QStringLiteral("pgdeck_") + node.toLower();
    s.replace(QRegularExpression(QStringLiteral("[^a-z0-9_]")), QStringLiteral("_"));
    return s;
}

// `conninfo` pointed at `target`, everything else (user, passfile, sslmode…) kept.
QString repoint(const QString &conninfo, const NodeSpec &target, const QString &applicationName)
{
    ConnectionParams p = ConnectionParams::parse(conninfo);
    p.set(QStringLiteral("host"), target.host);
    p.set(QStringLiteral("port"), QString::number(target.port ? target.port : 5432));
    if (!p.has(QStringLiteral("application_name")))
        p.set(QStringLiteral("application_name"), applicationName);
    p.remove(QStringLiteral("dbname"));
    return p.toConninfo(false);
}

QString streamingSql(const QString &name)
{
    return QStringLiteral("select exists (select from pg_stat_replication where application_name "
                          "= %1 and state = 'streaming')")
        .arg(quoteLiteral(name));
}

} // namespace

PromoteReview reviewPromote(const ClusterSpec &cluster, const PromoteSpec &spec)
{
    PromoteReview r;
    const NodeSpec *candidate = cluster.node(spec.candidate);
    if (!candidate) {
        r.errors << QStringLiteral("%1 is not in cluster %2").arg(spec.candidate, cluster.name);
        return r;
    }
    PgConnection c;
    c.setParams(ConnectionParams::fromNode(*candidate));
    if (!c.waitForReady(10000)) {
        r.errors << QStringLiteral("candidate %1 not reachable: %2")
                        .arg(spec.candidate, c.lastError().trimmed());
        return r;
    }
    const PgResult rec = c.execSync(QStringLiteral("select pg_is_in_recovery(), (select status "
                                                   "from pg_stat_wal_receiver)"),
                                    {}, kTimeoutMs);
    if (!rec.ok() || rec.text(0, 0) != QLatin1String("t")) {
        r.errors << QStringLiteral("%1 is not a standby (not in recovery): nothing to promote")
                        .arg(spec.candidate);
        return r;
    }

    r.oldPrimary = candidate->upstream;
    for (const NodeSpec &n : cluster.nodes)
        if (r.oldPrimary.isEmpty() && n.role == QLatin1String("primary"))
            r.oldPrimary = n.name;
    const NodeSpec *old = cluster.node(r.oldPrimary);
    if (!old || old->name == spec.candidate) {
        r.errors << QStringLiteral("%1 has no primary to take over from").arg(spec.candidate);
        return r;
    }
    PgConnection p;
    p.setParams(ConnectionParams::fromNode(*old));
    r.oldPrimaryUp = p.waitForReady(5000);
    if (r.oldPrimaryUp) {
        const PgResult s = p.execSync(
            QStringLiteral(
                "select (select pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint "
                "from pg_stat_replication where application_name = $1), "
                "current_setting('wal_log_hints') = 'on' or "
                "current_setting('data_checksums') = 'on', pg_is_in_recovery()"),
            {spec.candidate}, kTimeoutMs);
        if (s.ok() && s.text(0, 2) == QLatin1String("t"))
            r.errors << QStringLiteral("%1 is in recovery, not the primary").arg(r.oldPrimary);
        if (s.ok() && !s.isNull(0, 0))
            r.candidateLagBytes = s.text(0, 0).toLongLong();
        else
            r.errors << QStringLiteral("%1 does not stream from %2 now; a switchover to it "
                                       "could lose writes")
                            .arg(spec.candidate, r.oldPrimary);
        r.rewindPossible = s.ok() && s.text(0, 1) == QLatin1String("t");
        if (r.candidateLagBytes > 64 * 1024 * 1024)
            r.errors << QStringLiteral("%1 is %2 MB behind %3: wait until it catches up")
                            .arg(spec.candidate)
                            .arg(r.candidateLagBytes / 1048576)
                            .arg(r.oldPrimary);
    } else {
        r.warnings << QStringLiteral("%1 does not answer: this is a failover; writes it took "
                                     "after %2's last received WAL are lost")
                          .arg(r.oldPrimary, spec.candidate);
    }
    if (spec.rewindOldPrimary) {
        if (old->dataDir.isEmpty())
            r.errors << QStringLiteral("the inventory gives no data_dir for %1: pg_rewind needs "
                                       "it (or promote with --no-rewind)")
                            .arg(r.oldPrimary);
        if (r.oldPrimaryUp && !r.rewindPossible)
            r.errors << QStringLiteral("%1 has neither wal_log_hints nor data checksums: "
                                       "pg_rewind cannot bring it back (set wal_log_hints = on "
                                       "and restart, or promote with --no-rewind)")
                            .arg(r.oldPrimary);
    }
    // Every other standby of the old primary follows the new one.
    for (const NodeSpec &n : cluster.nodes) {
        if (n.name == spec.candidate || n.name == r.oldPrimary || n.upstream != r.oldPrimary)
            continue;
        PgConnection s;
        s.setParams(ConnectionParams::fromNode(n));
        if (!s.waitForReady(10000)) {
            r.warnings << QStringLiteral("standby %1 not reachable: it keeps following %2")
                              .arg(n.name, r.oldPrimary);
            continue;
        }
        const PgResult ci = s.execSync(QStringLiteral("select current_setting('primary_conninfo'), "
                                                      "current_setting('primary_slot_name')"),
                                       {}, kTimeoutMs);
        if (!ci.ok())
            continue;
        r.conninfo.insert(n.name, ci.text(0, 0));
        r.slotOf.insert(n.name, ci.text(0, 1));
    }
    return r;
}

Plan promotePlan(const ClusterSpec &cluster, const PromoteSpec &spec, const PromoteReview &review)
{
    const NodeSpec &candidate = *cluster.node(spec.candidate);
    const NodeSpec &old = *cluster.node(review.oldPrimary);
    const HostTarget oldHost{old.ssh, spec.runAs};
    const QString bin = spec.binDir + QLatin1Char('/');
    Plan plan(
        QStringLiteral("%1: promote %2, %3 follows")
            .arg(review.oldPrimaryUp ? QStringLiteral("Switchover") : QStringLiteral("Failover"),
                 spec.candidate, review.oldPrimary),
        cluster.name);
    plan.setNode(spec.candidate, ConnectionParams::fromNode(candidate));
    plan.setNode(review.oldPrimary, ConnectionParams::fromNode(old));

    if (review.oldPrimaryUp) {
        // A fast shutdown sends every WAL record, the shutdown checkpoint included, to the
        // standbys before it ends: nothing written on the old primary is lost.
        plan.add(steps::command(
            QStringLiteral("stop-old"),
            QStringLiteral("Stop %1 (no more writes there)").arg(review.oldPrimary), oldHost,
            {bin + QStringLiteral("pg_ctl"), QStringLiteral("stop"), QStringLiteral("-D"),
             old.dataDir, QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w")}));
    }
    plan.add(steps::waitUntil(
        QStringLiteral("caught-up"),
        QStringLiteral("Wait until %1 replayed all it received").arg(spec.candidate),
        spec.candidate,
        QStringLiteral("select pg_last_wal_receive_lsn() is null or pg_last_wal_replay_lsn() >= "
                       "pg_last_wal_receive_lsn()"),
        120000));
    PlanStep &promote = plan.add(
        steps::sql(QStringLiteral("promote"), QStringLiteral("Promote %1").arg(spec.candidate),
                   spec.candidate, QStringLiteral("select pg_promote(true, 120)")));
    promote.guard =
        steps::sqlTrue(spec.candidate, QStringLiteral("select not pg_is_in_recovery()"));
    plan.add(steps::verify(
        QStringLiteral("verify-primary"),
        QStringLiteral("Verify %1 accepts writes").arg(spec.candidate), spec.candidate,
        QStringLiteral("select current_setting('transaction_read_only')"), QStringLiteral("off")));

    // Slots on the new primary for everyone who will stream from it.
    QMap<QString, QString> slots = review.slotOf;
    if (spec.rewindOldPrimary)
        slots.insert(review.oldPrimary, slotFor(review.oldPrimary));
    for (auto it = slots.cbegin(); it != slots.cend(); ++it) {
        if (it.value().isEmpty())
            continue;
        PlanStep &s = plan.add(steps::sql(
            QStringLiteral("slot-%1").arg(it.key()),
            QStringLiteral("Create slot %1 on %2 for %3").arg(it.value(), spec.candidate, it.key()),
            spec.candidate, QStringLiteral("select pg_create_physical_replication_slot($1)"),
            {it.value()}));
        s.guard = steps::sqlTrue(
            spec.candidate,
            QStringLiteral("select exists (select from pg_replication_slots where slot_name = %1)")
                .arg(quoteLiteral(it.value())));
    }

    for (auto it = review.conninfo.cbegin(); it != review.conninfo.cend(); ++it) {
        const NodeSpec &n = *cluster.node(it.key());
        plan.setNode(n.name, ConnectionParams::fromNode(n));
        const QString conninfo = repoint(it.value(), candidate, n.name);
        // ALTER SYSTEM cannot share a transaction: one step each.
        PlanStep &s = plan.add(steps::sql(
            QStringLiteral("repoint-%1").arg(n.name),
            QStringLiteral("Point %1 at %2").arg(n.name, spec.candidate), n.name,
            QStringLiteral("ALTER SYSTEM SET primary_conninfo = %1").arg(quoteLiteral(conninfo))));
        s.guard =
            steps::sqlTrue(n.name, QStringLiteral("select current_setting('primary_conninfo') = %1")
                                       .arg(quoteLiteral(conninfo)));
        plan.add(steps::sql(QStringLiteral("reload-%1").arg(n.name),
                            QStringLiteral("Reload %1").arg(n.name), n.name,
                            QStringLiteral("select pg_reload_conf()")));
        plan.add(steps::waitUntil(
            QStringLiteral("follows-%1").arg(n.name),
            QStringLiteral("Wait until %1 streams from %2").arg(n.name, spec.candidate),
            spec.candidate, streamingSql(n.name), 120000));
    }

    if (spec.rewindOldPrimary) {
        if (!review.oldPrimaryUp) // a crashed primary must be stopped cleanly for pg_rewind
            plan.add(steps::command(
                QStringLiteral("stop-old"),
                QStringLiteral("Make sure %1 is stopped").arg(review.oldPrimary), oldHost,
                {QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("\"$0\" status -D \"$1\" >/dev/null 2>&1 || exit 0; \"$0\" stop -D "
                                "\"$1\" -m fast -w"),
                 bin + QStringLiteral("pg_ctl"), old.dataDir}));
        ConnectionParams source = ConnectionParams::fromNode(candidate);
        // pg_rewind copies the source's configuration too: the old primary keeps its own.
        PlanStep &rewind = plan.add(steps::command(
            QStringLiteral("rewind"),
            QStringLiteral("Rewind %1 to %2's timeline").arg(review.oldPrimary, spec.candidate),
            oldHost,
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral(
                 "[ -e \"$1.pgdeck-auto.conf\" ] || cp -p \"$1/postgresql.auto.conf\" "
                 "\"$1.pgdeck-auto.conf\" || exit 1; \"$0\" -D \"$1\" --source-server=\"$2\" "
                 "|| exit 1; cp -p \"$1.pgdeck-auto.conf\" \"$1/postgresql.auto.conf\" && rm "
                 "\"$1.pgdeck-auto.conf\""),
             bin + QStringLiteral("pg_rewind"), old.dataDir, source.toConninfo(false)}));
        rewind.guard = steps::fileExists(oldHost, old.dataDir + QStringLiteral("/standby.signal"));
        const QString conninfo =
            repoint(QStringLiteral("user=%1").arg(
                        candidate.user.isEmpty() ? QStringLiteral("postgres") : candidate.user),
                    candidate, review.oldPrimary);
        const QString settings =
            QStringLiteral("# standby of %1, set by pgdeck\nprimary_conninfo = %2\n"
                           "primary_slot_name = %3\n")
                .arg(spec.candidate, quoteLiteral(conninfo),
                     quoteLiteral(slotFor(review.oldPrimary)));
        plan.add(steps::command(
            QStringLiteral("standby-config"),
            QStringLiteral("Make %1 a standby of %2").arg(review.oldPrimary, spec.candidate),
            oldHost,
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("printf '%s' \"$1\" >> \"$2/postgresql.auto.conf\" && touch "
                            "\"$2/standby.signal\""),
             QStringLiteral("sh"), settings, old.dataDir}));
        plan.add(steps::command(
            QStringLiteral("start-old"),
            QStringLiteral("Start %1 as a standby").arg(review.oldPrimary), oldHost,
            {bin + QStringLiteral("pg_ctl"), QStringLiteral("start"), QStringLiteral("-D"),
             old.dataDir, QStringLiteral("-l"), old.dataDir + QStringLiteral("/pgdeck-start.log"),
             QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("120")}));
        plan.add(steps::waitUntil(
            QStringLiteral("follows-old"),
            QStringLiteral("Wait until %1 streams from %2").arg(review.oldPrimary, spec.candidate),
            spec.candidate, streamingSql(review.oldPrimary), 120000));
        plan.add(steps::verify(QStringLiteral("verify-old"),
                               QStringLiteral("Verify %1 is a standby").arg(review.oldPrimary),
                               review.oldPrimary, QStringLiteral("select pg_is_in_recovery()"),
                               QStringLiteral("t")));
    }
    return plan;
}

ClusterSpec promotedCluster(const ClusterSpec &cluster, const PromoteSpec &spec,
                            const PromoteReview &review)
{
    ClusterSpec c = cluster;
    for (NodeSpec &n : c.nodes) {
        if (n.name == spec.candidate) {
            n.role = QStringLiteral("primary");
            n.upstream.clear();
        } else if (n.name == review.oldPrimary) {
            n.role = QStringLiteral("standby");
            n.upstream = spec.candidate;
        } else if (review.conninfo.contains(n.name)) {
            n.upstream = spec.candidate;
        }
    }
    return c;
}

} // namespace pgdeck
