// InventoryLoader: the file format, its errors with their positions, loading from disk.
#include "inventory/inventory.h"
#include "inventory/inventoryloader.h"
#include "inventory/inventorywriter.h"
#include "inventorytestdata.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace pgdeck;
using namespace pgdeck::test;

class TestInventory : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void errorToString();
    void lookups();
    void parseProductExample();
    void parseEveryNodeKey();
    void emptyDocuments_data();
    void emptyDocuments();
    void durations_data();
    void durations();
    void sizes_data();
    void sizes();
    void monitorSettings_data();
    void monitorSettings();
    void errors_data();
    void errors();
    void unknownKeyMessage();
    void passwordAnywhere();
    void reportsAllErrors();
    void errorsComeInFileOrder();
    void failureLeavesOutputUntouched();
    void loadMissingFile();
    void loadDirectory();
    void loadFile();
    void exampleFileLoads();
};

void TestInventory::errorToString()
{
    InventoryError e{QStringLiteral("orders.yaml"), 7, 9, QStringLiteral("bad")};
    QCOMPARE(e.toString(), QStringLiteral("orders.yaml:7:9: bad"));
    e.line = 0;
    e.column = 0;
    QCOMPARE(e.toString(), QStringLiteral("orders.yaml: bad"));
    e.line = 3;
    QCOMPARE(e.toString(), QStringLiteral("orders.yaml:3: bad"));
}

void TestInventory::lookups()
{
    Inventory inv;
    ClusterSpec c;
    c.name = QStringLiteral("orders");
    c.nodes << node(QStringLiteral("a"), QStringLiteral("h1"))
            << node(QStringLiteral("b"), QStringLiteral("h2"));
    inv.clusters << c;
    QVERIFY(inv.cluster(QStringLiteral("orders")));
    QCOMPARE(inv.cluster(QStringLiteral("orders"))->nodes.size(), 2);
    QVERIFY(!inv.cluster(QStringLiteral("other")));
    QCOMPARE(inv.clusters.first().node(QStringLiteral("b"))->host, QStringLiteral("h2"));
    QVERIFY(!inv.clusters.first().node(QStringLiteral("c")));
}

void TestInventory::parseProductExample()
{
    const QByteArray yaml = R"(clusters:
  - name: orders
    nodes:
      - { name: coord, host: db1.example, port: 5432, dbname: app, user: postgres,
          role: coordinator, ssh: admin@db1.example, patroni: http://db1.example:8008,
          region: eu }
      - { name: w1, service: orders-w1 }        # a pg_service.conf entry works too
    monitor: { interval: 1s, lag_warn_bytes: 16MB, lag_warn_seconds: 5 }
)";
    const Inventory inv = parseOk(yaml);
    QCOMPARE(inv.clusters.size(), 1);
    const ClusterSpec &c = inv.clusters.first();
    QCOMPARE(c.name, QStringLiteral("orders"));
    QCOMPARE(c.nodes.size(), 2);
    const NodeSpec &coord = c.nodes.at(0);
    QCOMPARE(coord.name, QStringLiteral("coord"));
    QCOMPARE(coord.host, QStringLiteral("db1.example"));
    QCOMPARE(coord.port, 5432);
    QCOMPARE(coord.dbname, QStringLiteral("app"));
    QCOMPARE(coord.user, QStringLiteral("postgres"));
    QCOMPARE(coord.role, QStringLiteral("coordinator"));
    QCOMPARE(coord.ssh, QStringLiteral("admin@db1.example"));
    QCOMPARE(coord.patroni, QStringLiteral("http://db1.example:8008"));
    QCOMPARE(coord.region, QStringLiteral("eu"));
    QCOMPARE(coord.line, 4);
    QCOMPARE(coord.column, 9);
    const NodeSpec &w1 = c.nodes.at(1);
    QCOMPARE(w1.service, QStringLiteral("orders-w1"));
    QCOMPARE(w1.port, 0);
    QVERIFY(w1.host.isEmpty());
    QCOMPARE(w1.line, 7);
    QCOMPARE(w1.column, 9);
    QCOMPARE(c.monitor.intervalMs, 1000);
    QCOMPARE(c.monitor.lagWarnBytes, qint64(16) * 1024 * 1024);
    QCOMPARE(c.monitor.lagWarnSeconds, 5.0);
}

