#pragma once

#include "inventory/inventory.h"
#include "monitor/nodestatus.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace pgdeck {

// The cluster as it really is right now: the inventory's nodes with the roles the
// servers report, and who streams from whom as the upstreams' pg_stat_replication says.
struct TopologyNode {
    enum class Role { Unknown, Primary, Standby };
    QString name;
    Role role = Role::Unknown;
    NodeStatus::Health health = NodeStatus::Health::Unknown;
    bool inInventory = true; // false: seen streaming from a node but not in the inventory
    QString address;         // host:port, or the walsender's client address when unknown
    QString upstream;        // the node it streams from, when known
    int depth = 0;           // 0 for primaries, 1 for their standbys, 2 for cascaded ones
    // As Patroni reports it, when the cluster is Patroni's (empty otherwise)
    QString patroniRole;  // leader, replica, sync_standby, ...
    QString patroniState; // running, streaming, stopped, ...
    int timeline = -1;
    bool pendingRestart = false;

    static QString roleName(Role role);
    bool operator==(const TopologyNode &) const = default;
};

struct TopologyEdge {
    QString from; // upstream
    QString to;   // standby
    QString state;
    QString syncState;
    qint64 replayLagBytes = -1;
    double replayLagSeconds = -1;

    bool operator==(const TopologyEdge &) const = default;
};

struct Topology {
    QString cluster;
    QList<TopologyNode> nodes;
    QList<TopologyEdge> edges;
    bool patroniManaged = false; // a Patroni cluster whose REST API answered
    bool patroniPaused = false;  // maintenance mode: no automatic failover

    const TopologyNode *node(const QString &name) const;
    QStringList primaries() const;
    bool operator==(const Topology &) const = default;

    // Builds the picture from the inventory and the latest status of each node. A standby
    // is matched to an inventory node by application_name == node name, else by the
    // address its WAL receiver reports; unmatched walsenders become "unknown" nodes.
    static Topology build(const ClusterSpec &cluster, const QList<NodeStatus> &statuses);
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::Topology)
