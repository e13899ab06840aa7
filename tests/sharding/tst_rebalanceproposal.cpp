// proposeRebalance on distributions built here: new empty workers receive shards, drained
// workers end empty, shards placed by region stay, balanced clusters move nothing, and
// unknown sizes fall back to shard counts.
#include "sharding/rebalance.h"

#include <QtTest>

using namespace pgdeck;

namespace {

ShardDistribution hashShards(const QList<QPair<QString, qint64>> &shards)
{
    ShardDistribution d;
    d.backend = QStringLiteral("native");
    int i = 0;
    for (const auto &[worker, bytes] : shards) {
        d.placements << ShardPlacement{
            QStringLiteral("users"),
            QStringLiteral("users_p%1").arg(i),
            worker,
            QStringLiteral("FOR VALUES WITH (modulus %1, remainder %2)").arg(shards.size()).arg(i),
            100,
            bytes};
        ++i;
    }
    return d;
}

const QString w1 = QStringLiteral("worker1");
const QString w2 = QStringLiteral("worker2");
const QString w3 = QStringLiteral("worker3");

} // namespace

class TestRebalanceProposal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newWorkerReceivesShards()
    {
        const ShardDistribution d = hashShards({{w1, 100},
                                                {w1, 100},
                                                {w1, 100},
                                                {w1, 100},
                                                {w2, 100},
                                                {w2, 100},
                                                {w2, 100},
                                                {w2, 100}});
        const RebalanceProposal r = proposeRebalance(d, {w1, w2, w3});
        QVERIFY(r.ok());
        QVERIFY(r.bySize);
        QCOMPARE(r.moves.size(), 2);
        for (const ShardMove &m : r.moves)
            QCOMPARE(m.to, w3);
        QCOMPARE(r.before.value(w3), 0);
        QCOMPARE(r.after.value(w1) + r.after.value(w2) + r.after.value(w3), 800);
        QCOMPARE(r.after.value(w3), 200);
        QVERIFY(RebalanceProposal::skew(r.after) < RebalanceProposal::skew(r.before));
    }

    void balancedMovesNothing()
    {
        const ShardDistribution d = hashShards({{w1, 100}, {w2, 100}, {w1, 100}, {w2, 100}});
        const RebalanceProposal r = proposeRebalance(d, {w1, w2});
        QVERIFY(r.ok());
        QVERIFY(r.moves.isEmpty());
        QCOMPARE(r.after, r.before);
    }

    void sizesDecide()
    {
        // One large shard against three small ones: moving a small one evens nothing out
        // better than the present 300 / 300.
        const ShardDistribution d = hashShards({{w1, 300}, {w2, 100}, {w2, 100}, {w2, 100}});
        QVERIFY(proposeRebalance(d, {w1, w2}).moves.isEmpty());
        // 500 / 100: one 200-byte shard closes the gap best.
        const ShardDistribution e = hashShards({{w1, 300}, {w1, 200}, {w2, 100}});
        const RebalanceProposal r = proposeRebalance(e, {w1, w2});
        QCOMPARE(r.moves.size(), 1);
        QCOMPARE(r.moves[0].shard, QStringLiteral("users_p1"));
        QCOMPARE(r.after.value(w1), 300);
        QCOMPARE(r.after.value(w2), 300);
    }

    void drainEmptiesTheWorker()
    {
        const ShardDistribution d =
            hashShards({{w1, 100}, {w2, 100}, {w3, 100}, {w1, 100}, {w2, 100}, {w3, 100}});
        const RebalanceProposal r = proposeRebalance(d, {w1, w2, w3}, {w3});
        QVERIFY(r.ok());
        QCOMPARE(r.moves.size(), 2);
        for (const ShardMove &m : r.moves)
            QCOMPARE(m.from, w3);
        QVERIFY(!r.after.contains(w3));
        QCOMPARE(r.after.value(w1), 300);
        QCOMPARE(r.after.value(w2), 300);
    }

    void drainingEverythingIsRefused()
    {
        const RebalanceProposal r = proposeRebalance(hashShards({{w1, 1}}), {w1}, {w1});
        QVERIFY(!r.ok());
        QVERIFY(r.errors.first().contains(QStringLiteral("no worker left")));
    }

    void regionShardsStay()
    {
        ShardDistribution d;
        d.placements << ShardPlacement{QStringLiteral("users"),
                                       QStringLiteral("users_eu"),
                                       w1,
                                       QStringLiteral("FOR VALUES IN ('eu')"),
                                       10,
                                       1000}
                     << ShardPlacement{QStringLiteral("users"),
                                       QStringLiteral("users_us"),
                                       w1,
                                       QStringLiteral("FOR VALUES IN ('us')"),
                                       10,
                                       1000};
        RebalanceProposal r = proposeRebalance(d, {w1, w2});
        QVERIFY(r.ok());
        QVERIFY(r.moves.isEmpty());
        QVERIFY(r.notes.join(QLatin1Char(' ')).contains(QStringLiteral("region")));
        r = proposeRebalance(d, {w1, w2}, {w1});
        QVERIFY(!r.ok());
        QVERIFY(r.errors.first().contains(QStringLiteral("users_eu")));
        QVERIFY(r.errors.first().contains(QStringLiteral("placed by region")));
    }

    void unknownSizesCountShards()
    {
        const ShardDistribution d = hashShards({{w1, -1}, {w1, -1}, {w1, -1}, {w1, 500}});
        const RebalanceProposal r = proposeRebalance(d, {w1, w2});
        QVERIFY(!r.bySize);
        QCOMPARE(r.moves.size(), 2);
        QCOMPARE(r.after.value(w1), 2);
        QCOMPARE(r.after.value(w2), 2);
    }

    void noShardMovesTwice()
    {
        // Three new workers at once: every shard appears in at most one move.
        QList<QPair<QString, qint64>> shards;
        for (int i = 0; i < 32; ++i)
            shards << qMakePair(i % 2 ? w1 : w2, qint64(1000 + i));
        const RebalanceProposal r =
            proposeRebalance(hashShards(shards), {w1, w2, w3, QStringLiteral("worker4")});
        QSet<QString> moved;
        for (const ShardMove &m : r.moves) {
            QVERIFY(!moved.contains(m.shard));
            moved.insert(m.shard);
            QVERIFY(m.from != m.to);
        }
        QCOMPARE(r.moves.size(), 16);
        QVERIFY(RebalanceProposal::skew(r.after) < 1.05);
    }
};

QTEST_GUILESS_MAIN(TestRebalanceProposal)
#include "tst_rebalanceproposal.moc"
