// Leader loss to the console showing the new leader, beside Patroni's own failover time.
//
// A real two-member Patroni cluster (etcd, Patroni, PostgreSQL on 127.0.0.1, ttl 10 s,
// loop_wait 2 s) is built by `pgdeckctl patroni create`; the console (MainWindow, offscreen)
// watches it at its default 1 s interval. Each round kills the leader's Patroni and its
// PostgreSQL with SIGKILL (the machine is gone), then prints:
//   patroni  - when Patroni's REST API on the survivor first names it leader (polled every
//              50 ms), and when /history says the promotion happened (Patroni's own clock);
//   console  - when the console's topology shows the new leader, and the LeaderChanged event.
// Run by hand: bench_patronifailover [--rounds N] (PGDECKCTL defaults to the build's).
#include "mainwindow.h"
#include "patroni/patroniclient.h"
#include "patronicluster.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTextStream>
#include <QThread>

#include <signal.h>

using namespace pgdeck;
using pgdeck::test::PatroniCluster;

namespace {

QTextStream out(stdout);

void waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
}

// GET /cluster from one member, synchronously for the bench's loop.
PatroniClusterState clusterFrom(const QString &url, QList<PatroniHistoryEntry> *history = nullptr)
{
    PatroniClient client{QUrl(url)};
    client.setTimeout(1000);
    PatroniClusterState state;
    bool done = false;
    QObject::connect(&client, &PatroniClient::clusterReceived,
                     [&](int, const PatroniResult &, const PatroniClusterState &s) {
                         state = s;
                         done = true;
                     });
    client.fetchCluster();
    waitUntil([&] { return done; }, 2000);
    if (history) {
        done = false;
        QObject::connect(&client, &PatroniClient::historyReceived,
                         [&](int, const PatroniResult &, const QList<PatroniHistoryEntry> &h) {
                             *history = h;
                             done = true;
                         });
        client.fetchHistory();
        waitUntil([&] { return done; }, 2000);
    }
    return state;
}

qint64 postmasterPid(const QString &dataDir)
{
    QFile f(dataDir + QStringLiteral("/postmaster.pid"));
    return f.open(QIODevice::ReadOnly) ? f.readLine().trimmed().toLongLong() : 0;
}

bool healthy(const PatroniCluster &c)
{
    const PatroniClusterState s = clusterFrom(c.restUrl(0));
    if (s.leader().isEmpty() || s.members.size() != 2)
        return false;
    for (const PatroniMember &m : s.members)
        if (m.state != QLatin1String("running") && m.state != QLatin1String("streaming"))
            return false;
    for (const PatroniMember &m : s.members)
        if (!m.isLeader() && m.lagBytes < 0)
            return false;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int rounds = 3;
    const QStringList args = app.arguments();
    if (const int i = int(args.indexOf(QStringLiteral("--rounds"))); i > 0)
        rounds = args.value(i + 1).toInt();
    if (qEnvironmentVariableIsEmpty("PGDECKCTL"))
        qputenv("PGDECKCTL",
                (QFileInfo(app.applicationDirPath() + QStringLiteral("/../../app/pgdeckctl"))
                     .canonicalFilePath())
                    .toLocal8Bit());

    PatroniCluster cluster;
    QString error;
    QElapsedTimer createClock;
    createClock.start();
    if (!cluster.up(2, &error, QStringLiteral("bench"))) {
        out << "cluster did not come up: " << error << "\n";
        return 1;
    }
    out << "cluster created by pgdeckctl patroni create in " << createClock.elapsed() / 1000.0
        << " s (2 members, ttl 10 s, loop_wait 2 s)\n";
    out << "round  killed  new    patroni API  patroni /history  console  console after patroni\n";
    out.flush();

    QList<double> apiTimes, consoleTimes, gaps;
    for (int round = 1; round <= rounds; ++round) {
        waitUntil([&] { return healthy(cluster); }, 120000);
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        if (!window.openInventory(cluster.inventoryPath(), &error)) {
            out << error << "\n";
            return 1;
        }
        QString leader;
        waitUntil(
            [&] {
                leader = window.patroniSnapshot(cluster.scope()).state.leader();
                return !leader.isEmpty();
            },
            30000);
        const int dead = leader == cluster.memberName(0) ? 0 : 1;
        const int survivor = 1 - dead;
        const QString next = cluster.memberName(survivor);

        const qint64 patroniPid = cluster.patroniPid(dead);
        const qint64 pgPid = postmasterPid(cluster.dataDir(dead));
        const QDateTime killedAt = QDateTime::currentDateTimeUtc();
        QElapsedTimer clock;
        clock.start();
        ::kill(pid_t(patroniPid), SIGKILL);
        ::kill(pid_t(pgPid), SIGKILL);

        double apiSeconds = -1, consoleSeconds = -1;
        waitUntil(
            [&] {
                if (apiSeconds < 0 && clusterFrom(cluster.restUrl(survivor)).leader() == next)
                    apiSeconds = clock.elapsed() / 1000.0;
                if (consoleSeconds < 0 &&
                    window.patroniSnapshot(cluster.scope()).state.leader() == next)
                    consoleSeconds = clock.elapsed() / 1000.0;
                return apiSeconds >= 0 && consoleSeconds >= 0;
            },
            120000);
        // Patroni writes the switch into /history a moment after the promotion.
        QList<PatroniHistoryEntry> history;
        waitUntil(
            [&] {
                clusterFrom(cluster.restUrl(survivor), &history);
                return !history.isEmpty() && history.last().newLeader == next &&
                       history.last().timestamp > killedAt;
            },
            20000);
        const double historySeconds = history.isEmpty() || history.last().timestamp < killedAt
                                          ? -1
                                          : killedAt.msecsTo(history.last().timestamp) / 1000.0;
        out << QStringLiteral("%1  %2      %3     %4 s        %5 s             %6 s   %7 s\n")
                   .arg(round, 5)
                   .arg(cluster.memberName(dead), next)
                   .arg(apiSeconds, 6, 'f', 2)
                   .arg(historySeconds, 6, 'f', 2)
                   .arg(consoleSeconds, 6, 'f', 2)
                   .arg(consoleSeconds - apiSeconds, 6, 'f', 2);
        out.flush();
        apiTimes << apiSeconds;
        consoleTimes << consoleSeconds;
        gaps << consoleSeconds - apiSeconds;

        // Bring the lost member back for the next round (it rejoins as a replica).
        QString ctlOut;
        QProcess ctl;
        ctl.setProcessChannelMode(QProcess::MergedChannels);
        ctl.start(qEnvironmentVariable("PGDECKCTL"),
                  QStringList{QStringLiteral("patroni"), QStringLiteral("start")} +
                      cluster.memberArgs() + QStringList{QStringLiteral("--apply")});
        ctl.waitForFinished(300000);
        if (ctl.exitCode() != 0)
            out << "restart failed: " << ctl.readAll() << "\n";
    }
    std::sort(gaps.begin(), gaps.end());
    out << QStringLiteral("median console delay after Patroni's API: %1 s (max %2 s)\n")
               .arg(gaps.value(gaps.size() / 2), 0, 'f', 2)
               .arg(gaps.isEmpty() ? 0.0 : gaps.last(), 0, 'f', 2);
    return 0;
}
