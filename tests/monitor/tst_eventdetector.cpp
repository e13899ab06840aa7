// Unit tests: events from status transitions, and the topology built from statuses.
#include "monitor/eventdetector.h"
#include "topology/topology.h"

#include <QtTest>

using namespace pgdeck;

namespace {

NodeStatus up(const QString &node, bool standby = false)
{
    NodeStatus s;
    s.cluster = QStringLiteral("c");
    s.node = node;
    s.reachable = true;
    s.stale = false;
    s.inRecovery = standby;
    s.sampledAt = QDateTime::currentDateTime();
    return s;
}

NodeStatus down(const QString &node)
{
    NodeStatus s = up(node);
    s.reachable = false;
    s.stale = true;
    s.lastError = QStringLiteral("Connection refused");
    return s;
}

StandbyLag lag(const QString &name, qint64 bytes, double seconds = 0)
{
    StandbyLag l;
    l.name = name;
    l.state = QStringLiteral("streaming");
    l.syncState = QStringLiteral("async");
    l.replayLagBytes = bytes;
    l.replayLagSeconds = seconds;
    l.clientAddr = QStringLiteral("127.0.0.1");
    return l;
}

QList<MonitorEvent::Kind> kinds(const QList<MonitorEvent> &events)
{
    QList<MonitorEvent::Kind> out;
    for (const MonitorEvent &e : events)
        out << e.kind;
    return out;
}

ClusterSpec cluster()
{
    ClusterSpec c;
    c.name = QStringLiteral("c");
    for (const char *n : {"p", "s1", "s2"}) {
        NodeSpec spec;
        spec.name = QString::fromLatin1(n);
        spec.host = QStringLiteral("127.0.0.1");
        spec.port = 5432;
        c.nodes << spec;
    }
    c.nodes[1].upstream = QStringLiteral("p");
    c.nodes[2].upstream = QStringLiteral("p");
    return c;
}

} // namespace

class TestEventDetector : public QObject {
    Q_OBJECT
    using K = MonitorEvent::Kind;
private Q_SLOTS:
    void downAndUpOnce()
    {
        EventDetector d;
        QVERIFY(d.update(up(QStringLiteral("p"))).isEmpty());
        QCOMPARE(kinds(d.update(down(QStringLiteral("p")))), QList<K>{K::NodeDown});
        QVERIFY(d.update(down(QStringLiteral("p"))).isEmpty()); // not repeated every interval
        QCOMPARE(kinds(d.update(up(QStringLiteral("p")))), QList<K>{K::NodeUp});
    }

    void promotionIsARoleChange()
    {
        EventDetector d;
        d.update(up(QStringLiteral("s1"), true));
        const QList<MonitorEvent> e = d.update(up(QStringLiteral("s1"), false));
        QCOMPARE(kinds(e), QList<K>{K::RoleChanged});
        QCOMPARE(e[0].severity, MonitorEvent::Severity::Critical);
        QVERIFY(e[0].message.contains(QStringLiteral("promoted")));
        // Also across an outage: down as primary, back as standby.
        d.update(down(QStringLiteral("s1")));
        QCOMPARE(kinds(d.update(up(QStringLiteral("s1"), true))),
                 (QList<K>{K::NodeUp, K::RoleChanged}));
    }

    void standbysAppearAndVanish()
    {
        EventDetector d;
        NodeStatus p = up(QStringLiteral("p"));
        p.standbyLags = {lag(QStringLiteral("s1"), 0)};
        d.update(p);
        p.standbyLags << lag(QStringLiteral("s2"), 0);
        QCOMPARE(kinds(d.update(p)), QList<K>{K::StandbyAppeared});
        p.standbyLags.removeFirst();
        const QList<MonitorEvent> e = d.update(p);
        QCOMPARE(kinds(e), QList<K>{K::StandbyVanished});
        QCOMPARE(e[0].subject, QStringLiteral("s1"));
    }

