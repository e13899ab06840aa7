#include "sharddistribution.h"

#include "inventory/inventory.h"
#include "pg/connectionparams.h"
#include "pg/pgconnection.h"
#include "pg/quoting.h"
#include "rebalance.h"

namespace pgdeck {

namespace {

constexpr int kTimeoutMs = 60000;
const QChar kSeparator(0x1f); // between relation names sent as one parameter

bool readCitus(PgConnection &coord, const ClusterSpec &cluster, ShardDistribution *out,
               QString *error)
{
    const PgResult r = coord.execSync(
        QStringLiteral("select s.table_name::text, s.shard_name, s.nodename, s.nodeport, "
                       "coalesce(d.shardminvalue || ' … ' || d.shardmaxvalue, ''), s.shard_size "
                       "from citus_shards s join pg_dist_shard d using (shardid) "
                       "order by 1, s.shardid"),
        {}, kTimeoutMs);
    if (!r.ok()) {
        *error = r.errorMessage().trimmed();
        return false;
    }
    out->backend = QStringLiteral("citus");
    out->placements.reserve(r.rowCount());
    for (int i = 0; i < r.rowCount(); ++i)
        out->placements << ShardPlacement{
            r.text(i, 0), r.text(i, 1), workerNameFor(cluster, r.text(i, 2), r.text(i, 3).toInt()),
            r.text(i, 4), -1,           r.text(i, 5).toLongLong()};
    return true;
}

bool readNative(PgConnection &coord, const ClusterSpec &cluster, ShardDistribution *out,
                QString *error)
{
    const PgResult r = coord.execSync(
        QStringLiteral(
            "select p.oid::regclass::text, c.relname, pg_get_expr(c.relpartbound, c.oid), "
            "s.srvname, coalesce((select option_value from pg_options_to_table(s.srvoptions) "
            "where option_name = 'host'), ''), coalesce((select option_value from "
            "pg_options_to_table(s.srvoptions) where option_name = 'port'), '5432'), "
            "coalesce((select option_value from pg_options_to_table(ft.ftoptions) where "
            "option_name = 'schema_name'), n.nspname), coalesce((select option_value from "
            "pg_options_to_table(ft.ftoptions) where option_name = 'table_name'), c.relname) "
            "from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_namespace n on "
            "n.oid = c.relnamespace join pg_class p on p.oid = i.inhparent join "
            "pg_foreign_table ft on ft.ftrelid = c.oid join pg_foreign_server s on s.oid = "
            "ft.ftserver order by 1, 2"),
        {}, kTimeoutMs);
    if (!r.ok()) {
        *error = r.errorMessage().trimmed();
        return false;
    }
    out->backend = QStringLiteral("native");
    QMap<QString, QStringList> remoteByWorker;
    QList<QString> remote;
    for (int i = 0; i < r.rowCount(); ++i) {
        ShardPlacement p{r.text(i, 0), r.text(i, 1),
                         workerNameFor(cluster, r.text(i, 4), r.text(i, 5).toInt()), r.text(i, 2)};
        remote << sql::quoteQualified(r.text(i, 6), r.text(i, 7));
        remoteByWorker[p.worker] << remote.last();
        out->placements << p;
    }
    for (auto it = remoteByWorker.cbegin(); it != remoteByWorker.cend(); ++it) {
        const NodeSpec *n = cluster.node(it.key());
        if (!n)
            continue; // sizes unknown: shown as such
        PgConnection w;
        w.setParams(ConnectionParams::fromNode(*n));
        if (!w.waitForReady(10000))
            continue;
        const PgResult s = w.execSync(
            QStringLiteral("select t, pg_total_relation_size(to_regclass(t)), (select "
                           "greatest(reltuples, 0)::bigint from pg_class where oid = "
                           "to_regclass(t)) from unnest(string_to_array($1, chr(31))) t"),
            {it.value().join(kSeparator)}, kTimeoutMs);
        QHash<QString, int> row;
        for (int i = 0; s.ok() && i < s.rowCount(); ++i)
            row.insert(s.text(i, 0), i);
        for (int i = 0; i < out->placements.size(); ++i) {
            ShardPlacement &p = out->placements[i];
            const auto found = row.constFind(remote[i]);
            if (p.worker != it.key() || found == row.constEnd())
                continue;
            p.bytes = s.text(*found, 1).toLongLong();
            p.rows = s.text(*found, 2).toLongLong();
        }
    }
    return true;
}

} // namespace

QString workerNameFor(const ClusterSpec &cluster, const QString &host, int port)
{
    for (const NodeSpec &n : cluster.nodes)
        if (n.host == host && (n.port ? n.port : 5432) == port)
            return n.name;
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

QMap<QString, qint64> ShardDistribution::bytesPerWorker() const
{
    QMap<QString, qint64> out;
    for (const ShardPlacement &p : placements)
        out[p.worker] += qMax<qint64>(0, p.bytes);
    return out;
}

QMap<QString, int> ShardDistribution::shardsPerWorker() const
{
    QMap<QString, int> out;
    for (const ShardPlacement &p : placements)
        ++out[p.worker];
    return out;
}

double ShardDistribution::skew() const
{
    const QMap<QString, qint64> bytes = bytesPerWorker();
    qint64 max = 0, sum = 0;
    for (qint64 b : bytes) {
        max = qMax(max, b);
        sum += b;
    }
    return bytes.isEmpty() || sum == 0 ? 0 : double(max) / (double(sum) / double(bytes.size()));
}

bool openCoordinator(const ClusterSpec &cluster, const QString &coordinator,
                     PgConnection *connection, bool *citus, QString *error)
{
    const NodeSpec *n = cluster.node(coordinator);
    if (!n) {
        *error =
            QStringLiteral("coordinator %1 is not in cluster %2").arg(coordinator, cluster.name);
        return false;
    }
    connection->setParams(ConnectionParams::fromNode(*n));
    if (!connection->waitForReady(10000)) {
        *error = QStringLiteral("coordinator %1 not reachable: %2")
                     .arg(coordinator, connection->lastError().trimmed());
        return false;
    }
    const PgResult r = connection->execSync(
        QStringLiteral("select exists (select 1 from pg_extension where extname = 'citus')"), {},
        kTimeoutMs);
    *citus = r.ok() && r.text(0, 0) == QLatin1String("t");
    return true;
}

bool readShardDistribution(const ClusterSpec &cluster, const QString &coordinator,
                           ShardDistribution *out, QString *error)
{
    *out = ShardDistribution{};
    PgConnection coord;
    bool isCitus = false;
    if (!openCoordinator(cluster, coordinator, &coord, &isCitus, error))
        return false;
    // Native foreign partitions always; Citus shards too where Citus is (both can coexist).
    if (!readNative(coord, cluster, out, error))
        return false;
    if (isCitus) {
        ShardDistribution citus;
        if (!readCitus(coord, cluster, &citus, error))
            return false;
        out->backend = citus.backend; // Citus runs this cluster's rebalances
        out->placements += citus.placements;
    }
    QString movesError; // the distribution stands without them
    readMoveProgress(coord, cluster, isCitus, &out->moves, &movesError);
    return true;
}

} // namespace pgdeck
