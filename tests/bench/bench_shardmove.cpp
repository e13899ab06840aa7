// What moving rows to the shards costs: pgdeck's native backend (a Plan: one copy step per
// shard into postgres_fdw foreign partitions with batch_size 1000) against the plain way,
// one INSERT … SELECT into a partitioned table whose partitions are foreign tables on a
// postgres_fdw server with default options, over the same two workers, in the same run.
// Starts a sharded sandbox (pgdeckctl, temporary directory, free loopback ports).
//   bench_shardmove [--rows N]      (default 1,000,000)
#include "inventory/inventoryloader.h"
#include "pg/pgconnection.h"
#include "plan/planexecutor.h"
#include "sandbox/sandbox.h"
#include "sharding/nativebackend.h"
#include "sharding/shardingreview.h"
#include "sharding/tableinfo.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace pgdeck;

namespace {

int ctl(const QStringList &args, const QString &stateDir)
{
    QString exe = qEnvironmentVariable("PGDECKCTL");
    if (exe.isEmpty())
        exe = QCoreApplication::applicationDirPath() + QStringLiteral("/../../app/pgdeckctl");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGDECK_STATE_DIR"), stateDir);
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(exe, args);
    p.waitForFinished(600000);
    return p.exitCode();
}

bool exec(PgConnection &c, const QString &sql)
{
    const PgResult r = c.execSync(sql, {}, 3600000);
    if (!r.ok())
        std::fprintf(stderr, "%s\n", qPrintable(r.errorMessage()));
    return r.ok();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype ri = args.indexOf(QStringLiteral("--rows"));
    const qint64 rows = ri >= 0 ? args.value(ri + 1).toLongLong() : 1000000;
    QTemporaryDir tmp(QDir::tempPath() + QStringLiteral("/pgdeck-bench-shard-XXXXXX"));
    QFile::setPermissions(tmp.path(), QFile::Permissions(0x7755));
    const QString dir = tmp.path() + QStringLiteral("/sharded");
    const QString state = tmp.path() + QStringLiteral("/state");
    const int port = Sandbox::findFreePorts(21000, 3);
    std::fprintf(stderr, "starting a sharded sandbox on %d-%d\n", port, port + 2);
    if (ctl({QStringLiteral("sandbox"), QStringLiteral("up"), QStringLiteral("--shape"),
             QStringLiteral("sharded"), QStringLiteral("--dir"), dir, QStringLiteral("--port"),
             QString::number(port)},
            state) != 0)
        return 1;
    Inventory inv;
    QList<InventoryError> errors;
    InventoryLoader::load(dir + QStringLiteral("/inventory.yaml"), &inv, &errors);
    const ClusterSpec cluster = inv.clusters.value(0);
    PgConnection coord;
    coord.setParams(ConnectionParams::fromNode(*cluster.node(QStringLiteral("coordinator"))));
    coord.waitForReady(10000);
    // Two identical source tables of `rows` rows.
    const QString fill =
        QStringLiteral("create table %1 (id bigint primary key, name text not null, email text, "
                       "region text not null, created_at timestamptz not null); insert into %1 "
                       "select g, 'user ' || substr(md5(g::text), 1, 8), substr(md5(g::text), 9, "
                       "8) || '@example.com', case when g % 2 = 0 then 'eu' else 'us' end, "
                       "timestamptz '2024-01-01' + g * interval '1 minute' from "
                       "generate_series(1, %2) g; analyze %1");
    std::fprintf(stderr, "filling two tables of %lld rows\n", rows);
    if (!exec(coord, fill.arg(QStringLiteral("move_pgdeck")).arg(rows)) ||
        !exec(coord, fill.arg(QStringLiteral("move_plain")).arg(rows)))
        return 1;

    // Plain: the same partitioned layout by hand, default postgres_fdw options, one statement.
    QStringList setup = {QStringLiteral("create extension if not exists postgres_fdw")};
    for (int w = 1; w <= 2; ++w) {
        const NodeSpec &n = *cluster.node(QStringLiteral("worker%1").arg(w));
        setup << QStringLiteral("create server plain_w%1 foreign data wrapper postgres_fdw options "
                                "(host '%2', port '%3', dbname '%4'); create user mapping for "
                                "current_user server plain_w%1 options (user '%5')")
                     .arg(w)
                     .arg(n.host)
                     .arg(n.port)
                     .arg(n.dbname, n.user);
    }
    setup << QStringLiteral("create table move_plain_new (like move_plain) partition by hash (id)");
    for (int i = 0; i < 4; ++i) {
        const int w = i % 2 + 1;
        PgConnection wc;
        wc.setParams(ConnectionParams::fromNode(*cluster.node(QStringLiteral("worker%1").arg(w))));
        wc.waitForReady(10000);
        exec(wc, QStringLiteral("create table move_plain_p%1 (id bigint primary key, name text not "
                                "null, email text, region text not null, created_at timestamptz "
                                "not null)")
                     .arg(i));
        setup << QStringLiteral("create foreign table move_plain_p%1 partition of move_plain_new "
                                "for values with (modulus 4, remainder %1) server plain_w%2")
                     .arg(i)
                     .arg(w);
    }
    if (!exec(coord, setup.join(QStringLiteral("; "))))
        return 1;
    std::fprintf(stderr, "plain INSERT … SELECT\n");
    QElapsedTimer t;
    t.start();
    if (!exec(coord, QStringLiteral("insert into move_plain_new select * from move_plain")))
        return 1;
    const double plainMs = t.nsecsElapsed() / 1e6;

    // pgdeck: the native backend's Plan; copy steps timed on their own and the whole run.
    std::fprintf(stderr, "pgdeck native plan\n");
    ShardingSpec spec;
    spec.cluster = cluster.name;
    spec.coordinator = QStringLiteral("coordinator");
    spec.workers = {QStringLiteral("worker1"), QStringLiteral("worker2")};
    spec.table = QStringLiteral("move_pgdeck");
    spec.key = QStringLiteral("id");
    spec.shardCount = 4;
    TableInfo info;
    QString error;
    inspect::table(coord, spec.schema, spec.table, &info, &error);
    const ShardingReview review = reviewSharding(coord, spec, info, cluster);
    const Plan plan = NativeBackend().plan(spec, info, review, cluster);
    qputenv("PGDECK_STATE_DIR", state.toUtf8());
    PlanExecutor ex;
    QEventLoop loop;
    QElapsedTimer stepClock, all;
    double copyMs = 0, verifyMs = 0;
    QString current;
    bool ok = false;
    QObject::connect(&ex, &PlanExecutor::stepStarted, [&](int, int, const QString &title) {
        current = title;
        stepClock.start();
    });
    QObject::connect(&ex, &PlanExecutor::stepFinished,
                     [&](int, PlanExecutor::StepOutcome, const QString &) {
                         if (current.startsWith(QLatin1String("Copy rows")))
                             copyMs += stepClock.nsecsElapsed() / 1e6;
                         else if (current.startsWith(QLatin1String("Verify")))
                             verifyMs += stepClock.nsecsElapsed() / 1e6;
                     });
    QObject::connect(&ex, &PlanExecutor::finished, [&](bool done, const QString &summary) {
        ok = done;
        if (!done)
            std::fprintf(stderr, "%s\n", qPrintable(summary));
        loop.quit();
    });
    all.start();
    if (!ex.start(plan, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    loop.exec();
    const double allMs = all.nsecsElapsed() / 1e6;
    ctl({QStringLiteral("sandbox"), QStringLiteral("down"), QStringLiteral("--dir"), dir}, state);
    if (!ok)
        return 1;
    const double mb = double(info.sizeBytes) / 1048576.0;
    std::printf("\nbench_shardmove: %lld rows (%.1f MiB) hashed into 4 shards on 2 workers, "
                "postgres_fdw on 127.0.0.1\n\n",
                rows, mb);
    std::printf("%-52s %10s %12s\n", "", "ms", "rows/s");
    std::printf("%-52s %10.0f %12.0f\n", "plain INSERT … SELECT (default fdw options)", plainMs,
                rows / (plainMs / 1000));
    std::printf("%-52s %10.0f %12.0f\n", "pgdeck copy steps (4, batch_size 1000)", copyMs,
                rows / (copyMs / 1000));
    std::printf("%-52s %10.0f %12.0f\n", "pgdeck whole plan (incl. verify, analyze, switch)", allMs,
                rows / (allMs / 1000));
    std::printf("%-52s %10.0f\n", "  of which verify (count + checksum, both sides)", verifyMs);
    std::printf("\ngoal: pgdeck's move at least half the plain speed: copy %.2fx, whole plan "
                "%.2fx of plain\n",
                plainMs / copyMs, plainMs / allMs);
    return 0;
}
