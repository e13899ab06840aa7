#include "shardlayout.h"

#include "inventory/inventory.h"
#include "pg/quoting.h"

namespace pgdeck {

namespace shardnames {
QString shard(const QString &table, int index)
{
    return QStringLiteral("%1_p%2").arg(table).arg(index);
}
QString staging(const QString &table)
{
    return table + QStringLiteral("_pgdeck_new");
}
QString original(const QString &table)
{
    return table + QStringLiteral("_pgdeck_original");
}
QString foreignServer(const QString &worker)
{
    return QStringLiteral("pgdeck_") + worker;
}
} // namespace shardnames

namespace {

QString rangeBound(const QString &from, const QString &to)
{
    return QStringLiteral("FOR VALUES FROM (%1) TO (%2)")
        .arg(from.isEmpty() ? QStringLiteral("MINVALUE") : sql::quoteLiteral(from),
             to.isEmpty() ? QStringLiteral("MAXVALUE") : sql::quoteLiteral(to));
}

QString rangePredicate(const QString &key, const QString &from, const QString &to)
{
    // Typed by the column: quoted literals are cast to the key's type on comparison.
    QStringList parts;
    if (!from.isEmpty())
        parts << QStringLiteral("%1 >= %2").arg(key, sql::quoteLiteral(from));
    if (!to.isEmpty())
        parts << QStringLiteral("%1 < %2").arg(key, sql::quoteLiteral(to));
    if (parts.isEmpty())
        parts << QStringLiteral("%1 is not null").arg(key);
    return parts.join(QStringLiteral(" and "));
}

} // namespace

bool buildLayout(const ShardingSpec &spec, const ClusterSpec &cluster,
                 const QStringList &regionValues, ShardLayout *layout, QString *error)
{
    *layout = ShardLayout{};
    const QString key = sql::quoteIdent(spec.key);
    for (const QString &w : spec.workers) {
        const NodeSpec *n = cluster.node(w);
        if (!n) {
            *error = QStringLiteral("worker %1 is not in cluster %2").arg(w, cluster.name);
            return false;
        }
        if (w == spec.coordinator) {
            *error = QStringLiteral("%1 is the coordinator; it cannot also be a worker").arg(w);
            return false;
        }
    }
    if (spec.workers.isEmpty() && spec.strategy != ShardStrategy::Range) {
        *error = QStringLiteral("no workers chosen");
        return false;
    }
    switch (spec.strategy) {
    case ShardStrategy::Hash: {
        const int count = spec.shardCount > 0 ? spec.shardCount : int(spec.workers.size());
        layout->partitionBy = QStringLiteral("HASH (%1)").arg(key);
        for (int i = 0; i < count; ++i) {
            Shard s;
            s.table = shardnames::shard(spec.table, i);
            s.worker = spec.workers[i % spec.workers.size()];
            s.bound =
                QStringLiteral("FOR VALUES WITH (MODULUS %1, REMAINDER %2)").arg(count).arg(i);
            s.predicate = QStringLiteral("satisfies_hash_partition(%1::regclass, %2, %3, %4)")
                              .arg(sql::quoteLiteral(sql::quoteQualified(
                                  spec.schema, shardnames::staging(spec.table))))
                              .arg(count)
                              .arg(i)
                              .arg(key);
            s.label = QStringLiteral("hash %1/%2").arg(i).arg(count);
            layout->shards << s;
        }
        break;
    }
    case ShardStrategy::Range: {
        if (spec.ranges.isEmpty()) {
            *error = QStringLiteral("no ranges given");
            return false;
        }
        layout->partitionBy = QStringLiteral("RANGE (%1)").arg(key);
        for (int i = 0; i < spec.ranges.size(); ++i) {
            const RangeShard &r = spec.ranges[i];
            if (!cluster.node(r.worker)) {
                *error = QStringLiteral("range %1 … %2: worker %3 is not in cluster %4")
                             .arg(r.from, r.to, r.worker, cluster.name);
                return false;
            }
            if (r.worker == spec.coordinator) {
                *error = QStringLiteral("range %1 … %2: %3 is the coordinator, not a worker")
                             .arg(r.from, r.to, r.worker);
                return false;
            }
            Shard s;
            s.table = shardnames::shard(spec.table, i);
            s.worker = r.worker;
            s.bound = rangeBound(r.from, r.to);
            s.predicate = rangePredicate(key, r.from, r.to);
            s.label =
                QStringLiteral("%1 … %2").arg(r.from.isEmpty() ? QStringLiteral("min") : r.from,
                                              r.to.isEmpty() ? QStringLiteral("max") : r.to);
            layout->shards << s;
        }
        break;
    }
    case ShardStrategy::Geo: {
        layout->partitionBy = QStringLiteral("LIST (%1)").arg(key);
        if (regionValues.isEmpty()) {
            *error = QStringLiteral("column %1 holds no region values").arg(spec.key);
            return false;
        }
        int i = 0;
        for (const QString &region : regionValues) {
            QString worker;
            for (const QString &w : spec.workers)
                if (cluster.node(w)->region.compare(region, Qt::CaseInsensitive) == 0)
                    worker = w;
            if (worker.isEmpty()) {
                *error = QStringLiteral("region \"%1\" has no worker: give one of %2 "
                                        "`region: %1` in the inventory")
                             .arg(region, spec.workers.join(QStringLiteral(", ")));
                return false;
            }
            Shard s;
            s.table = shardnames::shard(spec.table, i++);
            s.worker = worker;
            s.bound = QStringLiteral("FOR VALUES IN (%1)").arg(sql::quoteLiteral(region));
            s.predicate = QStringLiteral("%1 = %2").arg(key, sql::quoteLiteral(region));
            s.label = region;
            layout->shards << s;
        }
        break;
    }
    }
    for (const Shard &s : std::as_const(layout->shards)) {
        if (s.table.toUtf8().size() > shardnames::kMaxIdentifier ||
            shardnames::original(spec.table).toUtf8().size() > shardnames::kMaxIdentifier) {
            *error = QStringLiteral("table name %1 is too long to name its shards (PostgreSQL "
                                    "keeps %2 bytes of a name)")
                         .arg(spec.table)
                         .arg(shardnames::kMaxIdentifier);
            return false;
        }
    }
    return true;
}

} // namespace pgdeck
