#pragma once

#include "inventory/inventory.h"
#include "monitor/nodestatus.h"

#include <QAbstractItemModel>

namespace pgdeck {

// The inventory as a tree: clusters, then their nodes. A node's dot shows its health,
// a cluster's dot the worst health of its nodes.
class InventoryTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, RoleColumn, ColumnCount };
    enum Role { ClusterRole = Qt::UserRole + 1, NodeRole, HealthRole };

    explicit InventoryTreeModel(QObject *parent = nullptr);

    void setInventory(const Inventory &inventory);
    void updateStatus(const NodeStatus &status);
    QModelIndex clusterIndex(const QString &cluster) const;
    QModelIndex nodeIndex(const QString &cluster, const QString &node) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct NodeItem {
        NodeSpec spec;
        NodeStatus status;
    };
    struct ClusterItem {
        QString name;
        QList<NodeItem> nodes;
    };
    NodeStatus::Health clusterHealth(const ClusterItem &c) const;
    QVariant clusterData(const ClusterItem &c, int column, int role) const;
    QVariant nodeData(const ClusterItem &c, const NodeItem &n, int column, int role) const;

    QList<ClusterItem> m_clusters;
};

} // namespace pgdeck
