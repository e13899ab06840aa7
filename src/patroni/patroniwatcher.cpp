#include "patroniwatcher.h"

#include "patroniclient.h"

#include <QTimer>

namespace pgdeck {

PatroniWatcher::PatroniWatcher(const QString &cluster, const QList<QUrl> &members, QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_snapshot.cluster = cluster;
    for (const QUrl &url : members) {
        auto *client = new PatroniClient(url, this);
        client->setTimeout(2000); // a member that does not answer in 2 s is as good as gone
        m_clients << client;
    }
    connect(m_timer, &QTimer::timeout, this, &PatroniWatcher::pollNow);
}

PatroniWatcher::~PatroniWatcher() = default;

void PatroniWatcher::start(int intervalMs)
{
    m_timer->start(qMax(200, intervalMs));
    pollNow();
}

void PatroniWatcher::stop()
{
    m_timer->stop();
    ++m_round; // answers still in flight are dropped
    m_polling = false;
    for (PatroniClient *c : std::as_const(m_clients))
        c->abortAll();
}

void PatroniWatcher::pollNow()
{
    if (m_polling || m_clients.isEmpty())
        return;
    m_polling = true;
    ++m_round;
    tryMember(0, {});
}

// Asks members in turn, starting with the one that answered last.
void PatroniWatcher::tryMember(int attempt, QStringList errors)
{
    if (attempt >= m_clients.size()) {
        m_polling = false;
        m_snapshot.reachable = false;
        m_snapshot.error = errors.join(QStringLiteral("; "));
        m_snapshot.sampledAt = QDateTime::currentDateTimeUtc();
        publish();
        return;
    }
    const int index = (m_preferred + attempt) % m_clients.size();
    PatroniClient *client = m_clients[index];
    const quint64 round = m_round;
    auto conn = std::make_shared<QMetaObject::Connection>();
    const int id = client->fetchCluster();
    *conn = connect(client, &PatroniClient::clusterReceived, this,
                    [=, this](int requestId, const PatroniResult &result,
                              const PatroniClusterState &state) mutable {
                        if (requestId != id)
                            return;
                        disconnect(*conn);
                        if (round != m_round)
                            return;
                        if (result.ok) {
                            m_preferred = index;
                            onCluster(state, client->baseUrl());
                            return;
                        }
                        errors << result.message;
                        tryMember(attempt + 1, errors);
                    });
}

int PatroniWatcher::highestTimeline(const PatroniClusterState &state) const
{
    int tl = -1;
    for (const PatroniMember &m : state.members)
        tl = qMax(tl, m.timeline);
    return tl;
}

void PatroniWatcher::onCluster(const PatroniClusterState &state, const QUrl &source)
{
    m_snapshot.reachable = true;
    m_snapshot.error.clear();
    m_snapshot.source = source;
    m_snapshot.sampledAt = QDateTime::currentDateTimeUtc();
    m_snapshot.state = state;
    const int timeline = highestTimeline(state);
    if (timeline == m_historyTimeline || timeline < 0) {
        m_polling = false;
        publish();
        return;
    }
    // The timeline moved (or this is the first answer): fetch the history that explains it.
    PatroniClient *client = m_clients[m_preferred];
    const quint64 round = m_round;
    auto conn = std::make_shared<QMetaObject::Connection>();
    const int id = client->fetchHistory();
    *conn = connect(client, &PatroniClient::historyReceived, this,
                    [=, this](int requestId, const PatroniResult &result,
                              const QList<PatroniHistoryEntry> &history) {
                        if (requestId != id)
                            return;
                        disconnect(*conn);
                        if (round != m_round)
                            return;
                        m_polling = false;
                        // Right after a promotion /history may not list the switch yet.
                        const bool complete =
                            result.ok &&
                            (timeline <= 1 ||
                             (!history.isEmpty() && history.last().timeline >= timeline - 1));
                        if (result.ok)
                            m_snapshot.history = history;
                        if (complete)
                            m_historyTimeline = timeline;
                        publish();
                    });
}

void PatroniWatcher::publish()
{
    Q_EMIT snapshotChanged(m_snapshot);
}

} // namespace pgdeck
