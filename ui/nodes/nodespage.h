#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace pgdeck {

class NodesTableModel;

// The Nodes page: every node with role, state, version, uptime, connections and the
// last error, sortable, optionally narrowed to one cluster.
class NodesPage : public QWidget {
    Q_OBJECT
public:
    explicit NodesPage(NodesTableModel *model, QWidget *parent = nullptr);

    // Call after the model got a new inventory.
    void setClusters(const QStringList &clusters);
    void showCluster(const QString &cluster); // empty: all clusters
    void selectNode(const QString &cluster, const QString &node);
    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

private:
    void applyClusterFilter();
    void updateSummary();

    NodesTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QComboBox *m_clusterBox;
    QLabel *m_summary;
};

} // namespace pgdeck
