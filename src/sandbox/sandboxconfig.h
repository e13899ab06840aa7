#pragma once

#include <QString>

namespace pgdeck {

// Everything that decides what the sandbox looks like. Saved as sandbox.json in its
// directory, so `up` twice, `status` and `down` all see the same cluster.
struct SandboxConfig {
    QString dir;      // everything lives below it: data dirs, logs, inventory.yaml
    int basePort = 0; // primary; standbys take the next ports
    QString binDir;   // PostgreSQL's bin directory (initdb, pg_ctl, pg_basebackup, pgbench)
    QString osUser;   // who runs the servers; differs from us only when we are root
    int standbys = 2;
    bool cascade = false; // second standby streams from the first
    bool load = true;     // run a light pgbench so lag moves

    QString dataDir(const QString &node) const { return dir + QLatin1Char('/') + node; }
    QString inventoryPath() const { return dir + QStringLiteral("/inventory.yaml"); }
    QString statePath() const { return dir + QStringLiteral("/sandbox.json"); }
    QString loadPidPath() const { return dir + QStringLiteral("/pgbench.pid"); }
    QString bin(const QString &tool) const { return binDir + QLatin1Char('/') + tool; }
    QString nodeName(int index) const; // primary, standby1, standby2, ...
    int port(int index) const { return basePort + index; }
    int nodeCount() const { return 1 + standbys; }

    QByteArray toJson() const;
    static bool fromJson(const QByteArray &json, SandboxConfig *config, QString *error);
};

} // namespace pgdeck
