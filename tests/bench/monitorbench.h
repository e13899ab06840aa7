#pragma once

// bench_monitor's parts: the sandbox servers it monitors, the figures one monitor yields,
// and the naive baseline it is measured against.
#include "benchmeasure.h"
#include "inventory/inventory.h"
#include "pg/pgconnection.h"
#include "sandboxfixture.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pgdeck::bench {

inline constexpr int kIntervalMs = 1000;
inline constexpr int kWarmupTicks = 3; // connect + prepare, first history series, first tps
inline constexpr int kBaselineWarmupRounds = 2; // new backends fill their catalog caches
inline constexpr int kSingleRepeats = 5;
inline constexpr const char *kProbeApp = "pgdeck monitor"; // what NodeProbe calls itself
inline constexpr const char *kBaselineApp = "pgdeck baseline";
inline constexpr const char *kFloorApp = "pgdeck floor";
inline constexpr const char *kSingleApp = "pgdeck single";
inline constexpr const char *kAdminApp = "pgdeck bench";

struct Server {
    int port = 0;
    QString host;
    QString user;

    QByteArray conninfo(const char *app) const
    {
        return QStringLiteral("host=%1 port=%2 dbname=postgres user=%3 application_name='%4'")
            .arg(host)
            .arg(port)
            .arg(user, QLatin1String(app))
            .toUtf8();
    }
};

// ---- one monitor's figures ------------------------------------------------------------------

// Window A (clean): CPU, server CPU and latency. Window B (same length, the 1 ms gap timer
// running): the event loop's gaps. Apart because the gap timer's own wake-ups cost the
// console CPU (each loop iteration polls every socket), which would swamp figure 1.
struct Figures {
    qint64 samples = 0; // completed node-samples in window A
    qint64 failed = 0;  // errors and late (stale) statuses in window A
    int rounds = 0;
    int incompleteRounds = 0;
    qint64 consoleCpuUs = 0;
    double feedUs = 0; // pgdeck: of which MetricHistory::add
    int backends = 0;
    BackendCpu serverCpu;    // delta over window A
    QList<double> roundMs;   // per complete round: tick -> last node's answer
    QList<double> nodeMs;    // per node-sample: tick -> that node's answer (naive: its own time)
    QList<double> slowestMs; // naive: per round, the slowest node's own time
    QList<double> tickMs;    // pgdeck: NodeProbe::tick() sending every batch, wall clock
    QList<double> tickCpuMs; // the same, this thread's CPU: the rest is being preempted
    QList<double> gapsMs;    // window B
    qint64 samplesB = 0;
    qint64 consoleCpuBUs = 0;
    double warmupMaxGapMs = 0;
    double warmupFeedMs = 0;    // MetricHistory::add during warm-up: creating the series
    double warmupFeedMaxMs = 0; // the longest single add

    double cpuPerSampleUs() const { return samples ? double(consoleCpuUs) / double(samples) : 0; }
    double serverStatMs() const
    {
        return samples ? double(serverCpu.statNs) / 1e6 / double(samples) : 0;
    }
    double serverSchedMs() const
    {
        return samples && serverCpu.hasSched ? double(serverCpu.schedNs) / 1e6 / double(samples)
                                             : 0;
    }
};

// Each node on its own, nothing else running: the prepared six-statement batch through
// PgConnection, median of a few. What "the slowest single node" takes when it is not
// sharing the machine with 199 others. Also what the batch costs the server when sent
// back to back (warm caches), for comparison with once a second.
struct Single {
    QList<double> perNodeMs;
    qint64 batches = 0;
    qint64 serverNs = 0;
};

const QStringList &samplerSql();
QList<PgQuery> preparedSampler();
QStringList queryColumn(const Server &server, const char *sql, const QByteArray &param,
                        QString *error);
QList<int> backendPids(const QList<Server> &servers, const char *app);
void waitForBackendsGone(const QList<Server> &servers, const char *app);
QString currentOsUser();
bool raiseMaxConnections(const test::SandboxFixture &fx, const QList<Server> &servers, int wanted,
                         QString *error);
bool runBaseline(const ClusterSpec &cluster, int rounds, const QList<Server> &servers, Figures &m,
                 QString *error, const QStringList &statements = samplerSql(),
                 const char *app = kBaselineApp);
Single singleNodes(const ClusterSpec &cluster);

} // namespace pgdeck::bench
