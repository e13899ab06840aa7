#pragma once

#include "monitor/nodestatus.h"

#include <QColor>
#include <QIcon>
#include <QString>

namespace pgdeck {

// One place for how health looks, so the tree, the table and the status bar agree.
class HealthStyle {
public:
    static QColor color(NodeStatus::Health health);
    static QString label(NodeStatus::Health health); // "up", "DOWN", "stale", "connecting"
    static QIcon icon(NodeStatus::Health health);    // a filled dot in the health colour
    static QIcon dot(const QColor &color, bool hollow = false);
    // Worst first: Down, Stale, Unknown, Up. For a cluster's summary colour.
    static int severity(NodeStatus::Health health);
    // Text colour for values that are no longer current.
    static QColor staleText();
};

} // namespace pgdeck
