#pragma once

#include "inventory/inventory.h"
#include "monitor/nodestatus.h"

#include <QAbstractTableModel>
#include <QHash>

namespace pgdeck {

// Every node of the inventory, one row each, with its latest NodeStatus. Rows exist from
// the moment the inventory is set ("connecting"); statuses only update cells.
class NodesTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NodeColumn,
        ClusterColumn,
        AddressColumn,
        RoleColumn,
        StateColumn,
        VersionColumn,
        UptimeColumn,
        ConnectionsColumn,
        StandbysColumn,
        TpsColumn,
        CacheHitColumn,
        ErrorColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers as numbers, so uptime and counts sort right
        ClusterRole,
        NodeRole,
        HealthRole, // int(NodeStatus::Health)
    };

    explicit NodesTableModel(QObject *parent = nullptr);

    void setInventory(const Inventory &inventory);
    void updateStatus(const NodeStatus &status);
    int rowOf(const QString &cluster, const QString &node) const;
    NodeStatus status(int row) const;
    const NodeSpec &spec(int row) const { return m_rows[row].spec; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString formatUptime(qint64 seconds);
    static QString address(const NodeSpec &spec);
    static QString shortVersion(const QString &serverVersion);

private:
    struct Row {
        NodeSpec spec;
        NodeStatus status;
    };
    QVariant display(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;
    QVariant toolTip(const Row &row, int column) const;
    QVariant foreground(const Row &row, int column) const;
    static QString key(const QString &cluster, const QString &node);

    QList<Row> m_rows;
    QHash<QString, int> m_index; // "cluster\nnode" -> row
};

} // namespace pgdeck
