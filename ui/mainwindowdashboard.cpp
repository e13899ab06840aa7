// MainWindow's ops-screen mode: the dark, large-type look, the page rotation per cluster
// and the banner that names what is wrong while a cluster is degraded.
#include "mainwindow.h"

#include "overview/overviewpage.h"
#include "replication/replicationpage.h"
#include "topology/topologyview.h"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QPalette>
#include <QStyleFactory>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>

namespace pgdeck {

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

} // namespace pgdeck
