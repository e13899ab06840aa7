#include "eventdetector.h"

#include <QLocale>

namespace pgdeck {

namespace {

QString bytes(qint64 b)
{
    return QLocale::c().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat);
}

MonitorEvent make(const NodeStatus &s, MonitorEvent::Severity sev, MonitorEvent::Kind kind,
                  const QString &subject, const QString &message)
{
    MonitorEvent e;
    e.time = QDateTime::currentDateTime();
    e.severity = sev;
    e.kind = kind;
    e.cluster = s.cluster;
    e.node = s.node;
    e.subject = subject;
    e.message = message;
    return e;
}

} // namespace

QList<MonitorEvent> EventDetector::update(const NodeStatus &s)
{
    using K = MonitorEvent::Kind;
    using Sev = MonitorEvent::Severity;
    QList<MonitorEvent> events;
    Memory &mem = m_nodes[s.cluster + QLatin1Char('/') + s.node];
    const NodeStatus prev = mem.last;
    const bool hadPrev = mem.seen;
    const NodeStatus::Health health = s.health();

    // Down/up: "unknown" (still connecting) is not news; stale keeps its previous state.
    const bool down = health == NodeStatus::Health::Down;
    const bool up = health == NodeStatus::Health::Up;
    const bool wasDown = hadPrev && prev.health() == NodeStatus::Health::Down;
    if (down && (!hadPrev || !wasDown))
        events << make(s, Sev::Critical, K::NodeDown, {},
                       QStringLiteral("%1 is down: %2").arg(s.node, s.lastError));
    else if (up && wasDown)
        events << make(s, Sev::Info, K::NodeUp, {}, QStringLiteral("%1 is up again").arg(s.node));

    if (up && s.hasSample()) {
        const int role = s.inRecovery ? 1 : 0;
        if (mem.role >= 0 && mem.role != role)
            events << make(
                s, s.inRecovery ? Sev::Warning : Sev::Critical, K::RoleChanged, {},
                s.inRecovery
                    ? QStringLiteral("%1 is now a standby (was primary)").arg(s.node)
                    : QStringLiteral("%1 was promoted: now a primary (was standby)").arg(s.node));

        mem.role = role;

        // Standbys attached to this node, compared with the last fresh sample (this block
        // sees only fresh ones): a stale sample between must not swallow a change.
        QStringList names;
        for (const StandbyLag &l : s.standbyLags)
            names << l.name;
        if (mem.standbysKnown) {
            for (const StandbyLag &l : s.standbyLags)
                if (!mem.standbys.contains(l.name))
                    events << make(s, Sev::Info, K::StandbyAppeared, l.name,
                                   QStringLiteral("standby %1 (%2) started streaming from %3")
                                       .arg(l.name, l.clientAddr, s.node));
            for (const QString &name : std::as_const(mem.standbys))
                if (!names.contains(name)) {
                    events << make(
                        s, Sev::Warning, K::StandbyVanished, name,
                        QStringLiteral("standby %1 no longer streams from %2").arg(name, s.node));
                    mem.lagHigh.remove(name);
                }
        }
        mem.standbys = names;
        mem.standbysKnown = true;

        // Lag thresholds, with the transition back reported too.
        for (const StandbyLag &l : s.standbyLags) {
            const bool overBytes =
                m_settings.lagWarnBytes > 0 && l.replayLagBytes > m_settings.lagWarnBytes;
            const bool overSeconds =
                m_settings.lagWarnSeconds > 0 && l.replayLagSeconds > m_settings.lagWarnSeconds;
            const bool high = overBytes || overSeconds;
            const bool wasHigh = mem.lagHigh.value(l.name, false);
            if (high && !wasHigh)
                events << make(s, Sev::Warning, K::LagHigh, l.name,
                               QStringLiteral("replay lag of %1 is %2 / %3 s (warn at %4 / %5 s)")
                                   .arg(l.name, bytes(qMax<qint64>(0, l.replayLagBytes)))
                                   .arg(qMax(0.0, l.replayLagSeconds), 0, 'f', 1)
                                   .arg(bytes(m_settings.lagWarnBytes))
                                   .arg(m_settings.lagWarnSeconds, 0, 'f', 1));
            else if (!high && wasHigh)
                events << make(
                    s, Sev::Info, K::LagNormal, l.name,
                    QStringLiteral("replay lag of %1 is back under the threshold").arg(l.name));
            mem.lagHigh[l.name] = high;
        }

        // Slots whose WAL is at risk.
        for (const ReplicationSlotInfo &slot : s.slots) {
            const QString before = mem.slotStatus.value(slot.name);
            if (slot.walStatus == before)
                continue;
            if (slot.walStatus == QLatin1String("unreserved"))
                events << make(
                    s, Sev::Warning, K::SlotUnreserved, slot.name,
                    QStringLiteral("slot %1 is unreserved: its WAL may be removed at the next "
                                   "checkpoint")
                        .arg(slot.name));
            else if (slot.walStatus == QLatin1String("lost"))
                events << make(
                    s, Sev::Critical, K::SlotLost, slot.name,
                    QStringLiteral("slot %1 is lost: the WAL it needed is gone").arg(slot.name));
            else if (before == QLatin1String("unreserved") || before == QLatin1String("lost"))
                events << make(
                    s, Sev::Info, K::SlotNormal, slot.name,
                    QStringLiteral("slot %1 is %2 again").arg(slot.name, slot.walStatus));
            mem.slotStatus[slot.name] = slot.walStatus;
        }
    }

    if (!s.stale || !s.reachable) {
        mem.last = s;
        mem.seen = true;
    }
    return events;
}

} // namespace pgdeck
