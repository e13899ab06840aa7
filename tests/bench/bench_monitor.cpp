// What monitoring 200 nodes every second costs: pgdeck's NodeProbe on its monitor thread
// (one event-loop connection per node, one pipelined batch of six prepared statements per
// node and interval) against the naive monitor (blocking libpq on the main thread, the
// same six statements unprepared, one node after another), both polling real sandbox servers on
// 127.0.0.1.
// Reports console CPU and monitored-server backend CPU per node-sample, round latency,
// the event loop's longest gap and the memory of 24 h of history.
// A tool to run by hand, not a CTest test: the figures depend on the machine and its
// load, so it prints them next to the goals instead of asserting.
//   bench_monitor [--seconds N] [--nodes N] [--standbys N]
#include "benchmeasure.h"
#include "inventory/inventory.h"
#include "monitor/metrichistory.h"
#include "monitor/monitorthread.h"
#include "monitor/nodeprobe.h"
#include "monitorbench.h"
#include "pg/connectionparams.h"
#include "pg/pgconnection.h"
#include "sandboxfixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <libpq-fe.h>
#include <pwd.h>
#include <sched.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

using namespace pgdeck;
using namespace pgdeck::bench;

namespace {

// pgdeck as the console runs it: a MonitorThread (NodeProbe over all nodes on a thread of
// its own), its batches of statuses feeding `history` on this thread, whose event loop the
// gap figure watches as the GUI thread. The round and latency bookkeeping runs on the
// monitor thread, where the probe's timer fires and its answers land.
bool runPgdeck(const ClusterSpec &cluster, const QList<Server> &servers, int rounds,
               MetricHistory &history, Figures &m, QString *serverVersion, QString *error)
{
    MonitorThread monitor({cluster});
    monitor.setIntervalMs(kIntervalMs);
    NodeProbe *probe = monitor.probes().first();
    // NodeProbe keeps its interval timer private; it is the probe's only direct QTimer
    // child (the connections' timers belong to the connections).
    auto *tickTimer = probe->findChild<QTimer *>(QString(), Qt::FindDirectChildrenOnly);
    if (!tickTimer) {
        *error = QStringLiteral("cannot find NodeProbe's interval timer");
        return false;
    }

    enum class Phase { Warmup, A, B, Done };
    std::atomic<Phase> phase = Phase::Warmup;
    const int nodes = int(cluster.nodes.size());
    QSet<QString> sampled;
    int warmTicks = 0;
    QList<int> pids;
    BackendCpu serverStart;
    qint64 cpuStart = 0;
    qint64 tickStart = 0;
    qint64 tickCpuStart = 0;
    int round = 0;
    int roundAnswers = 0;
    double roundMax = 0;
    GapMeter gaps; // on this (the GUI's) thread
    QEventLoop loop;
    const qint64 warmupDeadline = nowNs() + 60 * qint64(1000000000);
    auto onMain = [&loop](std::function<void()> f) {
        QMetaObject::invokeMethod(&loop, std::move(f), Qt::QueuedConnection);
    };

    auto closeRound = [&] {
        if (phase == Phase::A) {
            ++m.rounds;
            if (roundAnswers == nodes)
                m.roundMs << roundMax;
            else
                ++m.incompleteRounds;
        }
        roundAnswers = 0;
        roundMax = 0;
        ++round;
    };

    // Runs on the monitor thread.
    TimerEventHook hook([&] {
        const qint64 now = nowNs();
        switch (phase.load()) {
        case Phase::Warmup:
            if (sampled.size() < nodes) {
                if (now > warmupDeadline) {
                    const QString e = QStringLiteral("only %1 of %2 nodes answered within 60 s")
                                          .arg(sampled.size())
                                          .arg(nodes);
                    phase = Phase::Done;
                    onMain([&, e] {
                        *error = e;
                        loop.quit();
                    });
                    return true;
                }
                break;
            }
            if (++warmTicks == 1) {
                // Before the blocking look-up below: connect, prepare, first history.
                onMain([&] {
                    m.warmupMaxGapMs = maximum(gaps.gapsMs());
                    gaps.stop();
                });
                pids = backendPids(servers, kProbeApp);
                m.backends = int(pids.size());
            }
            if (warmTicks < kWarmupTicks)
                break;
            serverStart = readBackendCpu(pids);
            cpuStart = selfCpuUs();
            phase = Phase::A;
            round = 0;
            break;
        case Phase::A:
            closeRound();
            if (round < rounds)
                break;
            m.consoleCpuUs = selfCpuUs() - cpuStart;
            m.serverCpu = readBackendCpu(pids) - serverStart;
            phase = Phase::B;
            round = 0;
            cpuStart = selfCpuUs();
            onMain([&] { gaps.start(); });
            break;
        case Phase::B:
            closeRound();
            if (round < rounds)
                break;
            m.consoleCpuBUs = selfCpuUs() - cpuStart;
            phase = Phase::Done;
            onMain([&] {
                gaps.stop();
                m.gapsMs = gaps.gapsMs();
                loop.quit();
            });
            return true; // no further round
        case Phase::Done:
            return true;
        }
        tickStart = nowNs();
        tickCpuStart = threadCpuNs();
        return false;
    });
    hook.moveToThread(monitor.monitorThread());
    tickTimer->installEventFilter(&hook);
    // Connected after NodeProbe's own slot, so this runs once tick() has sent every batch.
    QObject::connect(tickTimer, &QTimer::timeout, &hook, [&] {
        if (phase == Phase::A) {
            m.tickMs << double(nowNs() - tickStart) / 1e6;
            m.tickCpuMs << double(threadCpuNs() - tickCpuStart) / 1e6;
        }
    });

    // Latency: on the monitor thread, as the answer is parsed.
    QObject::connect(probe, &NodeProbe::statusChanged, &hook, [&](const NodeStatus &s) {
        const qint64 now = nowNs();
        const bool good = s.reachable && !s.stale && s.hasSample();
        switch (phase.load()) {
        case Phase::Warmup:
            if (good)
                sampled.insert(s.node);
            return;
        case Phase::A:
            if (!good) {
                ++m.failed;
                return;
            }
            ++m.samples;
            ++roundAnswers;
            m.nodeMs << double(now - tickStart) / 1e6;
            roundMax = std::max(roundMax, m.nodeMs.last());
            return;
        case Phase::B:
            if (good)
                ++m.samplesB;
            return;
        case Phase::Done:
            return;
        }
    });
    // History: on this thread, as the console's window feeds its charts.
    QObject::connect(
        &monitor, &MonitorThread::statusesChanged, &loop, [&](const QList<NodeStatus> &batch) {
            for (const NodeStatus &s : batch) {
                const qint64 feedStart = nowNs();
                history.add(s);
                const double feedMs = double(nowNs() - feedStart) / 1e6;
                if (serverVersion->isEmpty() && s.reachable && !s.stale && s.hasSample())
                    *serverVersion = s.version;
                if (phase == Phase::Warmup) {
                    m.warmupFeedMs += feedMs;
                    m.warmupFeedMaxMs = std::max(m.warmupFeedMaxMs, feedMs);
                } else if (phase == Phase::A) {
                    m.feedUs += feedMs * 1000.0;
                }
            }
        });

    gaps.start();
    tickStart = nowNs();
    monitor.start();
    loop.exec();
    QMetaObject::invokeMethod(
        &hook,
        [&] {
            probe->stop();
            tickTimer->removeEventFilter(&hook);
            hook.moveToThread(nullptr);
        },
        Qt::BlockingQueuedConnection);
    return error->isEmpty();
}

// ---- printing ------------------------------------------------------------------------------

QString num(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}

void printRow(const QString &metric, const QString &pgdeck, const QString &naive,
              const QString &goal, const QString &ratio, const QString &met)
{
    std::printf("%-48s | %12s | %12s | %9s | %8s | %s\n", qPrintable(metric), qPrintable(pgdeck),
                qPrintable(naive), qPrintable(goal), qPrintable(ratio), qPrintable(met));
}

QString ratio(double naive, double pgdeck)
{
    return pgdeck > 0 ? QStringLiteral("%1x").arg(QString::number(naive / pgdeck, 'g', 3))
                      : QStringLiteral("-");
}

QString verdict(bool ok)
{
    return ok ? QStringLiteral("yes") : QStringLiteral("NO");
}

int optionValue(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.contains(QStringLiteral("--help"))) {
        std::printf("usage: bench_monitor [--seconds N] [--nodes N] [--standbys N] "
                    "[--split-cpus] [--latency-ms D]\n");
        return 0;
    }
    const int seconds = std::max(3, optionValue(args, QStringLiteral("--seconds"), 30));
    const int nodeCount = std::max(1, optionValue(args, QStringLiteral("--nodes"), 200));
    const int standbys = std::clamp(optionValue(args, QStringLiteral("--standbys"), 2), 0, 8);
    const QString loadStart = loadAverage();

