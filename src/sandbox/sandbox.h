#pragma once

#include "inventory/inventory.h"
#include "plan/plan.h"
#include "sandboxconfig.h"

namespace pgdeck {

// The local practice cluster: a primary and streaming standbys on 127.0.0.1, built with
// the same Plan machinery the wizards use. Servers run as an unprivileged user: when we
// are root, a system user "pgdeck" is created for them (PostgreSQL refuses to run as root).
class Sandbox {
public:
    static constexpr int kDefaultPort = 54320;
    static QString defaultDir();
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
