// The topology picture: layout, colours, edge labels, PNG and SVG export; and, when
// PGDECK_SCREENSHOT_DIR is set, the Overview page's screenshot.
#include "common/healthstyle.h"
#include "overview/overviewpage.h"
#include "topology/topologyview.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace pgdeck;

namespace {

TopologyNode node(const QString &name, TopologyNode::Role role, NodeStatus::Health health,
                  const QString &address, const QString &upstream = {}, int depth = 0)
{
    TopologyNode n;
    n.name = name;
    n.role = role;
    n.health = health;
    n.address = address;
    n.upstream = upstream;
    n.depth = depth;
    return n;
}

TopologyEdge edge(const QString &from, const QString &to, qint64 bytes, double seconds,
                  const QString &state = QStringLiteral("streaming"))
{
    TopologyEdge e;
    e.from = from;
    e.to = to;
    e.state = state;
    e.syncState = QStringLiteral("async");
    e.replayLagBytes = bytes;
    e.replayLagSeconds = seconds;
    return e;
}

// A primary with two standbys, one of them cascading to a third, and a walsender the
// inventory does not know.
Topology synthetic()
{
    using R = TopologyNode::Role;
    using H = NodeStatus::Health;
    Topology t;
    t.cluster = QStringLiteral("orders");
    t.nodes << node(QStringLiteral("primary"), R::Primary, H::Up, QStringLiteral("db1:5432"))
            << node(QStringLiteral("standby1"), R::Standby, H::Up, QStringLiteral("db2:5432"),
                    QStringLiteral("primary"), 1)
            << node(QStringLiteral("standby2"), R::Standby, H::Up, QStringLiteral("db3:5432"),
                    QStringLiteral("primary"), 1)
            << node(QStringLiteral("cascade"), R::Standby, H::Stale, QStringLiteral("db4:5432"),
                    QStringLiteral("standby2"), 2);
    TopologyNode stranger = node(QStringLiteral("walreceiver"), R::Standby, H::Unknown,
                                 QStringLiteral("10.0.0.9"), QStringLiteral("primary"), 1);
    stranger.inInventory = false;
    t.nodes << stranger;
    t.edges << edge(QStringLiteral("primary"), QStringLiteral("standby1"), 0, -1)
            << edge(QStringLiteral("primary"), QStringLiteral("standby2"), 1258291, 0.3)
            << edge(QStringLiteral("standby2"), QStringLiteral("cascade"), 40 << 20, 12.0)
            << edge(QStringLiteral("primary"), QStringLiteral("walreceiver"), 0, -1,
                    QStringLiteral("catchup"));
    return t;
}

// How many pixels are within a small distance of a colour: "is this colour painted?".
int countNear(const QImage &image, const QColor &c, int tolerance = 24)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x)
            if (qAbs(qRed(line[x]) - c.red()) + qAbs(qGreen(line[x]) - c.green()) +
                    qAbs(qBlue(line[x]) - c.blue()) <
                tolerance)
                ++n;
    }
    return n;
}

} // namespace

class TestTopologyView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void edgeLabels();
    void paintsIntoImage();
    void scalesToSize();
    void emptyTopology();
    void exportsPngAndSvg();
    void overviewPage();
    void overviewScreenshot();
};

