// PatroniClient against a real two-member Patroni 3 cluster on etcd, everything on
// 127.0.0.1, with a REST API that wants a user and password for its unsafe calls:
// /cluster, /patroni and /history parse into what Patroni reports; a switchover and a
// failover each move the leader and the new one takes writes; Patroni's own refusals (412,
// 401 without credentials, 503 for reinitializing the leader) reach PatroniResult::message
// as-is; a restart and a forced reinitialize of the replica go to that member and leave it
// streaming again; pause/resume and a scheduled switchover show up in /cluster; a closed port
// and a silent server fail with messages naming the URL.
#include "etcdfixture.h"
#include "patroni/patroniclient.h"
#include "patronicluster.h"
#include "pg/pgconnection.h"
#include "pg/pgresult.h"

#include <QFile>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace pgdeck;
using pgdeck::test::EtcdFixture;
using pgdeck::test::PatroniCluster;

namespace {

const QString kScope = QStringLiteral("pgdeck-rest");
const QString kApiUser = QStringLiteral("patroni");
const QString kApiPassword = QStringLiteral("rest-secret");

// ---------------------------------------------------------------------------------------
// Waiting for PatroniClient's answers.
// ---------------------------------------------------------------------------------------

constexpr int kAnswerTimeoutMs = 15000;

PatroniResult noAnswer()
{
    PatroniResult r;
    r.message = QStringLiteral("no signal within %1 ms").arg(kAnswerTimeoutMs);
    return r;
}

PatroniResult clusterOf(PatroniClient &client, PatroniClusterState *state)
{
    QSignalSpy spy(&client, &PatroniClient::clusterReceived);
    const int id = client.fetchCluster();
    if (!spy.wait(kAnswerTimeoutMs) || spy.at(0).at(0).toInt() != id)
        return noAnswer();
    *state = spy.at(0).at(2).value<PatroniClusterState>();
    return spy.at(0).at(1).value<PatroniResult>();
}

PatroniResult statusOf(PatroniClient &client, PatroniNodeStatus *status)
{
    QSignalSpy spy(&client, &PatroniClient::statusReceived);
    const int id = client.fetchStatus();
    if (!spy.wait(kAnswerTimeoutMs) || spy.at(0).at(0).toInt() != id)
        return noAnswer();
    *status = spy.at(0).at(2).value<PatroniNodeStatus>();
    return spy.at(0).at(1).value<PatroniResult>();
}

PatroniResult historyOf(PatroniClient &client, QList<PatroniHistoryEntry> *history)
{
    QSignalSpy spy(&client, &PatroniClient::historyReceived);
    const int id = client.fetchHistory();
    if (!spy.wait(kAnswerTimeoutMs) || spy.at(0).at(0).toInt() != id)
        return noAnswer();
    *history = spy.at(0).at(2).value<QList<PatroniHistoryEntry>>();
    return spy.at(0).at(1).value<PatroniResult>();
}

// Switchover and restart answer only once Patroni has done the work: allow a minute.
template <typename Call> PatroniResult actionOf(PatroniClient &client, Call call)
{
    QSignalSpy spy(&client, &PatroniClient::actionFinished);
    const int id = call();
    if (!spy.wait(60000) || spy.at(0).at(0).toInt() != id)
        return noAnswer();
    return spy.at(0).at(1).value<PatroniResult>();
}

// "<leader>|<replica state>/<timeline>/<lag>" once both members report in; empty otherwise.
QString shape(const PatroniClusterState &state)
{
    QStringList parts;
    for (const PatroniMember &m : state.members) {
        parts << QStringLiteral("%1:%2/%3/tl%4/lag%5")
                     .arg(m.name, m.role, m.state)
                     .arg(m.timeline)
                     .arg(m.lagBytes);
    }
    return parts.join(QLatin1Char(' '));
}

bool healthyPair(const PatroniClusterState &state, int timeline)
{
    if (state.members.size() != 2 || state.leader().isEmpty())
        return false;
    for (const PatroniMember &m : state.members) {
        // Patroni 3.0.2 says "running" for a streaming replica; later versions "streaming".
        const bool up =
            m.state == QLatin1String("running") || m.state == QLatin1String("streaming");
        if (!up || m.timeline != timeline || (!m.isLeader() && m.lagBytes != 0))
            return false;
    }
    return true;
}

QString writeProbe(const QString &conninfo, int n)
{
    PgConnection c;
    c.setParams(ConnectionParams::parse(conninfo));
    if (!c.waitForReady(5000))
        return QStringLiteral("<error: %1>").arg(c.lastError());
    const PgResult r =
        c.execSync(QStringLiteral("insert into rest_check values ($1) returning n"), {n}, 10000);
    return r.ok() ? r.text(0, 0) : QStringLiteral("<error: %1>").arg(r.errorMessage());
}

QString scalar(const QString &conninfo, const QString &sql)
{
    PgConnection c;
    c.setParams(ConnectionParams::parse(conninfo));
    if (!c.waitForReady(5000))
        return QStringLiteral("<error: %1>").arg(c.lastError());
    const PgResult r = c.execSync(sql, {}, 10000);
    return r.ok() ? r.text(0, 0) : QStringLiteral("<error: %1>").arg(r.errorMessage());
}

} // namespace

