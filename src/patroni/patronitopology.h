#pragma once

#include "patroniwatcher.h"
#include "topology/topology.h"

namespace pgdeck {

// Adds Patroni's view to the topology the servers gave: each member's Patroni role, state,
// timeline and pending restart, and whether the cluster is paused. A member Patroni lists
// that the inventory lacks is added as an unknown node. Stale snapshots change nothing.
void applyPatroni(Topology *topology, const PatroniSnapshot &snapshot);

} // namespace pgdeck
