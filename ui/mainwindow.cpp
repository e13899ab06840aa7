#include "mainwindow.h"

#include "common/cleanitemdelegate.h"
#include "common/emptystatewidget.h"
#include "common/healthstyle.h"
#include "inventory/inventoryloader.h"
#include "inventory/inventorytreemodel.h"
#include "monitor/nodeprobe.h"
#include "nodes/nodespage.h"
#include "nodes/nodestablemodel.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxbuilddialog.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>

namespace pgdeck {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_treeModel(new InventoryTreeModel(this))
    , m_nodesModel(new NodesTableModel(this))
    , m_tree(new QTreeView)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget)
    , m_pages(new QTabWidget)
    , m_nodesPage(new NodesPage(m_nodesModel))
    , m_sourceLabel(new QLabel)
    , m_healthLabel(new QLabel)
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
    m_pages->addTab(m_nodesPage, tr("Nodes"));
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_pages);
    setCentralWidget(m_stack);
    connect(m_empty, &EmptyStateWidget::openInventoryRequested, this,
            &MainWindow::openInventoryDialog);
    connect(m_empty, &EmptyStateWidget::startSandboxRequested, this,
            &MainWindow::startDefaultSandbox);

    m_sourceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_healthLabel->setTextFormat(Qt::RichText);
    statusBar()->addWidget(m_sourceLabel, 1);
    statusBar()->addPermanentWidget(m_healthLabel);

    createMenus();
    showEmptyState(defaultHint());
}

MainWindow::~MainWindow()
{
    clearProbes();
}

SandboxBuildDialog *MainWindow::sandboxDialog() const
{
    return m_sandboxDialog;
}

QString MainWindow::defaultHint()
{
    return tr("Open an inventory file (File ▸ Open inventory…) or build the local sandbox: a "
              "primary and two streaming standbys on 127.0.0.1, also available as "
              "<code>pgdeck --sandbox</code>.");
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open inventory…"), this, &MainWindow::openInventoryDialog);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Build and open the &sandbox"), this, &MainWindow::startDefaultSandbox);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("inventoryDock")))
        view->addAction(dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About pgdeck"), this, &MainWindow::about);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
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
    for (const ClusterSpec &c : inventory.clusters) {
        auto *probe = new NodeProbe(c, this);
        connect(probe, &NodeProbe::statusChanged, this, &MainWindow::onStatus);
        m_probes << probe;
        probe->start();
    }
    updateStatusBar();
}

void MainWindow::showEmptyState(const QString &message, bool isError)
{
    m_empty->setTitle(isError ? tr("Nothing to show") : tr("No inventory open"));
    m_empty->setMessage(message, isError);
    m_empty->setActionsVisible(!m_sandboxDialog);
    if (m_inventoryPath.isEmpty() || isError)
        m_stack->setCurrentWidget(m_empty);
    updateStatusBar();
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

void MainWindow::onStatus(const NodeStatus &status)
{
    m_nodesModel->updateStatus(status);
    m_treeModel->updateStatus(status);
    updateStatusBar();
}

void MainWindow::onTreeClicked(const QModelIndex &index)
{
    const QString cluster = index.data(InventoryTreeModel::ClusterRole).toString();
    const QString node = index.data(InventoryTreeModel::NodeRole).toString();
    m_pages->setCurrentWidget(m_nodesPage);
    m_nodesPage->showCluster(m_probes.size() > 1 ? cluster : QString());
    if (!node.isEmpty())
        m_nodesPage->selectNode(cluster, node);
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
    for (NodeProbe *p : std::as_const(m_probes)) {
        p->disconnect(this);
        p->stop();
        p->deleteLater();
    }
    m_probes.clear();
}

} // namespace pgdeck
