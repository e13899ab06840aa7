// PatroniClient against a real two-node Patroni 3 cluster on etcd, everything on 127.0.0.1:
// /cluster, /patroni and /history parse into what Patroni reports; a switchover moves the
// leader and the new one takes writes; Patroni's own refusals (412, 401) reach
// PatroniResult::message as-is; pause/resume and a scheduled switchover show up in
// /cluster; a closed port and a silent server fail with messages naming the URL.
#include "common/statepaths.h"
#include "etcdfixture.h"
#include "patroni/patroniclient.h"
#include "pg/pgconnection.h"
#include "sandbox/sandbox.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

using namespace pgdeck;

namespace {

// ---------------------------------------------------------------------------------------
// A hand-made Patroni cluster: one patroni.yml per node in a temp dir, each node started
// with the packaged /usr/bin/patroni (as the servers' OS user when root). To be replaced
// by the shared fixture built on the product's own cluster-creation Plan.
// ---------------------------------------------------------------------------------------

const QString kScope = QStringLiteral("pgdeck-rest");
const QString kApiUser = QStringLiteral("patroni");
const QString kApiPassword = QStringLiteral("rest-secret");
const QString kSuperPassword = QStringLiteral("super-secret");

struct PatroniNode {
    QString name;
    int restPort = 0;
    int pgPort = 0;
    QString dataDir;
    QString configFile;
    QString logFile;
    std::unique_ptr<QProcess> process;
};

class HandMadePatroniCluster {
public:
    ~HandMadePatroniCluster() { stop(); }

    bool start(const QString &etcdHostPort, int nodeCount, QString *error)
    {
        m_binDir = Sandbox::findBinDir(error);
        if (m_binDir.isEmpty())
            return false;
        m_user = test::EtcdFixture::serverUser(error);
        if (m_user.isEmpty())
            return false;
        m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                QStringLiteral("/pgdeck-patroni-XXXXXX"));
        if (!m_dir->isValid() || !giveToUser(m_dir->path(), error))
            return false;
        QList<int> taken;
        for (int i = 0; i < nodeCount; ++i) {
            auto node = std::make_unique<PatroniNode>();
            node->name = QStringLiteral("node%1").arg(i + 1);
            node->restPort = test::EtcdFixture::freePort(taken);
            taken << node->restPort;
            node->pgPort = test::EtcdFixture::freePort(taken);
            taken << node->pgPort;
            node->dataDir = m_dir->filePath(node->name);
            node->configFile = m_dir->filePath(node->name + QStringLiteral(".yml"));
            node->logFile = m_dir->filePath(node->name + QStringLiteral(".log"));
            if (!writeConfig(*node, etcdHostPort, error))
                return false;
            m_nodes.push_back(std::move(node));
        }
        for (auto &node : m_nodes) {
            if (!launch(*node, error))
                return false;
        }
        return true;
    }

    // SIGTERM makes Patroni stop PostgreSQL itself; Patroni detaches the postmaster into a
    // process group of its own, so whatever survives the grace period is ended through
    // postmaster.pid.
    void stop()
    {
        for (auto &node : m_nodes) {
            if (node->process && node->process->state() != QProcess::NotRunning)
                ::kill(-pid_t(node->process->processId()), SIGTERM);
        }
        for (auto &node : m_nodes) {
            if (!node->process)
                continue;
            if (!node->process->waitForFinished(30000)) {
                ::kill(-pid_t(node->process->processId()), SIGKILL);
                node->process->waitForFinished(2000);
            }
            node->process.reset();
            stopPostmaster(node->dataDir);
        }
        m_nodes.clear();
        m_dir.reset();
    }

