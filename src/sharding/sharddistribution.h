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

// A shard move under way, read from the servers: native moves are the `…_pgdeck_moving`
// foreign tables on the coordinator (bytes copied = size of the new copy on its worker),
// Citus moves come from get_rebalance_progress().
struct ShardMoveProgress {
    QString table;
    QString shard;
    QString from;
    QString to;
    qint64 sourceBytes = -1;
    qint64 copiedBytes = -1;
    bool done = false;

    // 0..1, or -1 when sizes are unknown.
    double fraction() const
    {
        if (done)
            return 1.0;
        if (sourceBytes <= 0 || copiedBytes < 0)
            return -1.0;
        return qMin(1.0, double(copiedBytes) / double(sourceBytes));
    }
};

struct ShardDistribution {
    QString backend; // "native" or "citus"
    QList<ShardPlacement> placements;
    QList<ShardMoveProgress> moves; // a rebalance under way

    QMap<QString, qint64> bytesPerWorker() const;
    QMap<QString, int> shardsPerWorker() const;
    // Largest worker's bytes over the mean (1.0 = even); 0 when nothing is known.
    double skew() const;
};

// Reads the distribution: Citus' citus_shards view when the coordinator has Citus, else the
// native backend's foreign partitions, with sizes asked of each worker (one query each).
// The inventory name of the node at host:port, or "host:port" when it is not in the inventory.
QString workerNameFor(const ClusterSpec &cluster, const QString &host, int port);

// Opens `coordinator` of `cluster` into *connection and tells whether it runs Citus.
bool openCoordinator(const ClusterSpec &cluster, const QString &coordinator,
                     PgConnection *connection, bool *citus, QString *error);

bool readShardDistribution(const ClusterSpec &cluster, const QString &coordinator,
                           ShardDistribution *out, QString *error);

} // namespace pgdeck