    std::fprintf(stderr, "starting the sandbox: primary + %d standbys, no pgbench load\n",
                 standbys);
    test::SandboxFixture fixture;
    QString error;
    // No load: an idle cluster is what most of a fleet looks like most of the time, and a
    // pgbench on these two cores would be noise in every figure.
    if (!fixture.start(standbys, &error, false)) {
        std::fprintf(stderr, "sandbox failed: %s\n", qPrintable(error));
        return 1;
    }
    QList<Server> servers;
    for (int i = 0; i < fixture.config().nodeCount(); ++i) {
        const ConnectionParams p = fixture.params(i);
        servers << Server{p.value(QStringLiteral("port")).toInt(), p.value(QStringLiteral("host")),
                          p.value(QStringLiteral("user"))};
    }
    // Every server holds its share of monitor connections, plus room for our own.
    const int perServer = (nodeCount + int(servers.size()) - 1) / int(servers.size());
    const int maxConnections = std::max(100, perServer + 20);
    std::fprintf(stderr, "max_connections = %d on %d servers\n", maxConnections,
                 int(servers.size()));
    if (!raiseMaxConnections(fixture, servers, maxConnections, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const bool split = args.contains(QStringLiteral("--split-cpus"));
    if (split && !splitCpus(fixture, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }

    // With --latency-ms the nodes are reached through a forwarder that holds each chunk D ms
    // each way: the network a fleet of separate hosts has and this loopback lacks.
    const int latencyMs = std::max(0, optionValue(args, QStringLiteral("--latency-ms"), 0));
    QProcess proxy;
    QList<int> nodePorts;
    for (const Server &s : servers)
        nodePorts << s.port;
    if (latencyMs > 0) {
        QStringList proxyArgs{QString::number(latencyMs)};
        for (const Server &s : servers)
            proxyArgs << QString::number(s.port);
        proxy.start(QCoreApplication::applicationDirPath() + QStringLiteral("/bench_latencyproxy"),
                    proxyArgs);
        const bool ready = proxy.waitForReadyRead(10000);
        const QStringList words = QString::fromLatin1(proxy.readLine()).trimmed().split(u' ');
        if (!ready || words.value(0) != QLatin1String("ready") ||
            words.size() != servers.size() + 1) {
            std::fprintf(stderr, "bench_latencyproxy did not start: %s\n",
                         qPrintable(proxy.errorString()));
            return 1;
        }
        for (int i = 0; i < servers.size(); ++i)
            nodePorts[i] = words[i + 1].toInt();
        if (split)
            pinToServerCpus(int(proxy.processId()));
    }

    ClusterSpec cluster;
    cluster.name = QStringLiteral("bench");
    cluster.monitor.intervalMs = kIntervalMs;
    for (int i = 0; i < nodeCount; ++i) {
        const Server &s = servers[i % servers.size()];
        NodeSpec n;
        n.name = QStringLiteral("n%1").arg(i, 3, 10, QLatin1Char('0'));
        n.host = s.host;
        n.port = nodePorts[i % servers.size()];
        n.dbname = QStringLiteral("postgres");
        n.user = s.user;
        cluster.nodes << n;
    }

    // The event loop on its own: the floor under every gap figure below.
    std::fprintf(stderr, "idle event loop, 3 s\n");
    QList<double> idleGaps;
    {
        GapMeter gaps;
        QEventLoop loop;
        QTimer::singleShot(3000, &loop, &QEventLoop::quit);
        gaps.start();
        loop.exec();
        gaps.stop();
        idleGaps = gaps.gapsMs();
    }

    std::fprintf(stderr, "each node alone, %d prepared batches\n", kSingleRepeats);
    const Single alone = singleNodes(cluster);
    const QList<double> &single = alone.perNodeMs;
    waitForBackendsGone(servers, kSingleApp);

    std::fprintf(stderr, "pgdeck: NodeProbe over %d nodes, %d warm-up rounds + 2 x %d s\n",
                 nodeCount, kWarmupTicks, seconds);
    const QString loadPgdeck = loadAverage();
    const qint64 rssBefore = rssKb();
    Figures pg;
    QString serverVersion;
    MetricHistory history(86400);
    if (!runPgdeck(cluster, servers, seconds, history, pg, &serverVersion, &error)) {
        std::fprintf(stderr, "pgdeck phase failed: %s\n", qPrintable(error));
        return 1;
    }
    const qint64 rssAfter = rssKb();
    waitForBackendsGone(servers, kProbeApp);

    std::fprintf(stderr,
                 "naive baseline: blocking libpq over %d nodes, %d warm-up rounds + 2 x "
                 "%d s\n",
                 nodeCount, kBaselineWarmupRounds, seconds);
    const QString loadBaseline = loadAverage();
    Figures naive;
    if (!runBaseline(cluster, seconds, servers, naive, &error)) {
        std::fprintf(stderr, "baseline phase failed: %s\n", qPrintable(error));
        return 1;
    }
    waitForBackendsGone(servers, kBaselineApp);

    std::fprintf(stderr,
                 "floor: `select 1` over %d nodes, blocking libpq, %d warm-up rounds + "
                 "2 x %d s\n",
                 nodeCount, kBaselineWarmupRounds, seconds);
    Figures floor;
    if (!runBaseline(cluster, seconds, servers, floor, &error, {QStringLiteral("select 1")},
                     kFloorApp)) {
        std::fprintf(stderr, "floor phase failed: %s\n", qPrintable(error));
        return 1;
    }
    waitForBackendsGone(servers, kFloorApp);
    const QString loadEnd = loadAverage();

    // ---- report ----
    const long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    std::printf("\nbench_monitor: %d nodes over %d servers (primary + %d standbys, no load), "
                "interval %d ms, %d measured rounds per window\n",
                nodeCount, int(servers.size()), standbys, kIntervalMs, seconds);
    std::printf("machine: %ld CPUs (%s), PostgreSQL %s\n", nproc, qPrintable(cpuModel()),
                qPrintable(serverVersion));
    std::printf("CPU placement: %s\n",
                split ? "split (--split-cpus): this process on CPU 0, the servers on the others"
                      : "shared: servers and console on every CPU");
    if (latencyMs > 0)
        std::printf("network: %d ms each way through bench_latencyproxy (round trip %d ms)\n",
                    latencyMs, 2 * latencyMs);
    std::printf("load average (1/5/15 min): start %s | before pgdeck %s | before baseline %s | "
                "end %s\n\n",
                qPrintable(loadStart), qPrintable(loadPgdeck), qPrintable(loadBaseline),
                qPrintable(loadEnd));

    const double singleSlowest = maximum(single);
    const double naiveSlowest = median(naive.slowestMs);
    const double pgRound = median(pg.roundMs), naiveRound = median(naive.roundMs);
    printRow(QStringLiteral("metric"), QStringLiteral("pgdeck"), QStringLiteral("naive"),
             QStringLiteral("goal"), QStringLiteral("naive/pg"), QStringLiteral("pgdeck meets"));
    std::printf("%s\n", QByteArray(118, '-').constData());
    printRow(QStringLiteral("1  console CPU per node-sample (us)"), num(pg.cpuPerSampleUs(), 1),
             num(naive.cpuPerSampleUs(), 1), QStringLiteral("<= 100"),
             ratio(naive.cpuPerSampleUs(), pg.cpuPerSampleUs()),
             verdict(pg.cpuPerSampleUs() <= 100));
    printRow(QStringLiteral("2  server backend CPU per node-sample (ms)"),
             num(pg.serverStatMs(), 3), num(naive.serverStatMs(), 3), QStringLiteral("<= 0.15"),
             ratio(naive.serverStatMs(), pg.serverStatMs()), verdict(pg.serverStatMs() <= 0.15));
    printRow(QStringLiteral("     same, from schedstat (ns resolution)"),
             num(pg.serverSchedMs(), 3), num(naive.serverSchedMs(), 3), QStringLiteral("<= 0.15"),
             ratio(naive.serverSchedMs(), pg.serverSchedMs()), verdict(pg.serverSchedMs() <= 0.15));
    // Any sampler pays for waking a backend once a second: a `select 1` sent the same way
    // shows what this machine charges for that alone, before any statistics are read.
    printRow(QStringLiteral("     `select 1` once a second (floor, schedstat)"),
             num(floor.serverSchedMs(), 3), QString(), QString(), QString(), QString());
    printRow(QStringLiteral("     above that floor (schedstat)"),
             num(pg.serverSchedMs() - floor.serverSchedMs(), 3),
             num(naive.serverSchedMs() - floor.serverSchedMs(), 3), QStringLiteral("<= 0.15"),
             ratio(naive.serverSchedMs() - floor.serverSchedMs(),
                   pg.serverSchedMs() - floor.serverSchedMs()),
             verdict(pg.serverSchedMs() - floor.serverSchedMs() <= 0.15));
    printRow(QStringLiteral("3  round latency, median (ms)"), num(pgRound, 1), num(naiveRound, 1),
             QString(), ratio(naiveRound, pgRound), QString());
    printRow(QStringLiteral("     round latency, p95 (ms)"), num(percentile(pg.roundMs, 95), 1),
             num(percentile(naive.roundMs, 95), 1), QString(),
             ratio(percentile(naive.roundMs, 95), percentile(pg.roundMs, 95)), QString());
    printRow(QStringLiteral("     single-node sample latency, median (ms)"),
             num(median(pg.nodeMs), 2), num(median(naive.nodeMs), 2), QString(),
             ratio(median(naive.nodeMs), median(pg.nodeMs)), QString());
    printRow(QStringLiteral("     slowest single node on its own (ms)"), num(singleSlowest, 2),
             num(naiveSlowest, 2), QString(), ratio(naiveSlowest, singleSlowest), QString());
    printRow(QStringLiteral("     round / slowest single node"),
             num(singleSlowest > 0 ? pgRound / singleSlowest : 0, 1),
             num(naiveSlowest > 0 ? naiveRound / naiveSlowest : 0, 1), QStringLiteral("<= 2"),
             QString(), verdict(singleSlowest > 0 && pgRound <= 2 * singleSlowest));
    // What the servers' CPUs need for one round when every node's server shares them: a
    // round cannot be shorter. Near 1 means nothing is waited for beyond that.
    const long serverCpus = split ? nproc - 1 : nproc;
    const double pgFloor = nodeCount * pg.serverSchedMs() / double(serverCpus);
    const double naiveFloor = nodeCount * naive.serverSchedMs() / double(serverCpus);
    printRow(QStringLiteral("     round / servers' CPU floor"),
             num(pgFloor > 0 ? pgRound / pgFloor : 0, 2),
             num(naiveFloor > 0 ? naiveRound / naiveFloor : 0, 2), QString(), QString(), QString());
    printRow(QStringLiteral("4  event loop longest gap (ms)"), num(maximum(pg.gapsMs), 1),
             num(maximum(naive.gapsMs), 1), QStringLiteral("<= 16"),
             ratio(maximum(naive.gapsMs), maximum(pg.gapsMs)), verdict(maximum(pg.gapsMs) <= 16));
    printRow(QStringLiteral("     event loop gap p99 (ms)"), num(percentile(pg.gapsMs, 99), 2),
             num(percentile(naive.gapsMs, 99), 2), QString(),
             ratio(percentile(naive.gapsMs, 99), percentile(pg.gapsMs, 99)), QString());
    std::printf("%s\n", QByteArray(118, '-').constData());

    // 5: memory.
    const QStringList keys = history.keys();
    const qsizetype historyBytes = history.memoryBytes();
    const qsizetype perSeries = keys.isEmpty() ? 0 : historyBytes / keys.size();
    qint64 pointsHeld = 0;
    for (const QString &k : keys)
        pointsHeld += history.series(k)->size();
    auto count = [&](const char *kind) {
        return int(history.keys(cluster.name + QLatin1Char('/') + QLatin1String(kind)).size());
    };
    std::printf("5  memory: MetricHistory(86400) fed with every pgdeck status\n");
    std::printf("     series: %d (node %d, lag %d, slot %d) for %d nodes\n", int(keys.size()),
                count("node/"), count("lag/"), count("slot/"), nodeCount);
    std::printf("     memoryBytes() per series (24 h capacity): %lld B = %.2f MiB\n",
                qlonglong(perSeries), double(perSeries) / 1048576.0);
    std::printf("     memoryBytes() total (24 h capacity): %.1f MiB (%.2f MiB per node); points "
                "held now %lld (%.1f MiB)\n",
                double(historyBytes) / 1048576.0, double(historyBytes) / 1048576.0 / nodeCount,
                qlonglong(pointsHeld), double(pointsHeld) * 16 / 1048576.0);
    std::printf("     process RSS (VmRSS): before %.1f MiB, after %.1f MiB (+%.1f MiB)\n\n",
                double(rssBefore) / 1024.0, double(rssAfter) / 1024.0,
                double(rssAfter - rssBefore) / 1024.0);

    std::printf("detail\n");
    std::printf("  samples in window A: pgdeck %lld (%d rounds, %d incomplete, %lld failed or "
                "late), naive %lld (%d rounds, %d incomplete, %lld failed)\n",
                qlonglong(pg.samples), pg.rounds, pg.incompleteRounds, qlonglong(pg.failed),
                qlonglong(naive.samples), naive.rounds, naive.incompleteRounds,
                qlonglong(naive.failed));
    std::printf("  monitored backends found: pgdeck %d, naive %d (of %d nodes); readable in "
                "/proc: %d, %d\n",
                pg.backends, naive.backends, nodeCount, pg.serverCpu.readable,
                naive.serverCpu.readable);
    std::printf("  pgdeck: tick() sending %d batches: median %.2f ms wall (%.2f ms of its own CPU, "
                "%.1f µs a node), max %.2f ms; MetricHistory::add %.1f µs per status\n",
                nodeCount, median(pg.tickMs), median(pg.tickCpuMs),
                median(pg.tickCpuMs) * 1000.0 / nodeCount, maximum(pg.tickMs),
                pg.samples ? pg.feedUs / double(pg.samples) : 0.0);
    std::printf("  pgdeck: each node alone (prepared, PgConnection): median %.2f ms, slowest "
                "%.2f ms over %d nodes\n",
                median(single), singleSlowest, int(single.size()));
    std::printf("  server backend CPU per batch sent back to back (warm caches): %.3f ms, against "
                "%.3f ms once a second in the monitor\n",
                alone.batches ? double(alone.serverNs) / 1e6 / double(alone.batches) : 0.0,
                pg.serverSchedMs());
    std::printf("  floor here for a concurrent round: %d x %.3f ms server CPU / %ld CPUs = %.1f "
                "ms, + %d x %.1f µs console CPU = %.1f ms (in a real fleet each server has its "
                "own CPUs)\n",
                nodeCount, pg.serverSchedMs(), serverCpus,
                nodeCount * pg.serverSchedMs() / double(serverCpus), nodeCount, pg.cpuPerSampleUs(),
                nodeCount * pg.cpuPerSampleUs() / 1000.0);
    std::printf("  console CPU per node-sample with the 1 ms gap timer running (window B): "
                "pgdeck %.1f µs, naive %.1f µs\n",
                pg.samplesB ? double(pg.consoleCpuBUs) / double(pg.samplesB) : 0.0,
                naive.samplesB ? double(naive.consoleCpuBUs) / double(naive.samplesB) : 0.0);
    std::printf("  pgdeck warm-up (connect %d nodes, prepare, create history series): longest "
                "gap %.1f ms; MetricHistory::add %.1f ms in all, longest %.1f ms\n",
                nodeCount, pg.warmupMaxGapMs, pg.warmupFeedMs, pg.warmupFeedMaxMs);
    std::printf("  idle event loop (1 ms timer alone, 3 s): longest gap %.2f ms, p99 %.2f ms\n",
                maximum(idleGaps), percentile(idleGaps, 99));

    std::fflush(stdout);
    fixture.stop();
    return 0;
}
