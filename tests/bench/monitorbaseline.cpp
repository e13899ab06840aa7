// The naive monitor bench_monitor measures pgdeck against, and single nodes on their own.
#include "monitorbench.h"

#include "monitor/nodeprobe.h"
#include "pg/connectionparams.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace pgdeck::bench {

// Naive: blocking libpq, one connection per node, each round every node in turn runs
// the six statements unprepared. Driven by a 1 s timer on this thread's loop, which it
// blocks for the whole round. With other statements (`select 1`) and another application
// name it also measures the floor: what answering anything once a second costs a backend.
bool runBaseline(const ClusterSpec &cluster, int rounds, const QList<Server> &servers, Figures &m,
                 QString *error, const QStringList &statements, const char *app)
{
    std::vector<PGconn *> conns;
    auto closeAll = [&] {
        for (PGconn *c : conns)
            PQfinish(c);
        conns.clear();
    };
    for (const NodeSpec &n : cluster.nodes) {
        Server s{n.port, n.host, n.user};
        conns.push_back(PQconnectdb(s.conninfo(app).constData()));
        if (PQstatus(conns.back()) != CONNECTION_OK) {
            *error = QStringLiteral("baseline connect to %1: %2")
                         .arg(n.name, QString::fromUtf8(PQerrorMessage(conns.back())).trimmed());
            closeAll();
            return false;
        }
    }
    const QList<int> pids = backendPids(servers, app);
    m.backends = int(pids.size());
    std::vector<QByteArray> sql;
    for (const QString &s : statements)
        sql.push_back(s.toUtf8());

    enum class Phase { Warmup, A, B, Done };
    Phase phase = Phase::Warmup;
    int round = 0;
    BackendCpu serverStart;
    qint64 cpuStart = 0;
    GapMeter gaps;
    QEventLoop loop;
    QTimer roundTimer;
    roundTimer.setTimerType(Qt::PreciseTimer);
    roundTimer.setInterval(kIntervalMs);

    QObject::connect(&roundTimer, &QTimer::timeout, &loop, [&] {
        switch (phase) {
        case Phase::Warmup:
            if (round < kBaselineWarmupRounds)
                break;
            serverStart = readBackendCpu(pids);
            cpuStart = selfCpuUs();
            phase = Phase::A;
            round = 0;
            break;
        case Phase::A:
            if (round < rounds)
                break;
            m.consoleCpuUs = selfCpuUs() - cpuStart;
            m.serverCpu = readBackendCpu(pids) - serverStart;
            phase = Phase::B;
            round = 0;
            cpuStart = selfCpuUs();
            gaps.start();
            break;
        case Phase::B:
            if (round < rounds)
                break;
            m.consoleCpuBUs = selfCpuUs() - cpuStart;
            gaps.stop();
            m.gapsMs = gaps.gapsMs();
            phase = Phase::Done;
            roundTimer.stop();
            loop.quit();
            return;
        case Phase::Done:
            return;
        }
        const qint64 roundStart = nowNs();
        double slowest = 0;
        int answered = 0;
        for (PGconn *c : conns) {
            const qint64 nodeStart = nowNs();
            bool ok = true;
            for (const QByteArray &q : sql) {
                PGresult *r = PQexec(c, q.constData());
                ok = ok && PQresultStatus(r) == PGRES_TUPLES_OK;
                PQclear(r);
            }
            const double ms = double(nowNs() - nodeStart) / 1e6;
            if (!ok) {
                if (phase == Phase::A)
                    ++m.failed;
                continue;
            }
            ++answered;
            slowest = std::max(slowest, ms);
            if (phase == Phase::A)
                m.nodeMs << ms;
        }
        if (phase == Phase::A) {
            ++m.rounds;
            m.samples += answered;
            if (answered == int(conns.size())) {
                m.roundMs << double(nowNs() - roundStart) / 1e6;
                m.slowestMs << slowest;
            } else {
                ++m.incompleteRounds;
            }
        } else if (phase == Phase::B) {
            m.samplesB += answered;
        }
        ++round;
    });
    roundTimer.start();
    loop.exec();
    closeAll();
    return true;
}

Single singleNodes(const ClusterSpec &cluster)
{
    const QList<PgQuery> queries = preparedSampler();
    Single out;
    QList<double> &perNode = out.perNodeMs;
    for (const NodeSpec &n : cluster.nodes) {
        PgConnection conn;
        conn.setParams(ConnectionParams::fromNode(n));
        conn.setApplicationName(QString::fromLatin1(kSingleApp));
        if (!conn.waitForReady(10000))
            continue;
        conn.execBatchSync(queries, 10000); // prepares: not what a steady round costs
        QList<double> t;
        const QList<int> pid = {conn.backendPid()};
        const BackendCpu before = readBackendCpu(pid);
        for (int i = 0; i < kSingleRepeats; ++i) {
            const qint64 start = nowNs();
            const QList<PgResult> r = conn.execBatchSync(queries, 10000);
            const bool ok =
                std::all_of(r.begin(), r.end(), [](const PgResult &x) { return x.ok(); });
            if (ok && r.size() == queries.size())
                t << double(nowNs() - start) / 1e6;
        }
        const BackendCpu used = readBackendCpu(pid) - before;
        if (used.readable && used.hasSched) {
            out.batches += kSingleRepeats;
            out.serverNs += used.schedNs;
        }
        if (!t.isEmpty())
            perNode << median(t);
        conn.close();
    }
    return out;
}

} // namespace pgdeck::bench