class TestPatroniClient : public QObject {
    Q_OBJECT
private:
    PatroniCluster m_cluster;
    std::unique_ptr<PatroniClient> m_client; // talks to m1's REST API throughout

    QUrl restUrl(int i) const { return QUrl(m_cluster.restUrl(i)); }
    int indexOf(const QString &name) const
    {
        for (int i = 0; i < 2; ++i) {
            if (m_cluster.memberName(i) == name)
                return i;
        }
        return -1;
    }
    QString otherThan(const QString &name) const { return m_cluster.memberName(1 - indexOf(name)); }
    QString logs() const
    {
        QString text;
        for (int i = 0; i < 2; ++i) {
            QFile f(m_cluster.configDir(i) + QStringLiteral("/patroni.log"));
            if (f.open(QIODevice::ReadOnly))
                text += QStringLiteral("--- %1\n").arg(m_cluster.memberName(i)) +
                        QString::fromLocal8Bit(f.readAll().right(4000));
        }
        return text;
    }

    PatroniClusterState waitForCluster(int timeline, int timeoutMs)
    {
        PatroniClusterState state;
        QDeadlineTimer deadline(timeoutMs);
        do {
            PatroniClusterState now;
            if (clusterOf(*m_client, &now).ok) {
                state = now;
                if (healthyPair(state, timeline))
                    break;
            }
            QTest::qWait(500);
        } while (!deadline.hasExpired());
        return state;
    }

    QString currentLeader()
    {
        PatroniClusterState state;
        return clusterOf(*m_client, &state).ok ? state.leader() : QString();
    }
    QString pausedState()
    {
        PatroniClusterState state;
        const PatroniResult r = clusterOf(*m_client, &state);
        if (!r.ok)
            return r.message;
        return state.paused ? QStringLiteral("paused") : QStringLiteral("managed");
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (EtcdFixture::etcdPath().isEmpty() || !QFile::exists(QStringLiteral("/usr/bin/patroni")))
            QSKIP("needs etcd and /usr/bin/patroni (apt-get install patroni etcd-server "
                  "python3-etcd)");
        QElapsedTimer timer;
        timer.start();
        QString error;
        m_cluster.setRestCredentials(kApiUser, kApiPassword);
        QVERIFY2(m_cluster.up(2, &error, kScope), qPrintable(error));
        m_client = std::make_unique<PatroniClient>(restUrl(0), kApiUser, kApiPassword);

        // up() returns with m1 leading; the replica streams within a loop or two.
        const PatroniClusterState state = waitForCluster(1, 60000);
        QVERIFY2(healthyPair(state, 1), qPrintable(shape(state) + QLatin1Char('\n') + logs()));
        qInfo("cluster streaming after %lld ms", qint64(timer.elapsed()));
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_cluster.down();
    }

