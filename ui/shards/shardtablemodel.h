#pragma once

#include "sharding/sharddistribution.h"

#include <QAbstractTableModel>

namespace pgdeck {

// The shard list: one row per placement, sortable through a proxy. Rows live in one list,
// so 100,000 placements cost one allocation each and no widgets.
class ShardTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Table, Shard, Worker, Bound, Rows, Bytes, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setPlacements(const QList<ShardPlacement> &placements);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    QList<ShardPlacement> m_rows;
};

} // namespace pgdeck
