#pragma once

#include "patronistate.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QUrl>

class QTimer;

namespace pgdeck {

class PatroniClient;

// What Patroni said about one cluster at one moment. When no member's REST API answered,
// reachable is false and state keeps the last answer: shown as stale, never as healthy.
struct PatroniSnapshot {
    QString cluster;
    bool reachable = false;
    QString error; // why the last poll failed
    QUrl source;   // the member that answered
    QDateTime sampledAt;
    PatroniClusterState state;
    QList<PatroniHistoryEntry> history; // refreshed when the timeline moves
};

// Polls GET /cluster of one Patroni cluster, asking its members in turn until one answers
// (the leader may be the one that is gone), and GET /history whenever the timeline changes.
class PatroniWatcher : public QObject {
    Q_OBJECT
public:
    PatroniWatcher(const QString &cluster, const QList<QUrl> &members, QObject *parent = nullptr);
    ~PatroniWatcher() override;

    void start(int intervalMs);
    void stop();
    void pollNow();
    const PatroniSnapshot &latest() const { return m_snapshot; }

Q_SIGNALS:
    void snapshotChanged(const pgdeck::PatroniSnapshot &snapshot);

private:
    void tryMember(int index, QStringList errors);
    void onCluster(const PatroniClusterState &state, const QUrl &source);
    void publish();
    int highestTimeline(const PatroniClusterState &state) const;

    QList<PatroniClient *> m_clients;
    QTimer *m_timer;
    PatroniSnapshot m_snapshot;
    int m_preferred = 0; // the member that answered last
    bool m_polling = false;
    int m_historyTimeline = -1;
    quint64 m_round = 0;
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::PatroniSnapshot)
