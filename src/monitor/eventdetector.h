#pragma once

#include "inventory/inventory.h"
#include "monitorevent.h"
#include "nodestatus.h"

#include <QHash>
#include <QList>

namespace pgdeck {

// Turns a stream of NodeStatus snapshots into events by comparing each with the previous
// one of the same node. Pure logic, no I/O: feed it statuses, get events back.
class EventDetector {
public:
    explicit EventDetector(const MonitorSettings &settings = {})
        : m_settings(settings)
    {}
    void setSettings(const MonitorSettings &settings) { m_settings = settings; }

    QList<MonitorEvent> update(const NodeStatus &status);

private:
    struct Memory {
        NodeStatus last;
        bool seen = false;
        int role = -1;        // last role from a fresh sample: 0 primary, 1 standby, -1 unknown
        QStringList standbys; // streaming from this node at the last fresh sample
        bool standbysKnown = false;
        QHash<QString, bool> lagHigh;       // per standby
        QHash<QString, QString> slotStatus; // per slot
    };
    MonitorSettings m_settings;
    QHash<QString, Memory> m_nodes; // cluster/node
};

} // namespace pgdeck