void TestTopologyView::edgeLabels()
{
    QCOMPARE(TopologyView::edgeLabel(edge(QStringLiteral("a"), QStringLiteral("b"), 0, -1)),
             QStringLiteral("streaming"));
    QCOMPARE(TopologyView::edgeLabel(edge(QStringLiteral("a"), QStringLiteral("b"), 0, 0)),
             QStringLiteral("streaming"));
    QCOMPARE(TopologyView::edgeLabel(edge(QStringLiteral("a"), QStringLiteral("b"), 1258291, 0.3)),
             QStringLiteral("1.2 MB · 0.3 s"));
    QCOMPARE(TopologyView::edgeLabel(edge(QStringLiteral("a"), QStringLiteral("b"), 2048, -1)),
             QStringLiteral("2.0 kB"));
    QCOMPARE(TopologyView::edgeLabel(
                 edge(QStringLiteral("a"), QStringLiteral("b"), 0, -1, QStringLiteral("catchup"))),
             QStringLiteral("catchup"));
    QCOMPARE(TopologyView::edgeLabel(edge(QStringLiteral("a"), QStringLiteral("b"), 3 << 20, 1.5,
                                          QStringLiteral("catchup"))),
             QStringLiteral("catchup · 3.0 MB · 1.5 s"));
    TopologyEdge sync = edge(QStringLiteral("a"), QStringLiteral("b"), 0, -1);
    sync.syncState = QStringLiteral("sync");
    QCOMPARE(TopologyView::edgeLabel(sync), QStringLiteral("streaming · sync"));
}

void TestTopologyView::paintsIntoImage()
{
    TopologyView view;
    view.setTopology(synthetic());
    view.setThresholds(16 << 20, 5);
    QCOMPARE(view.topology(), synthetic());
    QVERIFY(view.sizeHint().width() >= 480);

    QImage image(1000, 420, QImage::Format_ARGB32);
    image.fill(Qt::magenta);
    QPainter p(&image);
    view.render(&p, QRectF(image.rect()));
    p.end();

    // Mostly background, with cards, edges and text on it.
    const QColor base = view.palette().color(QPalette::Base);
    const int total = image.width() * image.height();
    const int background = countNear(image, base, 6);
    QVERIFY2(background > total / 2, qPrintable(QString::number(background)));
    QVERIFY2(background < total * 97 / 100, qPrintable(QString::number(background)));
    QCOMPARE(countNear(image, Qt::magenta, 3), 0); // the background is painted everywhere
    // Health colours: green stripes for the three nodes up, amber for the stale one and
    // for the edge over the threshold, grey for the node outside the inventory.
    QVERIFY(countNear(image, HealthStyle::color(NodeStatus::Health::Up)) > 300);
    QVERIFY(countNear(image, HealthStyle::color(NodeStatus::Health::Stale)) > 200);
    QVERIFY(countNear(image, HealthStyle::color(NodeStatus::Health::Unknown), 12) > 100);

    // Down: red appears; nothing red before.
    QCOMPARE(countNear(image, HealthStyle::color(NodeStatus::Health::Down)), 0);
    Topology t = synthetic();
    t.nodes[1].health = NodeStatus::Health::Down;
    view.setTopology(t);
    image.fill(Qt::magenta);
    p.begin(&image);
    view.render(&p, QRectF(image.rect()));
    p.end();
    QVERIFY(countNear(image, HealthStyle::color(NodeStatus::Health::Down)) > 300);
}

void TestTopologyView::scalesToSize()
{
    // The picture keeps its aspect and fits: a small and a tall widget both paint cards.
    TopologyView view;
    view.setTopology(synthetic());
    for (const QSize size : {QSize(360, 220), QSize(420, 900), QSize(1800, 700)}) {
        QImage image(size, QImage::Format_ARGB32);
        image.fill(Qt::magenta);
        QPainter p(&image);
        view.render(&p, QRectF(image.rect()));
        p.end();
        QVERIFY2(countNear(image, HealthStyle::color(NodeStatus::Health::Up)) > 40,
                 qPrintable(QStringLiteral("%1x%2").arg(size.width()).arg(size.height())));
        QCOMPARE(countNear(image, Qt::magenta, 3), 0);
    }
    // On screen, through paintEvent, at HiDPI.
    view.resize(800, 360);
    const QPixmap shot = view.grab();
    QCOMPARE(shot.size(), QSize(800, 360) * shot.devicePixelRatio());
}

void TestTopologyView::emptyTopology()
{
    TopologyView view;
    QImage image(400, 200, QImage::Format_ARGB32);
    image.fill(Qt::magenta);
    QPainter p(&image);
    view.render(&p, QRectF(image.rect()));
    p.end();
    QCOMPARE(countNear(image, Qt::magenta, 3), 0);
    QVERIFY(view.sizeHint().isValid());
}

