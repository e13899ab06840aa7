#pragma once

#include "monitor/monitorevent.h"
#include "patroniwatcher.h"

#include <QList>
#include <QSet>

namespace pgdeck {

// Turns successive Patroni snapshots of one cluster into events: a new leader (at once),
// the new timeline with Patroni's reason from /history, no leader, maintenance mode on or
// off, a member that needs a restart. The first snapshot only sets the baseline.
class PatroniEventDetector {
public:
    QList<MonitorEvent> update(const PatroniSnapshot &snapshot);

private:
    bool m_seen = false;
    QString m_leader;     // empty while nobody leads
    QString m_lastLeader; // the last member seen leading
    int m_timeline = -1;  // the highest timeline announced
    int m_roundsWithoutHistory = 0;
    bool m_paused = false;
    QSet<QString> m_pendingRestart;
};

} // namespace pgdeck
