#include "shardingreview.h"

#include "inventory/inventory.h"
#include "pg/pgconnection.h"
#include "pg/quoting.h"
#include "shardlayout.h"

namespace pgdeck {

namespace {

constexpr int kTimeoutMs = 60000;

// Asks the server whether a < b for the key's type and collation.
bool lessThan(PgConnection &conn, const QString &type, const QString &a, const QString &b,
              bool *less, QString *error)
{
    const PgResult r =
        conn.execSync(QStringLiteral("select $1::%1 < $2::%1").arg(type), {a, b}, kTimeoutMs);
    if (!r.ok()) {
        *error = r.errorMessage().trimmed();
        return false;
    }
    *less = r.text(0, 0) == QLatin1String("t");
    return true;
}

void reviewRanges(PgConnection &conn, const ShardingSpec &spec, const ColumnInfo &key,
                  ShardingReview *out)
{
    const QList<RangeShard> &rs = spec.ranges;
    for (int i = 0; i < rs.size(); ++i) {
        const RangeShard &r = rs[i];
        if (r.from.isEmpty() && i > 0)
            out->errors
                << QStringLiteral("range %1 has no lower bound but is not the first").arg(i + 1);
        if (r.to.isEmpty() && i + 1 < rs.size())
            out->errors
                << QStringLiteral("range %1 has no upper bound but is not the last").arg(i + 1);
        QString error;
        bool less = true;
        if (!r.from.isEmpty() && !r.to.isEmpty() &&
            (!lessThan(conn, key.type, r.from, r.to, &less, &error) || !less)) {
            out->errors << (error.isEmpty()
                                ? QStringLiteral("range %1 … %2 is empty: its start is not "
                                                 "below its end")
                                      .arg(r.from, r.to)
                                : QStringLiteral("range %1 … %2: %3").arg(r.from, r.to, error));
            continue;
        }
        if (i + 1 < rs.size()) {
            const RangeShard &next = rs[i + 1];
            if (r.to.isEmpty() || next.from.isEmpty())
                continue; // reported above
            bool gap = false, overlap = false;
            if (!lessThan(conn, key.type, r.to, next.from, &gap, &error) ||
                !lessThan(conn, key.type, next.from, r.to, &overlap, &error)) {
                out->errors << QStringLiteral("range bound %1: %2").arg(r.to, error);
                continue;
            }
            if (gap)
                out->errors << QStringLiteral("ranges leave a gap between %1 and %2: keys in it "
                                              "would have no shard")
                                   .arg(r.to, next.from);
            if (overlap)
                out->errors << QStringLiteral("ranges overlap: %1 … %2 and %3 … %4")
                                   .arg(r.from, r.to, next.from, next.to);
        }
    }
    if (!out->errors.isEmpty())
        return;
    // Rows no range takes would be lost to the move: count them.
    const QString k = sql::quoteIdent(spec.key);
    QStringList covered;
    for (const RangeShard &r : rs) {
        QStringList c;
        if (!r.from.isEmpty())
            c << QStringLiteral("%1 >= %2").arg(k, sql::quoteLiteral(r.from));
        if (!r.to.isEmpty())
            c << QStringLiteral("%1 < %2").arg(k, sql::quoteLiteral(r.to));
        covered << (c.isEmpty() ? QStringLiteral("true") : c.join(QStringLiteral(" and ")));
    }
    const PgResult r =
        conn.execSync(QStringLiteral("select count(*) from %1 where %2 is null or not ((%3))")
                          .arg(spec.qualifiedTable(), k, covered.join(QStringLiteral(") or ("))),
                      {}, kTimeoutMs);
    if (!r.ok())
        out->errors << r.errorMessage().trimmed();
    else if (r.text(0, 0).toLongLong() > 0)
        out->errors << QStringLiteral("%1 rows have a %2 outside every range (or NULL): widen "
                                      "the first or last range")
                           .arg(r.text(0, 0), spec.key);
}

} // namespace

ShardingReview reviewSharding(PgConnection &conn, const ShardingSpec &spec, const TableInfo &table,
                              const ClusterSpec &cluster)
{
    ShardingReview out;
    const ColumnInfo *key = table.column(spec.key);
    if (table.kind != 'r')
        out.errors << QStringLiteral("%1 is not a plain table (relkind %2); it may be "
                                     "partitioned or sharded already")
                          .arg(spec.qualifiedTable(), QString(QLatin1Char(table.kind)));
    if (!key) {
        QStringList names;
        for (const ColumnInfo &c : table.columns)
            names << c.name;
        out.errors << QStringLiteral("column \"%1\" does not exist in %2 (columns: %3)")
                          .arg(spec.key, spec.qualifiedTable(), names.join(QStringLiteral(", ")));
    }
    if (table.columns.isEmpty())
        out.errors << QStringLiteral("%1 has no columns to shard by").arg(spec.qualifiedTable());
    if (!cluster.node(spec.coordinator))
        out.errors << QStringLiteral("coordinator %1 is not in cluster %2")
                          .arg(spec.coordinator, cluster.name);
    for (const ColumnInfo &c : table.columns) {
        if (!c.builtinType)
            out.errors << QStringLiteral("column %1 has type %2, which is not built in: create "
                                         "it on every worker first")
                              .arg(c.name, c.type);
        if (c.generated)
            out.errors << QStringLiteral("column %1 is generated; generated columns cannot be "
                                         "copied to shards")
                              .arg(c.name);
        if (c.identity)
            out.errors << QStringLiteral("column %1 is an identity column; give it a sequence "
                                         "default instead (identity does not carry over to "
                                         "partitions on other servers)")
                              .arg(c.name);
    }
    ShardLayout layout;
    QString error;
    if (key && spec.strategy == ShardStrategy::Geo) {
        const PgResult r =
            conn.execSync(QStringLiteral("select distinct %1::text from %2 order by 1")
                              .arg(sql::quoteIdent(spec.key), spec.qualifiedTable()),
                          {}, kTimeoutMs);
        if (!r.ok()) {
            out.errors << r.errorMessage().trimmed();
        } else {
            for (int i = 0; i < r.rowCount(); ++i) {
                if (r.isNull(i, 0))
                    out.errors << QStringLiteral("some rows have no %1 (NULL): they belong to no "
                                                 "region")
                                      .arg(spec.key);
                else
                    out.regionValues << r.text(i, 0);
            }
        }
    }
    if (!buildLayout(spec, cluster, out.regionValues, &layout, &error))
        out.errors << error;
    if (key && spec.strategy == ShardStrategy::Range && !spec.ranges.isEmpty())
        reviewRanges(conn, spec, *key, &out);

    // The switch keeps the original under this name: it must be free.
    const QString kept = sql::quoteQualified(spec.schema, shardnames::original(spec.table));
    const PgResult keptExists =
        conn.execSync(QStringLiteral("select to_regclass($1) is not null"), {kept}, kTimeoutMs);
    if (table.kind == 'r' && keptExists.ok() && keptExists.text(0, 0) == QLatin1String("t"))
        out.errors << QStringLiteral("%1 already exists (the original kept by an earlier "
                                     "sharding): drop or rename it first")
                          .arg(kept);

    const PgResult count = conn.execSync(
        QStringLiteral("select count(*) from %1").arg(spec.qualifiedTable()), {}, kTimeoutMs);
    if (count.ok())
        out.rows = count.text(0, 0).toLongLong();

    if (!key)
        return out;
    out.keyStats = inspect::keyStats(conn, table, spec.key);
    const int shards = int(layout.shards.size());
    if (!table.primaryKey.isEmpty() && !table.primaryKey.contains(spec.key))
        out.warnings << QStringLiteral("%1 is not part of the primary key (%2): uniqueness is "
                                       "then checked within each shard only")
                            .arg(spec.key, table.primaryKey.join(QStringLiteral(", ")));
    if (table.primaryKey.isEmpty())
        out.warnings << QStringLiteral("%1 has no primary key: duplicate rows cannot be told "
                                       "apart after the move")
                            .arg(spec.qualifiedTable());
    if (out.keyStats.known && spec.strategy == ShardStrategy::Hash && shards > 0) {
        if (out.keyStats.distinct < 4.0 * shards)
            out.warnings << QStringLiteral("%1 has about %2 distinct values for %3 shards: a "
                                           "low-cardinality hash key spreads rows unevenly")
                                .arg(spec.key)
                                .arg(qRound64(out.keyStats.distinct))
                                .arg(shards);
        if (out.keyStats.topFraction > 2.0 / shards && shards > 1)
            out.warnings << QStringLiteral("the value %1 holds %2% of the rows: its shard will be "
                                           "much larger than the others (skew)")
                                .arg(out.keyStats.topValue)
                                .arg(qRound(out.keyStats.topFraction * 100));
    }
    if (out.keyStats.nullFraction > 0 && spec.strategy == ShardStrategy::Hash)
        out.warnings << QStringLiteral("%1% of rows have no %2: they all go to the first shard")
                            .arg(qRound(out.keyStats.nullFraction * 100))
                            .arg(spec.key);
    for (const ForeignKeyInfo &fk : table.referencing)
        out.warnings << QStringLiteral("foreign key %1 on %2 points at this table: it will keep "
                                       "pointing at the original copy, not the shards")
                            .arg(fk.name, fk.table);
    for (const ForeignKeyInfo &fk : table.referenced)
        out.warnings << QStringLiteral("foreign key %1 (%2) cannot be checked on the workers and "
                                       "is not carried over")
                            .arg(fk.name, fk.definition);
    for (const QString &v : table.dependentViews)
        out.warnings << QStringLiteral("view %1 reads this table: it will keep reading the "
                                       "original copy until it is recreated")
                            .arg(v);
    return out;
}

} // namespace pgdeck