void TestTopologyView::exportsPngAndSvg()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    TopologyView view;
    view.setTopology(synthetic());

    const QString png = dir.filePath(QStringLiteral("sub/topology.png"));
    QString error;
    QVERIFY2(view.exportPng(png, &error), qPrintable(error));
    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), view.naturalSize() * 2);
    QVERIFY(countNear(image, HealthStyle::color(NodeStatus::Health::Up)) > 300);

    const QString svg = dir.filePath(QStringLiteral("topology.svg"));
    QVERIFY2(view.exportSvg(svg, &error), qPrintable(error));
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("standby2"));
    QVERIFY(text.contains("1.2 MB"));
    QVERIFY(text.contains("STANDBY?"));
    QVERIFY(text.contains("Topology of orders"));

    f.close();

    // A standby that is down has no walsender, so no edge: it keeps a dashed line to the
    // upstream it belongs to.
    Topology t = synthetic();
    t.nodes[1].health = NodeStatus::Health::Down;
    t.edges.removeFirst();
    view.setTopology(t);
    QVERIFY2(view.exportSvg(svg, &error), qPrintable(error));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("not streaming"));

    QVERIFY(!view.exportPng(QStringLiteral("/proc/not-here/x.png"), &error));
    QVERIFY(!error.isEmpty());
}

void TestTopologyView::overviewPage()
{
    ClusterSpec cluster;
    cluster.name = QStringLiteral("orders");
    for (const QString &n : {QStringLiteral("primary"), QStringLiteral("standby1")}) {
        NodeSpec spec;
        spec.name = n;
        spec.host = QStringLiteral("127.0.0.1");
        spec.port = 5432;
        cluster.nodes << spec;
    }
    OverviewPage page;
    page.setCluster(cluster);
    QVERIFY(page.topologyView());
    QCOMPARE(page.topologyView()->topology().nodes.size(), 2);

    NodeStatus a;
    a.cluster = cluster.name;
    a.node = QStringLiteral("primary");
    a.reachable = true;
    a.stale = false;
    a.tps = 10;
    a.connections = 3;
    a.sampledAt = QDateTime::currentDateTime();
    NodeStatus b = a;
    b.node = QStringLiteral("standby1");
    b.reachable = false;
    b.lastError = QStringLiteral("connection refused");
    NodeStatus other = a;
    other.cluster = QStringLiteral("billing");
    const Topology t = Topology::build(cluster, {a, b});
    page.updateStatuses({a, b, other}, t);
    QCOMPARE(page.topologyView()->topology(), t);
    const auto labels = page.findChildren<QLabel *>();
    auto hasText = [&](const QString &s) {
        for (const QLabel *l : labels)
            if (l->text() == s)
                return true;
        return false;
    };
    QVERIFY(hasText(QStringLiteral("degraded: 1 node down")));
    QVERIFY(hasText(QStringLiteral("1 / 2")));
    QVERIFY(hasText(QStringLiteral("3"))); // connections of the reachable node only

    MonitorEvent e;
    e.time = QDateTime::currentDateTime();
    e.cluster = cluster.name;
    e.node = QStringLiteral("standby1");
    e.message = QStringLiteral("standby1 is down");
    MonitorEvent foreign = e;
    foreign.cluster = QStringLiteral("billing");
    QList<MonitorEvent> many;
    for (int i = 0; i < 15; ++i)
        many << e;
    page.addEvents(many + QList<MonitorEvent>{foreign});
    auto *tree = page.findChild<QTreeWidget *>();
    QVERIFY(tree);
    QCOMPARE(tree->topLevelItemCount(), 10);
}