void TestInventory::parseEveryNodeKey()
{
    const QByteArray yaml = R"(clusters:
  - name: c
    nodes:
      - name: p
        host: h
        port: 6543
        dbname: d
        user: u
        service: s
        role: primary
        ssh: me@h
        patroni: https://h:8008
        region: r
        sslmode: verify-ca
        sslrootcert: /ca.crt
        sslcert: /c.crt
        sslkey: /c.key
        data_dir: /data
      - name: s1
        host: h2
        role: standby
        upstream: p
)";
    const Inventory inv = parseOk(yaml);
    QCOMPARE(inv.clusters.size(), 1);
    const NodeSpec &n = inv.clusters.first().nodes.first();
    QCOMPARE(n.port, 6543);
    QCOMPARE(n.dbname, QStringLiteral("d"));
    QCOMPARE(n.user, QStringLiteral("u"));
    QCOMPARE(n.service, QStringLiteral("s"));
    QCOMPARE(n.role, QStringLiteral("primary"));
    QCOMPARE(n.ssh, QStringLiteral("me@h"));
    QCOMPARE(n.patroni, QStringLiteral("https://h:8008"));
    QCOMPARE(n.region, QStringLiteral("r"));
    QCOMPARE(n.sslmode, QStringLiteral("verify-ca"));
    QCOMPARE(n.sslrootcert, QStringLiteral("/ca.crt"));
    QCOMPARE(n.sslcert, QStringLiteral("/c.crt"));
    QCOMPARE(n.sslkey, QStringLiteral("/c.key"));
    QCOMPARE(n.dataDir, QStringLiteral("/data"));
    QCOMPARE(n.line, 4);
    QCOMPARE(n.column, 9);
    QCOMPARE(inv.clusters.first().nodes.at(1).upstream, QStringLiteral("p"));
    QCOMPARE(inv.clusters.first().monitor, MonitorSettings());
}

void TestInventory::emptyDocuments_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("empty file") << QByteArray();
    QTest::newRow("comment only") << QByteArray("# nothing yet\n");
    QTest::newRow("null clusters") << QByteArray("clusters:\n");
    QTest::newRow("empty list") << QByteArray("clusters: []\n");
}

void TestInventory::emptyDocuments()
{
    QFETCH(QByteArray, yaml);
    Inventory inv;
    inv.clusters << ClusterSpec();
    QList<InventoryError> errors;
    QVERIFY(InventoryLoader::parse(yaml, QStringLiteral("e.yaml"), &inv, &errors));
    QVERIFY(errors.isEmpty());
    QVERIFY(inv.clusters.isEmpty());
}

void TestInventory::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<double>("ms");
    QTest::newRow("ms") << "500ms" << true << 500.0;
    QTest::newRow("s") << "1s" << true << 1000.0;
    QTest::newRow("fraction s") << "1.5s" << true << 1500.0;
    QTest::newRow("m") << "2m" << true << 120000.0;
    QTest::newRow("min") << "2min" << true << 120000.0;
    QTest::newRow("h") << "1h" << true << 3600000.0;
    QTest::newRow("bare") << "3" << true << 3000.0;
    QTest::newRow("bare fraction") << "0.25" << true << 250.0;
    QTest::newRow("spaces") << " 10 ms " << true << 10.0;
    QTest::newRow("exponent") << "1e-3" << true << 1.0;
    QTest::newRow("unknown unit") << "5 fortnights" << false << 0.0;
    QTest::newRow("negative") << "-1s" << false << 0.0;
    QTest::newRow("empty") << "" << false << 0.0;
    QTest::newRow("word") << "fast" << false << 0.0;
    QTest::newRow("nan") << "nan" << false << 0.0;
}

void TestInventory::durations()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(double, ms);
    double got = -1;
    QCOMPARE(InventoryLoader::parseDurationMs(text, &got), ok);
    if (ok)
        QCOMPARE(got, ms);
}

