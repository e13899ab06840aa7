// pgdeckctl rebalance and add-worker: even out the shards over the workers, add workers to
// a sharded cluster, empty a worker, or undo the moves an interrupted rebalance left.
#include "ctlcommand.h"

#include "inventory/inventory.h"
#include "pg/pgconnection.h"
#include "plan/plan.h"
#include "sharding/citusbackend.h"
#include "sharding/rebalanceplanner.h"
#include "texttable.h"

#include <QLocale>

namespace pgdeck {

namespace {

QString load(qint64 v, bool bySize)
{
    return bySize ? QLocale::c().formattedDataSize(v, 1, QLocale::DataSizeTraditionalFormat)
                  : QStringLiteral("%1 shards").arg(v);
}

QStringList list(const QString &value)
{
    return value.split(QLatin1Char(','), Qt::SkipEmptyParts);
}

} // namespace

int CtlCommand::rebalance(const QStringList &newWorkers)
{
    ClusterSpec cluster;
    if (!loadShardingCluster(&cluster))
        return 2;
    RebalanceRequest request;
    request.coordinator = m_parser.value(QStringLiteral("coordinator"));
    for (const NodeSpec &n : cluster.nodes)
        if (request.coordinator.isEmpty() && n.role == QLatin1String("coordinator"))
            request.coordinator = n.name;
    if (!cluster.node(request.coordinator))
        return usage(QStringLiteral("no coordinator: give --coordinator NODE"));

    if (m_parser.isSet(QStringLiteral("stop"))) {
        // Citus: the background job stops after the move under way; moves done stay done.
        PgConnection coord;
        bool citus = false;
        QString error;
        if (!openCoordinator(cluster, request.coordinator, &coord, &citus, &error) || !citus) {
            m_err << "pgdeckctl: "
                  << (error.isEmpty() ? QStringLiteral("--stop is for Citus rebalances; a native "
                                                       "run stops with Ctrl-C and resumes or "
                                                       "--abort undoes its unfinished moves")
                                      : error)
                  << "\n";
            m_err.flush();
            return 1;
        }
        const PgResult r = coord.execSync(CitusBackend::stopRebalanceSql(), {}, 60000);
        if (!r.ok()) {
            m_err << "pgdeckctl: " << r.errorMessage().trimmed() << "\n";
            m_err.flush();
            return 1;
        }
        m_out << "rebalance stopped\n";
        return 0;
    }
    if (m_parser.isSet(QStringLiteral("abort"))) {
        Plan plan;
        QString error;
        if (!prepareAbortMoves(cluster, request.coordinator, &plan, &error)) {
            m_err << "pgdeckctl: " << error << "\n";
            m_err.flush();
            return 1;
        }
        if (plan.steps().isEmpty()) {
            m_out << "no unfinished shard moves\n";
            return 0;
        }
        return m_parser.isSet(QStringLiteral("apply")) ? runPlan(plan) : printPlan(plan);
    }

    request.workers = list(m_parser.value(QStringLiteral("workers")));
    request.newWorkers = newWorkers;
    request.drain = list(m_parser.value(QStringLiteral("drain")));
    const PreparedRebalance r = prepareRebalance(cluster, request);
    if (!r.error.isEmpty()) {
        m_err << "pgdeckctl: " << r.error << "\npgdeckctl: nothing changed\n";
        m_err.flush();
        return 1;
    }
    m_out << "backend: " << r.backend << "\n";
    for (const QString &e : r.proposal.errors)
        m_err << "error: " << e << "\n";
    if (!r.proposal.ok()) {
        m_err << "pgdeckctl: nothing changed\n";
        m_err.flush();
        return 1;
    }
    for (const QString &n : r.proposal.notes)
        m_out << "note: " << n << "\n";
    if (!r.proposal.moves.isEmpty()) {
        TextTable t({QStringLiteral("TABLE"), QStringLiteral("SHARD"), QStringLiteral("FROM"),
                     QStringLiteral("TO"), QStringLiteral("SIZE")},
                    {false, false, false, false, true});
        for (const ShardMove &m : r.proposal.moves)
            t.add({{m.table},
                   {m.shard},
                   {m.from},
                   {m.to},
                   {m.bytes < 0 ? QStringLiteral("?") : load(m.bytes, true)}});
        m_out << t.render(false);
    }
    QStringList workers = r.proposal.before.keys();
    for (const QString &w : r.proposal.after.keys())
        if (!workers.contains(w))
            workers << w;
    for (const QString &w : std::as_const(workers)) {
        m_out << QStringLiteral("%1: %2").arg(w,
                                              load(r.proposal.before.value(w), r.proposal.bySize));
        if (!r.proposal.after.isEmpty())
            m_out << QStringLiteral(" -> %1").arg(
                load(r.proposal.after.value(w), r.proposal.bySize));
        m_out << "\n";
    }
    if (!r.proposal.after.isEmpty())
        m_out << QStringLiteral("skew (largest worker / mean): %1 -> %2\n")
                     .arg(RebalanceProposal::skew(r.proposal.before), 0, 'f', 2)
                     .arg(RebalanceProposal::skew(r.proposal.after), 0, 'f', 2);
    if (r.plan.steps().isEmpty()) {
        m_out << "balanced already: nothing to move\n";
        return 0;
    }
    if (!m_parser.isSet(QStringLiteral("apply")))
        return printPlan(r.plan);
    m_out.flush();
    return runPlan(r.plan);
}

int CtlCommand::addWorker(const QString &workers)
{
    const QStringList added = list(workers);
    if (added.isEmpty())
        return usage(QStringLiteral("add-worker needs the worker's node name"));
    return rebalance(added);
}

} // namespace pgdeck