    int size() const { return int(m_nodes.size()); }
    const PatroniNode &node(int i) const { return *m_nodes.at(size_t(i)); }
    QUrl restUrl(int i) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(node(i).restPort));
    }
    int indexOf(const QString &name) const
    {
        for (int i = 0; i < size(); ++i) {
            if (node(i).name == name)
                return i;
        }
        return -1;
    }
    ConnectionParams superuserParams(int i) const
    {
        ConnectionParams p;
        p.set(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        p.set(QStringLiteral("port"), QString::number(node(i).pgPort));
        p.set(QStringLiteral("dbname"), QStringLiteral("postgres"));
        p.set(QStringLiteral("user"), QStringLiteral("postgres"));
        p.set(QStringLiteral("password"), kSuperPassword);
        return p;
    }
    QString logs() const
    {
        QString text;
        for (const auto &node : m_nodes) {
            QFile f(node->logFile);
            if (f.open(QIODevice::ReadOnly))
                text += QStringLiteral("--- %1\n").arg(node->name) +
                        QString::fromLocal8Bit(f.readAll().right(4000));
        }
        return text;
    }

private:
    bool giveToUser(const QString &path, QString *error) const
    {
        if (!runningAsRoot())
            return true;
        const passwd *pw = ::getpwnam(m_user.toLocal8Bit().constData());
        if (!pw || ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) != 0) {
            *error = QStringLiteral("cannot give %1 to %2").arg(path, m_user);
            return false;
        }
        return true;
    }

    bool writeConfig(const PatroniNode &node, const QString &etcdHostPort, QString *error) const
    {
        const QString rest = QStringLiteral("127.0.0.1:%1").arg(node.restPort);
        const QString pg = QStringLiteral("127.0.0.1:%1").arg(node.pgPort);
        const QString yaml =
            QStringLiteral("scope: %1\n"
                           "name: %2\n"
                           "restapi:\n"
                           "  listen: %3\n"
                           "  connect_address: %3\n"
                           "  authentication: {username: %4, password: %5}\n"
                           "etcd3:\n"
                           "  hosts: %6\n"
                           "bootstrap:\n"
                           "  dcs:\n"
                           "    ttl: 10\n"
                           "    loop_wait: 2\n"
                           "    retry_timeout: 5\n"
                           "    postgresql:\n"
                           "      use_pg_rewind: true\n"
                           "      parameters: {wal_log_hints: 'on'}\n"
                           "  initdb: [{encoding: UTF8}]\n"
                           "postgresql:\n"
                           "  listen: %7\n"
                           "  connect_address: %7\n"
                           "  data_dir: %8\n"
                           "  bin_dir: %9\n"
                           "  pgpass: %10\n"
                           "  authentication:\n"
                           "    superuser: {username: postgres, password: %11}\n"
                           "    replication: {username: replicator, password: repl-secret}\n"
                           "  parameters: {unix_socket_directories: '%12'}\n"
                           "  pg_hba:\n"
                           "    - local all all trust\n"
                           "    - host all all 127.0.0.1/32 scram-sha-256\n"
                           "    - host replication replicator 127.0.0.1/32 scram-sha-256\n")
                .arg(kScope, node.name, rest, kApiUser, kApiPassword, etcdHostPort, pg,
                     node.dataDir, m_binDir)
                .arg(m_dir->filePath(node.name + QStringLiteral(".pgpass")), kSuperPassword,
                     m_dir->path());
        QFile file(node.configFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(yaml.toUtf8()) < 0) {
            *error = QStringLiteral("cannot write %1: %2").arg(node.configFile, file.errorString());
            return false;
        }
        file.close();
        return giveToUser(node.configFile, error);
    }

    bool launch(PatroniNode &node, QString *error) const
    {
        QStringList argv{QStringLiteral("/usr/bin/patroni"), node.configFile};
        if (runningAsRoot())
            argv = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), m_user,
                               QStringLiteral("--")} +
                   argv;
        node.process = std::make_unique<QProcess>();
        node.process->setStandardInputFile(QProcess::nullDevice());
        node.process->setStandardOutputFile(node.logFile);
        node.process->setStandardErrorFile(node.logFile, QIODevice::Append);
        node.process->setChildProcessModifier([] { ::setsid(); });
        node.process->start(argv.takeFirst(), argv);
        if (!node.process->waitForStarted(10000)) {
            *error = QStringLiteral("cannot start patroni for %1: %2")
                         .arg(node.name, node.process->errorString());
            return false;
        }
        return true;
    }

    static void stopPostmaster(const QString &dataDir)
    {
        QFile pidFile(dataDir + QStringLiteral("/postmaster.pid"));
        if (!pidFile.open(QIODevice::ReadOnly))
            return;
        const pid_t pid = pid_t(pidFile.readLine().trimmed().toInt());
        if (pid <= 0 || ::kill(pid, 0) != 0)
            return;
        ::kill(pid, SIGQUIT); // immediate shutdown, children included
        for (int i = 0; i < 50 && ::kill(pid, 0) == 0; ++i)
            QThread::msleep(100);
        if (::kill(pid, 0) == 0)
            ::kill(pid, SIGKILL);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<std::unique_ptr<PatroniNode>> m_nodes;
    QString m_binDir;
    QString m_user;
};

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

