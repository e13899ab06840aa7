#pragma once

#include "inventory/inventory.h"
#include "monitor/nodestatus.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QStackedWidget;
class QTabWidget;
class QTreeView;

namespace pgdeck {

class EmptyStateWidget;
class InventoryTreeModel;
class NodeProbe;
class NodesPage;
class NodesTableModel;
class SandboxBuildDialog;
struct SandboxConfig;

// The console's frame: the inventory on the left, pages in the middle, health in the
// status bar. It owns one NodeProbe per cluster and feeds their snapshots to the models.
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
    SandboxBuildDialog *sandboxDialog() const;

    static QString defaultHint();

private:
    void createMenus();
    void openInventoryDialog();
    void startDefaultSandbox();
    void about();
    void onStatus(const NodeStatus &status);
    void onTreeClicked(const QModelIndex &index);
    void updateStatusBar();
    void clearProbes();

    InventoryTreeModel *m_treeModel;
    NodesTableModel *m_nodesModel;
    QTreeView *m_tree;
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    QTabWidget *m_pages;
    NodesPage *m_nodesPage;
    QLabel *m_sourceLabel;
    QLabel *m_healthLabel;
    QList<NodeProbe *> m_probes;
    QPointer<SandboxBuildDialog> m_sandboxDialog;
    QString m_inventoryPath;
};

} // namespace pgdeck
