#pragma once

#include "pgresult.h"

struct pg_result;

namespace pgdeck {

// Internal to src/pg: copies a libpq result into an immutable PgResult.
struct PgResult::Builder {
    static PgResult from(const pg_result *res, bool cancelRequested);
};

} // namespace pgdeck
