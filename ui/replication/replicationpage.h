#pragma once

#include "inventory/inventory.h"
#include "monitor/nodestatus.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QFrame;
class QGridLayout;
class QLabel;
class QTableView;
class QTimer;
class QPushButton;

namespace pgdeck {

class LagChartView;
class MetricHistory;
class SlotsTableModel;

// The Replication page of one cluster: current lag per standby as cards, lag over time as
// a live chart (bytes or seconds; write, flush, replay or sent), and the replication slots.
// Reads a MetricHistory someone else feeds; redraws on its own 1 s timer while visible.
class ReplicationPage : public QWidget {
    Q_OBJECT
public:
    explicit ReplicationPage(const MetricHistory *history, QWidget *parent = nullptr);

    void
    setCluster(const ClusterSpec &cluster); // thresholds from cluster.monitor; empty spec = nothing
    void updateStatuses(const QList<NodeStatus> &statuses); // latest per node of that cluster
    LagChartView *chart() const { return m_chart; }
    bool exportChart(const QString &path); // .png or .svg by suffix

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // One standby as its upstream reports it, or as the inventory expects it.
    struct Stream {
        QString upstream;
        QString standby;
        StandbyLag lag;
        bool present = false; // the upstream lists it in pg_stat_replication
        bool stale = false;   // the upstream's status is not current
    };
    struct Card {
        QFrame *frame = nullptr;
        QFrame *stripe = nullptr;
        QLabel *name = nullptr;
        QLabel *badge = nullptr;
        QLabel *route = nullptr;
        QLabel *bytes = nullptr;
        QLabel *seconds = nullptr;
        QString look; // last applied colour state, to restyle only on change
    };

    void redraw();
    void onKindChanged();
    void exportWithDialog(const QString &suffix);
    QList<Stream> currentStreams() const;
    void updateCards();
    Card makeCard();
    void fillCard(Card &card, const Stream &stream);
    void layoutCards();
    void updateSummary(const QList<Stream> &streams);
    void updateSlotsView();
    qint64 windowMs() const;

    const MetricHistory *m_history;
    ClusterSpec m_cluster;
    QHash<QString, NodeStatus> m_statuses; // node -> latest
    LagChartView *m_chart;
    SlotsTableModel *m_slots;
    QTableView *m_slotsView;
    QLabel *m_noSlots;
    QLabel *m_summary;
    QLabel *m_slotsTitle;
    QComboBox *m_kindBox;
    QComboBox *m_measureBox;
    QComboBox *m_windowBox;
    QPushButton *m_exportButton;
    QWidget *m_cardsArea;
    QGridLayout *m_cardsGrid;
    QList<Card> m_cards;
    int m_cardColumns = 0;
    QTimer *m_timer;
};

} // namespace pgdeck