    void clusterListsLeaderAndStreamingReplica()
    {
        PatroniClusterState state;
        const PatroniResult r = clusterOf(*m_client, &state);
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.httpStatus, 200);
        QCOMPARE(state.members.size(), 2);
        QVERIFY(!state.paused);
        QVERIFY(!state.scheduledSwitchover.isValid());

        const PatroniMember *leader = state.member(state.leader());
        QVERIFY(leader);
        QCOMPARE(leader->role, QStringLiteral("leader"));
        QCOMPARE(leader->timeline, 1);
        QCOMPARE(leader->lagBytes, qint64(-1)); // Patroni gives the leader no lag
        const int li = indexOf(leader->name);
        QVERIFY(li >= 0);
        QCOMPARE(leader->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(leader->port, m_cluster.pgPort(li));
        QCOMPARE(leader->apiBaseUrl(), restUrl(li));

        const PatroniMember *replica = state.member(m_cluster.memberName(1 - li));
        QVERIFY(replica);
        QCOMPARE(replica->role, QStringLiteral("replica"));
        QVERIFY(!replica->isLeader());
        QCOMPARE(replica->timeline, 1);
        QCOMPARE(replica->lagBytes, qint64(0));
        QVERIFY(!replica->pendingRestart);
        QVERIFY(!state.member(QStringLiteral("nobody")));
    }

    void leaderStatusParses()
    {
        PatroniClusterState cluster;
        QVERIFY(clusterOf(*m_client, &cluster).ok);
        const PatroniMember *leader = cluster.member(cluster.leader());
        QVERIFY(leader);
        PatroniClient leaderApi(leader->apiBaseUrl());

        PatroniNodeStatus status;
        const PatroniResult r = statusOf(leaderApi, &status);
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(status.state, QStringLiteral("running"));
        QVERIFY2(status.isPrimary(), qPrintable(status.role));
        QVERIFY(status.serverVersion >= 100000);
        QCOMPARE(status.timeline, 1);
        QVERIFY(status.xlogLocation > 0);
        QCOMPARE(status.scope, m_cluster.scope());
        QVERIFY(status.patroniVersion.startsWith(QLatin1String("3.")) ||
                status.patroniVersion.startsWith(QLatin1String("4.")));
        QVERIFY(status.systemIdentifier.size() >= 18);
        QVERIFY(status.postmasterStartTime.isValid());
        QVERIFY(!status.paused);
        QCOMPARE(status.replication.size(), 1);
        QCOMPARE(status.replication.first().applicationName, otherThan(leader->name));
        QCOMPARE(status.replication.first().state, QStringLiteral("streaming"));

        // The replica reports receive/replay positions instead, and the same system id.
        const PatroniMember &replicaMember =
            cluster.members.at(cluster.members.first().isLeader() ? 1 : 0);
        PatroniClient replicaApi(replicaMember.apiBaseUrl());
        PatroniNodeStatus replica;
        QVERIFY(statusOf(replicaApi, &replica).ok);
        QCOMPARE(replica.role, QStringLiteral("replica"));
        QVERIFY(!replica.isPrimary());
        QVERIFY(replica.receivedLocation > 0);
        QVERIFY(replica.replayedLocation > 0);
        QCOMPARE(replica.systemIdentifier, status.systemIdentifier);
    }

    void historyIsEmptyOnTimelineOne()
    {
        QList<PatroniHistoryEntry> history{PatroniHistoryEntry{}};
        const PatroniResult r = historyOf(*m_client, &history);
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY(history.isEmpty());
    }

    void switchoverToUnknownMemberIsRefused()
    {
        PatroniClusterState cluster;
        QVERIFY(clusterOf(*m_client, &cluster).ok);
        const PatroniResult r = actionOf(*m_client, [&] {
            return m_client->switchover(cluster.leader(), QStringLiteral("no-such-member"));
        });
        QVERIFY(!r.ok);
        QCOMPARE(r.httpStatus, 412);
        QCOMPARE(r.message, QStringLiteral("candidate does not exists")); // Patroni's spelling
        QCOMPARE(r.method, QStringLiteral("POST"));
        QCOMPARE(r.url.path(), QStringLiteral("/switchover"));
    }

