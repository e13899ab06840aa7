#pragma once

#include <QList>
#include <QMap>
#include <QString>

namespace pgdeck {

class PgConnection;
struct ClusterSpec;

// Where the shards of a cluster are and how big they are, read from the servers: the
// Shards page and `pgdeckctl shards` show this.
struct ShardPlacement {
    QString table;     // the sharded (parent) table on the coordinator
    QString shard;     // the shard's name
    QString worker;    // inventory node name (or host:port when not in the inventory)
    QString bound;     // partition bound or hash range
    qint64 rows = -1;  // estimate; -1 unknown
    qint64 bytes = -1; // -1 unknown
};

struct ShardDistribution {
    QString backend; // "native" or "citus"
    QList<ShardPlacement> placements;

    QMap<QString, qint64> bytesPerWorker() const;
    QMap<QString, int> shardsPerWorker() const;
    // Largest worker's bytes over the mean (1.0 = even); 0 when nothing is known.
    double skew() const;
};

// Reads the distribution: Citus' citus_shards view when the coordinator has Citus, else the
// native backend's foreign partitions, with sizes asked of each worker (one query each).
bool readShardDistribution(const ClusterSpec &cluster, const QString &coordinator,
                           ShardDistribution *out, QString *error);

} // namespace pgdeck
