#pragma once

#include "monitor/nodestatus.h"

#include <QAbstractTableModel>

namespace pgdeck {

// The replication slots of a cluster's nodes, one row per (node, slot), from the latest
// NodeStatus values. Rows whose node is not currently sampled keep their last values,
// greyed. The same slots in the same order only update cells; anything else resets.
class SlotsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NodeColumn,
        SlotColumn,
        TypeColumn,
        ActiveColumn,
        RetainedColumn,
        SafeWalSizeColumn,
        WalStatusColumn, // last: the only text among the sizes, it takes the spare width
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // sizes as numbers
        StaleRole,                   // bool: the node's status is not current
    };

    explicit SlotsTableModel(QObject *parent = nullptr);

    void setStatuses(const QList<NodeStatus> &statuses);
    void clear();
    QString node(int row) const { return m_rows.at(row).node; }
    const ReplicationSlotInfo &slot(int row) const { return m_rows.at(row).slot; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Amber for unreserved (WAL past max_wal_size, kept only by the slot), red for lost;
    // invalid for reserved and extended, which need no attention.
    static QColor walStatusColor(const QString &walStatus);

private:
    struct Row {
        QString node;
        ReplicationSlotInfo slot;
        bool stale = false;

        bool operator==(const Row &) const = default;
    };
    QVariant display(const Row &row, int column) const;
    QVariant toolTip(const Row &row, int column) const;

    QList<Row> m_rows;
};

} // namespace pgdeck