    void unsafeCallWithoutCredentialsIsRefused()
    {
        PatroniClient anonymous(restUrl(0));
        const PatroniResult r = actionOf(anonymous, [&] { return anonymous.setPaused(true); });
        QVERIFY(!r.ok);
        QCOMPARE(r.httpStatus, 401);
        QVERIFY2(!r.message.isEmpty(), qPrintable(r.message));
    }

    void switchoverMovesTheLeader()
    {
        PatroniClusterState before;
        QVERIFY(clusterOf(*m_client, &before).ok);
        const QString oldLeader = before.leader();
        const QString candidate = otherThan(oldLeader);
        {
            PgConnection c;
            c.setParams(ConnectionParams::parse(m_cluster.conninfo(indexOf(oldLeader))));
            QVERIFY2(c.waitForReady(5000), qPrintable(c.lastError()));
            const PgResult created =
                c.execSync(QStringLiteral("create table rest_check (n int)"), {}, 10000);
            QVERIFY2(created.ok(), qPrintable(created.errorMessage()));
        }

        QElapsedTimer timer;
        timer.start();
        const PatroniResult r =
            actionOf(*m_client, [&] { return m_client->switchover(oldLeader, candidate); });
        QVERIFY2(r.ok, qPrintable(r.message + QLatin1Char('\n') + logs()));
        QCOMPARE(r.httpStatus, 200);
        QVERIFY2(r.message.contains(candidate), qPrintable(r.message));

        // /cluster follows within a few loops; the old leader may show "stopped" and lag
        // "unknown" in between.
        QTRY_COMPARE_WITH_TIMEOUT(currentLeader(), candidate, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(writeProbe(m_cluster.conninfo(indexOf(candidate)), 1),
                                  QStringLiteral("1"), 30000);
        qInfo("switchover: new leader took a write after %lld ms", qint64(timer.elapsed()));

        // The old leader rejoins as a replica on timeline 2.
        const PatroniClusterState after = waitForCluster(2, 60000);
        QVERIFY2(healthyPair(after, 2), qPrintable(shape(after)));
        QCOMPARE(after.member(oldLeader)->role, QStringLiteral("replica"));

        QList<PatroniHistoryEntry> history;
        const PatroniResult h = historyOf(*m_client, &history);
        QVERIFY2(h.ok, qPrintable(h.message));
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.first().timeline, 1);
        QVERIFY(history.first().lsn > 0);
        QCOMPARE(history.first().newLeader, candidate);
        QVERIFY(history.first().timestamp.isValid());
        QVERIFY(qAbs(history.first().timestamp.secsTo(QDateTime::currentDateTimeUtc())) < 300);
    }

    void scheduledSwitchoverShowsAndCancels()
    {
        PatroniClusterState cluster;
        QVERIFY(clusterOf(*m_client, &cluster).ok);
        const QString leader = cluster.leader();
        const QString other = otherThan(leader);
        const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(3600);

        const PatroniResult scheduled =
            actionOf(*m_client, [&] { return m_client->switchover(leader, other, at); });
        QVERIFY2(scheduled.ok, qPrintable(scheduled.message));
        QCOMPARE(scheduled.httpStatus, 202);
        QCOMPARE(scheduled.message, QStringLiteral("Switchover scheduled"));

        QVERIFY(clusterOf(*m_client, &cluster).ok);
        QVERIFY(cluster.scheduledSwitchover.isValid());
        QCOMPARE(cluster.scheduledSwitchover.at.toSecsSinceEpoch(), at.toSecsSinceEpoch());
        QCOMPARE(cluster.scheduledSwitchover.from, leader);
        QCOMPARE(cluster.scheduledSwitchover.to, other);

        const PatroniResult cancelled =
            actionOf(*m_client, [&] { return m_client->cancelScheduledSwitchover(); });
        QVERIFY2(cancelled.ok, qPrintable(cancelled.message));
        QVERIFY(clusterOf(*m_client, &cluster).ok);
        QVERIFY(!cluster.scheduledSwitchover.isValid());

        const PatroniResult again =
            actionOf(*m_client, [&] { return m_client->cancelScheduledSwitchover(); });
        QVERIFY(!again.ok);
        QCOMPARE(again.httpStatus, 404);
        QCOMPARE(again.message, QStringLiteral("no switchover is scheduled"));
    }

