#include "mainwindow.h"

#include "common/cleanitemdelegate.h"
#include "common/healthstyle.h"
#include "docker/containerspage.h"
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
#include "pipeline/pipelinespage.h"
#include "replication/replicationpage.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxbuilddialog.h"
#include "shards/shardspage.h"
#include "topology/topology.h"
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
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
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

QString MainWindow::userInventoryPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("inventory.yaml"));
}

void MainWindow::addDeployedCluster(const ClusterSpec &cluster)
{
    // The open inventory, else the user's (created when missing).
    const QString path = m_inventoryPath.isEmpty() ? userInventoryPath() : m_inventoryPath;
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
        parts << tr("sampled %1").arg(latest.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
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
