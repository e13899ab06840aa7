#pragma once

#include "inventory/inventory.h"
#include "patronispec.h"
#include "plan/plan.h"

#include <QStringList>

namespace pgdeck {

// Problems with the spec itself (names, ports, paths, DCS), found before any host is asked.
QStringList validatePatroniSpec(const PatroniClusterSpec &spec, bool creating = true);

// Creates the cluster: checks every host first (Patroni and PostgreSQL installed, data
// directory empty, ports free) and the DCS, then writes each member's patroni.yml, starts
// the first member and waits until it leads, then starts the others and waits until each
// runs as a replica. A failed step stops the plan before the next host is touched;
// re-running skips what is done. patroniStopPlan() undoes it, keeping the data.
Plan patroniCreatePlan(const PatroniClusterSpec &spec);

// Starts the members of a cluster created before (after patroniStopPlan), waiting until
// each one's PostgreSQL runs.
Plan patroniStartPlan(const PatroniClusterSpec &spec);

// Stops every member's Patroni (and with it PostgreSQL). Data directories stay.
Plan patroniStopPlan(const PatroniClusterSpec &spec);

// The inventory cluster for the new Patroni cluster: one node per member, with its REST URL.
ClusterSpec patroniInventoryCluster(const PatroniClusterSpec &spec);

} // namespace pgdeck
