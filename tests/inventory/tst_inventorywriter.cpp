// InventoryWriter: YAML the loader reads back to the same value, quoting, layout, saving.
#include "inventory/inventory.h"
#include "inventory/inventoryloader.h"
#include "inventory/inventorywriter.h"
#include "inventorytestdata.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pgdeck;
using namespace pgdeck::test;

class TestInventoryWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void quoteScalar_data();
    void quoteScalar();
    void writerOmitsUnsetKeys();
    void writerWrapsLongNodes();
    void roundTrip_data();
    void roundTrip();
    void roundTripExample();
    void saveAndLoad();
    void saveFailureNamesPath();
};

void TestInventoryWriter::quoteScalar_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("written");
    QTest::newRow("word") << "orders"
                          << "orders";
    QTest::newRow("host") << "db1.example.com"
                          << "db1.example.com";
    QTest::newRow("url") << "http://db1.example:8008"
                         << "http://db1.example:8008";
    QTest::newRow("ssh") << "admin@db1"
                         << "admin@db1";
    QTest::newRow("path") << "/var/lib/pg"
                          << "/var/lib/pg";
    QTest::newRow("ipv4") << "10.0.0.1"
                          << "10.0.0.1";
    QTest::newRow("unicode word") << "Zürich"
                                  << "Zürich";
    QTest::newRow("ipv6") << "2001:db8::1"
                          << "\"2001:db8::1\"";
    QTest::newRow("loopback v6") << "::1"
                                 << "\"::1\"";
    QTest::newRow("space") << "two words"
                           << "\"two words\"";
    QTest::newRow("quote") << "say \"hi\""
                           << "\"say \\\"hi\\\"\"";
    QTest::newRow("backslash") << "a\\b"
                               << "\"a\\\\b\"";
    QTest::newRow("newline") << "a\nb"
                             << "\"a\\nb\"";
    QTest::newRow("empty") << ""
                           << "\"\"";
    QTest::newRow("null") << "null"
                          << "\"null\"";
    QTest::newRow("tilde") << "~"
                           << "\"~\"";
    QTest::newRow("bool") << "yes"
                          << "\"yes\"";
    QTest::newRow("number") << "5432"
                            << "\"5432\"";
    QTest::newRow("comment") << "a #b"
                             << "\"a #b\"";
    QTest::newRow("leading dash") << "-x"
                                  << "\"-x\"";
    QTest::newRow("trailing colon") << "a:"
                                    << "\"a:\"";
}

void TestInventoryWriter::quoteScalar()
{
    QFETCH(QString, value);
    QFETCH(QString, written);
    QCOMPARE(InventoryWriter::quoteScalar(value), written);
}

void TestInventoryWriter::writerOmitsUnsetKeys()
{
    Inventory inv;
    ClusterSpec c;
    c.name = QStringLiteral("orders");
    NodeSpec n;
    n.name = QStringLiteral("w1");
    n.service = QStringLiteral("orders-w1");
    c.nodes << n;
    inv.clusters << c;
    const QByteArray yaml = InventoryWriter::toYaml(inv);
    QVERIFY2(yaml.endsWith("clusters:\n  - name: orders\n    nodes:\n"
                           "      - { name: w1, service: orders-w1 }\n"),
             yaml.constData());
    QVERIFY(!yaml.contains("password:"));
    QVERIFY(!yaml.contains("monitor"));
    QVERIFY(!yaml.contains("port"));

    QVERIFY(InventoryWriter::toYaml(Inventory()).endsWith("clusters: []\n"));
}

