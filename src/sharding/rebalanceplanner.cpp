#include "rebalanceplanner.h"

#include "citusbackend.h"
#include "inventory/inventory.h"
#include "nativebackend.h"
#include "pg/connectionparams.h"
#include "pg/pgconnection.h"

namespace pgdeck {

namespace {

constexpr int kTimeoutMs = 60000;

// Steps of `from` appended to `into`, their ids prefixed so both plans' ids stay unique;
// steps already in `into` (same id and SQL) are not repeated.
void append(Plan *into, const Plan &from, const QString &prefix)
{
    for (auto it = from.nodes().cbegin(); it != from.nodes().cend(); ++it)
        into->setNode(it.key(), it.value());
    for (PlanStep s : from.steps()) {
        const bool repeated =
            std::any_of(into->steps().cbegin(), into->steps().cend(), [&](const PlanStep &o) {
                return o.id.endsWith(s.id) && o.sql == s.sql && o.node == s.node;
            });
        if (repeated)
            continue;
        s.id = prefix + s.id;
        into->add(s);
    }
}

// Citus' own rebalancer decides the moves; its plan function shows them beforehand.
bool citusPreview(PgConnection &coord, const ClusterSpec &cluster, QList<ShardMove> *moves,
                  QString *error)
{
    const PgResult r = coord.execSync(
        // shard_size there is 0 for hash shards: the size comes from citus_shards.
        QStringLiteral("select p.table_name::text, p.shardid::text, coalesce((select "
                       "max(s.shard_size) from citus_shards s where s.shardid = p.shardid), "
                       "p.shard_size), p.sourcename, p.sourceport, p.targetname, p.targetport "
                       "from get_rebalance_table_shards_plan() p"),
        {}, kTimeoutMs);
    if (!r.ok()) {
        *error = r.errorMessage().trimmed();
        return false;
    }
    for (int i = 0; i < r.rowCount(); ++i)
        moves->append(ShardMove{r.text(i, 0), r.text(i, 1),
                                workerNameFor(cluster, r.text(i, 3), r.text(i, 4).toInt()),
                                workerNameFor(cluster, r.text(i, 5), r.text(i, 6).toInt()),
                                QString(), r.text(i, 2).toLongLong()});
    return true;
}

} // namespace

PreparedRebalance prepareRebalance(const ClusterSpec &cluster, const RebalanceRequest &request)
{
    PreparedRebalance out;
    const NodeSpec *coordNode = cluster.node(request.coordinator);
    if (!coordNode) {
        out.error = QStringLiteral("coordinator %1 is not in cluster %2")
                        .arg(request.coordinator, cluster.name);
        return out;
    }
    QStringList named = request.workers + request.newWorkers + request.drain;
    named.removeDuplicates();
    QStringList problems;
    for (const QString &w : std::as_const(named)) {
        const NodeSpec *n = cluster.node(w);
        if (!n) {
            problems << QStringLiteral("worker %1 is not in cluster %2").arg(w, cluster.name);
            continue;
        }
        if (w == request.coordinator) {
            problems << QStringLiteral("%1 is the coordinator, not a worker").arg(w);
            continue;
        }
        if (request.drain.contains(w) &&
            (request.workers.contains(w) || request.newWorkers.contains(w)))
            problems << QStringLiteral("%1 is both drained and kept").arg(w);
        PgConnection c;
        c.setParams(ConnectionParams::fromNode(*n));
        if (!c.waitForReady(10000))
            problems
                << QStringLiteral("worker %1 not reachable: %2").arg(w, c.lastError().trimmed());
    }
    if (!problems.isEmpty()) {
        out.error = problems.join(QStringLiteral("; "));
        return out;
    }
    if (!readShardDistribution(cluster, request.coordinator, &out.distribution, &out.error))
        return out;
    out.backend = out.distribution.backend;
    if (!out.distribution.moves.isEmpty() && out.backend == QLatin1String("native")) {
        out.error = QStringLiteral("%1 shard move(s) of an earlier rebalance are unfinished: "
                                   "resume that plan, or undo them (pgdeckctl rebalance --abort)")
                        .arg(out.distribution.moves.size());
        return out;
    }
    QStringList workers = request.workers;
    if (workers.isEmpty())
        workers = out.distribution.shardsPerWorker().keys();
    for (const QString &w : request.newWorkers)
        if (!workers.contains(w))
            workers << w;

    PgConnection coord;
    coord.setParams(ConnectionParams::fromNode(*coordNode));
    if (!coord.waitForReady(10000)) {
        out.error = QStringLiteral("coordinator %1 not reachable: %2")
                        .arg(request.coordinator, coord.lastError().trimmed());
        return out;
    }

    if (out.backend == QLatin1String("citus")) {
        out.proposal.before = out.distribution.bytesPerWorker();
        if (request.newWorkers.isEmpty() && request.drain.isEmpty() &&
            !citusPreview(coord, cluster, &out.proposal.moves, &out.error))
            return out;
        if (!request.newWorkers.isEmpty() || !request.drain.isEmpty())
            out.proposal.notes << QStringLiteral("Citus chooses the moves when it runs, after "
                                                 "the workers are added or drained");
        Plan plan(QStringLiteral("Rebalance shards (Citus)"), cluster.name);
        if (!request.newWorkers.isEmpty())
            append(&plan,
                   CitusBackend::addWorkersPlan(cluster, request.coordinator, request.newWorkers),
                   QStringLiteral("add-"));
        for (const QString &w : request.drain)
            append(&plan, CitusBackend::drainPlan(cluster, request.coordinator, w),
                   QStringLiteral("drain-%1-").arg(w));
        append(&plan,
               CitusBackend::rebalancePlan(cluster, request.coordinator,
                                           CitusBackend::lastRebalanceJob(coord)),
               QStringLiteral("rebalance-"));
        if (out.proposal.moves.isEmpty() && request.newWorkers.isEmpty() && request.drain.isEmpty())
            return out; // balanced already: nothing to run
        out.plan = plan;
        return out;
    }

    out.proposal = proposeRebalance(out.distribution, workers, request.drain);
    if (!out.proposal.ok())
        return out;
    QHash<QString, TableInfo> parents;
    if (!inspectMoves(coord, &out.proposal.moves, &parents, &out.error))
        return out;
    if (out.proposal.moves.isEmpty() && request.newWorkers.isEmpty())
        return out; // balanced already: nothing to run
    const NativeBackend native;
    Plan plan(request.newWorkers.isEmpty()
                  ? QStringLiteral("Rebalance: move %1 shard(s)").arg(out.proposal.moves.size())
                  : QStringLiteral("Add %1 and move %2 shard(s)")
                        .arg(request.newWorkers.join(QStringLiteral(", ")))
                        .arg(out.proposal.moves.size()),
              cluster.name);
    if (!request.newWorkers.isEmpty())
        append(&plan, native.addWorkersPlan(cluster, request.coordinator, request.newWorkers),
               QStringLiteral("add-"));
    append(&plan, native.rebalancePlan(cluster, request.coordinator, out.proposal.moves, parents),
           QString());
    out.plan = plan;
    return out;
}

bool prepareAbortMoves(const ClusterSpec &cluster, const QString &coordinator, Plan *plan,
                       QString *error)
{
    QList<ShardMoveProgress> underWay;
    if (!readMoveProgress(cluster, coordinator, &underWay, error))
        return false;
    QList<ShardMove> moves;
    for (const ShardMoveProgress &p : std::as_const(underWay))
        moves << ShardMove{p.table, p.shard, p.from, p.to};
    *plan = Plan();
    if (moves.isEmpty())
        return true;
    for (const ShardMove &m : std::as_const(moves))
        for (const QString &w : {m.from, m.to})
            if (!cluster.node(w)) {
                *error = QStringLiteral("shard %1 moves between nodes not in cluster %2 (%3)")
                             .arg(m.shard, cluster.name, w);
                return false;
            }
    PgConnection coord;
    coord.setParams(ConnectionParams::fromNode(*cluster.node(coordinator)));
    QHash<QString, TableInfo> parents;
    if (!coord.waitForReady(10000) || !inspectMoves(coord, &moves, &parents, error)) {
        if (error->isEmpty())
            *error = coord.lastError().trimmed();
        return false;
    }
    *plan = NativeBackend().abortMovesPlan(cluster, coordinator, moves);
    return true;
}

} // namespace pgdeck
