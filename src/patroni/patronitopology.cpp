#include "patronitopology.h"

namespace pgdeck {

void applyPatroni(Topology *topology, const PatroniSnapshot &snapshot)
{
    if (!snapshot.reachable)
        return;
    topology->patroniManaged = true;
    topology->patroniPaused = snapshot.state.paused;
    for (const PatroniMember &m : snapshot.state.members) {
        TopologyNode *node = nullptr;
        for (TopologyNode &n : topology->nodes)
            if (n.name == m.name)
                node = &n;
        if (!node) {
            TopologyNode added;
            added.name = m.name;
            added.inInventory = false;
            added.address = QStringLiteral("%1:%2").arg(m.host).arg(m.port);
            topology->nodes << added;
            node = &topology->nodes.last();
        }
        node->patroniRole = m.role;
        node->patroniState = m.state;
        node->timeline = m.timeline;
        node->pendingRestart = m.pendingRestart;
        // Before the servers answer, Patroni's word is the best guess of the role.
        if (node->role == TopologyNode::Role::Unknown)
            node->role = m.isLeader() ? TopologyNode::Role::Primary : TopologyNode::Role::Standby;
    }
}

} // namespace pgdeck
