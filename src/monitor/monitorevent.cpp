#include "monitorevent.h"

namespace pgdeck {

QString MonitorEvent::kindName(Kind kind)
{
    switch (kind) {
    case Kind::NodeDown:
        return QStringLiteral("node-down");
    case Kind::NodeUp:
        return QStringLiteral("node-up");
    case Kind::RoleChanged:
        return QStringLiteral("role-changed");
    case Kind::StandbyAppeared:
        return QStringLiteral("standby-appeared");
    case Kind::StandbyVanished:
        return QStringLiteral("standby-vanished");
    case Kind::LagHigh:
        return QStringLiteral("lag-high");
    case Kind::LagNormal:
        return QStringLiteral("lag-normal");
    case Kind::SlotUnreserved:
        return QStringLiteral("slot-unreserved");
    case Kind::SlotLost:
        return QStringLiteral("slot-lost");
    case Kind::SlotNormal:
        return QStringLiteral("slot-normal");
    case Kind::LeaderChanged:
        return QStringLiteral("leader-changed");
    case Kind::LeaderLost:
        return QStringLiteral("leader-lost");
    case Kind::TimelineChanged:
        return QStringLiteral("timeline-changed");
    case Kind::Paused:
        return QStringLiteral("paused");
    case Kind::Resumed:
        return QStringLiteral("resumed");
    case Kind::PendingRestart:
        return QStringLiteral("pending-restart");
    }
    return {};
}

QString MonitorEvent::severityName(Severity s)
{
    switch (s) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

} // namespace pgdeck