void TestInventoryWriter::writerWrapsLongNodes()
{
    Inventory inv;
    ClusterSpec c;
    c.name = QStringLiteral("orders");
    NodeSpec n = node(QStringLiteral("coord"), QStringLiteral("db1.example"), 5432);
    n.dbname = QStringLiteral("app");
    n.user = QStringLiteral("postgres");
    n.role = QStringLiteral("coordinator");
    n.ssh = QStringLiteral("admin@db1.example");
    n.patroni = QStringLiteral("http://db1.example:8008");
    n.region = QStringLiteral("eu");
    c.nodes << n;
    c.monitor.intervalMs = 500;
    inv.clusters << c;
    const QByteArray yaml = InventoryWriter::toYaml(inv);
    for (const QByteArray &line : yaml.split('\n'))
        QVERIFY2(line.size() <= 100, line.constData());
    QVERIFY(yaml.contains("\n          ")); // a continuation line
    QVERIFY(yaml.contains("    monitor: { interval: 500ms }\n"));
    QCOMPARE(withoutPositions(parseOk(yaml)), inv);
}

void TestInventoryWriter::roundTrip_data()
{
    QTest::addColumn<Inventory>("inventory");

    QTest::newRow("empty") << Inventory();

    {
        Inventory inv;
        ClusterSpec c;
        c.name = QStringLiteral("orders");
        inv.clusters << c;
        QTest::newRow("cluster without nodes") << inv;
    }
    {
        Inventory inv;
        ClusterSpec c;
        c.name = QStringLiteral("every field");
        NodeSpec p = node(QStringLiteral("p"), QStringLiteral("db1.example.com"), 5432);
        p.dbname = QStringLiteral("app");
        p.user = QStringLiteral("postgres");
        p.service = QStringLiteral("svc");
        p.role = QStringLiteral("primary");
        p.ssh = QStringLiteral("admin@db1.example.com");
        p.patroni = QStringLiteral("https://db1.example.com:8008/");
        p.region = QStringLiteral("eu-west-1");
        p.sslmode = QStringLiteral("verify-full");
        p.sslrootcert = QStringLiteral("/etc/ssl/root ca.crt");
        p.sslcert = QStringLiteral("C:\\certs\\client.crt");
        p.sslkey = QStringLiteral("/etc/ssl/client.key");
        p.dataDir = QStringLiteral("/var/lib/postgresql/16/main");
        NodeSpec s = node(QStringLiteral("s"), QStringLiteral("::1"), 65535);
        s.role = QStringLiteral("standby");
        s.upstream = QStringLiteral("p");
        NodeSpec t = node(QStringLiteral("t"), QStringLiteral("fe80::1%eth0"), 1);
        t.role = QStringLiteral("standby");
        t.upstream = QStringLiteral("s");
        c.nodes << p << s << t;
        c.monitor.intervalMs = 250;
        c.monitor.lagWarnBytes = 1536 * 1024;
        c.monitor.lagWarnSeconds = 0.1;
        inv.clusters << c;
        QTest::newRow("every field") << inv;
    }
    {
        Inventory inv;
        ClusterSpec c;
        c.name = QStringLiteral("Zürich – 東京 🐘");
        c.nodes << node(QStringLiteral("узел-1"), QStringLiteral("ünïcode.example"));
        c.nodes << node(QStringLiteral("say \"hi\" and 'bye'"), QStringLiteral("h"));
        c.nodes << node(QStringLiteral(" leading and trailing "), QStringLiteral("h"));
        c.nodes << node(QStringLiteral("a: b, {c} [d] #e &f *g !h |i >j %k @l `m"),
                        QStringLiteral("h"));
        c.nodes << node(QStringLiteral("line\nbreak\ttab\\slash"), QStringLiteral("h"));
        c.nodes << node(QStringLiteral("null"), QStringLiteral("~"));
        c.nodes << node(QStringLiteral("yes"), QStringLiteral("no"));
        c.nodes << node(QStringLiteral("5432"), QStringLiteral("1e3"));
        c.nodes << node(QStringLiteral("-"), QStringLiteral("- x"));
        c.nodes << node(QStringLiteral("?"), QStringLiteral("? x"));
        c.nodes << node(QStringLiteral("bell\x07"), QString(QChar(0x2028)));
        c.nodes << node(QStringLiteral("2001:db8::1"), QStringLiteral("[2001:db8::1]"));
        inv.clusters << c;
        ClusterSpec d;
        d.name = QStringLiteral("'single'");
        d.nodes << node(QStringLiteral("n"), QStringLiteral("h"), 5432);
        inv.clusters << d;
        QTest::newRow("awkward names") << inv;
    }
    {
        Inventory inv;
        const QList<int> intervals = {1,     999,   1000,    1500,
                                      60000, 90000, 3600000, std::numeric_limits<int>::max()};
        const QList<qint64> sizes = {0,
                                     1,
                                     1023,
                                     1024,
                                     1025,
                                     16 * 1024 * 1024,
                                     qint64(3) << 40,
                                     std::numeric_limits<qint64>::max()};
        const QList<double> seconds = {0, 0.001, 1.0 / 3, 2.5, 5, 86400, 1e-7, 1e21};
        for (qsizetype i = 0; i < intervals.size(); ++i) {
            ClusterSpec c;
            c.name = QStringLiteral("c%1").arg(i);
            c.nodes << node(QStringLiteral("n"), QStringLiteral("h"));
            c.monitor.intervalMs = intervals.at(i);
            c.monitor.lagWarnBytes = sizes.at(i);
            c.monitor.lagWarnSeconds = seconds.at(i);
            inv.clusters << c;
        }
        QTest::newRow("monitor values") << inv;
    }
    {
        Inventory inv;
        ClusterSpec c;
        c.name = QStringLiteral("svc");
        NodeSpec n;
        n.name = QStringLiteral("w1");
        n.service = QStringLiteral("orders-w1");
        n.port = 6432;
        c.nodes << n;
        inv.clusters << c;
        QTest::newRow("service only") << inv;
    }
}

