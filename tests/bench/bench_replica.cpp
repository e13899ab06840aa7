// What adding a streaming replica costs: pgdeck's add-replica Plan run end to end (check the
// primary, checks of the target, slot, pg_basebackup -R -X stream -S slot -c fast, port,
// pg_ctl start, wait until streaming, verify) against a plain pg_basebackup typed by hand,
// and against the whole recipe by hand (pg_basebackup -R, pg_ctl start, wait for streaming),
// from the same primary in the same run, alternately, each time into a fresh directory.
// Starts a sandbox primary (SandboxFixture, 0 standbys, temporary directory) and loads its
// database app to the size asked for.
//   bench_replica [--mb N] [--runs N] [--verbose]      (defaults: 1024 MB, 3 runs)
// --verbose prints each replica's server log (its start) to stderr before it is removed.
#include "inventory/inventory.h"
#include "pg/pgconnection.h"
#include "plan/planexecutor.h"
#include "replication/replicaplanner.h"
#include "sandbox/sandbox.h"
#include "sandboxfixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QThread>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace pgdeck;

namespace {

QString currentOsUser()
{
    const passwd *pw = getpwuid(geteuid());
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString();
}

// Runs argv as the servers' OS user (runuser when that is not us); returns the exit code.
int runAs(const QString &user, QStringList argv, QString *output = nullptr)
{
    if (!user.isEmpty() && user != currentOsUser())
        argv = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), user,
                           QStringLiteral("--")} +
               argv;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(argv.first(), argv.mid(1));
    if (!p.waitForFinished(-1))
        return -1;
    const QString out = QString::fromLocal8Bit(p.readAll());
    if (output)
        *output = out;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        std::fprintf(stderr, "%s failed: %s\n", qPrintable(argv.join(QLatin1Char(' '))),
                     qPrintable(out.trimmed()));
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    return 0;
}

bool exec(PgConnection &c, const QString &sql, QString *value = nullptr)
{
    const PgResult r = c.execSync(sql, {}, 3600000);
    if (!r.ok())
        std::fprintf(stderr, "%s: %s\n", qPrintable(sql.left(80)), qPrintable(r.errorMessage()));
    else if (value)
        *value = r.rowCount() > 0 ? r.text(0, 0) : QString();
    return r.ok();
}