void TestInventory::sizes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("bytes");
    QTest::newRow("bare") << "1048576" << true << qint64(1048576);
    QTest::newRow("zero") << "0" << true << qint64(0);
    QTest::newRow("kB") << "8kB" << true << qint64(8192);
    QTest::newRow("MB") << "16MB" << true << (qint64(16) << 20);
    QTest::newRow("MB space") << "16 MB" << true << (qint64(16) << 20);
    QTest::newRow("GB") << "1GB" << true << (qint64(1) << 30);
    QTest::newRow("TB") << "2TB" << true << (qint64(2) << 40);
    QTest::newRow("KiB") << "4KiB" << true << qint64(4096);
    QTest::newRow("MiB") << "3MiB" << true << (qint64(3) << 20);
    QTest::newRow("GiB") << "5GiB" << true << (qint64(5) << 30);
    QTest::newRow("bytes") << "100 bytes" << true << qint64(100);
    QTest::newRow("fraction") << "1.5GB" << true << (qint64(3) << 29);
    QTest::newRow("largest") << "9223372036854775807" << true << std::numeric_limits<qint64>::max();
    QTest::newRow("overflow") << "9000000TB" << false << qint64(0);
    QTest::newRow("negative") << "-1MB" << false << qint64(0);
    QTest::newRow("unknown unit") << "3 XB" << false << qint64(0);
    QTest::newRow("word") << "big" << false << qint64(0);
}

void TestInventory::sizes()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qint64, bytes);
    qint64 got = -1;
    QCOMPARE(InventoryLoader::parseSize(text, &got), ok);
    if (ok)
        QCOMPARE(got, bytes);
}

void TestInventory::monitorSettings_data()
{
    QTest::addColumn<QByteArray>("monitor");
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<qint64>("lagBytes");
    QTest::addColumn<double>("lagSeconds");
    const MonitorSettings d;
    QTest::newRow("defaults") << QByteArray("{}") << d.intervalMs << d.lagWarnBytes
                              << d.lagWarnSeconds;
    QTest::newRow("all") << QByteArray("{ interval: 500ms, lag_warn_bytes: 1GB, "
                                       "lag_warn_seconds: 2.5 }")
                         << 500 << (qint64(1) << 30) << 2.5;
    QTest::newRow("bare interval")
        << QByteArray("{ interval: 2 }") << 2000 << d.lagWarnBytes << d.lagWarnSeconds;
    QTest::newRow("seconds as duration")
        << QByteArray("{ lag_warn_seconds: 1m }") << d.intervalMs << d.lagWarnBytes << 60.0;
    QTest::newRow("seconds in ms")
        << QByteArray("{ lag_warn_seconds: 500ms }") << d.intervalMs << d.lagWarnBytes << 0.5;
    QTest::newRow("bare bytes") << QByteArray("{ lag_warn_bytes: 12345 }") << d.intervalMs
                                << qint64(12345) << d.lagWarnSeconds;
    QTest::newRow("quoted") << QByteArray("{ interval: \"250ms\", lag_warn_bytes: '8MiB' }") << 250
                            << (qint64(8) << 20) << d.lagWarnSeconds;
}

void TestInventory::monitorSettings()
{
    QFETCH(QByteArray, monitor);
    QFETCH(int, intervalMs);
    QFETCH(qint64, lagBytes);
    QFETCH(double, lagSeconds);
    const Inventory inv = parseOk(
        "clusters:\n  - name: c\n    nodes: [{ name: n, host: h }]\n    monitor: " + monitor +
        "\n");
    QCOMPARE(inv.clusters.size(), 1);
    QCOMPARE(inv.clusters.first().monitor.intervalMs, intervalMs);
    QCOMPARE(inv.clusters.first().monitor.lagWarnBytes, lagBytes);
    QCOMPARE(inv.clusters.first().monitor.lagWarnSeconds, lagSeconds);
}

