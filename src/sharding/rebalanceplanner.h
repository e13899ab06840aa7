#pragma once

#include "plan/plan.h"
#include "rebalance.h"

#include <QStringList>

namespace pgdeck {

struct ClusterSpec;

// What the user asks of a rebalance: the workers that hold shards afterwards, workers to add
// to the sharded cluster first, workers to empty.
struct RebalanceRequest {
    QString coordinator;
    QStringList workers; // includes newWorkers; empty = every worker that holds shards
    QStringList newWorkers;
    QStringList drain;
};

// Everything a preview shows and a run needs, read from the servers.
struct PreparedRebalance {
    QString backend; // "native" or "citus"
    ShardDistribution distribution;
    RebalanceProposal proposal; // native: the moves pgdeck makes; Citus: its rebalancer's plan
    Plan plan;                  // empty when there is nothing to do
    QString error;              // set when nothing may run; names the problem

    bool ok() const { return error.isEmpty() && proposal.ok(); }
};

// Connects to the coordinator and the workers named, reads the distribution, checks the
// request (unknown or unreachable workers, a worker both drained and kept) and compiles the
// Plan: for native sharding the adds and moves of proposeRebalance(); for Citus
// citus_add_node, citus_drain_node and its background rebalancer. Blocking: call it off the
// GUI thread.
PreparedRebalance prepareRebalance(const ClusterSpec &cluster, const RebalanceRequest &request);

// Undoes the native moves left half done by an interrupted rebalance, found on the servers.
// Returns an empty plan when none is left.
bool prepareAbortMoves(const ClusterSpec &cluster, const QString &coordinator, Plan *plan,
                       QString *error);

} // namespace pgdeck