    void aStaleSampleDoesNotHideAStandbyChange()
    {
        EventDetector d;
        NodeStatus p = up(QStringLiteral("p"));
        p.standbyLags = {lag(QStringLiteral("s1"), 0), lag(QStringLiteral("s2"), 0)};
        d.update(p);
        NodeStatus stale = p;
        stale.stale = true; // sampling timed out; the old figures are kept
        QVERIFY(d.update(stale).isEmpty());
        p.standbyLags = {lag(QStringLiteral("s2"), 0), lag(QStringLiteral("s3"), 0)};
        const QList<MonitorEvent> e = d.update(p);
        QCOMPARE(kinds(e), (QList<K>{K::StandbyAppeared, K::StandbyVanished}));
        QCOMPARE(e[0].subject, QStringLiteral("s3"));
        QCOMPARE(e[1].subject, QStringLiteral("s1"));
    }

    void lagThresholdsBothWays()
    {
        MonitorSettings m;
        m.lagWarnBytes = 1000;
        m.lagWarnSeconds = 5;
        EventDetector d(m);
        NodeStatus p = up(QStringLiteral("p"));
        p.standbyLags = {lag(QStringLiteral("s1"), 10)};
        QVERIFY(d.update(p).isEmpty());
        p.standbyLags = {lag(QStringLiteral("s1"), 5000)};
        QCOMPARE(kinds(d.update(p)), QList<K>{K::LagHigh});
        QVERIFY(d.update(p).isEmpty());
        p.standbyLags = {lag(QStringLiteral("s1"), 10, 7.5)}; // seconds alone also count
        QVERIFY(d.update(p).isEmpty());
        p.standbyLags = {lag(QStringLiteral("s1"), 10, 0.1)};
        QCOMPARE(kinds(d.update(p)), QList<K>{K::LagNormal});
    }

    void slotsAtRisk()
    {
        EventDetector d;
        NodeStatus p = up(QStringLiteral("p"));
        ReplicationSlotInfo slot;
        slot.name = QStringLiteral("s");
        slot.walStatus = QStringLiteral("reserved");
        p.slots = {slot};
        QVERIFY(d.update(p).isEmpty());
        p.slots[0].walStatus = QStringLiteral("unreserved");
        QCOMPARE(kinds(d.update(p)), QList<K>{K::SlotUnreserved});
        p.slots[0].walStatus = QStringLiteral("lost");
        QCOMPARE(kinds(d.update(p)), QList<K>{K::SlotLost});
    }

    void staleSamplesDoNotFlap()
    {
        EventDetector d;
        d.update(up(QStringLiteral("p")));
        NodeStatus stale = up(QStringLiteral("p"));
        stale.stale = true;
        QVERIFY(d.update(stale).isEmpty());
        QVERIFY(d.update(up(QStringLiteral("p"))).isEmpty());
    }

    void topologyFromStatuses()
    {
        NodeStatus p = up(QStringLiteral("p"));
        p.standbyLags = {lag(QStringLiteral("s1"), 100, 0.5), lag(QStringLiteral("stranger"), 0)};
        NodeStatus s1 = up(QStringLiteral("s1"), true);
        NodeStatus s2 = down(QStringLiteral("s2"));
        s2.inRecovery = true;
        const Topology t = Topology::build(cluster(), {p, s1, s2});
        QCOMPARE(t.primaries(), QStringList{QStringLiteral("p")});
        QCOMPARE(t.nodes.size(), 4);
        const TopologyNode *stranger = t.node(QStringLiteral("stranger"));
        QVERIFY(stranger);
        QVERIFY(!stranger->inInventory);
        QCOMPARE(stranger->upstream, QStringLiteral("p"));
        QCOMPARE(t.node(QStringLiteral("s2"))->health, NodeStatus::Health::Down);
        QCOMPARE(t.node(QStringLiteral("s2"))->upstream, QStringLiteral("p")); // from the inventory
        QCOMPARE(t.edges.size(), 2);
        QCOMPARE(t.edges[0].replayLagBytes, 100);

        // Cascading: s2 streams from s1.
        NodeStatus s1c = s1;
        s1c.standbyLags = {lag(QStringLiteral("s2"), 5)};
        NodeStatus s2up = up(QStringLiteral("s2"), true);
        const Topology c = Topology::build(cluster(), {p, s1c, s2up});
        QCOMPARE(c.node(QStringLiteral("s2"))->upstream, QStringLiteral("s1"));
        QCOMPARE(c.node(QStringLiteral("s2"))->depth, 2);
    }
};

QTEST_GUILESS_MAIN(TestEventDetector)
#include "tst_eventdetector.moc"
