#include "nativebackend.h"

#include "inventory/inventory.h"
#include "pg/connectionparams.h"
#include "pg/pgconnection.h"
#include "pg/quoting.h"

namespace pgdeck {

using sql::quoteIdent;
using sql::quoteLiteral;
using sql::quoteQualified;

namespace {

const QString kFreezeTrigger = QStringLiteral("pgdeck_sharding_freeze");
const QString kFreezeFunction = QStringLiteral("pgdeck_refuse_writes");

QString exists(const QString &schema, const QString &name)
{
    return QStringLiteral("select to_regclass(%1) is not null")
        .arg(quoteLiteral(quoteQualified(schema, name)));
}

// Writes to `table` fail with a message naming what pgdeck is doing to it (`verb`). The
// function is shared; each trigger passes its verb. `events` has %1 for the table.
QString freezeSql(const QString &function, const QString &table, const QString &events,
                  const QString &verb)
{
    return QStringLiteral("CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql AS $f$ "
                          "BEGIN RAISE EXCEPTION 'table % is being % by pgdeck: writes are "
                          "refused until the switch', TG_TABLE_NAME, TG_ARGV[0]; END $f$; "
                          "CREATE TRIGGER %2 BEFORE %3 EXECUTE FUNCTION %1(%4)")
        .arg(function, quoteIdent(kFreezeTrigger), events.arg(table), quoteLiteral(verb));
}

} // namespace

QString rowFingerprintSql(const QString &qualifiedTable)
{
    // Every row's text hashed and summed as numeric: independent of order and location.
    return QStringLiteral("select count(*)::text || '/' || "
                          "coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text "
                          "from %1 t")
        .arg(qualifiedTable);
}

QString NativeBackend::shardTableDdl(const TableInfo &table, const QString &schema,
                                     const QString &shardTable)
{
    QStringList cols;
    for (const ColumnInfo &c : table.columns)
        cols << QStringLiteral("%1 %2%3").arg(quoteIdent(c.name), c.type,
                                              c.notNull ? QStringLiteral(" NOT NULL") : QString());
    if (!table.primaryKey.isEmpty()) {
        QStringList pk;
        for (const QString &k : table.primaryKey)
            pk << quoteIdent(k);
        cols << QStringLiteral("PRIMARY KEY (%1)").arg(pk.join(QStringLiteral(", ")));
    }
    return QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1; CREATE TABLE IF NOT EXISTS %2 (%3)")
        .arg(quoteIdent(schema), quoteQualified(schema, shardTable),
             cols.join(QStringLiteral(", ")));
}

void NativeBackend::review(const ShardingSpec &spec, const TableInfo &,
                           ShardingReview *review) const
{
    if (!spec.referenceTables.isEmpty())
        review->warnings << QStringLiteral("reference tables are a Citus feature; the native "
                                           "backend leaves %1 on the coordinator")
                                .arg(spec.referenceTables.join(QStringLiteral(", ")));
    if (!spec.colocateWith.isEmpty())
        review->warnings << QStringLiteral("colocate_with is a Citus feature; ignored here");
}

Plan NativeBackend::plan(const ShardingSpec &spec, const TableInfo &table,
                         const ShardingReview &review, const ClusterSpec &cluster) const
{
    ShardLayout layout;
    QString error;
    buildLayout(spec, cluster, review.regionValues, &layout, &error);
    Plan plan(QStringLiteral("Shard %1 by %2 (%3, native)")
                  .arg(spec.qualifiedTable(), spec.key, strategyName(spec.strategy)),
              cluster.name);
    const QString coord = spec.coordinator;
    plan.setNode(coord, ConnectionParams::fromNode(*cluster.node(coord)));
    const QString original = spec.qualifiedTable();
    const QString staging = quoteQualified(spec.schema, shardnames::staging(spec.table));
    const QString freezeFn = quoteQualified(spec.schema, kFreezeFunction);

    PlanStep s =
        steps::sql(QStringLiteral("fdw"), QStringLiteral("Create postgres_fdw on %1").arg(coord),
                   coord, QStringLiteral("CREATE EXTENSION IF NOT EXISTS postgres_fdw"));
    plan.add(s);
    QStringList workers;
    for (const Shard &sh : std::as_const(layout.shards))
        if (!workers.contains(sh.worker))
            workers << sh.worker;
    for (const QString &w : std::as_const(workers)) {
        const NodeSpec &n = *cluster.node(w);
        plan.setNode(w, ConnectionParams::fromNode(n));
        plan.add(steps::sql(QStringLiteral("server-%1").arg(w),
                            QStringLiteral("Foreign server for %1 on %2").arg(w, coord), coord,
                            foreignServerSql(n, shardnames::foreignServer(w))));
    }
    // Writes to the original fail loudly while rows move, instead of being lost at the switch.
    s = steps::sql(
        QStringLiteral("freeze"),
        QStringLiteral("Refuse writes to %1 while it moves").arg(original), coord,
        freezeSql(freezeFn, original,
                  QStringLiteral("INSERT OR UPDATE OR DELETE OR TRUNCATE ON %1 FOR EACH STATEMENT"),
                  QStringLiteral("sharded")));
    s.guard = steps::sqlTrue(
        coord, QStringLiteral("select exists (select 1 from pg_trigger where tgrelid = "
                              "to_regclass(%1) and tgname = %2)")
                   .arg(quoteLiteral(original), quoteLiteral(kFreezeTrigger)));
    plan.add(s);
    for (int i = 0; i < layout.shards.size(); ++i) {
        const Shard &sh = layout.shards[i];
        plan.add(steps::sql(QStringLiteral("table-%1").arg(i),
                            QStringLiteral("Create shard table %1 on %2").arg(sh.table, sh.worker),
                            sh.worker, shardTableDdl(table, spec.schema, sh.table)));
    }
    s = steps::sql(QStringLiteral("parent"),
                   QStringLiteral("Create the partitioned table %1").arg(staging), coord,
                   QStringLiteral("CREATE TABLE %1 (LIKE %2 INCLUDING DEFAULTS) PARTITION BY %3")
                       .arg(staging, original, layout.partitionBy));
    s.guard = steps::sqlTrue(coord, exists(spec.schema, shardnames::staging(spec.table)));
    plan.add(s);
    for (int i = 0; i < layout.shards.size(); ++i) {
        const Shard &sh = layout.shards[i];
        s = steps::sql(
            QStringLiteral("attach-%1").arg(i),
            QStringLiteral("Attach %1 on %2 (%3)").arg(sh.table, sh.worker, sh.label), coord,
            QStringLiteral("CREATE FOREIGN TABLE %1 PARTITION OF %2 %3 SERVER %4 OPTIONS "
                           "(schema_name %5, table_name %6)")
                .arg(quoteQualified(spec.schema, sh.table), staging, sh.bound,
                     quoteIdent(shardnames::foreignServer(sh.worker)), quoteLiteral(spec.schema),
                     quoteLiteral(sh.table)));
        s.guard = steps::sqlTrue(coord, exists(spec.schema, sh.table));
        plan.add(s);
    }
    // One shard per step: progress per shard, and a killed run redoes at most one shard
    // (emptied first, so never duplicated).
    for (int i = 0; i < layout.shards.size(); ++i) {
        const Shard &sh = layout.shards[i];
        const QString shard = quoteQualified(spec.schema, sh.table);
        s = steps::sql(
            QStringLiteral("copy-%1").arg(i),
            QStringLiteral("Copy rows of %1 to %2 on %3").arg(sh.label, sh.table, sh.worker), coord,
            QStringLiteral("TRUNCATE %1; INSERT INTO %1 SELECT * FROM %2 WHERE %3")
                .arg(shard, original, sh.predicate));
        plan.add(s);
    }
    plan.add(steps::verify(
        QStringLiteral("verify"),
        QStringLiteral("Verify: row count and checksum of the shards equal the original"), coord,
        QStringLiteral("select (%1) = (%2)")
            .arg(rowFingerprintSql(original), rowFingerprintSql(staging)),
        QStringLiteral("t")));
    // Fresh statistics on the workers: plans and the shard view's row estimates use them.
    for (int i = 0; i < layout.shards.size(); ++i) {
        const Shard &sh = layout.shards[i];
        plan.add(
            steps::sql(QStringLiteral("analyze-%1").arg(i),
                       QStringLiteral("Analyze %1 on %2").arg(sh.table, sh.worker), sh.worker,
                       QStringLiteral("ANALYZE %1").arg(quoteQualified(spec.schema, sh.table))));
    }
    s = steps::sql(
        QStringLiteral("switch"),
        QStringLiteral("Switch: %1 becomes the sharded table, the original is kept as %2")
            .arg(original, shardnames::original(spec.table)),
        coord,
        QStringLiteral("ALTER TABLE %1 RENAME TO %2; ALTER TABLE %3 RENAME TO %4")
            .arg(original, quoteIdent(shardnames::original(spec.table)), staging,
                 quoteIdent(spec.table)));
    s.guard = steps::sqlTrue(coord, exists(spec.schema, shardnames::original(spec.table)));
    plan.add(s);
    return plan;
}

Plan NativeBackend::rollbackPlan(const ShardingSpec &spec, const TableInfo &,
                                 const ShardingReview &review, const ClusterSpec &cluster) const
{
    ShardLayout layout;
    QString error;
    buildLayout(spec, cluster, review.regionValues, &layout, &error);
    Plan plan(QStringLiteral("Undo sharding of %1 (native)").arg(spec.qualifiedTable()),
              cluster.name);
    const QString coord = spec.coordinator;
    plan.setNode(coord, ConnectionParams::fromNode(*cluster.node(coord)));
    const QString kept = quoteQualified(spec.schema, shardnames::original(spec.table));
    const QString staging = quoteQualified(spec.schema, shardnames::staging(spec.table));
    // After a switch: the sharded table goes back to its staging name, the original back.
    PlanStep s =
        steps::sql(QStringLiteral("unswitch"),
                   QStringLiteral("Give %1 its name back").arg(spec.qualifiedTable()), coord,
                   QStringLiteral("ALTER TABLE %1 RENAME TO %2; ALTER TABLE %3 RENAME TO %4")
                       .arg(spec.qualifiedTable(), quoteIdent(shardnames::staging(spec.table)),
                            kept, quoteIdent(spec.table)));
    s.guard = steps::sqlTrue(
        coord, QStringLiteral("select to_regclass(%1) is null").arg(quoteLiteral(kept)));
    plan.add(s);
    plan.add(steps::sql(QStringLiteral("drop-parent"),
                        QStringLiteral("Drop the partitioned table %1").arg(staging), coord,
                        QStringLiteral("DROP TABLE IF EXISTS %1 CASCADE").arg(staging)));
    plan.add(steps::sql(QStringLiteral("thaw"),
                        QStringLiteral("Accept writes to %1 again").arg(spec.qualifiedTable()),
                        coord,
                        QStringLiteral("DROP TRIGGER IF EXISTS %1 ON %2")
                            .arg(quoteIdent(kFreezeTrigger), spec.qualifiedTable())));
    for (int i = 0; i < layout.shards.size(); ++i) {
        const Shard &sh = layout.shards[i];
        plan.setNode(sh.worker, ConnectionParams::fromNode(*cluster.node(sh.worker)));
        plan.add(steps::sql(
            QStringLiteral("drop-%1").arg(i),
            QStringLiteral("Drop shard table %1 on %2").arg(sh.table, sh.worker), sh.worker,
            QStringLiteral("DROP TABLE IF EXISTS %1").arg(quoteQualified(spec.schema, sh.table))));
    }
    return plan;
}

Plan NativeBackend::dropOriginalPlan(const ShardingSpec &spec, const ClusterSpec &cluster) const
{
    Plan plan(QStringLiteral("Drop the original copy of %1").arg(spec.qualifiedTable()),
              cluster.name);
    plan.setNode(spec.coordinator, ConnectionParams::fromNode(*cluster.node(spec.coordinator)));
    plan.add(steps::sql(QStringLiteral("drop-original"),
                        QStringLiteral("Drop %1").arg(shardnames::original(spec.table)),
                        spec.coordinator,
                        QStringLiteral("DROP TABLE IF EXISTS %1")
                            .arg(quoteQualified(spec.schema, shardnames::original(spec.table)))));
    return plan;
}

Plan NativeBackend::addWorkersPlan(const ClusterSpec &cluster, const QString &coord,
                                   const QStringList &workers) const
{
    Plan plan(
        QStringLiteral("Add %1 to the sharded cluster").arg(workers.join(QStringLiteral(", "))),
        cluster.name);
    plan.setNode(coord, ConnectionParams::fromNode(*cluster.node(coord)));
    plan.add(steps::sql(QStringLiteral("fdw"),
                        QStringLiteral("Create postgres_fdw on %1").arg(coord), coord,
                        QStringLiteral("CREATE EXTENSION IF NOT EXISTS postgres_fdw")));
    for (const QString &w : workers) {
        const NodeSpec &n = *cluster.node(w);
        plan.setNode(w, ConnectionParams::fromNode(n));
        const QString server = shardnames::foreignServer(w);
        const QString probe =
            quoteQualified(QStringLiteral("public"), QStringLiteral("pgdeck_probe_") + w);
        plan.add(steps::sql(QStringLiteral("server-%1").arg(w),
                            QStringLiteral("Foreign server for %1 on %2").arg(w, coord), coord,
                            foreignServerSql(n, server)));
        // The link itself, before any shard depends on it: authentication, host, database.
        plan.add(steps::sql(
            QStringLiteral("probe-%1").arg(w),
            QStringLiteral("Check that %1 reaches %2 through postgres_fdw").arg(coord, w), coord,
            QStringLiteral("DROP FOREIGN TABLE IF EXISTS %2; CREATE FOREIGN TABLE %2 "
                           "(datname name) SERVER %1 OPTIONS (schema_name 'pg_catalog', "
                           "table_name 'pg_database'); SELECT count(*) FROM %2; DROP FOREIGN "
                           "TABLE %2")
                .arg(quoteIdent(server), probe)));
    }
    return plan;
}

Plan NativeBackend::rebalancePlan(const ClusterSpec &cluster, const QString &coord,
                                  const QList<ShardMove> &moves,
                                  const QHash<QString, TableInfo> &parents) const
{
    Plan plan(moves.size() == 1 ? QStringLiteral("Move shard %1 from %2 to %3")
                                      .arg(moves[0].shard, moves[0].from, moves[0].to)
                                : QStringLiteral("Rebalance: move %1 shards").arg(moves.size()),
              cluster.name);
    plan.setNode(coord, ConnectionParams::fromNode(*cluster.node(coord)));
    QStringList servers;
    for (const ShardMove &m : moves) {
        for (const QString &w : {m.from, m.to})
            plan.setNode(w, ConnectionParams::fromNode(*cluster.node(w)));
        if (servers.contains(m.to))
            continue;
        servers << m.to;
        plan.add(
            steps::sql(QStringLiteral("server-%1").arg(m.to),
                       QStringLiteral("Foreign server for %1 on %2").arg(m.to, coord), coord,
                       foreignServerSql(*cluster.node(m.to), shardnames::foreignServer(m.to))));
    }
    for (int i = 0; i < moves.size(); ++i) {
        const ShardMove &m = moves[i];
        const QString id = QStringLiteral("m%1-").arg(i + 1);
        const TableInfo &parent = parents[m.table];
        const QString oldShard = quoteQualified(m.schema, m.shard);
        const QString newShard = quoteQualified(m.schema, m.shard + movingSuffix());
        const QString refuse = quoteQualified(m.schema, kFreezeFunction);
        QStringList defs; // foreign tables take no LIKE
        for (const ColumnInfo &c : parent.columns)
            defs << QStringLiteral("%1 %2%3").arg(
                quoteIdent(c.name), c.type, c.notNull ? QStringLiteral(" NOT NULL") : QString());
        const QString columns = defs.join(QStringLiteral(", "));
        const QString stillMoving =
            QStringLiteral("select to_regclass(%1) is null").arg(quoteLiteral(newShard));
        PlanStep s = steps::sql(id + QStringLiteral("table"),
                                QStringLiteral("Create %1 on %2").arg(m.shard, m.to), m.to,
                                shardTableDdl(parent, m.schema, m.shard));
        plan.add(s);
        plan.add(steps::sql(
            id + QStringLiteral("foreign"),
            QStringLiteral("Reach the new copy of %1 from %2").arg(m.shard, coord), coord,
            QStringLiteral("CREATE FOREIGN TABLE IF NOT EXISTS %1 (%2) SERVER %3 OPTIONS "
                           "(schema_name %4, table_name %5)")
                .arg(newShard, columns, quoteIdent(shardnames::foreignServer(m.to)),
                     quoteLiteral(m.schema), quoteLiteral(m.shard))));
        // Writes to the shard fail loudly while it moves, instead of being lost at the swap.
        // Frozen only once its new copy exists, so a frozen shard always has a move to finish
        // or undo.
        s = steps::sql(id + QStringLiteral("freeze"),
                       QStringLiteral("Refuse writes to %1 while it moves").arg(m.shard), coord,
                       freezeSql(refuse, oldShard,
                                 QStringLiteral("INSERT OR UPDATE OR DELETE ON %1 FOR EACH ROW"),
                                 QStringLiteral("moved")));
        s.guard = steps::sqlTrue(
            coord, QStringLiteral("select to_regclass(%1) is null or exists (select 1 from "
                                  "pg_trigger where tgrelid = to_regclass(%1) and tgname = %2)")
                       .arg(quoteLiteral(oldShard), quoteLiteral(kFreezeTrigger)));
        plan.add(s);
        // DELETE, not TRUNCATE: the copy keeps its file, so its growth shows the progress. The
        // advisory lock makes a resumed copy wait for an orphaned one instead of racing it.
        plan.add(steps::sql(
            id + QStringLiteral("copy"),
            QStringLiteral("Copy %1 from %2 to %3").arg(m.shard, m.from, m.to), coord,
            QStringLiteral("SELECT pg_advisory_xact_lock(hashtext(%3)); DELETE "
                           "FROM %1; INSERT INTO %1 SELECT * FROM %2")
                .arg(newShard, oldShard, quoteLiteral(QStringLiteral("pgdeck move ") + newShard))));
        s = steps::verify(id + QStringLiteral("verify"),
                          QStringLiteral("Verify both copies of %1 are equal").arg(m.shard), coord,
                          QStringLiteral("select (%1) = (%2)")
                              .arg(rowFingerprintSql(oldShard), rowFingerprintSql(newShard)),
                          QStringLiteral("t"));
        plan.add(s);
        s = steps::sql(
            id + QStringLiteral("swap"), QStringLiteral("Swap %1 to %2").arg(m.shard, m.to), coord,
            QStringLiteral("ALTER TABLE %1 DETACH PARTITION %2; DROP FOREIGN TABLE %2; ALTER "
                           "FOREIGN TABLE %3 RENAME TO %4; ALTER TABLE %1 ATTACH PARTITION %2 %5")
                .arg(quoteQualified(parent.schema, parent.name), oldShard, newShard,
                     quoteIdent(m.shard), m.bound));
        s.guard = steps::sqlTrue(coord, stillMoving);
        plan.add(s);
        plan.add(steps::sql(id + QStringLiteral("analyze"),
                            QStringLiteral("Analyze %1 on %2").arg(m.shard, m.to), m.to,
                            QStringLiteral("ANALYZE %1").arg(oldShard)));
        plan.add(steps::sql(id + QStringLiteral("drop"),
                            QStringLiteral("Drop the old copy of %1 on %2").arg(m.shard, m.from),
                            m.from, QStringLiteral("DROP TABLE IF EXISTS %1").arg(m.sourceRemote)));
    }
    return plan;
}

Plan NativeBackend::abortMovesPlan(const ClusterSpec &cluster, const QString &coord,
                                   const QList<ShardMove> &moves) const
{
    Plan plan(QStringLiteral("Undo unfinished shard moves"), cluster.name);
    plan.setNode(coord, ConnectionParams::fromNode(*cluster.node(coord)));
    for (int i = 0; i < moves.size(); ++i) {
        const ShardMove &m = moves[i];
        plan.setNode(m.to, ConnectionParams::fromNode(*cluster.node(m.to)));
        const QString id = QStringLiteral("m%1-").arg(i + 1);
        const QString oldShard = quoteQualified(m.schema, m.shard);
        const QString newShard = quoteQualified(m.schema, m.shard + movingSuffix());
        // Only moves not yet swapped: after the swap the new copy is the shard itself.
        const StepGuard swapped = steps::sqlTrue(
            coord, QStringLiteral("select to_regclass(%1) is null").arg(quoteLiteral(newShard)));
        PlanStep s =
            steps::sql(id + QStringLiteral("drop-copy"),
                       QStringLiteral("Drop the partial copy of %1 on %2").arg(m.shard, m.to), m.to,
                       QStringLiteral("DROP TABLE IF EXISTS %1").arg(oldShard));
        s.guard = swapped;
        plan.add(s);
        s = steps::sql(id + QStringLiteral("drop-foreign"),
                       QStringLiteral("Drop the link to that copy on %1").arg(coord), coord,
                       QStringLiteral("DROP FOREIGN TABLE IF EXISTS %1").arg(newShard));
        plan.add(s);
        plan.add(steps::sql(id + QStringLiteral("thaw"),
                            QStringLiteral("Accept writes to %1 again").arg(m.shard), coord,
                            QStringLiteral("DROP TRIGGER IF EXISTS %1 ON %2")
                                .arg(quoteIdent(kFreezeTrigger), oldShard)));
    }
    return plan;
}

QString NativeBackend::foreignServerSql(const NodeSpec &n, const QString &server)
{
    return QStringLiteral("CREATE SERVER IF NOT EXISTS %1 FOREIGN DATA WRAPPER postgres_fdw "
                          "OPTIONS (host %2, port %3, dbname %4, batch_size '1000', fetch_size "
                          "'10000'); CREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER SERVER %1 "
                          "OPTIONS (user %5)")
        .arg(quoteIdent(server), quoteLiteral(n.host),
             quoteLiteral(QString::number(n.port ? n.port : 5432)),
             quoteLiteral(n.dbname.isEmpty() ? QStringLiteral("postgres") : n.dbname),
             quoteLiteral(n.user.isEmpty() ? QStringLiteral("postgres") : n.user));
}

} // namespace pgdeck