void TestInventory::errors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message"); // a part of the message

    const QByteArray head = "clusters:\n  - name: c\n    nodes:\n";

    QTest::newRow("syntax") << QByteArray("clusters:\n  - name: [c\n") << 3 << 1
                            << "YAML syntax error";
    QTest::newRow("syntax tab") << QByteArray("clusters:\n\t- name: c\n") << 2 << 2
                                << "YAML syntax error";
    QTest::newRow("unknown node key")
        << head + "      - { name: n, host: h, prot: 1 }\n"
        << 4 << 29 << R"(unknown key "prot" in node "n" (did you mean "port"?))";
    QTest::newRow("unknown node key alias")
        << head + "      - { name: n, hostname: h, service: s }\n"
        << 4 << 20 << R"(unknown key "hostname" in node "n" (did you mean "host"?))";
    QTest::newRow("unknown key no suggestion")
        << head + "      - { name: n, host: h, colour: blue }\n"
        << 4 << 29 << R"(unknown key "colour" in node "n")";
    QTest::newRow("unknown cluster key")
        << QByteArray("clusters:\n  - name: c\n    node: []\n") << 3 << 5
        << R"(unknown key "node" in cluster "c" (did you mean "nodes"?))";
    QTest::newRow("unknown top key")
        << QByteArray("clusterz: []\n") << 1 << 1
        << R"(unknown key "clusterz" in the inventory (did you mean "clusters"?))";
    QTest::newRow("unknown monitor key")
        << QByteArray("clusters:\n  - name: c\n    monitor: { intervall: 1s }\n") << 3 << 16
        << R"(unknown key "intervall" in the monitor settings of cluster "c" (did you mean "interval"?))";
    QTest::newRow("duplicate key")
        << head + "      - { name: n, host: h, host: i }\n"
        << 4 << 29 << R"(duplicate key "host" in node "n" (first given at line 4))";
    QTest::newRow("duplicate cluster")
        << QByteArray("clusters:\n  - name: c\n  - name: d\n  - name: c\n") << 4 << 11
        << R"(duplicate cluster name "c" (first defined at line 2))";
    QTest::newRow("duplicate node")
        << head + "      - { name: n, host: h }\n      - { name: m, host: h }\n"
                  "      - { name: n, host: h }\n"
        << 6 << 17 << R"(duplicate node name "n" in cluster "c" (first defined at line 4))";
    QTest::newRow("port text")
        << head + "      - { name: n, host: h, port: abc }\n"
        << 4 << 35 << R"(port of node "n" must be an integer from 1 to 65535, not "abc")";
    QTest::newRow("port zero") << head + "      - { name: n, host: h, port: 0 }\n"
                               << 4 << 35 << "must be an integer from 1 to 65535";
    QTest::newRow("port too big") << head + "      - { name: n, host: h, port: 65536 }\n"
                                  << 4 << 35 << "must be an integer from 1 to 65535";
    QTest::newRow("port fraction") << head + "      - { name: n, host: h, port: 5432.5 }\n"
                                   << 4 << 35 << "must be an integer from 1 to 65535";
    QTest::newRow("port list") << head + "      - { name: n, host: h, port: [1] }\n"
                               << 4 << 35 << "must be an integer from 1 to 65535, not a list";
    QTest::newRow("no host nor service") << head + "      - { name: n, port: 5432 }\n"
                                         << 4 << 9 << R"(node "n" has neither host nor service)";
    QTest::newRow("empty host") << head + "      - { name: n, host: '' }\n"
                                << 4 << 9 << "has neither host nor service";
    QTest::newRow("password in node")
        << head + "      - { name: n, host: h, password: secret }\n"
        << 4 << 29
        << R"("password" is refused: passwords belong in ~/.pgpass (or the file PGPASSFILE names) or in the OS keychain, never in the inventory)";
    QTest::newRow("password in cluster")
        << QByteArray("clusters:\n  - name: c\n    password: x\n") << 3 << 5 << "PGPASSFILE";
    QTest::newRow("password at top")
        << QByteArray("password: x\nclusters: []\n") << 1 << 1 << "never in the inventory";
    QTest::newRow("password in monitor")
        << QByteArray("clusters:\n  - name: c\n    monitor: { password: x }\n") << 3 << 16
        << "keychain";
    QTest::newRow("sslpassword") << head + "      - { name: n, host: h, sslpassword: x }\n"
                                 << 4 << 29 << R"("sslpassword" is refused)";
    QTest::newRow("bad role")
        << head + "      - { name: n, host: h, role: primry }\n"
        << 4 << 35
        << R"(role of node "n" must be primary, standby, coordinator or worker, not "primry" (did you mean "primary"?))";
    QTest::newRow("unknown upstream")
        << head + "      - { name: p, host: h }\n      - { name: s, host: h, upstream: q }\n"
        << 5 << 39 << R"(upstream "q" of node "s" is not a node of cluster "c")";
    QTest::newRow("upstream itself") << head + "      - { name: s, host: h, upstream: s }\n"
                                     << 4 << 39 << R"(node "s" names itself as its upstream)";
    QTest::newRow("bad sslmode")
        << head + "      - { name: n, host: h, sslmode: verify }\n"
        << 4 << 38
        << R"(sslmode of node "n" must be one of disable, allow, prefer, require, verify-ca, verify-full, not "verify")";
    QTest::newRow("bad patroni") << head + "      - { name: n, host: h, patroni: 'h:8008' }\n"
                                 << 4 << 38 << "must be an http:// or https:// URL";
    QTest::newRow("nodes not a list")
        << QByteArray("clusters:\n  - name: c\n    nodes: { a: 1 }\n") << 3 << 12
        << R"("nodes" of cluster "c" must be a list, not a map)";
    QTest::newRow("nodes scalar") << QByteArray("clusters:\n  - name: c\n    nodes: pg1\n") << 3
                                  << 12 << R"("nodes" of cluster "c" must be a list, not "pg1")";
    QTest::newRow("node not a map")
        << head + "      - pg1\n"
        << 4 << 9 << R"(node #1 of cluster "c" must be a map, not "pg1")";
    QTest::newRow("cluster not a map") << QByteArray("clusters:\n  - orders\n") << 2 << 5
                                       << R"(cluster #1 must be a map, not "orders")";
    QTest::newRow("clusters not a list") << QByteArray("clusters: { name: c }\n") << 1 << 11
                                         << R"("clusters" must be a list, not a map)";
    QTest::newRow("document is a scalar")
        << QByteArray("hello\n") << 1 << 1 << "the inventory must be a map";
    QTest::newRow("document is a list") << QByteArray("- a\n- b\n") << 1 << 1
                                        << "must be a map with a \"clusters\" list, not a list";
    QTest::newRow("monitor not a map")
        << QByteArray("clusters:\n  - name: c\n    monitor: 1s\n") << 3 << 14
        << R"("monitor" of cluster "c" must be a map, not "1s")";
    QTest::newRow("map where string expected")
        << head + "      - { name: n, host: { a: b } }\n"
        << 4 << 26 << R"("host" of node "n" must be a single value, not a map)";
    QTest::newRow("cluster without name")
        << QByteArray("clusters:\n  - nodes: []\n") << 2 << 5 << "cluster #1 has no name";
    QTest::newRow("name is a list")
        << head + "      - { name: [a], host: h }\n"
        << 4 << 17 << R"("name" of node #1 of cluster "c" must be a single value, not a list)";
    QTest::newRow("node without name") << head + "      - { host: h }\n"
                                       << 4 << 9 << R"(node #1 of cluster "c" has no name)";
    QTest::newRow("bad interval")
        << QByteArray("clusters:\n  - name: c\n    monitor: { interval: fast }\n") << 3 << 26
        << R"(interval in the monitor settings of cluster "c" must be a positive duration such as 500ms, 1s or 2m, not "fast")";
    QTest::newRow("zero interval")
        << QByteArray("clusters:\n  - name: c\n    monitor: { interval: 0s }\n") << 3 << 26
        << "must be a positive duration";
    QTest::newRow("bad size")
        << QByteArray("clusters:\n  - name: c\n    monitor: { lag_warn_bytes: 16 MiBs }\n") << 3
        << 32 << R"(must be a size such as 16MB or 1048576, not "16 MiBs")";
    QTest::newRow("bad seconds")
        << QByteArray("clusters:\n  - name: c\n    monitor: { lag_warn_seconds: soon }\n") << 3
        << 34 << "lag_warn_seconds in the monitor settings of cluster \"c\" must be a number";
    QTest::newRow("two documents")
        << QByteArray("clusters: []\n---\nclusters: []\n") << 3 << 1 << "single YAML document";
}

