// MainWindow's menus, each action with its own shortcut, and the wizards and dialogs they
// open for the cluster on screen.
#include "mainwindow.h"

#include "docker/dockerwizard.h"
#include "patroni/patroniwizard.h"
#include "pipeline/pipelinewizard.h"
#include "rebalance/rebalancewizard.h"
#include "replication/addreplicawizard.h"
#include "replication/promotedialog.h"
#include "sharding/shardingwizard.h"
#include "welcome/addserverdialog.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QTabWidget>

namespace pgdeck {

void MainWindow::createMenus()
{
    // Every action has a shortcut and an object name (tests and the self-test find them).
    const auto add = [this](QMenu *menu, const QString &text, const QString &name,
                            const QKeySequence &keys, auto slot) {
        QAction *a = menu->addAction(text, this, slot);
        a->setObjectName(name);
        a->setShortcut(keys);
        return a;
    };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    add(file, tr("&Open Inventory…"), QStringLiteral("openInventoryAction"),
        QKeySequence(tr("Ctrl+O")), &MainWindow::openInventoryDialog);
    add(file, tr("Add a &Server…"), QStringLiteral("addServerAction"),
        QKeySequence(tr("Ctrl+Shift+N")), &MainWindow::openAddServerDialog);
    add(file, tr("Build and Open the Sand&box"), QStringLiteral("sandboxAction"),
        QKeySequence(tr("Ctrl+Shift+X")), &MainWindow::startDefaultSandbox);
    file->addSeparator();
    add(file, tr("S&hard a Table…"), QStringLiteral("shardTableAction"),
        QKeySequence(tr("Ctrl+Shift+T")), &MainWindow::openShardingWizard);
    add(file, tr("&Add Workers…"), QStringLiteral("addWorkersAction"),
        QKeySequence(tr("Ctrl+Shift+W")), [this] { openRebalanceWizard(true); });
    add(file, tr("&Rebalance Shards…"), QStringLiteral("rebalanceAction"),
        QKeySequence(tr("Ctrl+Shift+B")), [this] { openRebalanceWizard(false); });
    file->addSeparator();
    add(file, tr("Add a Re&plica…"), QStringLiteral("addReplicaAction"),
        QKeySequence(tr("Ctrl+Shift+R")), &MainWindow::openAddReplicaWizard);
    add(file, tr("Pro&mote a Standby…"), QStringLiteral("promoteAction"),
        QKeySequence(tr("Ctrl+Shift+M")), &MainWindow::openPromoteDialog);
    add(file, tr("Create a Patroni &Cluster…"), QStringLiteral("createPatroniAction"),
        QKeySequence(tr("Ctrl+Shift+C")), &MainWindow::openPatroniWizard);
    add(file, tr("New Container &Deployment…"), QStringLiteral("newDeploymentAction"),
        QKeySequence(tr("Ctrl+Shift+D")), &MainWindow::openDockerWizard);
    add(file, tr("New CI/CD &Pipeline…"), QStringLiteral("newPipelineAction"),
        QKeySequence(tr("Ctrl+Shift+P")), [this] {
            auto *wizard = new PipelineWizard(this);
            wizard->setAttribute(Qt::WA_DeleteOnClose);
            wizard->show();
        });
    file->addSeparator();
    QAction *quit = add(file, tr("&Quit"), QStringLiteral("quitAction"), QKeySequence(tr("Ctrl+Q")),
                        [] { QApplication::closeAllWindows(); });
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("inventoryDock"))) {
        QAction *toggle = dock->toggleViewAction();
        toggle->setObjectName(QStringLiteral("toggleInventoryAction"));
        toggle->setShortcut(QKeySequence(tr("Ctrl+Shift+I")));
        view->addAction(toggle);
    }
    view->addSeparator();
    // Ctrl+1 … Ctrl+8: the pages in tab order.
    for (int i = 0; i < m_pages->count(); ++i) {
        QAction *page = view->addAction(m_pages->tabText(i), this, [this, i] {
            if (m_stack->currentWidget() == m_pages)
                m_pages->setCurrentIndex(i);
        });
        page->setObjectName(QStringLiteral("pageAction%1").arg(i + 1));
        page->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction *full =
        add(view, tr("&Full Screen"), QStringLiteral("fullScreenAction"), QKeySequence::FullScreen,
            [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    full->setCheckable(true);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = add(help, tr("&About pgdeck"), QStringLiteral("aboutAction"),
                         QKeySequence(tr("F1")), &MainWindow::about);
    about->setMenuRole(QAction::AboutRole);
    QAction *aboutQt = help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setObjectName(QStringLiteral("aboutQtAction"));
    aboutQt->setShortcut(QKeySequence(tr("Shift+F1")));
}

void MainWindow::openAddServerDialog()
{
    if (m_dashboard)
        return; // never a dialog on a wall screen
    auto *dialog = new AddServerDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QStringList taken;
    for (const ClusterSpec &c : std::as_const(m_inventory.clusters))
        taken << c.name;
    dialog->setTakenNames(taken);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { addDeployedCluster(dialog->cluster()); });
    dialog->show();
}

void MainWindow::openShardingWizard()
{
    const ClusterSpec *cluster = m_inventory.cluster(m_currentCluster);
    if (!cluster) {
        QMessageBox::information(this, tr("Shard a Table"),
                                 tr("Open an inventory and choose a cluster first."));
        return;
    }
    auto *wizard = new ShardingWizard(*cluster, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->show();
}

void MainWindow::openRebalanceWizard(bool addWorkers)
{
    const ClusterSpec *cluster = m_inventory.cluster(m_currentCluster);
    if (!cluster) {
        QMessageBox::information(this, addWorkers ? tr("Add Workers") : tr("Rebalance Shards"),
                                 tr("Open an inventory and choose a cluster first."));
        return;
    }
    auto *wizard = new RebalanceWizard(*cluster,
                                       addWorkers ? RebalanceWizard::Intent::AddWorkers
                                                  : RebalanceWizard::Intent::Rebalance,
                                       this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->show();
}

void MainWindow::openAddReplicaWizard()
{
    if (!m_inventory.cluster(m_currentCluster) || m_inventoryPath.isEmpty()) {
        QMessageBox::information(this, tr("Add a Replica"),
                                 tr("Open an inventory and choose a cluster first."));
        return;
    }
    auto *wizard = new AddReplicaWizard(m_inventory, m_inventoryPath, m_currentCluster, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    // The new node is in the file now: show it, and start monitoring it.
    connect(wizard, &AddReplicaWizard::inventoryChanged, this, &MainWindow::reloadInventory);
    wizard->show();
}

void MainWindow::openPromoteDialog()
{
    if (!m_inventory.cluster(m_currentCluster) || m_inventoryPath.isEmpty()) {
        QMessageBox::information(this, tr("Promote a Standby"),
                                 tr("Open an inventory and choose a cluster first."));
        return;
    }
    auto *dialog = new PromoteDialog(m_inventory, m_inventoryPath, m_currentCluster, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PromoteDialog::inventoryChanged, this, &MainWindow::reloadInventory);
    dialog->show();
}

void MainWindow::openPatroniWizard()
{
    auto *wizard = new PatroniWizard(m_inventory, m_inventoryPath, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    // The new cluster is in the file now: show it, and start watching it.
    connect(wizard, &PatroniWizard::inventoryChanged, this, [this](const QString &path) {
        if (m_inventoryPath.isEmpty())
            m_inventoryPath = path;
        reloadInventory();
    });
    wizard->show();
}

void MainWindow::openDockerWizard()
{
    auto *wizard = new DockerWizard(this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &DockerWizard::deploymentReady, this, &MainWindow::addDeployedCluster);
    wizard->show();
}

} // namespace pgdeck
