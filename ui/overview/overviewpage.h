#pragma once

#include "inventory/inventory.h"
#include "monitor/monitorevent.h"
#include "monitor/nodestatus.h"
#include "topology/topology.h"

#include <QList>
#include <QWidget>

class QFrame;
class QLabel;
class QTreeWidget;

namespace pgdeck {

class TopologyView;

// One cluster at a glance: its state, a row of key figures, the topology picture and
// the last events. Fed by the main window with the probes' snapshots.
class OverviewPage : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget *parent = nullptr);

    // Shows this cluster; statuses and events of other clusters are ignored from now on.
    void setCluster(const ClusterSpec &cluster);
    void updateStatuses(const QList<NodeStatus> &statuses, const Topology &topology);
    void addEvents(const QList<MonitorEvent> &events);
    TopologyView *topologyView() const { return m_topology; }
    void setRecentEventRows(int rows); // how many recent events stay visible without scrolling

private:
    struct Tile {
        QFrame *frame = nullptr;
        QLabel *value = nullptr;
        QLabel *detail = nullptr;
    };
    enum class Tone { Normal, Good, Warn, Bad, Muted };

    Tile addTile(const QString &caption, const QString &tooltip);
    void setTile(const Tile &tile, const QString &value, const QString &detail,
                 Tone tone = Tone::Normal);
    void setState(const QString &text, Tone tone);
    void resetFigures();
    void refreshEvents();

    ClusterSpec m_cluster;
    QList<MonitorEvent> m_recent; // newest last, at most kRecentEvents
    QLabel *m_title;
    QLabel *m_state;
    QLabel *m_updated;
    QWidget *m_tileRow;
    Tile m_nodesTile;
    Tile m_lagBytesTile;
    Tile m_lagSecondsTile;
    Tile m_tpsTile;
    Tile m_connectionsTile;
    QLabel *m_legend;
    TopologyView *m_topology;
    QTreeWidget *m_events;
};

} // namespace pgdeck
