// The Nodes table and inventory tree models, fed with NodeStatus values.
#include "common/healthstyle.h"
#include "inventory/inventorytreemodel.h"
#include "nodes/nodespage.h"
#include "nodes/nodestablemodel.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

using namespace pgdeck;

namespace {

NodeSpec node(const QString &name, int port, const QString &role)
{
    NodeSpec n;
    n.name = name;
    n.host = QStringLiteral("127.0.0.1");
    n.port = port;
    n.role = role;
    return n;
}

Inventory twoClusters()
{
    ClusterSpec a;
    a.name = QStringLiteral("orders");
    a.nodes = {node(QStringLiteral("primary"), 5432, QStringLiteral("primary")),
               node(QStringLiteral("standby1"), 5433, QStringLiteral("standby")),
               node(QStringLiteral("standby2"), 5434, QStringLiteral("standby"))};
    ClusterSpec b;
    b.name = QStringLiteral("billing");
    b.nodes = {node(QStringLiteral("db"), 6432, QStringLiteral("primary"))};
    Inventory inv;
    inv.clusters = {a, b};
    return inv;
}

NodeStatus up(const QString &cluster, const QString &name, bool standby, int connections)
{
    NodeStatus s;
    s.cluster = cluster;
    s.node = name;
    s.reachable = true;
    s.stale = false;
    s.version = QStringLiteral("15.14 (Debian 15.14-0+deb12u1)");
    s.inRecovery = standby;
    s.uptimeSeconds = 3 * 3600 + 5 * 60 + 9;
    s.connections = connections;
    s.activeConnections = 1;
    s.standbys = standby ? 0 : 2;
    s.sampledAt = QDateTime::currentDateTime();
    return s;
}

QString cell(const QAbstractItemModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.index(row, column).data(role).toString();
}

} // namespace

class TestNodesTableModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowsExistBeforeAnySample()
    {
        NodesTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setInventory(twoClusters());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(NodesTableModel::ColumnCount));
        const int r = model.rowOf(QStringLiteral("orders"), QStringLiteral("standby1"));
        QCOMPARE(cell(model, r, NodesTableModel::NodeColumn), QStringLiteral("standby1"));
        QCOMPARE(cell(model, r, NodesTableModel::AddressColumn), QStringLiteral("127.0.0.1:5433"));
        QCOMPARE(cell(model, r, NodesTableModel::StateColumn), QStringLiteral("connecting"));
        // Until the server answers, the role is the inventory's claim.
        QCOMPARE(cell(model, r, NodesTableModel::RoleColumn), QStringLiteral("standby"));
        QCOMPARE(cell(model, r, NodesTableModel::UptimeColumn), QString());
        QCOMPARE(model.rowOf(QStringLiteral("orders"), QStringLiteral("nope")), -1);
    }

    void statusesUpdateCells()
    {
        NodesTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setInventory(twoClusters());
        const int p = model.rowOf(QStringLiteral("orders"), QStringLiteral("primary"));
        const int s1 = model.rowOf(QStringLiteral("orders"), QStringLiteral("standby1"));
        const int s2 = model.rowOf(QStringLiteral("orders"), QStringLiteral("standby2"));
        const int db = model.rowOf(QStringLiteral("billing"), QStringLiteral("db"));

        model.updateStatus(up(QStringLiteral("orders"), QStringLiteral("primary"), false, 12));
        QCOMPARE(cell(model, p, NodesTableModel::StateColumn), QStringLiteral("up"));
        QCOMPARE(cell(model, p, NodesTableModel::RoleColumn), QStringLiteral("primary"));
        QCOMPARE(cell(model, p, NodesTableModel::VersionColumn), QStringLiteral("15.14"));
        QCOMPARE(cell(model, p, NodesTableModel::VersionColumn, Qt::ToolTipRole),
                 QStringLiteral("15.14 (Debian 15.14-0+deb12u1)"));
        QCOMPARE(cell(model, p, NodesTableModel::UptimeColumn), QStringLiteral("3 h 05 min"));
        QCOMPARE(cell(model, p, NodesTableModel::ConnectionsColumn),
                 QStringLiteral("12  (1 active)"));
        QCOMPARE(cell(model, p, NodesTableModel::StandbysColumn), QStringLiteral("2"));
        QCOMPARE(model.index(p, 0).data(NodesTableModel::HealthRole).toInt(),
                 int(NodeStatus::Health::Up));

        // The server, not the inventory, decides the role: a promoted "standby" is a primary.
        NodeStatus promoted = up(QStringLiteral("orders"), QStringLiteral("standby1"), false, 3);
        model.updateStatus(promoted);
        QCOMPARE(cell(model, s1, NodesTableModel::RoleColumn), QStringLiteral("primary"));
        QVERIFY(cell(model, s1, NodesTableModel::RoleColumn, Qt::ToolTipRole)
                    .contains(QLatin1String("inventory says standby")));

        // A sample that missed its interval keeps its values but is marked stale.
        NodeStatus stale = up(QStringLiteral("orders"), QStringLiteral("standby2"), true, 9);
        stale.stale = true;
        stale.lastError = QStringLiteral("no answer for 1.2 s (interval 1.0 s)");
        model.updateStatus(stale);
        QCOMPARE(cell(model, s2, NodesTableModel::StateColumn), QStringLiteral("stale"));
        QCOMPARE(cell(model, s2, NodesTableModel::RoleColumn), QStringLiteral("standby"));
        QCOMPARE(cell(model, s2, NodesTableModel::ErrorColumn), stale.lastError);
        QCOMPARE(model.index(s2, NodesTableModel::VersionColumn)
                     .data(Qt::ForegroundRole)
                     .value<QColor>(),
                 HealthStyle::staleText());

        // Down: the libpq text, first line in the cell and all of it in the tooltip.
        NodeStatus down;
        down.cluster = QStringLiteral("billing");
        down.node = QStringLiteral("db");
        down.lastError =
            QStringLiteral("Connection refused\n\tIs the server running on that host?");
        model.updateStatus(down);
        QCOMPARE(cell(model, db, NodesTableModel::StateColumn), QStringLiteral("DOWN"));
        QCOMPARE(cell(model, db, NodesTableModel::ErrorColumn),
                 QStringLiteral("Connection refused"));
        QCOMPARE(cell(model, db, NodesTableModel::ErrorColumn, Qt::ToolTipRole), down.lastError);
        QCOMPARE(cell(model, db, NodesTableModel::ConnectionsColumn), QString());

        // Statuses of nodes the inventory does not have (a replaced inventory) are ignored.
        model.updateStatus(up(QStringLiteral("gone"), QStringLiteral("x"), false, 1));
        QCOMPARE(model.rowCount(), 4);
    }

    void sortsNumbersAsNumbersAndFiltersClusters()
    {
        NodesTableModel model;
        model.setInventory(twoClusters());
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(NodesTableModel::SortRole);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.updateStatus(up(QStringLiteral("orders"), QStringLiteral("primary"), false, 10));
        model.updateStatus(up(QStringLiteral("orders"), QStringLiteral("standby1"), true, 9));
        model.updateStatus(up(QStringLiteral("orders"), QStringLiteral("standby2"), true, 100));
        proxy.sort(NodesTableModel::ConnectionsColumn, Qt::DescendingOrder);
        QCOMPARE(cell(proxy, 0, NodesTableModel::NodeColumn), QStringLiteral("standby2"));
        QCOMPARE(cell(proxy, 1, NodesTableModel::NodeColumn), QStringLiteral("primary"));
        QCOMPARE(cell(proxy, 2, NodesTableModel::NodeColumn), QStringLiteral("standby1"));
        QCOMPARE(cell(proxy, 3, NodesTableModel::NodeColumn),
                 QStringLiteral("db")); // never sampled: last

        proxy.setFilterRole(NodesTableModel::ClusterRole);
        proxy.setFilterRegularExpression(QStringLiteral("^billing$"));
        QCOMPARE(proxy.rowCount(), 1);
    }

    void formatsUptime()
    {
        QCOMPARE(NodesTableModel::formatUptime(-1), QString());
        QCOMPARE(NodesTableModel::formatUptime(42), QStringLiteral("42 s"));
        QCOMPARE(NodesTableModel::formatUptime(61), QStringLiteral("1 min 01 s"));
        QCOMPARE(NodesTableModel::formatUptime(7260), QStringLiteral("2 h 01 min"));
        QCOMPARE(NodesTableModel::formatUptime(3 * 86400 + 4 * 3600 + 59),
                 QStringLiteral("3 d 4 h"));
    }

    void treeShowsClustersAndWorstHealth()
    {
        InventoryTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setInventory(twoClusters());
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex orders = model.clusterIndex(QStringLiteral("orders"));
        QCOMPARE(model.rowCount(orders), 3);
        QCOMPARE(model.rowCount(orders.siblingAtColumn(InventoryTreeModel::RoleColumn)), 0);
        const QModelIndex s1 =
            model.nodeIndex(QStringLiteral("orders"), QStringLiteral("standby1"));
        QCOMPARE(s1.parent(), orders);
        QCOMPARE(s1.data().toString(), QStringLiteral("standby1"));
        QCOMPARE(s1.data(InventoryTreeModel::ClusterRole).toString(), QStringLiteral("orders"));

        for (const char *n : {"primary", "standby1", "standby2"})
            model.updateStatus(up(QStringLiteral("orders"), QString::fromLatin1(n),
                                  qstrcmp(n, "primary") != 0, 1));
        QCOMPARE(orders.data(InventoryTreeModel::HealthRole).toInt(), int(NodeStatus::Health::Up));
        QCOMPARE(s1.siblingAtColumn(InventoryTreeModel::RoleColumn).data().toString(),
                 QStringLiteral("standby"));

        NodeStatus down;
        down.cluster = QStringLiteral("orders");
        down.node = QStringLiteral("standby2");
        down.lastError = QStringLiteral("timeout expired");
        model.updateStatus(down);
        QCOMPARE(orders.data(InventoryTreeModel::HealthRole).toInt(),
                 int(NodeStatus::Health::Down));
        QVERIFY(model.nodeIndex(QStringLiteral("orders"), QStringLiteral("standby2"))
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("timeout expired")));
        model.setInventory({});
        QCOMPARE(model.rowCount(), 0);
    }

    void pageRendersEveryState()
    {
        NodesTableModel model;
        model.setInventory(twoClusters());
        NodesPage page(&model);
        page.setClusters({QStringLiteral("orders"), QStringLiteral("billing")});
        page.resize(1000, 400);
        page.show();
        model.updateStatus(up(QStringLiteral("orders"), QStringLiteral("primary"), false, 4));
        NodeStatus down;
        down.cluster = QStringLiteral("billing");
        down.node = QStringLiteral("db");
        down.lastError = QStringLiteral("Connection refused");
        model.updateStatus(down);
        QVERIFY(!page.grab().isNull());
        QVERIFY(!page.view()->isColumnHidden(NodesTableModel::ClusterColumn));
        page.showCluster(QStringLiteral("billing"));
        QCOMPARE(page.proxy()->rowCount(), 1);
        page.showCluster(QString());
        QCOMPARE(page.proxy()->rowCount(), 4);
        page.setClusters({QStringLiteral("orders")});
        QVERIFY(page.view()->isColumnHidden(NodesTableModel::ClusterColumn));
    }
};

QTEST_MAIN(TestNodesTableModel)
#include "tst_nodestablemodel.moc"
