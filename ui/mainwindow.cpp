#include "mainwindow.h"

#include "common/cleanitemdelegate.h"
#include "common/healthstyle.h"
#include "docker/containerspage.h"
#include "docker/dockerwizard.h"
#include "events/eventspage.h"
#include "inventory/inventoryloader.h"
#include "inventory/inventorytreemodel.h"
#include "inventory/inventorywriter.h"
#include "monitor/historystore.h"
#include "monitor/monitorthread.h"
#include "nodes/nodespage.h"
#include "nodes/nodestablemodel.h"
#include "overview/overviewpage.h"
#include "patroni/patronipage.h"
#include "patroni/patronitopology.h"
#include "patroni/patroniwizard.h"
#include "pipeline/pipelinespage.h"
#include "pipeline/pipelinewizard.h"
#include "rebalance/rebalancewizard.h"
#include "replication/addreplicawizard.h"
#include "replication/promotedialog.h"
#include "replication/replicationpage.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxbuilddialog.h"
#include "sharding/shardingwizard.h"
#include "shards/shardspage.h"
#include "topology/topology.h"
#include "topology/topologyview.h"
#include "welcome/addserverdialog.h"
#include "welcome/welcomepage.h"
#include <QDir>
#include <QStandardPaths>

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPalette>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace pgdeck {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_treeModel(new InventoryTreeModel(this))
    , m_nodesModel(new NodesTableModel(this))
    , m_tree(new QTreeView)
    , m_stack(new QStackedWidget(this))
    , m_empty(new WelcomePage)
    , m_pages(new QTabWidget)
    , m_nodesPage(new NodesPage(m_nodesModel))
    , m_sourceLabel(new QLabel)
    , m_healthLabel(new QLabel)
    , m_overviewPage(new OverviewPage)
    , m_replicationPage(new ReplicationPage(&m_history))
    , m_eventsPage(new EventsPage)
    , m_shardsPage(new ShardsPage)
    , m_patroniPage(new PatroniPage)
    , m_containersPage(new ContainersPage)
    , m_pipelinesPage(new PipelinesPage)
    , m_refreshTimer(new QTimer(this))
    , m_saveTimer(new QTimer(this))
    , m_rotateTimer(new QTimer(this))
    , m_banner(new QLabel)
{
    setWindowTitle(QStringLiteral("pgdeck"));
    resize(1200, 760);

    m_tree->setModel(m_treeModel);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setIconSize(QSize(14, 14));
    m_tree->setItemDelegate(new CleanItemDelegate(m_tree));
    m_tree->setStyleSheet(
        QStringLiteral("QTreeView { outline: 0; } QTreeView::item { padding: 3px 2px; }"));
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(InventoryTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(InventoryTreeModel::RoleColumn,
                                           QHeaderView::ResizeToContents);
    connect(m_tree, &QTreeView::clicked, this, &MainWindow::onTreeClicked);
    auto *dock = new QDockWidget(tr("Inventory"), this);
    dock->setObjectName(QStringLiteral("inventoryDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(m_tree);
    dock->setMinimumWidth(220);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {250}, Qt::Horizontal);

    m_pages->setDocumentMode(true);
    m_pages->addTab(m_overviewPage, tr("Overview"));
    m_pages->addTab(m_replicationPage, tr("Replication"));
    m_pages->addTab(m_nodesPage, tr("Nodes"));
    m_pages->addTab(m_eventsPage, tr("Events"));
    m_pages->addTab(m_shardsPage, tr("Shards"));
    m_pages->addTab(m_patroniPage, tr("Patroni"));
    m_pages->addTab(m_containersPage, tr("Containers"));
    m_pages->addTab(m_pipelinesPage, tr("Pipelines"));
    // The Docker engine and the CI service are asked only while their page is on screen.
    connect(m_pages, &QTabWidget::currentChanged, this, [this] {
        if (m_pages->currentWidget() == m_containersPage)
            m_containersPage->start();
        else
            m_containersPage->stop();
        if (m_pages->currentWidget() == m_pipelinesPage)
            m_pipelinesPage->start();
        else
            m_pipelinesPage->stop();
    });
    // After an action, ask Patroni again at once rather than at the next beat.
    connect(m_patroniPage, &PatroniPage::refreshRequested, this, [this] {
        if (PatroniWatcher *w = m_patroniWatchers.value(m_currentCluster))
            w->pollNow();
    });
    // Pages redraw from the latest snapshots on a steady beat, not on every status.
    m_refreshTimer->setInterval(500);
    connect(m_refreshTimer, &QTimer::timeout, this, &MainWindow::refreshPages);
    m_saveTimer->setInterval(5000);
    connect(m_saveTimer, &QTimer::timeout, this, &MainWindow::flushHistory);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_pages);
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    m_banner->setVisible(false);
    m_banner->setAlignment(Qt::AlignCenter);
    m_banner->setWordWrap(true);
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_stack, 1);
    setCentralWidget(central);
    connect(m_rotateTimer, &QTimer::timeout, this, &MainWindow::rotatePage);
    connect(m_empty, &WelcomePage::openInventoryRequested, this, &MainWindow::openInventoryDialog);
    connect(m_empty, &WelcomePage::addServerRequested, this, &MainWindow::openAddServerDialog);
    connect(m_empty, &WelcomePage::startSandboxRequested, this, &MainWindow::startDefaultSandbox);

    m_sourceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_healthLabel->setTextFormat(Qt::RichText);
    statusBar()->addWidget(m_sourceLabel, 1);
    statusBar()->addPermanentWidget(m_healthLabel);

    createMenus();
    showEmptyState(defaultHint());
}

MainWindow::~MainWindow()
{
    flushHistory();
    clearProbes();
}

SandboxBuildDialog *MainWindow::sandboxDialog() const
{
    return m_sandboxDialog;
}

QString MainWindow::defaultHint()
{
    return tr("pgdeck shows your PostgreSQL clusters live — topology, replication lag, shards "
              "— and runs the wizards that shard, replicate and deploy them. Start here:");
}

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

void MainWindow::addDeployedCluster(const ClusterSpec &cluster)
{
    // The open inventory, else the one in the XDG config directory (created when missing).
    QString path = m_inventoryPath;
    if (path.isEmpty())
        path = QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                   .filePath(QStringLiteral("inventory.yaml"));
    Inventory inventory;
    QList<InventoryError> errors;
    if (QFileInfo::exists(path) && !InventoryLoader::load(path, &inventory, &errors)) {
        statusBar()->showMessage(
            tr("%1 was not changed: it does not load (%2)")
                .arg(path, errors.isEmpty() ? QString() : errors.first().toString()),
            15000);
        return;
    }
    // Deploying the project again replaces its cluster.
    inventory.clusters.removeIf([&](const ClusterSpec &c) { return c.name == cluster.name; });
    inventory.clusters << cluster;
    QString error;
    if (!QDir().mkpath(QFileInfo(path).absolutePath()) ||
        !InventoryWriter::save(inventory, path, &error)) {
        statusBar()->showMessage(tr("The cluster was not added: %1").arg(error), 15000);
        return;
    }
    m_inventoryPath = path;
    reloadInventory();
    showCluster(cluster.name);
    statusBar()->showMessage(tr("Cluster %1 added to %2").arg(cluster.name, path), 10000);
}

void MainWindow::reloadInventory()
{
    QString error;
    if (!openInventory(m_inventoryPath, &error))
        statusBar()->showMessage(error, 10000);
}

void MainWindow::startPatroniWatchers(const Inventory &inventory)
{
    qDeleteAll(m_patroniWatchers);
    m_patroniWatchers.clear();
    m_patroniDetectors.clear();
    m_patroniSnapshots.clear();
    for (const ClusterSpec &c : inventory.clusters) {
        QList<QUrl> urls;
        for (const NodeSpec &n : c.nodes)
            if (!n.patroni.isEmpty())
                urls << QUrl(n.patroni);
        if (urls.isEmpty())
            continue;
        auto *watcher = new PatroniWatcher(c.name, urls, this);
        connect(watcher, &PatroniWatcher::snapshotChanged, this, &MainWindow::onPatroniSnapshot);
        m_patroniWatchers.insert(c.name, watcher);
        m_patroniDetectors.insert(c.name, PatroniEventDetector());
        watcher->start(c.monitor.intervalMs);
    }
}

void MainWindow::onPatroniSnapshot(const PatroniSnapshot &snapshot)
{
    m_patroniSnapshots.insert(snapshot.cluster, snapshot);
    const QList<MonitorEvent> events = m_patroniDetectors[snapshot.cluster].update(snapshot);
    if (!events.isEmpty()) {
        m_eventsPage->addEvents(events);
        m_overviewPage->addEvents(events);
    }
    if (snapshot.cluster == m_currentCluster) {
        m_patroniPage->updateSnapshot(snapshot);
        // A new leader shows in the topology now, not at the next refresh beat.
        if (!events.isEmpty())
            refreshPages();
    }
}

bool MainWindow::openInventory(const QString &path, QString *error)
{
    Inventory inventory;
    QList<InventoryError> errors;
    if (!InventoryLoader::load(path, &inventory, &errors)) {
        QStringList lines;
        for (const InventoryError &e : errors)
            lines << e.toString();
        *error =
            lines.isEmpty() ? tr("%1: could not be read").arg(path) : lines.join(QLatin1Char('\n'));
        return false;
    }
    setInventory(inventory, QFileInfo(path).absoluteFilePath());
    return true;
}

void MainWindow::setInventory(const Inventory &inventory, const QString &source)
{
    clearProbes();
    m_inventory = inventory;
    m_detectors.clear();
    m_inventoryPath = source;
    m_treeModel->setInventory(inventory);
    m_nodesModel->setInventory(inventory);
    QStringList clusters;
    for (const ClusterSpec &c : inventory.clusters)
        clusters << c.name;
    m_nodesPage->setClusters(clusters);
    m_tree->expandAll();
    setWindowTitle(tr("%1 — pgdeck").arg(QFileInfo(source).fileName()));
    m_sourceLabel->setText(source);
    m_sourceLabel->setToolTip(tr("Inventory file"));
    if (clusters.isEmpty()) {
        showEmptyState(tr("%1 defines no clusters.").arg(source));
        return;
    }
    m_stack->setCurrentWidget(m_pages);
    if (m_store) {
        QString error;
        m_store->loadInto(&m_history, 6 * 3600 * 1000LL,
                          &error); // the last hours, not an empty chart
        if (!error.isEmpty())
            statusBar()->showMessage(tr("History could not be loaded: %1").arg(error), 15000);
    }
    showCluster(inventory.clusters.first().name);
    m_refreshTimer->start();
    m_saveTimer->start();
    for (const ClusterSpec &c : inventory.clusters)
        m_detectors.insert(c.name, EventDetector(c.monitor));
    m_monitor = new MonitorThread(inventory.clusters, this);
    connect(m_monitor, &MonitorThread::statusesChanged, this, &MainWindow::onStatuses);
    m_monitor->start();
    startPatroniWatchers(inventory);
    updateStatusBar();
}

void MainWindow::showEmptyState(const QString &message, bool isError)
{
    m_empty->setTitle(isError ? tr("Nothing to show") : tr("Welcome to pgdeck"));
    m_empty->setMessage(message, isError);
    m_empty->setActionsVisible(!m_sandboxDialog);
    if (m_inventoryPath.isEmpty() || isError)
        m_stack->setCurrentWidget(m_empty);
    updateStatusBar();
}

bool MainWindow::restoreLayout()
{
    const QSettings settings;
    const QByteArray geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
    if (geometry.isEmpty())
        return false;
    restoreGeometry(geometry);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_pages->setCurrentIndex(settings.value(QStringLiteral("window/page"), 0).toInt());
    return true;
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/page"), m_pages->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_rememberLayout && !m_dashboard)
        saveLayout();
    QMainWindow::closeEvent(event);
}

void MainWindow::showPages()
{
    m_stack->setCurrentWidget(m_pages);
}

void MainWindow::startSandbox(const SandboxConfig &config)
{
    if (m_sandboxDialog) {
        m_sandboxDialog->raise();
        return;
    }
    auto *dialog = new SandboxBuildDialog(config, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_sandboxDialog = dialog;
    connect(dialog, &SandboxBuildDialog::sandboxReady, this, [this](const QString &path) {
        QString error;
        if (!openInventory(path, &error))
            showEmptyState(error, true);
    });
    connect(dialog, &SandboxBuildDialog::buildFailed, this, [this](const QString &summary) {
        if (m_inventoryPath.isEmpty())
            showEmptyState(summary, true);
    });
    connect(dialog, &QObject::destroyed, this, [this] {
        if (m_inventoryPath.isEmpty())
            m_empty->setActionsVisible(true);
    });
    if (m_inventoryPath.isEmpty()) {
        m_empty->setTitle(tr("Building the sandbox…"));
        m_empty->setMessage(tr("The console opens on it as soon as it is ready."));
        m_empty->setActionsVisible(false);
    }
    dialog->show();
    // Over the console, not wherever the platform puts new windows.
    dialog->move(frameGeometry().center() - dialog->rect().center());
    QString error;
    dialog->start(&error); // a failure shows in the dialog and through buildFailed
}

void MainWindow::startDefaultSandbox()
{
    SandboxConfig wanted;
    wanted.dir = Sandbox::defaultDir();
    SandboxConfig config;
    QString error;
    if (!Sandbox::resolveConfig(wanted, &config, &error)) {
        if (m_dashboard) { // never a modal dialog on a wall screen
            showEmptyState(error, true);
            return;
        }
        QMessageBox::warning(this, tr("Sandbox"), error);
        return;
    }
    startSandbox(config);
}

void MainWindow::openInventoryDialog()
{
    const QString start =
        m_inventoryPath.isEmpty() ? QString() : QFileInfo(m_inventoryPath).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open inventory"), start, tr("Inventory (*.yaml *.yml);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openInventory(path, &error))
        QMessageBox::warning(this, tr("Open inventory"),
                             tr("%1 cannot be used:\n\n%2").arg(QFileInfo(path).fileName(), error));
}

void MainWindow::about()
{
    QMessageBox::about(
        this, tr("About pgdeck"),
        tr("<h3>pgdeck %1</h3>"
           "<p>A desktop console for scaling and deploying PostgreSQL: sharding, "
           "replication, containers and pipelines, with live health.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::onStatuses(const QList<NodeStatus> &statuses)
{
    QList<MonitorEvent> events;
    for (const NodeStatus &status : statuses) {
        m_history.add(status);
        if (m_store)
            m_unsaved << status;
        auto detector = m_detectors.find(status.cluster);
        if (detector != m_detectors.end())
            events << detector->update(status);
        m_nodesModel->updateStatus(status);
        m_treeModel->updateStatus(status);
    }
    if (!events.isEmpty()) {
        m_eventsPage->addEvents(events);
        m_overviewPage->addEvents(events);
    }
    updateStatusBar();
}

void MainWindow::onTreeClicked(const QModelIndex &index)
{
    const QString cluster = index.data(InventoryTreeModel::ClusterRole).toString();
    const QString node = index.data(InventoryTreeModel::NodeRole).toString();
    showCluster(cluster);
    if (!node.isEmpty()) {
        m_pages->setCurrentWidget(m_nodesPage);
        m_nodesPage->selectNode(cluster, node);
    }
}

void MainWindow::updateStatusBar()
{
    if (m_nodesModel->rowCount() == 0) {
        m_healthLabel->clear();
        if (m_inventoryPath.isEmpty())
            m_sourceLabel->setText(tr("No inventory"));
        return;
    }
    int counts[4] = {0, 0, 0, 0};
    QDateTime latest;
    for (int r = 0; r < m_nodesModel->rowCount(); ++r) {
        const NodeStatus s = m_nodesModel->status(r);
        ++counts[int(s.health())];
        if (s.sampledAt > latest)
            latest = s.sampledAt;
    }
    QStringList parts;
    for (auto h : {NodeStatus::Health::Up, NodeStatus::Health::Stale, NodeStatus::Health::Down,
                   NodeStatus::Health::Unknown})
        if (counts[int(h)])
            parts << QStringLiteral("<span style='color:%1'>&#9679;</span> %2 %3")
                         .arg(HealthStyle::color(h).name())
                         .arg(counts[int(h)])
                         .arg(HealthStyle::label(h).toLower());
    if (latest.isValid())
        parts << tr("sampled %1").arg(latest.toString(QStringLiteral("HH:mm:ss")));
    m_healthLabel->setText(parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")) +
                           QStringLiteral("&nbsp;"));
}

void MainWindow::clearProbes()
{
    delete m_monitor; // joins the monitor thread: no status arrives after this
    m_monitor = nullptr;
}

void MainWindow::showCluster(const QString &cluster)
{
    const ClusterSpec *spec = m_inventory.cluster(cluster);
    if (!spec)
        return;
    m_currentCluster = cluster;
    m_overviewPage->setCluster(*spec);
    m_replicationPage->setCluster(*spec);
    m_shardsPage->setCluster(*spec);
    m_patroniPage->setCluster(*spec);
    if (m_patroniSnapshots.contains(cluster))
        m_patroniPage->updateSnapshot(m_patroniSnapshots.value(cluster));
    m_nodesPage->showCluster(m_inventory.clusters.size() > 1 ? cluster : QString());
    // A cluster that `docker up` added carries its compose project's name.
    if (m_containersPage->projects().contains(cluster))
        m_containersPage->setProject(cluster);
    refreshPages();
}

QList<NodeStatus> MainWindow::clusterStatuses(const QString &cluster) const
{
    return m_monitor ? m_monitor->statuses(cluster) : QList<NodeStatus>{};
}

void MainWindow::refreshPages()
{
    const ClusterSpec *spec = m_inventory.cluster(m_currentCluster);
    if (!spec)
        return;
    const QList<NodeStatus> statuses = clusterStatuses(m_currentCluster);
    Topology topology = Topology::build(*spec, statuses);
    applyPatroni(&topology, m_patroniSnapshots.value(m_currentCluster));
    m_overviewPage->updateStatuses(statuses, topology);
    m_replicationPage->updateStatuses(statuses);
    updateBanner();
}

QString MainWindow::bannerText() const
{
    QStringList problems;
    for (const ClusterSpec &c : m_inventory.clusters) {
        QStringList down, stale, lagging;
        for (const NodeStatus &s : clusterStatuses(c.name)) {
            if (s.health() == NodeStatus::Health::Down)
                down << s.node;
            else if (s.health() == NodeStatus::Health::Stale)
                stale << s.node;
            for (const StandbyLag &l : s.standbyLags)
                if ((c.monitor.lagWarnBytes > 0 && l.replayLagBytes > c.monitor.lagWarnBytes) ||
                    (c.monitor.lagWarnSeconds > 0 && l.replayLagSeconds > c.monitor.lagWarnSeconds))
                    lagging << l.name;
        }
        QStringList what;
        if (!down.isEmpty())
            what << tr("%1 down").arg(down.join(QStringLiteral(", ")));
        if (!stale.isEmpty())
            what << tr("%1 not answering").arg(stale.join(QStringLiteral(", ")));
        if (!lagging.isEmpty())
            what << tr("%1 lagging").arg(lagging.join(QStringLiteral(", ")));
        const auto patroni = m_patroniSnapshots.constFind(c.name);
        if (patroni != m_patroniSnapshots.cend()) {
            if (!patroni->reachable)
                what << tr("Patroni not answering");
            else if (patroni->state.leader().isEmpty())
                what << tr("no Patroni leader");
            if (patroni->reachable && patroni->state.paused)
                what << tr("Patroni paused");
        }
        if (!what.isEmpty())
            problems << tr("%1 DEGRADED: %2").arg(c.name, what.join(QStringLiteral(" · ")));
    }
    return problems.join(QStringLiteral("   |   "));
}

void MainWindow::updateBanner()
{
    const QString text = bannerText();
    m_banner->setText(text);
    m_banner->setVisible(m_dashboard && !text.isEmpty());
}

void MainWindow::applyDashboardLook()
{
    // Dark and calm for a wall screen, whatever the desktop theme is.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x16, 0x1b, 0x22));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xed, 0xf3));
    dark.setColor(QPalette::Base, QColor(0x0d, 0x11, 0x17));
    dark.setColor(QPalette::AlternateBase, QColor(0x1c, 0x23, 0x2c));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xed, 0xf3));
    dark.setColor(QPalette::Button, QColor(0x21, 0x26, 0x2d));
    dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xed, 0xf3));
    dark.setColor(QPalette::Mid, QColor(0x30, 0x36, 0x3d));
    dark.setColor(QPalette::Midlight, QColor(0x30, 0x36, 0x3d));
    dark.setColor(QPalette::PlaceholderText, QColor(0x8b, 0x94, 0x9e));
    dark.setColor(QPalette::Highlight, QColor(0x1f, 0x6f, 0xeb));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::ToolTipBase, QColor(0x21, 0x26, 0x2d));
    dark.setColor(QPalette::ToolTipText, QColor(0xe6, 0xed, 0xf3));
    QApplication::setPalette(dark);
    // Large type readable from across a room; style sheets pick it up at polish time.
    QFont big = QApplication::font();
    if (big.pointSizeF() < 14)
        big.setPointSizeF(big.pointSizeF() * 1.5);
    QApplication::setFont(big);
}