void TestInventory::errors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    Inventory inv;
    QList<InventoryError> errors;
    QVERIFY(!InventoryLoader::parse(yaml, QStringLiteral("orders.yaml"), &inv, &errors));
    QVERIFY2(errors.size() == 1, qPrintable(joined(errors)));
    const InventoryError &e = errors.first();
    QVERIFY2(e.message.contains(message), qPrintable(e.toString()));
    QCOMPARE(e.file, QStringLiteral("orders.yaml"));
    QCOMPARE(e.line, line);
    QCOMPARE(e.column, column);
    QVERIFY(e.toString().startsWith(QStringLiteral("orders.yaml:%1:%2: ").arg(line).arg(column)));
}

void TestInventory::unknownKeyMessage()
{
    const QByteArray yaml = R"(clusters:
  - name: orders
    nodes:
      - name: coord
        host: db1
      - name: w1
        prot: 5432
        service: orders-w1
)";
    const QList<InventoryError> errors = errorsOf(yaml);
    QCOMPARE(joined(errors),
             QStringLiteral(
                 R"(orders.yaml:7:9: unknown key "prot" in node "w1" (did you mean "port"?))"));
}

void TestInventory::passwordAnywhere()
{
    // Even under a key pgdeck does not know, and whatever the spelling.
    const QByteArray yaml = "extra:\n  auth:\n    - { PASSWORD: x }\nclusters: []\n";
    const QList<InventoryError> errors = errorsOf(yaml);
    QVERIFY2(errors.size() == 2, qPrintable(joined(errors)));
    QVERIFY(errors.at(0).toString().startsWith(
        QStringLiteral("orders.yaml:1:1: unknown key \"extra\" in the inventory")));
    QVERIFY(errors.at(1).toString().startsWith(
        QStringLiteral("orders.yaml:3:9: \"PASSWORD\" is refused: passwords belong in ~/.pgpass")));
}