QString writeProbe(const ConnectionParams &params, int n)
{
    PgConnection c;
    c.setParams(params);
    if (!c.waitForReady(5000))
        return QStringLiteral("<error: %1>").arg(c.lastError());
    const PgResult r =
        c.execSync(QStringLiteral("insert into rest_check values ($1) returning n"), {n}, 10000);
    return r.ok() ? r.text(0, 0) : QStringLiteral("<error: %1>").arg(r.errorMessage());
}

} // namespace

class TestPatroniClient : public QObject {
    Q_OBJECT
private:
    test::EtcdFixture m_etcd;
    HandMadePatroniCluster m_cluster;
    std::unique_ptr<PatroniClient> m_client; // talks to node1's REST API throughout

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
        QString error;
        if (test::EtcdFixture::etcdPath().isEmpty() ||
            !QFile::exists(QStringLiteral("/usr/bin/patroni")))
            QSKIP("needs etcd and /usr/bin/patroni (apt-get install patroni etcd-server "
                  "python3-etcd)");
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QVERIFY2(m_etcd.start(&error), qPrintable(error));
        QVERIFY2(m_cluster.start(m_etcd.hostPort(), 2, &error), qPrintable(error));
        m_client = std::make_unique<PatroniClient>(m_cluster.restUrl(0), kApiUser, kApiPassword);

        // Bootstrap, basebackup and first streaming: ~15 s with loop_wait 2.
        QElapsedTimer timer;
        timer.start();
        const PatroniClusterState state = waitForCluster(1, 120000);
        QVERIFY2(healthyPair(state, 1),
                 qPrintable(shape(state) + QLatin1Char('\n') + m_cluster.logs()));
        qInfo("cluster streaming after %lld ms", qint64(timer.elapsed()));
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_cluster.stop();
        m_etcd.stop();
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
        const int li = m_cluster.indexOf(leader->name);
        QVERIFY(li >= 0);
        QCOMPARE(leader->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(leader->port, m_cluster.node(li).pgPort);
        QCOMPARE(leader->apiBaseUrl(), m_cluster.restUrl(li));

        const PatroniMember *replica = state.member(m_cluster.node(1 - li).name);
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
        QCOMPARE(status.scope, kScope);
        QVERIFY(status.patroniVersion.startsWith(QLatin1String("3.")) ||
                status.patroniVersion.startsWith(QLatin1String("4.")));
        QVERIFY(status.systemIdentifier.size() >= 18);
        QVERIFY(status.postmasterStartTime.isValid());
        QVERIFY(!status.paused);
        QCOMPARE(status.replication.size(), 1);
        QCOMPARE(status.replication.first().applicationName,
                 m_cluster.node(1 - m_cluster.indexOf(leader->name)).name);
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
        PatroniClient anonymous(m_cluster.restUrl(0));
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
        const QString candidate = m_cluster.node(1 - m_cluster.indexOf(oldLeader)).name;
        const int oldIndex = m_cluster.indexOf(oldLeader);
        {
            PgConnection c;
            c.setParams(m_cluster.superuserParams(oldIndex));
            QVERIFY2(c.waitForReady(5000), qPrintable(c.lastError()));
            const PgResult created =
                c.execSync(QStringLiteral("create table rest_check (n int)"), {}, 10000);
            QVERIFY2(created.ok(), qPrintable(created.errorMessage()));
        }

        QElapsedTimer timer;
        timer.start();
        const PatroniResult r =
            actionOf(*m_client, [&] { return m_client->switchover(oldLeader, candidate); });
        QVERIFY2(r.ok, qPrintable(r.message + QLatin1Char('\n') + m_cluster.logs()));
        QCOMPARE(r.httpStatus, 200);
        QVERIFY2(r.message.contains(candidate), qPrintable(r.message));

        // /cluster follows within a few loops; the old leader may show "stopped" and lag
        // "unknown" in between.
        QTRY_COMPARE_WITH_TIMEOUT(currentLeader(), candidate, 30000);
        const int newIndex = m_cluster.indexOf(candidate);
        QTRY_COMPARE_WITH_TIMEOUT(writeProbe(m_cluster.superuserParams(newIndex), 1),
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
        const QString other = m_cluster.node(1 - m_cluster.indexOf(leader)).name;
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

        // Sent through node1's client, addressed to the replica's own API.
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

    void closedPortFailsNamingTheUrl()
    {
        const int port = test::EtcdFixture::freePort(); // nobody listens there
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