void MainWindow::setDashboardMode(int rotateMs)
{
    m_dashboard = true;
    applyDashboardLook();
    menuBar()->hide();
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("inventoryDock")))
        dock->hide();
    m_pages->tabBar()->hide(); // the rotation chooses the page
    m_overviewPage->topologyView()->setMaxScale(2.5);
    m_overviewPage->setRecentEventRows(4);
    QFont bannerFont = QApplication::font();
    bannerFont.setBold(true);
    bannerFont.setPointSizeF(bannerFont.pointSizeF() * 1.3);
    m_banner->setFont(bannerFont);
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: #c62828; color: white; padding: 14px; }"));
    m_rotateTimer->start(qMax(1000, rotateMs));
    showFullScreen();
    updateBanner();
}

void MainWindow::rotatePage()
{
    // Overview then Replication for each cluster in turn.
    const int clusters = int(m_inventory.clusters.size());
    if (clusters == 0)
        return;
    m_rotateIndex = (m_rotateIndex + 1) % (clusters * 2);
    showCluster(m_inventory.clusters[m_rotateIndex / 2].name);
    m_pages->setCurrentWidget(m_rotateIndex % 2 == 0 ? static_cast<QWidget *>(m_overviewPage)
                                                     : static_cast<QWidget *>(m_replicationPage));
}

void MainWindow::setHistoryStorePath(const QString &path)
{
    m_store.reset();
    if (path.isEmpty())
        return;
    auto store = std::make_unique<HistoryStore>(path);
    QString error;
    if (!store->open(&error)) {
        // The console works without history; say why it will not survive a restart.
        statusBar()->showMessage(tr("History is not kept: %1").arg(error), 15000);
        return;
    }
    m_store = std::move(store);
}

void MainWindow::flushHistory()
{
    if (!m_store || m_unsaved.isEmpty())
        return;
    QString error;
    if (!m_store->append(m_unsaved, &error))
        statusBar()->showMessage(tr("History not saved: %1").arg(error), 15000);
    m_unsaved.clear();
}

} // namespace pgdeck