void TestInventory::reportsAllErrors()
{
    const QByteArray yaml = R"(clusters:
  - name: orders
    nodes:
      - { name: a, host: h, port: 99999 }
      - { name: b, role: leader }
      - { name: a, host: h, password: hunter2 }
      - { name: c, host: h, upstream: z, sslmode: maybe }
    monitor: { interval: soon, colour: red }
  - name: orders
    nodes: {}
)";
    const QList<InventoryError> errors = errorsOf(yaml);
    const QStringList expected = {
        QStringLiteral("orders.yaml:4:35: port of node \"a\" must be an integer"),
        QStringLiteral("orders.yaml:5:9: node \"b\" has neither host nor service"),
        QStringLiteral("orders.yaml:5:26: role of node \"b\" must be"),
        QStringLiteral("orders.yaml:6:17: duplicate node name \"a\""),
        QStringLiteral("orders.yaml:6:29: \"password\" is refused"),
        QStringLiteral("orders.yaml:7:39: upstream \"z\" of node \"c\""),
        QStringLiteral("orders.yaml:7:51: sslmode of node \"c\""),
        QStringLiteral("orders.yaml:8:26: interval in the monitor settings"),
        QStringLiteral("orders.yaml:8:32: unknown key \"colour\""),
        QStringLiteral("orders.yaml:9:11: duplicate cluster name \"orders\" (first defined at "
                       "line 2)"),
        QStringLiteral("orders.yaml:10:12: \"nodes\" of cluster \"orders\" must be a list"),
    };
    QVERIFY2(errors.size() == expected.size(), qPrintable(joined(errors)));
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(errors.at(i).toString().startsWith(expected.at(i)), qPrintable(joined(errors)));
}

void TestInventory::errorsComeInFileOrder()
{
    // The password scan runs first, yet its error is listed where it sits in the file.
    const QByteArray yaml = "clusters:\n  - name: c\n    nodes:\n"
                            "      - { name: n, port: x }\n"
                            "      - { name: m, host: h, password: p }\n";
    const QList<InventoryError> errors = errorsOf(yaml);
    QVERIFY2(errors.size() == 3, qPrintable(joined(errors)));
    for (qsizetype i = 1; i < errors.size(); ++i) {
        QVERIFY(std::pair(errors.at(i - 1).line, errors.at(i - 1).column) <=
                std::pair(errors.at(i).line, errors.at(i).column));
    }
}

