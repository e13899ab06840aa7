#pragma once

#include "inventory/inventory.h"
#include "sharding/sharddistribution.h"

#include <QWidget>

class QChartView;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace pgdeck {

class MoveProgressView;
class ShardTableModel;

// The Shards page: bytes per worker stacked by table, skew, and the filterable, sortable
// shard list. The distribution is read on a worker thread every 10 s, never on the GUI
// thread.
class ShardsPage : public QWidget {
    Q_OBJECT
public:
    explicit ShardsPage(QWidget *parent = nullptr);

    void setCluster(const ClusterSpec &cluster); // starts reading
    void refresh();
    // Shows a distribution read elsewhere (benchmarks, tests).
    void setDistribution(const ShardDistribution &d) { present(d, {}); }
    const ShardDistribution &distribution() const { return m_distribution; }
    QTableView *table() const { return m_table; }
    MoveProgressView *moves() const { return m_moves; }
    bool movesShown() const;
    ShardTableModel *model() const { return m_model; }
    // Filters the shard list now, without waiting for the typing pause.
    void setFilterText(const QString &text);

Q_SIGNALS:
    void refreshed(bool ok);

private:
    void present(const ShardDistribution &d, const QString &error);
    void presentMoves(const QList<ShardMoveProgress> &moves);

    ClusterSpec m_cluster;
    QString m_coordinator;
    ShardDistribution m_distribution;
    bool m_reading = false;
    QLabel *m_summary = nullptr;
    QLineEdit *m_filter = nullptr;
    QChartView *m_chart = nullptr;
    QTableView *m_table = nullptr;
    ShardTableModel *m_model = nullptr;
    QTimer *m_timer = nullptr;
    QWidget *m_movesPanel = nullptr; // shown while shards move
    QLabel *m_movesTitle = nullptr;
    MoveProgressView *m_moves = nullptr;
    QTimer *m_filterDelay = nullptr; // filters once typing pauses, not on every key
};

} // namespace pgdeck
