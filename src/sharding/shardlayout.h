#pragma once

#include "shardingspec.h"

#include <QList>
#include <QString>

namespace pgdeck {

struct ClusterSpec;
struct TableInfo;

// One shard as the planners place it.
struct Shard {
    QString table;     // its table name on the worker (and the foreign table's on the coordinator)
    QString worker;    // inventory node name
    QString bound;     // "FOR VALUES ..." of the partition
    QString predicate; // SQL condition selecting its rows from the original table
    QString label;     // for people: "hash 1/4", "A … M", "eu"
};

// Where every row goes: the shards, in partition order.
struct ShardLayout {
    QList<Shard> shards;
    QString partitionBy; // "HASH (\"id\")"
};

// Names used around the original table while it is being sharded.
namespace shardnames {
QString shard(const QString &table, int index); // users_p0
QString staging(const QString &table);          // users_pgdeck_new: the new parent until the switch
QString original(const QString &table);         // users_pgdeck_original: kept after the switch
QString foreignServer(const QString &worker);   // pgdeck_worker1
constexpr int kMaxIdentifier = 63;              // NAMEDATALEN - 1
} // namespace shardnames

// Lays the shards out. `regionValues` are the key's values for geo (from the table).
// Fails with a message naming the problem (unknown worker, a region without a worker...).
bool buildLayout(const ShardingSpec &spec, const ClusterSpec &cluster,
                 const QStringList &regionValues, ShardLayout *layout, QString *error);

} // namespace pgdeck
