#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pgdeck {

// How rows are spread over the workers.
enum class ShardStrategy {
    Hash,  // modulus/remainder of the key's hash; shardCount shards round-robin on workers
    Range, // contiguous key ranges, each on a chosen worker
    Geo,   // one LIST partition per region value, on the worker whose region matches
};

QString strategyName(ShardStrategy s);
bool strategyFromName(const QString &name, ShardStrategy *s);

// One range shard: [from, to). An empty bound is open (MINVALUE / MAXVALUE).
struct RangeShard {
    QString from;
    QString to;
    QString worker; // inventory node name
    bool operator==(const RangeShard &) const = default;
};

// What the user asked for: the same choices in the wizard and in `pgdeckctl shard`.
struct ShardingSpec {
    QString cluster;
    QString coordinator; // inventory node name
    QStringList workers; // inventory node names, in placement order
    QString schema = QStringLiteral("public");
    QString table;
    QString key; // distribution column
    ShardStrategy strategy = ShardStrategy::Hash;
    int shardCount = 0;          // hash: 0 = one per worker (native) or Citus' default
    QList<RangeShard> ranges;    // range
    QString colocateWith;        // Citus: another distributed table, or "none"
    QStringList referenceTables; // Citus: small tables copied to every node

    QString qualifiedTable() const; // "schema"."table"
    bool operator==(const ShardingSpec &) const = default;
};

// Parses "A:M=worker1,M:=worker2" style range lists used on the command line: each item
// is FROM:TO=WORKER with either bound empty for open-ended.
bool parseRanges(const QString &text, QList<RangeShard> *ranges, QString *error);
QString formatRanges(const QList<RangeShard> &ranges);

} // namespace pgdeck
