#pragma once

#include "inventory/inventory.h"
#include "monitor/eventdetector.h"
#include "monitor/metrichistory.h"
#include "monitor/nodestatus.h"
#include "patroni/patronieventdetector.h"
#include "patroni/patroniwatcher.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <memory>

class QLabel;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QTreeView;

namespace pgdeck {

class WelcomePage;
class EventsPage;
class HistoryStore;
class OverviewPage;
class PatroniPage;
class ContainersPage;
class PipelinesPage;
class ReplicationPage;
class InventoryTreeModel;
class MonitorThread;
class ShardsPage;
class NodesPage;
class NodesTableModel;
class SandboxBuildDialog;
struct SandboxConfig;

// The console's frame: the inventory on the left, pages in the middle, health in the
// status bar. It owns the monitor thread (one NodeProbe per cluster) and feeds their snapshots to
// the models.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads and shows an inventory file; on error keeps what was shown and fills *error
    // with every problem, one "file:line:column: message" per line.
    bool openInventory(const QString &path, QString *error);
    void setInventory(const Inventory &inventory, const QString &source);
    // No inventory: a hint, or an error message, in the middle of the window.
    void showEmptyState(const QString &message, bool isError = false);
    // Runs the sandbox build with progress and opens its inventory when it is ready.
    void startSandbox(const SandboxConfig &config);

    QString inventoryPath() const { return m_inventoryPath; }
    NodesTableModel *nodesModel() const { return m_nodesModel; }
    InventoryTreeModel *inventoryModel() const { return m_treeModel; }
    NodesPage *nodesPage() const { return m_nodesPage; }
    OverviewPage *overviewPage() const { return m_overviewPage; }
    ReplicationPage *replicationPage() const { return m_replicationPage; }
    EventsPage *eventsPage() const { return m_eventsPage; }
    PatroniPage *patroniPage() const { return m_patroniPage; }
    ContainersPage *containersPage() const { return m_containersPage; }
    PipelinesPage *pipelinesPage() const { return m_pipelinesPage; }
    // A cluster (a deployment's PostgreSQL services, a server the user added) joins the
    // inventory — the open one, else the one in the config directory — and is shown.
    void addDeployedCluster(const ClusterSpec &cluster);
    // Where servers added by hand and deployments go when no inventory is open; opened at
    // start when it exists.
    static QString userInventoryPath();
    // The latest Patroni snapshot of a cluster whose nodes name a REST API.
    PatroniSnapshot patroniSnapshot(const QString &cluster) const
    {
        return m_patroniSnapshots.value(cluster);
    }
    QTabWidget *pages() const { return m_pages; }
    void showPages(); // the pages, even with no inventory open (self-test, screenshots)
    // The window's size and place, the dock and the page, kept in the settings file
    // ($XDG_CONFIG_HOME/pgdeck/pgdeck.conf) when the window closes and restored from it.
    void setLayoutRemembered(bool on) { m_rememberLayout = on; }
    bool restoreLayout(); // false when nothing was saved yet
    void saveLayout() const;
    const MetricHistory &history() const { return m_history; }
    QString currentCluster() const { return m_currentCluster; }
    void showCluster(const QString &cluster);
    // Samples also go to this SQLite file and come back from it on the next start.
    // Empty: no history store (tests).
    void setHistoryStorePath(const QString &path);
    // Ops-screen mode: dark, large type, full screen, pages rotating per cluster every
    // rotateMs, no dialogs, and a banner whenever a cluster is degraded.
    void setDashboardMode(int rotateMs);
    // The dark, large-type look; call before building windows so every page gets it.
    static void applyDashboardLook();
    bool isDashboard() const { return m_dashboard; }
    QString bannerText() const;
    void rotatePage();
    SandboxBuildDialog *sandboxDialog() const;

    static QString defaultHint();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void openInventoryDialog();
    void openAddServerDialog();
    void startDefaultSandbox();
    void openShardingWizard();
    void openRebalanceWizard(bool addWorkers);
    void openAddReplicaWizard();
    void openPromoteDialog(); // for the cluster shown
    void openPatroniWizard();
    void openDockerWizard();
    void reloadInventory();
    void startPatroniWatchers(const Inventory &inventory);
    void onPatroniSnapshot(const PatroniSnapshot &snapshot);
    void about();
    void onStatuses(const QList<NodeStatus> &statuses);
    void onTreeClicked(const QModelIndex &index);
    void updateStatusBar();
    void clearProbes();
    void refreshPages();
    void flushHistory();
    QList<NodeStatus> clusterStatuses(const QString &cluster) const;

    InventoryTreeModel *m_treeModel;
    NodesTableModel *m_nodesModel;
    QTreeView *m_tree;
    QStackedWidget *m_stack;
    WelcomePage *m_empty;
    QTabWidget *m_pages;
    NodesPage *m_nodesPage;
    QLabel *m_sourceLabel;
    QLabel *m_healthLabel;
    MonitorThread *m_monitor = nullptr;
    QPointer<SandboxBuildDialog> m_sandboxDialog;
    QString m_inventoryPath;

    Inventory m_inventory;
    QString m_currentCluster;
    OverviewPage *m_overviewPage;
    ReplicationPage *m_replicationPage;
    EventsPage *m_eventsPage;
    ShardsPage *m_shardsPage;
    MetricHistory m_history;
    QHash<QString, EventDetector> m_detectors; // per cluster
    PatroniPage *m_patroniPage;
    ContainersPage *m_containersPage;
    PipelinesPage *m_pipelinesPage;
    QHash<QString, PatroniWatcher *> m_patroniWatchers; // per Patroni cluster
    QHash<QString, PatroniEventDetector> m_patroniDetectors;
    QHash<QString, PatroniSnapshot> m_patroniSnapshots;
    std::unique_ptr<HistoryStore> m_store;
    QList<NodeStatus> m_unsaved;
    QTimer *m_refreshTimer;
    QTimer *m_saveTimer;
    QTimer *m_rotateTimer;
    QLabel *m_banner;
    bool m_dashboard = false;
    bool m_rememberLayout = false;
    int m_rotateIndex = 0;
    void updateBanner();
};

} // namespace pgdeck