void TestInventoryWriter::roundTrip()
{
    QFETCH(Inventory, inventory);
    const QByteArray yaml = InventoryWriter::toYaml(inventory);
    Inventory loaded;
    QList<InventoryError> errors;
    QVERIFY2(InventoryLoader::parse(yaml, QStringLiteral("rt.yaml"), &loaded, &errors),
             qPrintable(joined(errors) + QLatin1Char('\n') + QString::fromUtf8(yaml)));
    for (const ClusterSpec &c : loaded.clusters) {
        for (const NodeSpec &n : c.nodes)
            QVERIFY(n.line > 0 && n.column > 0);
    }
    QVERIFY2(withoutPositions(loaded) == inventory, yaml.constData());
    // Writing what was read gives the same bytes: saving never churns the file.
    QCOMPARE(InventoryWriter::toYaml(loaded), yaml);
}

void TestInventoryWriter::roundTripExample()
{
    const QString path = sourceDir() + QStringLiteral("/resources/inventories/example.yaml");
    Inventory inv;
    QList<InventoryError> errors;
    QVERIFY2(InventoryLoader::load(path, &inv, &errors), qPrintable(joined(errors)));
    const Inventory again = parseOk(InventoryWriter::toYaml(inv));
    QCOMPARE(withoutPositions(again), withoutPositions(inv));
}

void TestInventoryWriter::saveAndLoad()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("inv.yaml"));
    Inventory inv;
    ClusterSpec c;
    c.name = QStringLiteral("orders");
    c.nodes << node(QStringLiteral("a"), QStringLiteral("h"), 5433);
    inv.clusters << c;
    QString error;
    QVERIFY2(InventoryWriter::save(inv, path, &error), qPrintable(error));
    // Saving over an existing file replaces it.
    inv.clusters.first().nodes.first().port = 5434;
    QVERIFY2(InventoryWriter::save(inv, path, &error), qPrintable(error));
    Inventory loaded;
    QList<InventoryError> errors;
    QVERIFY2(InventoryLoader::load(path, &loaded, &errors), qPrintable(joined(errors)));
    QCOMPARE(withoutPositions(loaded), inv);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("inv.yaml")});
}

void TestInventoryWriter::saveFailureNamesPath()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("missing/dir/inv.yaml"));
    QString error;
    QVERIFY(!InventoryWriter::save(Inventory(), path, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestInventoryWriter)
#include "tst_inventorywriter.moc"
