#include "inventorytreemodel.h"

#include "common/healthstyle.h"

#include <QFont>

namespace pgdeck {

namespace {
// internalId: 0 for a cluster row, cluster row + 1 for a node row.
constexpr quintptr kClusterId = 0;
} // namespace

InventoryTreeModel::InventoryTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

void InventoryTreeModel::setInventory(const Inventory &inventory)
{
    beginResetModel();
    m_clusters.clear();
    for (const ClusterSpec &c : inventory.clusters) {
        ClusterItem item{c.name, {}};
        for (const NodeSpec &n : c.nodes) {
            NodeItem node{n, {}};
            node.status.cluster = c.name;
            node.status.node = n.name;
            item.nodes << node;
        }
        m_clusters << item;
    }
    endResetModel();
}

void InventoryTreeModel::updateStatus(const NodeStatus &status)
{
    const QModelIndex idx = nodeIndex(status.cluster, status.node);
    if (!idx.isValid())
        return;
    ClusterItem &c = m_clusters[int(idx.internalId() - 1)];
    c.nodes[idx.row()].status = status;
    Q_EMIT dataChanged(idx, idx.siblingAtColumn(ColumnCount - 1));
    const QModelIndex ci = index(int(idx.internalId() - 1), 0);
    Q_EMIT dataChanged(ci, ci.siblingAtColumn(ColumnCount - 1));
}

QModelIndex InventoryTreeModel::clusterIndex(const QString &cluster) const
{
    for (int i = 0; i < m_clusters.size(); ++i)
        if (m_clusters[i].name == cluster)
            return createIndex(i, 0, kClusterId);
    return {};
}

QModelIndex InventoryTreeModel::nodeIndex(const QString &cluster, const QString &node) const
{
    const QModelIndex ci = clusterIndex(cluster);
    if (!ci.isValid())
        return {};
    const QList<NodeItem> &nodes = m_clusters[ci.row()].nodes;
    for (int i = 0; i < nodes.size(); ++i)
        if (nodes[i].spec.name == node)
            return createIndex(i, 0, quintptr(ci.row() + 1));
    return {};
}

QModelIndex InventoryTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kClusterId);
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex InventoryTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kClusterId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kClusterId);
}

int InventoryTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_clusters.size());
    if (parent.internalId() == kClusterId && parent.column() == 0)
        return int(m_clusters[parent.row()].nodes.size());
    return 0;
}

int InventoryTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

NodeStatus::Health InventoryTreeModel::clusterHealth(const ClusterItem &c) const
{
    NodeStatus::Health worst = NodeStatus::Health::Up;
    for (const NodeItem &n : c.nodes)
        if (HealthStyle::severity(n.status.health()) > HealthStyle::severity(worst))
            worst = n.status.health();
    return c.nodes.isEmpty() ? NodeStatus::Health::Unknown : worst;
}

QVariant InventoryTreeModel::clusterData(const ClusterItem &c, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return column == NameColumn ? c.name : QVariant();
    case Qt::DecorationRole:
        return column == NameColumn ? QVariant(HealthStyle::icon(clusterHealth(c))) : QVariant();
    case Qt::FontRole: {
        QFont f;
        f.setBold(true);
        return f;
    }
    case Qt::ToolTipRole: {
        int up = 0;
        for (const NodeItem &n : c.nodes)
            up += n.status.health() == NodeStatus::Health::Up;
        return tr("Cluster %1: %2 of %3 nodes up").arg(c.name).arg(up).arg(c.nodes.size());
    }
    case ClusterRole:
        return c.name;
    case HealthRole:
        return int(clusterHealth(c));
    default:
        return {};
    }
}

QVariant InventoryTreeModel::nodeData(const ClusterItem &c, const NodeItem &n, int column,
                                      int role) const
{
    const NodeStatus &s = n.status;
    switch (role) {
    case Qt::DisplayRole: {
        if (column == NameColumn)
            return n.spec.name;
        // A coordinator or worker is a primary to PostgreSQL; its sharding role says more.
        const bool shardRole =
            n.spec.role == QLatin1String("coordinator") || n.spec.role == QLatin1String("worker");
        return s.hasSample() && !(shardRole && !s.inRecovery) ? s.roleName() : n.spec.role;
    }
    case Qt::DecorationRole:
        return column == NameColumn ? QVariant(HealthStyle::icon(s.health())) : QVariant();
    case Qt::ForegroundRole:
        return column == RoleColumn ? QVariant(HealthStyle::staleText()) : QVariant();
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("%1: %2").arg(n.spec.name, HealthStyle::label(s.health()));
        if (!s.lastError.isEmpty())
            tip += QLatin1Char('\n') + s.lastError;
        return tip;
    }
    case ClusterRole:
        return c.name;
    case NodeRole:
        return n.spec.name;
    case HealthRole:
        return int(s.health());
    default:
        return {};
    }
}

QVariant InventoryTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == kClusterId)
        return clusterData(m_clusters[index.row()], index.column(), role);
    const ClusterItem &c = m_clusters[int(index.internalId() - 1)];
    return nodeData(c, c.nodes[index.row()], index.column(), role);
}

QVariant InventoryTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Name") : section == RoleColumn ? tr("Role") : QVariant();
}

} // namespace pgdeck
