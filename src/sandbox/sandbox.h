#pragma once

#include "inventory/inventory.h"
#include "plan/plan.h"
#include "sandboxconfig.h"

namespace pgdeck {

// The local practice cluster on 127.0.0.1, built with the same Plan machinery the wizards
// use. Two shapes: replicated (a primary and streaming standbys) and sharded (a coordinator
// and two workers, independent servers with postgres_fdw, and Citus when it is installed).
// Servers run as an unprivileged user: when we are root, a system user "pgdeck" is created
// for them (PostgreSQL refuses to run as root).
class Sandbox {
public:
    static constexpr int kDefaultPort = 54320;
    static constexpr int kDefaultShardedPort = 54330; // both shapes can run at once
    static constexpr int kSampleUsers = 100000;       // rows of the sharded shape's users table
    // The sharded shape lives next to the replicated one: <default>-sharded.
    static QString defaultDir(SandboxShape shape = SandboxShape::Replicated);
    static int defaultPort(SandboxShape shape);
    static QString defaultOsUser();
    // PostgreSQL's bin directory: $PGDECK_PG_BINDIR, `pg_config --bindir`, or the newest
    // /usr/lib/postgresql/*/bin. Empty with *error set when none has initdb.
    static QString findBinDir(QString *error);
    // First port P >= from with P .. P+count-1 all free on 127.0.0.1.
    static int findFreePorts(int from, int count);

    // Reads dir/sandbox.json when the sandbox exists, else fills in defaults for the
    // fields left empty in `wanted`.
    static bool resolveConfig(const SandboxConfig &wanted, SandboxConfig *config, QString *error);
    static bool loadConfig(const QString &dir, SandboxConfig *config, QString *error);

    static Plan upPlan(const SandboxConfig &config);
    static Plan downPlan(const SandboxConfig &config);
    static Inventory inventory(const SandboxConfig &config);
    static ConnectionParams nodeParams(const SandboxConfig &config, int index,
                                       const QString &dbname = QStringLiteral("app"));
};

} // namespace pgdeck
