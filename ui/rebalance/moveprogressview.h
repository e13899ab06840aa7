#pragma once

#include "sharding/rebalance.h"

#include <QTreeWidget>

namespace pgdeck {

// One row per shard move with a progress bar: the rebalance wizard's run page and the
// Shards page's live panel. Rows come from a planned move list, from the executor's step
// states, or from what the servers report (moves started elsewhere appear as they are
// found).
class MoveProgressView : public QTreeWidget {
    Q_OBJECT
public:
    enum Column { ShardColumn, RouteColumn, SizeColumn, ProgressColumn, StateColumn };

    explicit MoveProgressView(QWidget *parent = nullptr);

    void setMoves(const QList<ShardMove> &moves); // all "waiting"
    // `percent` -1 keeps the bar as it is.
    void setState(int row, const QString &state, int percent = -1);
    // Bytes copied so far, read from the servers; unknown moves are added.
    void applyProgress(const QList<ShardMoveProgress> &moves);
    // Rows not in `moves` are finished elsewhere: shown as done (Shards page).
    void markMissingDone(const QList<ShardMoveProgress> &moves);

    int rowFor(const QString &table, const QString &shard) const;
    int percent(int row) const;
    QString state(int row) const;

private:
    int addRow(const QString &table, const QString &shard, const QString &from, const QString &to,
               qint64 bytes);
};

} // namespace pgdeck
