#pragma once

#include "shardingspec.h"
#include "tableinfo.h"

#include <QStringList>

namespace pgdeck {

class PgConnection;
struct ClusterSpec;

// Everything found about a sharding request before anything changes. Errors stop the
// run and name the problem; warnings are shown and the user decides.
struct ShardingReview {
    QStringList errors;
    QStringList warnings;
    KeyStats keyStats;
    QStringList regionValues; // geo: the key's distinct values, sorted
    qint64 rows = 0;          // exact count of the table's rows

    bool ok() const { return errors.isEmpty(); }
};

// Checks the request against the coordinator's catalogs and data: the key exists and can be
// a partition key, the types exist on the workers, ranges are ordered without overlaps or
// gaps and cover every row, every region has a worker, and what would break (foreign keys,
// views, a key outside the primary key, a low-cardinality or skewed hash key).
ShardingReview reviewSharding(PgConnection &coordinator, const ShardingSpec &spec,
                              const TableInfo &table, const ClusterSpec &cluster);

} // namespace pgdeck
