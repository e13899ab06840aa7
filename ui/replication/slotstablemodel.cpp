#include "slotstablemodel.h"

#include "charts/lagchartview.h"
#include "common/healthstyle.h"

#include <QFont>

#include <algorithm>
#include <limits>

namespace pgdeck {

SlotsTableModel::SlotsTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void SlotsTableModel::setStatuses(const QList<NodeStatus> &statuses)
{
    QList<Row> rows;
    for (const NodeStatus &s : statuses) {
        const bool stale = s.health() != NodeStatus::Health::Up;
        for (const ReplicationSlotInfo &slot : s.slots)
            rows.append({s.node, slot, stale});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        return a.node != b.node ? a.node < b.node : a.slot.name < b.slot.name;
    });

    bool sameShape = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameShape && i < rows.size(); ++i)
        sameShape = rows[i].node == m_rows[i].node && rows[i].slot.name == m_rows[i].slot.name;
    if (!sameShape) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    // Only the rows that changed, so a selection and the view's scroll position survive.
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows[i] == m_rows[i])
            continue;
        m_rows[i] = rows[i];
        Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
}

void SlotsTableModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int SlotsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SlotsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant SlotsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case SortRole:
        switch (column) {
        case RetainedColumn:
            return row.slot.retainedBytes;
        case SafeWalSizeColumn:
            // Unlimited sorts as the most room left.
            return row.slot.safeWalSize < 0 ? std::numeric_limits<qint64>::max()
                                            : row.slot.safeWalSize;
        case ActiveColumn:
            return row.slot.active;
        default:
            return display(row, column);
        }
    case StaleRole:
        return row.stale;
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::TextAlignmentRole:
        if (column == RetainedColumn || column == SafeWalSizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole: {
        // Values not from this interval must not look current.
        if (row.stale)
            return HealthStyle::staleText();
        if (column == WalStatusColumn) {
            const QColor c = walStatusColor(row.slot.walStatus);
            return c.isValid() ? QVariant(c) : QVariant();
        }
        if (column == ActiveColumn && !row.slot.active)
            return HealthStyle::color(NodeStatus::Health::Stale).darker(115);
        return {};
    }
    case Qt::FontRole:
        if (column == SlotColumn ||
            (column == WalStatusColumn && walStatusColor(row.slot.walStatus).isValid())) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    default:
        return {};
    }
}

QVariant SlotsTableModel::display(const Row &row, int column) const
{
    const ReplicationSlotInfo &s = row.slot;
    switch (column) {
    case NodeColumn:
        return row.node;
    case SlotColumn:
        return s.name;
    case TypeColumn:
        return s.type;
    case ActiveColumn:
        return s.active ? tr("active") : tr("inactive");
    case RetainedColumn:
        return s.retainedBytes < 0 ? QString() : LagChartView::formatBytes(double(s.retainedBytes));
    case WalStatusColumn:
        return s.walStatus;
    case SafeWalSizeColumn:
        return s.safeWalSize < 0 ? tr("unlimited")
                                 : LagChartView::formatBytes(double(s.safeWalSize));
    }
    return {};
}

QVariant SlotsTableModel::toolTip(const Row &row, int column) const
{
    const QString stale =
        row.stale ? tr("\nNot current: %1 is not answering.").arg(row.node) : QString();
    switch (column) {
    case ActiveColumn:
        return (row.slot.active ? tr("A consumer is connected to the slot.")
                                : tr("No consumer: the slot keeps WAL until one returns or "
                                     "the slot is dropped.")) +
               stale;
    case RetainedColumn:
        return tr("WAL the server keeps for this slot (%1 bytes).").arg(row.slot.retainedBytes) +
               stale;
    case WalStatusColumn:
        if (row.slot.walStatus == QLatin1String("unreserved"))
            return tr("The slot holds WAL beyond max_wal_size; it will be lost at the next "
                      "checkpoint unless the consumer catches up.") +
                   stale;
        if (row.slot.walStatus == QLatin1String("lost"))
            return tr("WAL the slot needs was removed: its consumer cannot resume and must be "
                      "rebuilt.") +
                   stale;
        return tr("The WAL the slot needs is kept.") + stale;
    case SafeWalSizeColumn:
        return (row.slot.safeWalSize < 0
                    ? tr("max_slot_wal_keep_size is unlimited: the slot never loses WAL, the "
                         "disk may fill instead.")
                    : tr("WAL that can still be written before the slot is in danger of losing "
                         "WAL.")) +
               stale;
    default:
        return row.stale ? stale.mid(1) : QVariant();
    }
}

QVariant SlotsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant((section == RetainedColumn || section == SafeWalSizeColumn
                             ? Qt::AlignRight
                             : Qt::AlignLeft) |
                        Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NodeColumn:
        return tr("Node");
    case SlotColumn:
        return tr("Slot");
    case TypeColumn:
        return tr("Type");
    case ActiveColumn:
        return tr("Active");
    case RetainedColumn:
        return tr("Retained WAL");
    case WalStatusColumn:
        return tr("WAL status");
    case SafeWalSizeColumn:
        return tr("Safe WAL size");
    }
    return {};
}

QColor SlotsTableModel::walStatusColor(const QString &walStatus)
{
    if (walStatus == QLatin1String("unreserved"))
        return HealthStyle::color(NodeStatus::Health::Stale);
    if (walStatus == QLatin1String("lost"))
        return HealthStyle::color(NodeStatus::Health::Down);
    return {};
}

} // namespace pgdeck
