#include "citusbackend.h"

#include "pg/pgconnection.h"

#include "inventory/inventory.h"
#include "pg/connectionparams.h"
#include "pg/quoting.h"
#include "shardlayout.h"

namespace pgdeck {

using sql::quoteIdent;
using sql::quoteLiteral;
using sql::quoteQualified;

namespace {

const QString kChecks = QStringLiteral("public.pgdeck_shard_checks");

QString distributedGuard(const QString &qualified)
{
    return QStringLiteral("select exists (select 1 from pg_dist_partition where logicalrelid = "
                          "to_regclass(%1))")
        .arg(quoteLiteral(qualified));
}

QString port(const NodeSpec &n)
{
    return QString::number(n.port ? n.port : 5432);
}

} // namespace

void CitusBackend::review(const ShardingSpec &spec, const TableInfo &table,
                          ShardingReview *review) const
{
    // Citus needs the distribution column in every unique constraint.
    if (!table.primaryKey.isEmpty() && !table.primaryKey.contains(spec.key))
        review->errors << QStringLiteral("Citus requires %1 in the primary key (%2) to "
                                         "distribute by it")
                              .arg(spec.key, table.primaryKey.join(QStringLiteral(", ")));
    if (spec.strategy == ShardStrategy::Range && spec.ranges.isEmpty())
        review->errors << QStringLiteral("range sharding needs ranges");
}

Plan CitusBackend::addWorkersPlan(const ClusterSpec &cluster, const QString &coordinator,
                                  const QStringList &workers)
{
    Plan plan(QStringLiteral("Add %1 to the Citus cluster").arg(workers.join(QStringLiteral(", "))),
              cluster.name);
    const NodeSpec &coord = *cluster.node(coordinator);
    plan.setNode(coordinator, ConnectionParams::fromNode(coord));
    for (const QString &w : workers) {
        plan.setNode(w, ConnectionParams::fromNode(*cluster.node(w)));
        plan.add(steps::sql(QStringLiteral("extension-%1").arg(w),
                            QStringLiteral("Create the citus extension on %1").arg(w), w,
                            QStringLiteral("CREATE EXTENSION IF NOT EXISTS citus")));
    }
    plan.add(steps::sql(QStringLiteral("extension-coordinator"),
                        QStringLiteral("Create the citus extension on %1").arg(coordinator),
                        coordinator, QStringLiteral("CREATE EXTENSION IF NOT EXISTS citus")));
    plan.add(steps::sql(QStringLiteral("coordinator-host"),
                        QStringLiteral("Tell Citus where the coordinator is"), coordinator,
                        QStringLiteral("SELECT citus_set_coordinator_host(%1, %2)")
                            .arg(quoteLiteral(coord.host), port(coord))));
    for (const QString &w : workers) {
        const NodeSpec &n = *cluster.node(w);
        PlanStep s = steps::sql(
            QStringLiteral("add-%1").arg(w), QStringLiteral("Add worker %1").arg(w), coordinator,
            QStringLiteral("SELECT citus_add_node(%1, %2)").arg(quoteLiteral(n.host), port(n)));
        s.guard = steps::sqlTrue(coordinator,
                                 QStringLiteral("select exists (select 1 from pg_dist_node where "
                                                "nodename = %1 and nodeport = %2)")
                                     .arg(quoteLiteral(n.host), port(n)));
        plan.add(s);
        // A worker drained earlier keeps shouldhaveshards = false until told otherwise.
        s = steps::sql(QStringLiteral("shards-%1").arg(w),
                       QStringLiteral("Let %1 hold shards").arg(w), coordinator,
                       QStringLiteral("SELECT citus_set_node_property(%1, %2, 'shouldhaveshards', "
                                      "true)")
                           .arg(quoteLiteral(n.host), port(n)));
        s.guard = steps::sqlTrue(coordinator,
                                 QStringLiteral("select coalesce((select shouldhaveshards from "
                                                "pg_dist_node where nodename = %1 and nodeport = "
                                                "%2), false)")
                                     .arg(quoteLiteral(n.host), port(n)));
        plan.add(s);
    }
    return plan;
}

Plan CitusBackend::plan(const ShardingSpec &spec, const TableInfo &, const ShardingReview &review,
                        const ClusterSpec &cluster) const
{
    Plan plan(QStringLiteral("Shard %1 by %2 (%3, Citus)")
                  .arg(spec.qualifiedTable(), spec.key, strategyName(spec.strategy)),
              cluster.name);
    const Plan nodes = addWorkersPlan(cluster, spec.coordinator, spec.workers);
    for (auto it = nodes.nodes().cbegin(); it != nodes.nodes().cend(); ++it)
        plan.setNode(it.key(), it.value());
    for (const PlanStep &step : nodes.steps())
        plan.add(step);
    const QString coord = spec.coordinator;
    const QString table = spec.qualifiedTable();
    const QString literal = quoteLiteral(table);
    // The fingerprint before anything moves, kept on the coordinator for the verify step.
    PlanStep s = steps::sql(
        QStringLiteral("fingerprint"),
        QStringLiteral("Record row count and checksum of %1").arg(table), coord,
        QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (relation text PRIMARY KEY, fingerprint "
                       "text NOT NULL); INSERT INTO %1 SELECT %2, (%3) ON CONFLICT (relation) DO "
                       "UPDATE SET fingerprint = excluded.fingerprint")
            .arg(kChecks, literal, rowFingerprintSql(table)));
    s.guard = steps::sqlTrue(coord, distributedGuard(table)); // already moved: keep the record
    plan.add(s);
    for (const QString &ref : spec.referenceTables) {
        s = steps::sql(QStringLiteral("reference-%1").arg(ref),
                       QStringLiteral("Copy %1 to every node").arg(ref), coord,
                       QStringLiteral("SELECT create_reference_table(%1)").arg(quoteLiteral(ref)));
        s.guard = steps::sqlTrue(coord, distributedGuard(ref));
        plan.add(s);
    }
    QString options;
    if (!spec.colocateWith.isEmpty())
        options += QStringLiteral(", colocate_with => %1").arg(quoteLiteral(spec.colocateWith));
    if (spec.shardCount > 0 && spec.colocateWith.isEmpty())
        options += QStringLiteral(", shard_count => %1").arg(spec.shardCount);
    if (spec.strategy == ShardStrategy::Range) {
        // Citus distributes partitioned tables: partition by the ranges, then distribute.
        ShardLayout layout;
        QString error;
        buildLayout(spec, cluster, review.regionValues, &layout, &error);
        const QString staging = quoteQualified(spec.schema, shardnames::staging(spec.table));
        s = steps::sql(QStringLiteral("partitioned"),
                       QStringLiteral("Partition a copy of %1 by range").arg(table), coord,
                       QStringLiteral("CREATE TABLE %1 (LIKE %2 INCLUDING ALL) PARTITION BY %3")
                           .arg(staging, table, layout.partitionBy));
        s.guard = steps::sqlTrue(
            coord, QStringLiteral("select to_regclass(%1) is not null").arg(quoteLiteral(staging)));
        plan.add(s);
        for (int i = 0; i < layout.shards.size(); ++i) {
            const Shard &sh = layout.shards[i];
            const QString part = quoteQualified(spec.schema, sh.table);
            s = steps::sql(
                QStringLiteral("partition-%1").arg(i),
                QStringLiteral("Partition %1 (%2)").arg(sh.table, sh.label), coord,
                QStringLiteral("CREATE TABLE %1 PARTITION OF %2 %3").arg(part, staging, sh.bound));
            s.guard = steps::sqlTrue(
                coord,
                QStringLiteral("select to_regclass(%1) is not null").arg(quoteLiteral(part)));
            plan.add(s);
        }
        // One transaction: the rows move and the names swap together; the original stays.
        s = steps::sql(
            QStringLiteral("move"), QStringLiteral("Move the rows into the partitions"), coord,
            QStringLiteral("LOCK TABLE %1 IN EXCLUSIVE MODE; TRUNCATE %2; INSERT INTO %2 SELECT "
                           "* FROM %1; ALTER TABLE %1 RENAME TO %3; ALTER TABLE %2 RENAME TO %4")
                .arg(table, staging, quoteIdent(shardnames::original(spec.table)),
                     quoteIdent(spec.table)));
        s.guard = steps::sqlTrue(
            coord, QStringLiteral("select to_regclass(%1) is null").arg(quoteLiteral(staging)));
        plan.add(s);
        s = steps::sql(QStringLiteral("distribute"),
                       QStringLiteral("Distribute %1 by %2").arg(table, spec.key), coord,
                       QStringLiteral("SELECT create_distributed_table(%1, %2%3)")
                           .arg(literal, quoteLiteral(spec.key), options));
    } else {
        s = steps::sql(QStringLiteral("distribute"),
                       QStringLiteral("Distribute %1 by %2").arg(table, spec.key), coord,
                       QStringLiteral("SELECT create_distributed_table(%1, %2%3); SELECT "
                                      "truncate_local_data_after_distributing_table(%1)")
                           .arg(literal, quoteLiteral(spec.key), options));
    }
    s.guard = steps::sqlTrue(coord, distributedGuard(table));
    plan.add(s);
    if (spec.strategy == ShardStrategy::Geo) {
        // Each region's shard onto the worker of that region (no-op when already there).
        for (const QString &region : review.regionValues) {
            QString worker;
            for (const QString &w : spec.workers)
                if (cluster.node(w) &&
                    cluster.node(w)->region.compare(region, Qt::CaseInsensitive) == 0)
                    worker = w;
            if (worker.isEmpty())
                continue; // the review refuses this request
            const NodeSpec &n = *cluster.node(worker);
            plan.add(steps::sql(
                QStringLiteral("place-%1").arg(region),
                QStringLiteral("Place region %1 on %2").arg(region, worker), coord,
                QStringLiteral(
                    "SELECT citus_move_shard_placement(s.shardid, s.nodename, s.nodeport, %3, "
                    "%4, shard_transfer_mode => 'block_writes') FROM citus_shards s WHERE "
                    "s.shardid = get_shard_id_for_distribution_column(%1, %2) AND "
                    "(s.nodename, s.nodeport) <> (%3, %4)")
                    .arg(literal, quoteLiteral(region), quoteLiteral(n.host), port(n))));
        }
    }
    plan.add(steps::verify(
        QStringLiteral("verify"),
        QStringLiteral("Verify: row count and checksum equal those recorded before"), coord,
        QStringLiteral("select (select fingerprint from %1 where relation = %2) = (%3)")
            .arg(kChecks, literal, rowFingerprintSql(table)),
        QStringLiteral("t")));
    return plan;
}

Plan CitusBackend::rollbackPlan(const ShardingSpec &spec, const TableInfo &, const ShardingReview &,
                                const ClusterSpec &cluster) const
{
    Plan plan(QStringLiteral("Undistribute %1 (Citus)").arg(spec.qualifiedTable()), cluster.name);
    plan.setNode(spec.coordinator, ConnectionParams::fromNode(*cluster.node(spec.coordinator)));
    PlanStep s = steps::sql(
        QStringLiteral("undistribute"),
        QStringLiteral("Bring %1 back to the coordinator").arg(spec.qualifiedTable()),
        spec.coordinator,
        QStringLiteral("SELECT undistribute_table(%1)").arg(quoteLiteral(spec.qualifiedTable())));
    s.guard = steps::sqlTrue(
        spec.coordinator,
        QStringLiteral("select not (%1)").arg(distributedGuard(spec.qualifiedTable()).mid(7)));
    plan.add(s);
    return plan;
}

Plan CitusBackend::rebalancePlan(const ClusterSpec &cluster, const QString &coordinator,
                                 qint64 lastJobId, int timeoutMs)
{
    Plan plan(QStringLiteral("Rebalance shards"), cluster.name);
    plan.setNode(coordinator, ConnectionParams::fromNode(*cluster.node(coordinator)));
    // Only jobs newer than `lastJobId` are this run's: an older cancelled or failed job
    // must not fail it, and a run with nothing to move starts none.
    const QString mine =
        QStringLiteral("from citus_rebalance_status() where job_id > %1").arg(lastJobId);
    PlanStep s =
        steps::sql(QStringLiteral("start"), QStringLiteral("Start the background rebalancer"),
                   coordinator, QStringLiteral("SELECT citus_rebalance_start()"));
    s.guard = steps::sqlTrue(coordinator, QStringLiteral("select exists (select %1)").arg(mine));
    plan.add(s);
    // Its own transaction: the job must be committed before anything can wait for it.
    s = steps::sql(QStringLiteral("wait"), QStringLiteral("Wait for the rebalance to finish"),
                   coordinator,
                   QStringLiteral("SELECT citus_job_wait(job_id, desired_status => 'finished') %1 "
                                  "and state in ('scheduled', 'running', 'cancelling', 'failing')")
                       .arg(mine));
    s.timeoutMs = timeoutMs;
    plan.add(s);
    plan.add(steps::verify(QStringLiteral("finished"), QStringLiteral("The rebalance finished"),
                           coordinator,
                           QStringLiteral("select coalesce((select state::text %1 order by job_id "
                                          "desc limit 1), 'finished')")
                               .arg(mine),
                           QStringLiteral("finished")));
    return plan;
}

qint64 CitusBackend::lastRebalanceJob(PgConnection &coordinator)
{
    const PgResult r = coordinator.execSync(
        QStringLiteral("select coalesce(max(job_id), 0) from citus_rebalance_status()"), {}, 30000);
    return r.ok() ? r.text(0, 0).toLongLong() : 0;
}

Plan CitusBackend::drainPlan(const ClusterSpec &cluster, const QString &coordinator,
                             const QString &worker)
{
    const NodeSpec &n = *cluster.node(worker);
    Plan plan(QStringLiteral("Drain %1").arg(worker), cluster.name);
    plan.setNode(coordinator, ConnectionParams::fromNode(*cluster.node(coordinator)));
    plan.add(steps::sql(
        QStringLiteral("drain"), QStringLiteral("Move every shard off %1").arg(worker), coordinator,
        QStringLiteral("SELECT citus_drain_node(%1, %2)").arg(quoteLiteral(n.host), port(n))));
    plan.add(steps::verify(QStringLiteral("empty"),
                           QStringLiteral("%1 holds no shards").arg(worker), coordinator,
                           QStringLiteral("select count(*) from citus_shards where nodename = %1 "
                                          "and nodeport = %2")
                               .arg(quoteLiteral(n.host), port(n)),
                           QStringLiteral("0")));
    return plan;
}

} // namespace pgdeck