    void restartGoesToTheMember()
    {
        PatroniClusterState cluster;
        QVERIFY(clusterOf(*m_client, &cluster).ok);
        const PatroniMember &replica =
            cluster.members.at(cluster.members.first().isLeader() ? 1 : 0);
        PatroniClient replicaApi(replica.apiBaseUrl());
        PatroniNodeStatus before;
        QVERIFY(statusOf(replicaApi, &before).ok);

        // Sent through m1's client, addressed to the replica's own API.
        const PatroniResult r =
            actionOf(*m_client, [&] { return m_client->restart(replica.apiBaseUrl()); });
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.url.port(), replica.apiBaseUrl().port());
        QCOMPARE(r.message, QStringLiteral("restarted successfully"));

        PatroniNodeStatus after;
        QVERIFY(statusOf(replicaApi, &after).ok);
        QVERIFY(after.postmasterStartTime > before.postmasterStartTime);
        QVERIFY(healthyPair(waitForCluster(2, 30000), 2));
    }

    void pauseAndResume()
    {
        const PatroniResult paused = actionOf(*m_client, [&] { return m_client->setPaused(true); });
        QVERIFY2(paused.ok, qPrintable(paused.message));
        QCOMPARE(paused.httpStatus, 200);
        QTRY_COMPARE_WITH_TIMEOUT(pausedState(), QStringLiteral("paused"), 15000);
        PatroniNodeStatus status;
        QTRY_VERIFY_WITH_TIMEOUT(statusOf(*m_client, &status).ok && status.paused, 15000);

        const PatroniResult resumed =
            actionOf(*m_client, [&] { return m_client->setPaused(false); });
        QVERIFY2(resumed.ok, qPrintable(resumed.message));
        QTRY_COMPARE_WITH_TIMEOUT(pausedState(), QStringLiteral("managed"), 15000);
    }

    void failoverMovesTheLeaderToTheCandidate()
    {
        PatroniClusterState before;
        QVERIFY(clusterOf(*m_client, &before).ok);
        const QString oldLeader = before.leader();
        QVERIFY(before.member(oldLeader));
        const int timeline = before.member(oldLeader)->timeline;
        const QString candidate = otherThan(oldLeader);

        QElapsedTimer timer;
        timer.start();
        const PatroniResult r = actionOf(*m_client, [&] { return m_client->failover(candidate); });
        QVERIFY2(r.ok, qPrintable(r.message + QLatin1Char('\n') + logs()));
        QCOMPARE(r.httpStatus, 200);
        QCOMPARE(r.method, QStringLiteral("POST"));
        QCOMPARE(r.url.path(), QStringLiteral("/failover"));
        QVERIFY2(r.message.contains(candidate), qPrintable(r.message));

        QTRY_COMPARE_WITH_TIMEOUT(currentLeader(), candidate, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(writeProbe(m_cluster.conninfo(indexOf(candidate)), 2),
                                  QStringLiteral("2"), 30000);
        qInfo("failover: new leader took a write after %lld ms", qint64(timer.elapsed()));

        // The old leader follows the new timeline as a replica.
        const PatroniClusterState after = waitForCluster(timeline + 1, 60000);
        QVERIFY2(healthyPair(after, timeline + 1), qPrintable(shape(after)));
        QCOMPARE(after.member(oldLeader)->role, QStringLiteral("replica"));

        QList<PatroniHistoryEntry> history;
        const PatroniResult h = historyOf(*m_client, &history);
        QVERIFY2(h.ok, qPrintable(h.message));
        QCOMPARE(history.size(), timeline);
        QCOMPARE(history.last().timeline, timeline);
        QCOMPARE(history.last().newLeader, candidate);
    }

    void reinitializeRefusesTheLeaderAndRebuildsTheReplica()
    {
        PatroniClusterState cluster;
        QVERIFY(clusterOf(*m_client, &cluster).ok);
        const PatroniMember *leader = cluster.member(cluster.leader());
        QVERIFY(leader);
        const PatroniResult refused =
            actionOf(*m_client, [&] { return m_client->reinitialize(leader->apiBaseUrl()); });
        QVERIFY(!refused.ok);
        QCOMPARE(refused.httpStatus, 503);
        QCOMPARE(refused.message, QStringLiteral("I am the leader, can not reinitialize"));
        QCOMPARE(refused.url.path(), QStringLiteral("/reinitialize"));
        QCOMPARE(refused.url.port(), leader->apiBaseUrl().port());

        const QString replicaName = otherThan(leader->name);
        const PatroniMember *replica = cluster.member(replicaName);
        QVERIFY(replica);
        const QUrl replicaApi = replica->apiBaseUrl();
        PatroniClient replicaStatus(replicaApi);
        PatroniNodeStatus before;
        QVERIFY(statusOf(replicaStatus, &before).ok);

        QElapsedTimer timer;
        timer.start();
        const PatroniResult r =
            actionOf(*m_client, [&] { return m_client->reinitialize(replicaApi, true); });
        QVERIFY2(r.ok, qPrintable(r.message + QLatin1Char('\n') + logs()));
        QCOMPARE(r.httpStatus, 200);
        QCOMPARE(r.url.port(), replicaApi.port());
        QCOMPARE(r.message, QStringLiteral("reinitialize started"));

        // A new base backup, a new postmaster, and the replica back in /cluster with its lag.
        QString seen;
        bool back = false;
        QDeadlineTimer deadline(90000);
        do {
            PatroniNodeStatus now;
            PatroniClusterState state;
            if (statusOf(replicaStatus, &now).ok &&
                now.postmasterStartTime > before.postmasterStartTime &&
                clusterOf(*m_client, &state).ok) {
                seen = shape(state);
                const PatroniMember *m = state.member(replicaName);
                back = m && m->role == QLatin1String("replica") &&
                       (m->state == QLatin1String("running") ||
                        m->state == QLatin1String("streaming")) &&
                       m->lagBytes >= 0;
                if (back)
                    break;
            }
            QTest::qWait(500);
        } while (!deadline.hasExpired());
        QVERIFY2(back, qPrintable(seen + QLatin1Char('\n') + logs()));
        qInfo("reinitialize: replica back after %lld ms", qint64(timer.elapsed()));

        // The rebuilt replica holds what the leader has.
        const QString count = QStringLiteral("select count(*) from rest_check");
        const QString onLeader = scalar(m_cluster.conninfo(indexOf(leader->name)), count);
        QVERIFY2(onLeader.toInt() >= 2, qPrintable(onLeader));
        QTRY_COMPARE_WITH_TIMEOUT(scalar(m_cluster.conninfo(indexOf(replicaName)), count), onLeader,
                                  30000);
    }

    void closedPortFailsNamingTheUrl()
    {
        const int port = EtcdFixture::freePort(); // nobody listens there
        const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(port));
        PatroniClient client(url);
        PatroniClusterState state;
        const PatroniResult r = clusterOf(client, &state);
        QVERIFY(!r.ok);
        QCOMPARE(r.httpStatus, 0);
        QVERIFY2(r.message.contains(url.toString() + QStringLiteral("/cluster")),
                 qPrintable(r.message));
        QVERIFY2(r.message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(r.message));
        QVERIFY(state.members.isEmpty());
    }

    void silentServerTimesOut()
    {
        QTcpServer silent; // accepts, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        PatroniClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())));
        client.setTimeout(300);
        QElapsedTimer timer;
        timer.start();
        PatroniNodeStatus status;
        const PatroniResult r = statusOf(client, &status);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QLatin1String("no answer within 300 ms")),
                 qPrintable(r.message));
        QVERIFY2(r.message.contains(QLatin1String("/patroni")), qPrintable(r.message));
        QVERIFY(timer.elapsed() < 5000);
    }
};

QTEST_GUILESS_MAIN(TestPatroniClient)
#include "tst_patroniclient.moc"