void TestTopologyView::overviewScreenshot()
{
    const QString dir = qEnvironmentVariable("PGDECK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set PGDECK_SCREENSHOT_DIR to write overview.png");

    ClusterSpec cluster;
    cluster.name = QStringLiteral("orders");
    const QStringList names{QStringLiteral("primary"), QStringLiteral("standby1"),
                            QStringLiteral("standby2")};
    for (int i = 0; i < names.size(); ++i) {
        NodeSpec spec;
        spec.name = names[i];
        spec.host = QStringLiteral("10.0.1.%1").arg(11 + i);
        spec.port = 5432;
        spec.role = i == 0 ? QStringLiteral("primary") : QStringLiteral("standby");
        spec.upstream = i == 0 ? QString() : names[0];
        cluster.nodes << spec;
    }
    const QDateTime now = QDateTime::currentDateTime();
    QList<NodeStatus> statuses;
    for (int i = 0; i < names.size(); ++i) {
        NodeStatus s;
        s.cluster = cluster.name;
        s.node = names[i];
        s.reachable = true;
        s.stale = false;
        s.inRecovery = i > 0;
        s.version = QStringLiteral("16.4");
        s.tps = i == 0 ? 412.6 : 0;
        s.connections = i == 0 ? 23 : 2;
        s.activeConnections = i == 0 ? 6 : 1;
        s.sampledAt = now;
        statuses << s;
    }
    StandbyLag l1;
    l1.name = names[1];
    l1.state = QStringLiteral("streaming");
    l1.syncState = QStringLiteral("async");
    l1.replayLagBytes = 0;
    StandbyLag l2 = l1;
    l2.name = names[2];
    l2.replayLagBytes = 1258291;
    l2.replayLagSeconds = 0.3;
    statuses[0].standbyLags = {l1, l2};
    statuses[0].standbys = 2;

    OverviewPage page;
    page.setCluster(cluster);
    page.updateStatuses(statuses, Topology::build(cluster, statuses));
    auto ev = [&](int secondsAgo, MonitorEvent::Severity sev, MonitorEvent::Kind kind,
                  const QString &node, const QString &subject, const QString &message) {
        MonitorEvent e;
        e.time = now.addSecs(-secondsAgo);
        e.severity = sev;
        e.kind = kind;
        e.cluster = cluster.name;
        e.node = node;
        e.subject = subject;
        e.message = message;
        return e;
    };
    using S = MonitorEvent::Severity;
    using K = MonitorEvent::Kind;
    page.addEvents({
        ev(1830, S::Info, K::NodeUp, names[0], {},
           QStringLiteral("primary is up (PostgreSQL 16.4)")),
        ev(1829, S::Info, K::NodeUp, names[1], {},
           QStringLiteral("standby1 is up (PostgreSQL 16.4)")),
        ev(1829, S::Info, K::NodeUp, names[2], {},
           QStringLiteral("standby2 is up (PostgreSQL 16.4)")),
        ev(1760, S::Info, K::StandbyAppeared, names[0], names[1],
           QStringLiteral("standby1 streams from primary (async)")),
        ev(1755, S::Info, K::StandbyAppeared, names[0], names[2],
           QStringLiteral("standby2 streams from primary (async)")),
        ev(1750, S::Critical, K::NodeDown, names[2], {},
           QStringLiteral("standby2 is down: connection refused")),
        ev(1690, S::Info, K::StandbyVanished, names[0], names[2],
           QStringLiteral("standby2 no longer streams from primary")),
        ev(960, S::Info, K::NodeUp, names[2], {}, QStringLiteral("standby2 is up again")),
        ev(955, S::Info, K::StandbyAppeared, names[0], names[2],
           QStringLiteral("standby2 streams from primary (async)")),
        ev(610, S::Warning, K::LagHigh, names[0], names[2],
           QStringLiteral("standby2 is 48.0 MB / 7.2 s behind primary (warn at 16.0 MB or 5.0 s)")),
        ev(540, S::Info, K::LagNormal, names[0], names[2],
           QStringLiteral("standby2 caught up: 1.2 MB / 0.3 s behind primary")),
    });
    page.resize(1280, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(page.grab().save(QDir(dir).filePath(QStringLiteral("overview.png"))));
}

QTEST_MAIN(TestTopologyView)
#include "tst_topologyview.moc"
