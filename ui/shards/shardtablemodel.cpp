#include "shardtablemodel.h"

#include <QLocale>

namespace pgdeck {

void ShardTableModel::setPlacements(const QList<ShardPlacement> &placements)
{
    beginResetModel();
    m_rows = placements;
    endResetModel();
}

int ShardTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ShardTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ShardTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ShardPlacement &p = m_rows[index.row()];
    const bool number = index.column() == Rows || index.column() == Bytes;
    if (role == Qt::TextAlignmentRole)
        return number ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == Qt::UserRole) // sort key
        return index.column() == Rows    ? QVariant(p.rows)
               : index.column() == Bytes ? QVariant(p.bytes)
                                         : data(index, Qt::DisplayRole);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Table:
        return p.table;
    case Shard:
        return p.shard;
    case Worker:
        return p.worker;
    case Bound:
        return p.bound;
    case Rows:
        return p.rows < 0 ? QStringLiteral("?") : QLocale().toString(p.rows);
    case Bytes:
        return p.bytes < 0 ? QStringLiteral("?") : QLocale().formattedDataSize(p.bytes);
    }
    return {};
}

QVariant ShardTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList names = {tr("Table"), tr("Shard"),       tr("Worker"),
                                      tr("Bound"), tr("Rows (est.)"), tr("Size")};
    return names.value(section);
}

} // namespace pgdeck
