#include "moveprogressview.h"

#include <QHeaderView>
#include <QLocale>
#include <QProgressBar>

namespace pgdeck {

namespace {

constexpr int kTableRole = Qt::UserRole + 1;

QString sizeText(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("?") : QLocale().formattedDataSize(bytes);
}

} // namespace

MoveProgressView::MoveProgressView(QWidget *parent)
    : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("moveProgressView"));
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::NoSelection);
    setHeaderLabels({tr("Shard"), tr("From → to"), tr("Size"), tr("Progress"), tr("State")});
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(ProgressColumn, QHeaderView::Stretch);
    header()->setSectionResizeMode(ShardColumn, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(RouteColumn, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(SizeColumn, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
}

int MoveProgressView::addRow(const QString &table, const QString &shard, const QString &from,
                             const QString &to, qint64 bytes)
{
    auto *item = new QTreeWidgetItem(this);
    item->setText(ShardColumn, shard);
    item->setData(ShardColumn, kTableRole, table);
    item->setToolTip(ShardColumn, table);
    item->setText(RouteColumn, QStringLiteral("%1 → %2").arg(from, to));
    item->setText(SizeColumn, sizeText(bytes));
    item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
    item->setText(StateColumn, tr("waiting"));
    auto *bar = new QProgressBar;
    bar->setRange(0, 100);
    bar->setValue(0);
    bar->setMaximumHeight(18);
    setItemWidget(item, ProgressColumn, bar);
    return indexOfTopLevelItem(item);
}

void MoveProgressView::setMoves(const QList<ShardMove> &moves)
{
    clear();
    for (const ShardMove &m : moves)
        addRow(m.table, m.shard, m.from, m.to, m.bytes);
}

void MoveProgressView::setState(int row, const QString &state, int percent)
{
    QTreeWidgetItem *item = topLevelItem(row);
    if (!item)
        return;
    item->setText(StateColumn, state);
    auto *bar = qobject_cast<QProgressBar *>(itemWidget(item, ProgressColumn));
    if (bar && percent >= 0)
        bar->setValue(percent);
}

int MoveProgressView::rowFor(const QString &table, const QString &shard) const
{
    for (int i = 0; i < topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = topLevelItem(i);
        if (item->text(ShardColumn) == shard && item->data(ShardColumn, kTableRole) == table)
            return i;
    }
    return -1;
}

void MoveProgressView::applyProgress(const QList<ShardMoveProgress> &moves)
{
    for (const ShardMoveProgress &m : moves) {
        int row = rowFor(m.table, m.shard);
        if (row < 0)
            row = addRow(m.table, m.shard, m.from, m.to, m.sourceBytes);
        const double f = m.fraction();
        if (m.done) {
            setState(row, tr("done"), 100);
        } else if (f >= 0) {
            // A copy is never done until it is verified and switched: stop short of 100.
            setState(row,
                     tr("copying %1 of %2").arg(sizeText(m.copiedBytes), sizeText(m.sourceBytes)),
                     qMin(99, int(f * 100)));
        }
    }
}

void MoveProgressView::markMissingDone(const QList<ShardMoveProgress> &moves)
{
    for (int i = 0; i < topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = topLevelItem(i);
        const bool present = std::any_of(moves.cbegin(), moves.cend(), [&](const auto &m) {
            return m.shard == item->text(ShardColumn) &&
                   m.table == item->data(ShardColumn, kTableRole).toString();
        });
        if (!present)
            setState(i, tr("done"), 100);
    }
}

int MoveProgressView::percent(int row) const
{
    QTreeWidgetItem *item = topLevelItem(row);
    const auto *bar =
        item ? qobject_cast<const QProgressBar *>(itemWidget(item, ProgressColumn)) : nullptr;
    return bar ? bar->value() : -1;
}

QString MoveProgressView::state(int row) const
{
    const QTreeWidgetItem *item = topLevelItem(row);
    return item ? item->text(StateColumn) : QString();
}

} // namespace pgdeck
