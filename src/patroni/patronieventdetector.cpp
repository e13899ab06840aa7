#include "patronieventdetector.h"

namespace pgdeck {

namespace {

MonitorEvent event(const PatroniSnapshot &s, MonitorEvent::Kind kind,
                   MonitorEvent::Severity severity, const QString &node, const QString &message)
{
    MonitorEvent e;
    e.time = s.sampledAt.isValid() ? s.sampledAt : QDateTime::currentDateTimeUtc();
    e.kind = kind;
    e.severity = severity;
    e.cluster = s.cluster;
    e.node = node;
    e.message = message;
    return e;
}

// The history entry that ended timeline `to - 1`, if Patroni has written it yet.
const PatroniHistoryEntry *switchTo(const PatroniSnapshot &s, int to)
{
    for (const PatroniHistoryEntry &h : s.history)
        if (h.timeline == to - 1)
            return &h;
    return nullptr;
}

// "timeline 1 → 2 at 0/3000148: a switchover by m1, new leader m2"
QString timelineStory(const PatroniSnapshot &s, int from, int to)
{
    QString story =
        QStringLiteral("%1 moved from timeline %2 → %3").arg(s.cluster).arg(from).arg(to);
    if (const PatroniHistoryEntry *h = switchTo(s, to)) {
        story += QStringLiteral(" at ") + QStringLiteral("%1/%2")
                                              .arg(quint32(quint64(h->lsn) >> 32), 0, 16)
                                              .arg(quint32(h->lsn), 0, 16)
                                              .toUpper();
        if (!h->reason.trimmed().isEmpty())
            story += QStringLiteral(": ") + h->reason.trimmed();
        if (!h->newLeader.isEmpty())
            story += QStringLiteral(" (new leader %1)").arg(h->newLeader);
    }
    return story;
}

} // namespace

QList<MonitorEvent> PatroniEventDetector::update(const PatroniSnapshot &s)
{
    QList<MonitorEvent> events;
    if (!s.reachable)
        return events; // the SQL monitor reports nodes down; old state must not make events

    const QString leader = s.state.leader();
    int timeline = -1;
    QSet<QString> pending;
    for (const PatroniMember &m : s.state.members) {
        timeline = qMax(timeline, m.timeline);
        if (m.pendingRestart)
            pending.insert(m.name);
    }

    if (m_seen) {
        if (leader != m_leader && !leader.isEmpty()) {
            const QString message = m_lastLeader.isEmpty() || m_lastLeader == leader
                                        ? QStringLiteral("%1 now leads %2").arg(leader, s.cluster)
                                        : QStringLiteral("%1 now leads %2 instead of %3")
                                              .arg(leader, s.cluster, m_lastLeader);
            events << event(s, MonitorEvent::Kind::LeaderChanged, MonitorEvent::Severity::Critical,
                            leader, message);
        } else if (leader.isEmpty() && !m_leader.isEmpty()) {
            events << event(s, MonitorEvent::Kind::LeaderLost, MonitorEvent::Severity::Critical,
                            m_leader,
                            QStringLiteral("no member of %1 holds the leader key (last leader %2)")
                                .arg(s.cluster, m_leader));
        }
        if (s.state.paused != m_paused)
            events << (s.state.paused
                           ? event(s, MonitorEvent::Kind::Paused, MonitorEvent::Severity::Warning,
                                   {},
                                   QStringLiteral("%1 is in maintenance mode: Patroni will not "
                                                  "fail over")
                                       .arg(s.cluster))
                           : event(s, MonitorEvent::Kind::Resumed, MonitorEvent::Severity::Info, {},
                                   QStringLiteral("%1 left maintenance mode").arg(s.cluster)));
        // Told once Patroni's /history explains the switch, or after a few rounds without.
        if (timeline > m_timeline && m_timeline >= 0) {
            if (switchTo(s, timeline) || ++m_roundsWithoutHistory > 5) {
                events << event(s, MonitorEvent::Kind::TimelineChanged,
                                MonitorEvent::Severity::Info, leader,
                                timelineStory(s, m_timeline, timeline));
                m_roundsWithoutHistory = 0;
            } else {
                timeline = m_timeline; // not yet: keep comparing against the old one
            }
        }
        for (const QString &name : pending)
            if (!m_pendingRestart.contains(name))
                events << event(
                    s, MonitorEvent::Kind::PendingRestart, MonitorEvent::Severity::Warning, name,
                    QStringLiteral("%1 needs a restart for a changed setting").arg(name));
    }

    m_seen = true;
    m_leader = leader;
    if (!leader.isEmpty())
        m_lastLeader = leader;
    if (timeline >= 0)
        m_timeline = timeline;
    m_paused = s.state.paused;
    m_pendingRestart = pending;
    return events;
}

} // namespace pgdeck
