#pragma once

#include <QString>

namespace pgdeck {

// What the sandbox builds: a primary with streaming standbys, or three independent
// servers (a coordinator and two workers) to practise sharding on.
enum class SandboxShape { Replicated, Sharded };

QString sandboxShapeName(SandboxShape shape); // "replicated", "sharded"
bool sandboxShapeFromName(const QString &name, SandboxShape *shape);

// Everything that decides what the sandbox looks like. Saved as sandbox.json in its
// directory, so `up` twice, `status` and `down` all see the same cluster.
struct SandboxConfig {
    SandboxShape shape = SandboxShape::Replicated;
    QString dir;          // everything lives below it: data dirs, logs, inventory.yaml
    int basePort = 0;     // primary (coordinator); the other nodes take the next ports
    QString binDir;       // PostgreSQL's bin directory (initdb, pg_ctl, pg_basebackup, pgbench)
    QString osUser;       // who runs the servers; differs from us only when we are root
    int standbys = 2;     // replicated only
    int workers = 2;      // sharded only; worker1 is in region eu, worker2 in us
    bool citus = true;    // sharded only: load Citus when it is installed (else native only)
    bool cascade = false; // replicated: second standby streams from the first
    bool load = true;     // replicated: run a light pgbench; sharded: create sample tables

    bool sharded() const { return shape == SandboxShape::Sharded; }
    QString dataDir(const QString &node) const { return dir + QLatin1Char('/') + node; }
    QString inventoryPath() const { return dir + QStringLiteral("/inventory.yaml"); }
    QString statePath() const { return dir + QStringLiteral("/sandbox.json"); }
    QString loadPidPath() const { return dir + QStringLiteral("/pgbench.pid"); }
    QString bin(const QString &tool) const { return binDir + QLatin1Char('/') + tool; }
    // primary, standby1, standby2, ... or coordinator, worker1, worker2
    QString nodeName(int index) const;
    int port(int index) const { return basePort + index; }
    int nodeCount() const { return sharded() ? 1 + workers : 1 + standbys; }

    QByteArray toJson() const;
    static bool fromJson(const QByteArray &json, SandboxConfig *config, QString *error);
};

} // namespace pgdeck
