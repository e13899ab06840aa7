#pragma once

#include <QList>
#include <QMap>
#include <QString>

namespace pgdeck {

// One PostgreSQL server as the inventory describes it. Empty strings and a
// zero port mean "not given": libpq then falls back to its own defaults
// (service file, PG* variables), exactly as psql would.
struct NodeSpec {
    QString name;
    QString host;
    int port = 0;
    QString dbname;
    QString user;
    QString service; // a pg_service.conf entry
    QString role;    // primary, standby, coordinator, worker (free text is refused)
    QString ssh;     // user@host for commands on the node's machine
    QString patroni; // Patroni REST base URL
    QString region;
    QString upstream; // name of the node this standby streams from
    QString sslmode;
    QString sslrootcert;
    QString sslcert;
    QString sslkey;
    QString dataDir; // data directory on the node's host, when pgdeck manages it
    int line = 0;    // where the node was declared, for messages
    int column = 0;

    bool operator==(const NodeSpec &) const = default;
};

struct MonitorSettings {
    int intervalMs = 1000;
    qint64 lagWarnBytes = 16 * 1024 * 1024;
    double lagWarnSeconds = 5.0;

    bool operator==(const MonitorSettings &) const = default;
};

struct ClusterSpec {
    QString name;
    QList<NodeSpec> nodes;
    MonitorSettings monitor;

    const NodeSpec *node(const QString &nodeName) const;
    bool operator==(const ClusterSpec &) const = default;
};

struct Inventory {
    QList<ClusterSpec> clusters;

    const ClusterSpec *cluster(const QString &clusterName) const;
    bool operator==(const Inventory &) const = default;
};

// A problem found in an inventory file. toString() gives "file:line:column: message",
// the form editors and terminals turn into a link.
struct InventoryError {
    QString file;
    int line = 0;   // 1-based; 0 when the problem has no position
    int column = 0; // 1-based
    QString message;

    QString toString() const;
};

} // namespace pgdeck
