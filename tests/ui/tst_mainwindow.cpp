// The main window on a real sandbox: inventory tree and Nodes table fill with live health.
#include "common/windowgrabber.h"
#include "docker/containerspage.h"
#include "inventory/inventoryloader.h"
#include "inventory/inventorytreemodel.h"
#include "mainwindow.h"
#include "nodes/nodestablemodel.h"
#include "pipeline/pipelinespage.h"
#include "sandboxprocess.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pgdeck;

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    test::SandboxProcess m_sandbox;

    static QString cell(const NodesTableModel *m, const QString &node, int column)
    {
        const int row = m->rowOf(QStringLiteral("sandbox"), node);
        return row < 0 ? QStringLiteral("(no row)") : m->index(row, column).data().toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_sandbox.up(1, &error), qPrintable(error));
    }

    void startsEmptyWithAHint()
    {
        MainWindow w;
        w.show();
        QCOMPARE(w.nodesModel()->rowCount(), 0);
        QVERIFY(w.inventoryPath().isEmpty());
    }

    void showsLiveHealthOfTheSandbox()
    {
        MainWindow w;
        w.resize(1200, 700);
        w.show();
        QString error;
        QVERIFY2(w.openInventory(m_sandbox.inventoryPath(), &error), qPrintable(error));
        const NodesTableModel *m = w.nodesModel();
        QCOMPARE(m->rowCount(), 2);

        QTRY_COMPARE_WITH_TIMEOUT(cell(m, QStringLiteral("primary"), NodesTableModel::StateColumn),
                                  QStringLiteral("up"), 20000);
        QCOMPARE(cell(m, QStringLiteral("primary"), NodesTableModel::RoleColumn),
                 QStringLiteral("primary"));
        QTRY_COMPARE_WITH_TIMEOUT(cell(m, QStringLiteral("standby1"), NodesTableModel::StateColumn),
                                  QStringLiteral("up"), 20000);
        QCOMPARE(cell(m, QStringLiteral("standby1"), NodesTableModel::RoleColumn),
                 QStringLiteral("standby"));
        QCOMPARE(cell(m, QStringLiteral("primary"), NodesTableModel::AddressColumn),
                 QStringLiteral("127.0.0.1:%1").arg(m_sandbox.port(0)));
        QTRY_COMPARE_WITH_TIMEOUT(
            cell(m, QStringLiteral("primary"), NodesTableModel::StandbysColumn),
            QStringLiteral("1"), 10000);
        QVERIFY(!cell(m, QStringLiteral("primary"), NodesTableModel::VersionColumn).isEmpty());
        QVERIFY(cell(m, QStringLiteral("primary"), NodesTableModel::ErrorColumn).isEmpty());

        const InventoryTreeModel *tree = w.inventoryModel();
        QCOMPARE(tree->rowCount(), 1);
        const QModelIndex cluster = tree->clusterIndex(QStringLiteral("sandbox"));
        QCOMPARE(tree->rowCount(cluster), 2);
        QTRY_COMPARE_WITH_TIMEOUT(cluster.data(InventoryTreeModel::HealthRole).toInt(),
                                  int(NodeStatus::Health::Up), 5000);

        const QImage shot = WindowGrabber::grab(&w);
        QCOMPARE(shot.size(), w.size());

        // The Containers page asks the Docker engine only while it is on screen.
        auto *pages = w.containersPage()->parentWidget()->parentWidget();
        auto *tabs = qobject_cast<QTabWidget *>(pages);
        QVERIFY(tabs);
        QVERIFY(!w.containersPage()->isActive());
        tabs->setCurrentWidget(w.containersPage());
        QVERIFY(w.containersPage()->isActive());
        tabs->setCurrentWidget(w.pipelinesPage()); // not connected to a service: says so
        QVERIFY(!w.containersPage()->isActive());
        QVERIFY(w.pipelinesPage()->isActive());
        tabs->setCurrentIndex(0);
        QVERIFY(!w.containersPage()->isActive());
        QVERIFY(!w.pipelinesPage()->isActive());
    }

    void aDeployedClusterJoinsTheInventoryAndIsMonitored()
    {
        // What the container wizard hands over: the services' nodes, named after the project.
        QTemporaryDir config;
        qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
        Inventory sandbox;
        QList<InventoryError> errors;
        QVERIFY(InventoryLoader::load(m_sandbox.inventoryPath(), &sandbox, &errors));
        ClusterSpec deployed = sandbox.clusters.first();
        deployed.name = QStringLiteral("shop");
        MainWindow w;
        w.show();
        QVERIFY(w.inventoryPath().isEmpty());
        w.addDeployedCluster(deployed);
        w.addDeployedCluster(deployed); // deploying again replaces, never duplicates
        const QString path = QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                                 .filePath(QStringLiteral("inventory.yaml"));
        QCOMPARE(w.inventoryPath(), path);
        Inventory written;
        QVERIFY(InventoryLoader::load(path, &written, &errors));
        QCOMPARE(written.clusters.size(), 1);
        QCOMPARE(written.clusters.first().name, QStringLiteral("shop"));
        const NodesTableModel *m = w.nodesModel();
        QCOMPARE(m->rowCount(), 2);
        const int row = m->rowOf(QStringLiteral("shop"), QStringLiteral("primary"));
        QVERIFY(row >= 0);
        QTRY_COMPARE_WITH_TIMEOUT(m->index(row, NodesTableModel::StateColumn).data().toString(),
                                  QStringLiteral("up"), 20000);
        qunsetenv("XDG_CONFIG_HOME");
    }

    void badInventoryNamesLineAndKeepsTheWindow()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("bad.yaml"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("clusters:\n  - name: x\n    nodes:\n      - { name: a, port: notaport }\n");
        f.close();
        MainWindow w;
        w.show();
        QString error;
        QVERIFY2(w.openInventory(m_sandbox.inventoryPath(), &error), qPrintable(error));
        QVERIFY(!w.openInventory(path, &error));
        QVERIFY2(error.contains(QStringLiteral("bad.yaml:4:")), qPrintable(error));
        QCOMPARE(w.inventoryPath(), m_sandbox.inventoryPath()); // what was shown stays
        QCOMPARE(w.nodesModel()->rowCount(), 2);
    }

    void cleanupTestCase() { m_sandbox.down(); }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