qint64 databaseSize(PgConnection &c)
{
    QString v;
    return exec(c, QStringLiteral("select pg_database_size(current_database())"), &v)
               ? v.toLongLong()
               : -1;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct PgdeckRun {
    bool ok = false;
    double totalMs = 0;  // checkPrimary + plan compile + executor, as the user waits for it
    double checkMs = 0;  // connecting to the primary and checkPrimary
    double backupMs = 0; // the pg_basebackup step
    QList<QPair<QString, double>> steps; // step id, ms, in plan order
};

// Adds replica `name` through pgdeck's Plan, run by a PlanExecutor on this thread's loop.
PgdeckRun addReplica(const test::SandboxFixture &fx, const ClusterSpec &cluster,
                     const ReplicaSpec &spec)
{
    PgdeckRun run;
    QElapsedTimer all;
    all.start();
    PgConnection primary;
    primary.setParams(fx.params(0));
    if (!primary.waitForReady(10000)) {
        std::fprintf(stderr, "cannot connect to the primary: %s\n",
                     qPrintable(primary.lastError()));
        return run;
    }
    const PrimaryReadiness readiness = checkPrimary(primary, spec, QStringLiteral("127.0.0.1"));
    run.checkMs = all.nsecsElapsed() / 1e6;
    if (!readiness.error.isEmpty() || !readiness.refusals(false).isEmpty()) {
        std::fprintf(stderr, "primary not ready: %s %s\n", qPrintable(readiness.error),
                     qPrintable(readiness.refusals(false).join(QStringLiteral("; "))));
        return run;
    }
    const Plan plan = addReplicaPlan(spec, cluster, readiness);
    PlanExecutor ex;
    QEventLoop loop;
    QElapsedTimer stepClock;
    QString error;
    QObject::connect(&ex, &PlanExecutor::stepStarted,
                     [&](int, int, const QString &) { stepClock.start(); });
    QObject::connect(&ex, &PlanExecutor::stepFinished,
                     [&](int index, PlanExecutor::StepOutcome outcome, const QString &message) {
                         const double ms = stepClock.nsecsElapsed() / 1e6;
                         const QString id = plan.steps().value(index).id;
                         run.steps << qMakePair(id, ms);
                         if (id == QLatin1String("basebackup"))
                             run.backupMs = ms;
                         if (outcome == PlanExecutor::StepOutcome::Failed)
                             std::fprintf(stderr, "step %s failed: %s\n", qPrintable(id),
                                          qPrintable(message));
                     });
    QObject::connect(&ex, &PlanExecutor::finished, [&](bool done, const QString &summary) {
        run.ok = done;
        if (!done)
            std::fprintf(stderr, "%s\n", qPrintable(summary));
        loop.quit();
    });
    if (!ex.start(plan, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return run;
    }
    loop.exec();
    run.totalMs = all.nsecsElapsed() / 1e6;
    return run;
}

// Stops the replica and drops its slot (the walsender may take a moment to go away).
void removeReplica(PgConnection &primary, const QString &osUser, const QString &binDir,
                   const ReplicaSpec &spec, bool verbose)
{
    if (verbose) {
        QFile log(spec.dataDir + QStringLiteral("/pgdeck-start.log"));
        if (log.open(QIODevice::ReadOnly))
            std::fprintf(stderr, "%s's server log:\n%s", qPrintable(spec.name),
                         log.readAll().constData());
    }
    runAs(osUser,
          {binDir + QStringLiteral("/pg_ctl"), QStringLiteral("stop"), QStringLiteral("-D"),
           spec.dataDir, QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w")});
    for (int i = 0; i < 50; ++i) {
        const PgResult r = primary.execSync(
            QStringLiteral("select pg_drop_replication_slot(slot_name) from pg_replication_slots "
                           "where slot_name = $1"),
            {spec.slotName()}, 10000);
        if (r.ok())
            break;
        QThread::msleep(100);
    }
    QDir(spec.dataDir).removeRecursively();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype mi = args.indexOf(QStringLiteral("--mb"));
    const qint64 targetMb = mi >= 0 ? args.value(mi + 1).toLongLong() : 1024;
    const qsizetype ri = args.indexOf(QStringLiteral("--runs"));
    const int runs = ri >= 0 ? qMax(1, args.value(ri + 1).toInt()) : 3;
    const bool verbose = args.contains(QStringLiteral("--verbose"));

    QString error;
    const QString binDir = Sandbox::findBinDir(&error);
    if (binDir.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    test::SandboxFixture fx;
    std::fprintf(stderr, "starting a sandbox primary\n");
    if (!fx.start(0, &error, false)) {
        std::fprintf(stderr, "sandbox: %s\n", qPrintable(error));
        return 1;
    }
    const SandboxConfig &config = fx.config();
    const int primaryPort = config.port(0);

    // Load database app to the size asked for: rows of ~300 bytes (256 characters of
    // payload, stored uncompressed), added in batches until pg_database_size reaches it.
    PgConnection appDb;
    appDb.setParams(fx.params(0, QStringLiteral("app")));
    if (!appDb.waitForReady(10000)) {
        std::fprintf(stderr, "cannot connect to app: %s\n", qPrintable(appDb.lastError()));
        return 1;
    }
    const qint64 target = targetMb * 1024 * 1024;
    std::fprintf(stderr, "loading %lld MB into app\n", targetMb);
    if (!exec(appDb, QStringLiteral("create table bulk (g bigint, payload text)")))
        return 1;
    qint64 loaded = 0;
    for (qint64 size = databaseSize(appDb); size >= 0 && size < target;
         size = databaseSize(appDb)) {
        // ~3,400 rows a MB; at most 256 MB a batch, at least 1 MB.
        const qint64 rows = qMax<qint64>(3400, qMin(target - size, qint64(256) << 20) / 305);
        if (!exec(appDb, QStringLiteral("insert into bulk select g, repeat(md5(g::text), 8) from "
                                        "generate_series(%1, %2) g")
                             .arg(loaded + 1)
                             .arg(loaded + rows)))
            return 1;
        loaded += rows;
    }
    if (!exec(appDb, QStringLiteral("checkpoint")))
        return 1;
    const qint64 dbBytes = databaseSize(appDb);
    PgConnection primary;
    primary.setParams(fx.params(0));
    primary.waitForReady(10000);
    QString clusterBytes;
    exec(primary, QStringLiteral("select sum(pg_database_size(oid)) from pg_database"),
         &clusterBytes);

    const Inventory inv = Sandbox::inventory(config);
    const ClusterSpec cluster = inv.clusters.value(0);
    std::vector<double> plainS, handS, pgdeckS, backupS;
    QList<PgdeckRun> details;
    for (int i = 1; i <= runs; ++i) {
        // Plain: pg_basebackup typed by hand, as the servers' user, into a fresh directory.
        const QString plainDir = config.dir + QStringLiteral("/plain_%1").arg(i);
        ::sync();
        std::fprintf(stderr, "run %d: plain pg_basebackup\n", i);
        QElapsedTimer t;
        t.start();
        if (runAs(config.osUser,
                  {binDir + QStringLiteral("/pg_basebackup"), QStringLiteral("-h"),
                   QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(primaryPort),
                   QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-D"), plainDir,
                   QStringLiteral("-X"), QStringLiteral("stream"), QStringLiteral("-c"),
                   QStringLiteral("fast")}) != 0)
            return 1;
        plainS.push_back(t.nsecsElapsed() / 1e9);
        QDir(plainDir).removeRecursively();

        // The recipe by hand: pg_basebackup -R, pg_ctl start, and watch for "streaming".
        const QString handDir = config.dir + QStringLiteral("/hand_%1").arg(i);
        const int handPort = Sandbox::findFreePorts(primaryPort + 40 + i, 1);
        ::sync();
        std::fprintf(stderr, "run %d: the recipe by hand (basebackup -R, start, streaming)\n", i);
        t.start();
        if (runAs(config.osUser,
                  {binDir + QStringLiteral("/pg_basebackup"), QStringLiteral("-h"),
                   QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(primaryPort),
                   QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-D"), handDir,
                   QStringLiteral("-R"), QStringLiteral("-X"), QStringLiteral("stream"),
                   QStringLiteral("-c"), QStringLiteral("fast")}) != 0 ||
            runAs(config.osUser, {binDir + QStringLiteral("/pg_ctl"), QStringLiteral("start"),
                                  QStringLiteral("-D"), handDir, QStringLiteral("-l"),
                                  handDir + QStringLiteral("/start.log"), QStringLiteral("-w"),
                                  QStringLiteral("-o"),
                                  QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1")
                                      .arg(handPort)
                                      .arg(handDir)}) != 0)
            return 1;
        for (QString streaming; streaming != QLatin1String("t"); QThread::msleep(100))
            exec(primary,
                 QStringLiteral("select exists (select from pg_stat_replication where state = "
                                "'streaming')"),
                 &streaming);
        handS.push_back(t.nsecsElapsed() / 1e9);
        runAs(config.osUser,
              {binDir + QStringLiteral("/pg_ctl"), QStringLiteral("stop"), QStringLiteral("-D"),
               handDir, QStringLiteral("-m"), QStringLiteral("immediate")});
        QDir(handDir).removeRecursively();

        // pgdeck: a new replica, slot and port each time.
        ReplicaSpec spec;
        spec.primary = config.nodeName(0);
        spec.name = QStringLiteral("bench_replica_%1").arg(i);
        spec.host.runAs = config.osUser;
        spec.address = QStringLiteral("127.0.0.1");
        spec.dataDir = config.dir + QLatin1Char('/') + spec.name;
        spec.port = Sandbox::findFreePorts(primaryPort + 10 + i, 1);
        spec.binDir = binDir;
        const QStringList invalid = validateReplicaSpec(spec, cluster);
        if (!invalid.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(invalid.join(QLatin1Char('\n'))));
            return 1;
        }
        ::sync();
        std::fprintf(stderr, "run %d: pgdeck add replica %s on port %d\n", i, qPrintable(spec.name),
                     spec.port);
        const PgdeckRun run = addReplica(fx, cluster, spec);
        removeReplica(primary, config.osUser, binDir, spec, verbose);
        if (!run.ok)
            return 1;
        pgdeckS.push_back(run.totalMs / 1000);
        backupS.push_back(run.backupMs / 1000);
        details << run;
    }

    std::printf("\nbench_replica: database app %.0f MiB (pg_database_size; all databases %.0f "
                "MiB), primary on 127.0.0.1:%d, server %d, %d runs, servers run as %s\n\n",
                dbBytes / 1048576.0, clusterBytes.toLongLong() / 1048576.0, primaryPort,
                primary.serverVersion(), runs, qPrintable(config.osUser));
    for (int i = 0; i < runs; ++i) {
        const PgdeckRun &r = details[i];
        std::printf("run %d: plain %.2f s, by hand %.2f s, pgdeck %.2f s (%+.1f %% / %+.1f %%), "
                    "basebackup step %.2f s\n",
                    i + 1, plainS[i], handS[i], pgdeckS[i], (pgdeckS[i] / plainS[i] - 1) * 100,
                    (pgdeckS[i] / handS[i] - 1) * 100, backupS[i]);
        QStringList steps{QStringLiteral("check-primary %1").arg(r.checkMs, 0, 'f', 0)};
        for (const auto &s : r.steps)
            steps << QStringLiteral("%1 %2").arg(s.first).arg(s.second, 0, 'f', 0);
        std::printf("       steps (ms): %s\n", qPrintable(steps.join(QStringLiteral(", "))));
    }
    const double plain = median(plainS), hand = median(handS), pgdeck = median(pgdeckS),
                 backup = median(backupS);
    std::printf("\nmedians over %d runs:\n", runs);
    std::printf("%-40s %6.2f s\n", "plain pg_basebackup", plain);
    std::printf("%-40s %6.2f s\n", "by hand: basebackup -R, start, streaming", hand);
    std::printf("%-40s %6.2f s  (%+.1f %% of plain, %+.1f %% of by hand)\n",
                "pgdeck add replica (end to end)", pgdeck, (pgdeck / plain - 1) * 100,
                (pgdeck / hand - 1) * 100);
    std::printf("%-40s %6.2f s\n", "  of which pg_basebackup step", backup);
    std::printf("\ngoal: pgdeck end to end within 10 %% of running pg_basebackup by hand\n");
    return 0;
}
