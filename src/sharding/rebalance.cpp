#include "rebalance.h"

#include "inventory/inventory.h"
#include "pg/connectionparams.h"
#include "pg/pgconnection.h"
#include "pg/quoting.h"

#include <QSet>
#include <algorithm>

namespace pgdeck {

namespace {

constexpr int kTimeoutMs = 60000;
const QChar kSeparator(0x1f);

bool placedByRegion(const ShardPlacement &p)
{
    return p.bound.startsWith(QLatin1String("FOR VALUES IN"));
}

} // namespace

double RebalanceProposal::skew(const QMap<QString, qint64> &load)
{
    qint64 max = 0, sum = 0;
    for (qint64 v : load) {
        max = qMax(max, v);
        sum += v;
    }
    return load.isEmpty() || sum == 0 ? 0 : double(max) / (double(sum) / double(load.size()));
}

RebalanceProposal proposeRebalance(const ShardDistribution &d, const QStringList &workers,
                                   const QStringList &drain)
{
    RebalanceProposal r;
    QStringList targets;
    for (const QString &w : workers)
        if (!drain.contains(w) && !targets.contains(w))
            targets << w;
    if (targets.isEmpty()) {
        r.errors << QStringLiteral("no worker left to hold the shards");
        return r;
    }
    r.bySize = std::all_of(d.placements.cbegin(), d.placements.cend(),
                           [](const ShardPlacement &p) { return p.bytes >= 0; });
    auto weight = [&](const ShardPlacement &p) { return r.bySize ? p.bytes : qint64(1); };

    QMap<QString, qint64> load;
    for (const QString &w : targets)
        load[w] = 0;
    for (const ShardPlacement &p : d.placements)
        load[p.worker] += weight(p);
    r.before = load;

    // Where each placement ends up; the moves are the differences at the end.
    QList<QString> at;
    for (const ShardPlacement &p : d.placements)
        at << p.worker;
    auto lightest = [&] {
        QString best = targets.first();
        for (const QString &w : targets)
            if (load[w] < load[best])
                best = w;
        return best;
    };

    // First empty the workers that leave (drained, or not among the targets), largest first.
    QList<int> leaving;
    for (int i = 0; i < d.placements.size(); ++i) {
        if (targets.contains(at[i]))
            continue;
        if (placedByRegion(d.placements[i])) {
            if (drain.contains(at[i]))
                r.errors << QStringLiteral("shard %1 of %2 is placed by region on %3: move it "
                                           "by sharding the table again, not by draining %3")
                                .arg(d.placements[i].shard, d.placements[i].table, at[i]);
            continue;
        }
        leaving << i;
    }
    std::stable_sort(leaving.begin(), leaving.end(), [&](int a, int b) {
        return weight(d.placements[a]) > weight(d.placements[b]);
    });
    for (int i : leaving) {
        const QString to = lightest();
        load[at[i]] -= weight(d.placements[i]);
        load[to] += weight(d.placements[i]);
        at[i] = to;
    }

    // Then narrow the gap between the heaviest and the lightest target while a move can.
    for (int guard = 0; guard < 100000; ++guard) {
        QString heavy = targets.first();
        for (const QString &w : targets)
            if (load[w] > load[heavy])
                heavy = w;
        const QString light = lightest();
        const qint64 gap = load[heavy] - load[light];
        int pick = -1;
        qint64 pickDistance = 0;
        for (int i = 0; i < d.placements.size(); ++i) {
            const qint64 w = weight(d.placements[i]);
            if (at[i] != heavy || w <= 0 || w >= gap || placedByRegion(d.placements[i]))
                continue;
            const qint64 distance = qAbs(gap - 2 * w); // best: half the gap
            if (pick < 0 || distance < pickDistance) {
                pick = i;
                pickDistance = distance;
            }
        }
        if (pick < 0)
            break;
        load[heavy] -= weight(d.placements[pick]);
        load[light] += weight(d.placements[pick]);
        at[pick] = light;
    }

    for (int i = 0; i < d.placements.size(); ++i) {
        const ShardPlacement &p = d.placements[i];
        if (placedByRegion(p))
            continue;
        if (at[i] != p.worker)
            r.moves << ShardMove{p.table, p.shard, p.worker, at[i], p.bound, p.bytes};
    }
    r.after = load;
    for (const QString &w : drain)
        if (r.after.value(w) == 0)
            r.after.remove(w);
    int regional = 0;
    for (const ShardPlacement &p : d.placements)
        regional += placedByRegion(p) ? 1 : 0;
    if (regional > 0)
        r.notes << QStringLiteral("%1 shard(s) placed by region stay on their region's worker")
                       .arg(regional);
    return r;
}

bool inspectMoves(PgConnection &coordinator, QList<ShardMove> *moves,
                  QHash<QString, TableInfo> *parents, QString *error)
{
    QStringList shards;
    for (const ShardMove &m : std::as_const(*moves))
        shards << m.table + kSeparator + m.shard;
    // Each shard: the partition of `table` named `shard`, with the foreign table it reads.
    const PgResult r = coordinator.execSync(
        QStringLiteral(
            "select x, n.nspname, coalesce((select option_value from "
            "pg_options_to_table(ft.ftoptions) where option_name = 'schema_name'), n.nspname), "
            "coalesce((select option_value from pg_options_to_table(ft.ftoptions) where "
            "option_name = 'table_name'), c.relname) from unnest(string_to_array($1, chr(30))) "
            "x join pg_inherits i on i.inhparent = to_regclass(split_part(x, chr(31), 1)) join "
            "pg_class c on c.oid = i.inhrelid and c.relname = split_part(x, chr(31), 2) join "
            "pg_namespace n on n.oid = c.relnamespace join pg_foreign_table ft on ft.ftrelid = "
            "c.oid"),
        {shards.join(QChar(0x1e))}, kTimeoutMs);
    if (!r.ok()) {
        *error = r.errorMessage().trimmed();
        return false;
    }
    QHash<QString, int> found;
    for (int i = 0; i < r.rowCount(); ++i)
        found.insert(r.text(i, 0), i);
    for (ShardMove &m : *moves) {
        const auto it = found.constFind(m.table + kSeparator + m.shard);
        if (it == found.constEnd()) {
            *error = QStringLiteral("shard %1 is no longer a foreign partition of %2; read the "
                                    "distribution again")
                         .arg(m.shard, m.table);
            return false;
        }
        m.schema = r.text(*it, 1);
        m.sourceRemote = sql::quoteQualified(r.text(*it, 2), r.text(*it, 3));
        if (parents->contains(m.table))
            continue;
        const PgResult name = coordinator.execSync(
            QStringLiteral("select n.nspname, c.relname from pg_class c join pg_namespace n on "
                           "n.oid = c.relnamespace where c.oid = to_regclass($1)"),
            {m.table}, kTimeoutMs);
        TableInfo info;
        if (!name.ok() || name.rowCount() != 1 ||
            !inspect::table(coordinator, name.text(0, 0), name.text(0, 1), &info, error)) {
            if (error->isEmpty())
                *error =
                    QStringLiteral("sharded table %1 not found on the coordinator").arg(m.table);
            return false;
        }
        parents->insert(m.table, info);
    }
    return true;
}

namespace {

bool readNativeMoves(PgConnection &coord, const ClusterSpec &cluster, QList<ShardMoveProgress> *out,
                     QString *error)
{
    // New copies and the partitions they replace; both are foreign tables.
    const PgResult r = coord.execSync(
        QStringLiteral(
            "with t as (select c.oid, n.nspname, c.relname, s.srvoptions, ft.ftoptions from "
            "pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_foreign_table ft "
            "on ft.ftrelid = c.oid join pg_foreign_server s on s.oid = ft.ftserver), "
            "o as (select option_name k, option_value v, t.oid from t, "
            "pg_options_to_table(t.srvoptions) union all select option_name, option_value, "
            "t.oid from t, pg_options_to_table(t.ftoptions)) "
            "select coalesce(i.inhparent::regclass::text, ''), old.relname, "
            "(select v from o where o.oid = old.oid and k = 'host'), coalesce((select v from o "
            "where o.oid = old.oid and k = 'port'), '5432'), coalesce((select v from o where "
            "o.oid = old.oid and k = 'schema_name'), old.nspname), coalesce((select v from o "
            "where o.oid = old.oid and k = 'table_name'), old.relname), "
            "(select v from o where o.oid = new.oid and k = 'host'), coalesce((select v from o "
            "where o.oid = new.oid and k = 'port'), '5432'), coalesce((select v from o where "
            "o.oid = new.oid and k = 'schema_name'), new.nspname), coalesce((select v from o "
            "where o.oid = new.oid and k = 'table_name'), new.relname) "
            "from t new join t old on old.nspname = new.nspname and old.relname || $1 = "
            "new.relname left join pg_inherits i on i.inhrelid = old.oid order by 1, 2"),
        {movingSuffix()}, kTimeoutMs);
    if (!r.ok()) {
        *error = r.errorMessage().trimmed();
        return false;
    }
    // Sizes: one query per worker for all the tables asked of it.
    QMap<QString, QStringList> tablesOn;
    QList<QPair<QString, QString>> remotes; // (source, copy) per row
    for (int i = 0; i < r.rowCount(); ++i) {
        ShardMoveProgress p;
        p.table = r.text(i, 0);
        p.shard = r.text(i, 1);
        p.from = workerNameFor(cluster, r.text(i, 2), r.text(i, 3).toInt());
        p.to = workerNameFor(cluster, r.text(i, 6), r.text(i, 7).toInt());
        const QString source = sql::quoteQualified(r.text(i, 4), r.text(i, 5));
        const QString copy = sql::quoteQualified(r.text(i, 8), r.text(i, 9));
        tablesOn[p.from] << source;
        tablesOn[p.to] << copy;
        remotes << qMakePair(source, copy);
        out->append(p);
    }
    const int first = int(out->size()) - int(remotes.size());
    for (auto it = tablesOn.cbegin(); it != tablesOn.cend(); ++it) {
        const NodeSpec *n = cluster.node(it.key());
        if (!n)
            continue;
        PgConnection w;
        w.setParams(ConnectionParams::fromNode(*n));
        if (!w.waitForReady(5000))
            continue; // sizes stay unknown
        // pg_relation_size reads the file, so rows copied by an open transaction count.
        const PgResult s =
            w.execSync(QStringLiteral("select t, pg_relation_size(to_regclass(t)) from "
                                      "unnest(string_to_array($1, chr(31))) t"),
                       {it.value().join(kSeparator)}, kTimeoutMs);
        QHash<QString, qint64> size;
        for (int i = 0; s.ok() && i < s.rowCount(); ++i)
            if (!s.isNull(i, 1))
                size.insert(s.text(i, 0), s.text(i, 1).toLongLong());
        for (int i = 0; i < remotes.size(); ++i) {
            ShardMoveProgress &p = (*out)[first + i];
            if (p.from == it.key() && size.contains(remotes[i].first))
                p.sourceBytes = size.value(remotes[i].first);
            if (p.to == it.key() && size.contains(remotes[i].second))
                p.copiedBytes = size.value(remotes[i].second);
        }
    }
    return true;
}

bool readCitusMoves(PgConnection &coord, const ClusterSpec &cluster, QList<ShardMoveProgress> *out,
                    QString *error)
{
    // progress: 0 waiting, 1 moving, 2 done (Citus' get_rebalance_progress()).
    const PgResult r = coord.execSync(
        QStringLiteral("select table_name::text, shardid::text, sourcename, sourceport, "
                       "targetname, targetport, source_shard_size, target_shard_size, progress "
                       "from get_rebalance_progress() order by 1, 2"),
        {}, kTimeoutMs);
    if (!r.ok()) {
        *error = r.errorMessage().trimmed();
        return false;
    }
    for (int i = 0; i < r.rowCount(); ++i) {
        ShardMoveProgress p;
        p.table = r.text(i, 0);
        p.shard = r.text(i, 1);
        p.from = workerNameFor(cluster, r.text(i, 2), r.text(i, 3).toInt());
        p.to = workerNameFor(cluster, r.text(i, 4), r.text(i, 5).toInt());
        p.sourceBytes = r.text(i, 6).toLongLong();
        p.copiedBytes = r.text(i, 7).toLongLong();
        p.done = r.text(i, 8).toInt() == 2;
        out->append(p);
    }
    return true;
}

} // namespace

bool readMoveProgress(PgConnection &coordinator, const ClusterSpec &cluster, bool citus,
                      QList<ShardMoveProgress> *out, QString *error)
{
    return citus ? readCitusMoves(coordinator, cluster, out, error)
                 : readNativeMoves(coordinator, cluster, out, error);
}

bool readMoveProgress(const ClusterSpec &cluster, const QString &coordinator,
                      QList<ShardMoveProgress> *out, QString *error)
{
    out->clear();
    PgConnection coord;
    bool citus = false;
    return openCoordinator(cluster, coordinator, &coord, &citus, error) &&
           readMoveProgress(coord, cluster, citus, out, error);
}

} // namespace pgdeck
