#include "topology.h"

#include <QHash>

namespace pgdeck {

QString TopologyNode::roleName(Role role)
{
    switch (role) {
    case Role::Primary:
        return QStringLiteral("primary");
    case Role::Standby:
        return QStringLiteral("standby");
    case Role::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

const TopologyNode *Topology::node(const QString &name) const
{
    for (const TopologyNode &n : nodes)
        if (n.name == name)
            return &n;
    return nullptr;
}

QStringList Topology::primaries() const
{
    QStringList out;
    for (const TopologyNode &n : nodes)
        if (n.role == TopologyNode::Role::Primary)
            out << n.name;
    return out;
}

Topology Topology::build(const ClusterSpec &cluster, const QList<NodeStatus> &statuses)
{
    Topology t;
    t.cluster = cluster.name;
    QHash<QString, NodeStatus> byNode;
    for (const NodeStatus &s : statuses)
        if (s.cluster == cluster.name)
            byNode.insert(s.node, s);

    for (const NodeSpec &spec : cluster.nodes) {
        TopologyNode n;
        n.name = spec.name;
        n.address =
            spec.host.isEmpty()
                ? QStringLiteral("service=%1").arg(spec.service)
                : QStringLiteral("%1:%2").arg(spec.host).arg(spec.port > 0 ? spec.port : 5432);
        const NodeStatus s = byNode.value(spec.name);
        n.health = s.health();
        if (s.hasSample())
            n.role = s.inRecovery ? TopologyNode::Role::Standby : TopologyNode::Role::Primary;
        else if (spec.role == QLatin1String("primary") || spec.role == QLatin1String("coordinator"))
            n.role = TopologyNode::Role::Primary; // what the inventory says until a server answers
        else if (spec.role == QLatin1String("standby"))
            n.role = TopologyNode::Role::Standby;
        t.nodes << n;
    }

    auto findNode = [&](const QString &name) -> TopologyNode * {
        for (TopologyNode &n : t.nodes)
            if (n.name == name)
                return &n;
        return nullptr;
    };
    // Who streams from whom, as each upstream's walsenders report it.
    for (const NodeSpec &spec : cluster.nodes) {
        const NodeStatus s = byNode.value(spec.name);
        if (!s.hasSample() || !s.reachable)
            continue;
        for (const StandbyLag &l : s.standbyLags) {
            QString target;
            if (findNode(l.name) && l.name != spec.name)
                target = l.name;
            if (target.isEmpty()) {
                // Not named after a node: maybe a standby whose receiver points at this upstream.
                for (const NodeSpec &other : cluster.nodes) {
                    const NodeStatus os = byNode.value(other.name);
                    if (os.receiver.present &&
                        os.receiver.senderPort == (spec.port > 0 ? spec.port : 5432) &&
                        os.receiver.senderHost == spec.host && other.host == l.clientAddr &&
                        other.name != spec.name)
                        target = other.name;
                }
            }
            if (target.isEmpty()) {
                TopologyNode unknown;
                unknown.name = l.name.isEmpty() ? QStringLiteral("pid %1").arg(l.pid) : l.name;
                if (findNode(unknown.name))
                    unknown.name += QStringLiteral(" (%1)").arg(l.clientAddr);
                unknown.role = TopologyNode::Role::Standby;
                unknown.inInventory = false;
                unknown.health = NodeStatus::Health::Unknown;
                unknown.address = l.clientAddr;
                t.nodes << unknown;
                target = unknown.name;
            }
            TopologyEdge e;
            e.from = spec.name;
            e.to = target;
            e.state = l.state;
            e.syncState = l.syncState;
            e.replayLagBytes = l.replayLagBytes;
            e.replayLagSeconds = l.replayLagSeconds;
            t.edges << e;
            if (TopologyNode *n = findNode(target))
                n->upstream = spec.name;
        }
    }
    // A standby down or not yet reporting keeps the upstream the inventory gives it.
    for (TopologyNode &n : t.nodes) {
        if (!n.upstream.isEmpty() || n.role != TopologyNode::Role::Standby || !n.inInventory)
            continue;
        if (const NodeSpec *spec = cluster.node(n.name))
            n.upstream = spec->upstream;
    }
    // Depth: 0 for nodes with no upstream, else the upstream's depth + 1 (cycles capped).
    for (int pass = 0; pass < t.nodes.size(); ++pass)
        for (TopologyNode &n : t.nodes) {
            const TopologyNode *up = n.upstream.isEmpty() ? nullptr : findNode(n.upstream);
            n.depth = up ? qMin(up->depth + 1, int(t.nodes.size())) : 0;
        }
    return t;
}

} // namespace pgdeck