void TestInventory::failureLeavesOutputUntouched()
{
    Inventory inv;
    ClusterSpec c;
    c.name = QStringLiteral("keep");
    inv.clusters << c;
    const Inventory before = inv;
    QList<InventoryError> errors;
    errors << InventoryError{QStringLiteral("x"), 1, 1, QStringLiteral("earlier")};
    QVERIFY(!InventoryLoader::parse("clusters: 3\n", QStringLiteral("f.yaml"), &inv, &errors));
    QCOMPARE(inv, before);
    QCOMPARE(errors.size(), 2); // appended, not replaced
    QCOMPARE(errors.first().message, QStringLiteral("earlier"));
    // Null out-parameters are allowed.
    QVERIFY(!InventoryLoader::parse("clusters: 3\n", QStringLiteral("f.yaml"), nullptr, nullptr));
    QVERIFY(InventoryLoader::parse("clusters: []\n", QStringLiteral("f.yaml"), nullptr, nullptr));
}

void TestInventory::loadMissingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("nope.yaml"));
    Inventory inv;
    QList<InventoryError> errors;
    QVERIFY(!InventoryLoader::load(path, &inv, &errors));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().file, path);
    QCOMPARE(errors.first().line, 0);
    const QString s = errors.first().toString();
    QVERIFY2(s.startsWith(path + QStringLiteral(": ")), qPrintable(s));
    QVERIFY2(s.contains(QStringLiteral("No such file or directory")), qPrintable(s));
}

void TestInventory::loadDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QList<InventoryError> errors;
    QVERIFY(!InventoryLoader::load(dir.path(), nullptr, &errors));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().toString().startsWith(dir.path() + QStringLiteral(": ")),
             qPrintable(errors.first().toString()));
    QVERIFY(errors.first().message.contains(QStringLiteral("directory")));
}

void TestInventory::loadFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("orders.yaml"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("clusters:\n  - name: c\n    nodes:\n      - { name: n, host: h, port: 0 }\n");
    f.close();
    QList<InventoryError> errors;
    QVERIFY(!InventoryLoader::load(path, nullptr, &errors));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().toString().startsWith(path + QStringLiteral(":4:35: port")),
             qPrintable(errors.first().toString()));

    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("\xEF\xBB\xBF" // a BOM, as some editors write
            "clusters:\n  - name: c\n    nodes:\n      - { name: n, host: h, port: 1 }\n");
    f.close();
    Inventory inv;
    errors.clear();
    QVERIFY2(InventoryLoader::load(path, &inv, &errors), qPrintable(joined(errors)));
    QCOMPARE(inv.clusters.first().nodes.first().port, 1);
}

void TestInventory::exampleFileLoads()
{
    const QString path = sourceDir() + QStringLiteral("/resources/inventories/example.yaml");
    Inventory inv;
    QList<InventoryError> errors;
    QVERIFY2(InventoryLoader::load(path, &inv, &errors), qPrintable(joined(errors)));
    QVERIFY(inv.clusters.size() >= 2);

    // The example must show every key at least once.
    NodeSpec seen;
    bool monitorSet = false;
    for (const ClusterSpec &c : inv.clusters) {
        monitorSet = monitorSet || !(c.monitor == MonitorSettings());
        for (const NodeSpec &n : c.nodes) {
            QVERIFY(n.line > 0 && n.column > 0);
            auto take = [](QString &into, const QString &from) {
                if (!from.isEmpty())
                    into = from;
            };
            take(seen.name, n.name);
            take(seen.host, n.host);
            seen.port = n.port ? n.port : seen.port;
            take(seen.dbname, n.dbname);
            take(seen.user, n.user);
            take(seen.service, n.service);
            take(seen.role, n.role);
            take(seen.ssh, n.ssh);
            take(seen.patroni, n.patroni);
            take(seen.region, n.region);
            take(seen.upstream, n.upstream);
            take(seen.sslmode, n.sslmode);
            take(seen.sslrootcert, n.sslrootcert);
            take(seen.sslcert, n.sslcert);
            take(seen.sslkey, n.sslkey);
            take(seen.dataDir, n.dataDir);
        }
    }
    QVERIFY(monitorSet);
    QVERIFY(seen.port != 0);
    for (const QString *s :
         {&seen.name, &seen.host, &seen.dbname, &seen.user, &seen.service, &seen.role, &seen.ssh,
          &seen.patroni, &seen.region, &seen.upstream, &seen.sslmode, &seen.sslrootcert,
          &seen.sslcert, &seen.sslkey, &seen.dataDir})
        QVERIFY(!s->isEmpty());
}

QTEST_GUILESS_MAIN(TestInventory)
#include "tst_inventory.moc"
