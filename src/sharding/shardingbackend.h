#pragma once

#include "plan/plan.h"
#include "shardingreview.h"
#include "shardingspec.h"
#include "tableinfo.h"

#include <QString>
#include <memory>

namespace pgdeck {

class PgConnection;
struct ClusterSpec;

// One way of sharding a table. Backends only compile Plans: nothing changes until the Plan
// runs, so a wizard previews exactly what will run and a killed run resumes from its journal.
class ShardingBackend {
public:
    virtual ~ShardingBackend() = default;

    virtual QString name() const = 0; // "native (postgres_fdw)", "Citus 12.1"
    // Backend-specific checks added to a review (errors stop the run).
    virtual void review(const ShardingSpec &spec, const TableInfo &table,
                        ShardingReview *review) const = 0;
    // Shards `table` as `spec` says and verifies that no row was lost or duplicated.
    virtual Plan plan(const ShardingSpec &spec, const TableInfo &table,
                      const ShardingReview &review, const ClusterSpec &cluster) const = 0;
    // Undoes a partly run (or finished but not yet finalised) plan: the table as before.
    virtual Plan rollbackPlan(const ShardingSpec &spec, const TableInfo &table,
                              const ShardingReview &review, const ClusterSpec &cluster) const = 0;
};

// Citus when the coordinator has it (created, or available and preloaded), else native;
// `wanted` ("native" or "citus") overrides, and "citus" fails when it cannot load.
std::unique_ptr<ShardingBackend> detectBackend(PgConnection &coordinator, QString *error,
                                               const QString &wanted = {});

// The SQL that proves a copy: row count and an order-independent checksum of every row's
// text, as one text value ("rows/sum").
QString rowFingerprintSql(const QString &qualifiedTable);

} // namespace pgdeck
