#include "sandbox.h"

#include "common/statepaths.h"
#include "inventory/inventorywriter.h"
#include "pg/quoting.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QVersionNumber>

namespace pgdeck {

namespace {

const QString kSuperuser = QStringLiteral("postgres");
const QString kAppDb = QStringLiteral("app");

QString serverSettings(const SandboxConfig &c, int index)
{
    QString s = QStringLiteral("# Written by pgdeck for the sandbox cluster.\n");
    s += QStringLiteral("port = %1\n").arg(c.port(index));
    s += QStringLiteral("listen_addresses = '127.0.0.1'\n");
    // Sockets beside the data directories, not in them: pg_rewind copies a data directory
    // file by file from the new primary and cannot read a socket. Ports keep them apart.
    s += QStringLiteral("unix_socket_directories = %1\n").arg(sql::quoteLiteral(c.dir));
    s += QStringLiteral("cluster_name = 'sandbox-%1'\n").arg(c.nodeName(index));
    s += QStringLiteral("wal_level = replica\n"
                        "max_wal_senders = 10\n"
                        "max_replication_slots = 10\n"
                        "wal_keep_size = '256MB'\n"
                        "hot_standby = on\n"
                        "hot_standby_feedback = on\n"
                        "wal_log_hints = on\n" // pg_rewind can bring an old primary back
                        "shared_buffers = '32MB'\n"
                        "max_connections = 60\n"
                        "track_io_timing = on\n"
                        "log_line_prefix = '%m [%p] %q%u@%d '\n");
    if (index > 0) {
        const int upstream = (c.cascade && index > 1) ? index - 1 : 0;
        const QString conninfo =
            QStringLiteral("host=127.0.0.1 port=%1 user=%2 application_name=%3")
                .arg(c.port(upstream))
                .arg(kSuperuser, c.nodeName(index));
        s += QStringLiteral("primary_conninfo = %1\n").arg(sql::quoteLiteral(conninfo));
        s += QStringLiteral("primary_slot_name = 'sandbox_%1'\n").arg(c.nodeName(index));
    }
    return s;
}

int upstreamIndex(const SandboxConfig &c, int index)
{
    return (c.cascade && index > 1) ? index - 1 : 0;
}

// The sharded shape: independent servers, no replication between them.
QString shardedSettings(const SandboxConfig &c, int index)
{
    QString s = QStringLiteral("# Written by pgdeck for the sharded sandbox.\n");
    s += QStringLiteral("port = %1\n").arg(c.port(index));
    s += QStringLiteral("listen_addresses = '127.0.0.1'\n");
    s += QStringLiteral("unix_socket_directories = %1\n")
             .arg(sql::quoteLiteral(c.dataDir(c.nodeName(index))));
    s += QStringLiteral("cluster_name = 'sharded-%1'\n").arg(c.nodeName(index));
    // logical: Citus moves shards with logical replication.
    s += QStringLiteral("wal_level = logical\n"
                        "shared_buffers = '32MB'\n"
                        "max_connections = 60\n"
                        "track_io_timing = on\n"
                        "log_line_prefix = '%m [%p] %q%u@%d '\n");
    return s;
}

const QString kCitusPreload = QStringLiteral("shared_preload_libraries = 'citus'");

// Steps both shapes share, with the ids and titles the replicated shape always had.
void addPrelude(Plan &plan, const SandboxConfig &c, const HostTarget &me)
{
    if (c.osUser != currentOsUser()) {
        // "|| id -u": another sandbox being built at the same moment may win the race.
        const QString useradd =
            QStringLiteral("useradd --system --user-group --no-create-home --home-dir /nonexistent "
                           "--shell /usr/sbin/nologin %1 || id -u %1")
                .arg(sql::shellQuote(c.osUser));
        PlanStep &s = plan.add(steps::command(
            QStringLiteral("create-os-user"),
            QStringLiteral("Create the unprivileged OS user %1 for the servers").arg(c.osUser), me,
            {QStringLiteral("sh"), QStringLiteral("-c"), useradd}));
        s.guard =
            steps::commandSucceeds(me, {QStringLiteral("id"), QStringLiteral("-u"), c.osUser});
    }
    {
        QStringList argv{QStringLiteral("install"), QStringLiteral("-d"), QStringLiteral("-m"),
                         QStringLiteral("0750")};
        if (c.osUser != currentOsUser())
            argv << QStringLiteral("-o") << c.osUser << QStringLiteral("-g") << c.osUser;
        argv << c.dir;
        PlanStep &s =
            plan.add(steps::command(QStringLiteral("create-dir"),
                                    QStringLiteral("Create the sandbox directory"), me, argv));
        s.guard = steps::fileExists(me, c.statePath());
    }
    plan.add(steps::writeFile(QStringLiteral("write-state"),
                              QStringLiteral("Record the sandbox settings"), me, c.statePath(),
                              QString::fromUtf8(c.toJson()), 0644));
}

void addInitdb(Plan &plan, const SandboxConfig &c, int index, const HostTarget &server)
{
    const QString name = c.nodeName(index);
    const QString data = c.dataDir(name);
    PlanStep &s = plan.add(steps::command(
        QStringLiteral("initdb-%1").arg(name),
        // "the primary's", "the coordinator's", but "worker1's"
        QStringLiteral("Initialise %1%2's data directory")
            .arg(c.sharded() && index > 0 ? QString() : QStringLiteral("the "), name),
        server,
        {c.bin(QStringLiteral("initdb")), QStringLiteral("-D"), data, QStringLiteral("-U"),
         kSuperuser, QStringLiteral("--auth-local=trust"), QStringLiteral("--auth-host=trust"),
         QStringLiteral("--encoding=UTF8"), QStringLiteral("--locale=C"),
         QStringLiteral("--no-sync")}));
    s.guard = steps::fileExists(server, data + QStringLiteral("/PG_VERSION"));
}

void addStartNode(Plan &plan, const SandboxConfig &c, int index, const HostTarget &server)
{
    const QString name = c.nodeName(index);
    const QString data = c.dataDir(name);
    PlanStep &s = plan.add(steps::command(
        QStringLiteral("start-%1").arg(name),
        QStringLiteral("Start %1 on port %2").arg(name).arg(c.port(index)), server,
        {c.bin(QStringLiteral("pg_ctl")), QStringLiteral("-D"), data, QStringLiteral("-l"),
         c.dir + QStringLiteral("/%1.log").arg(name), QStringLiteral("-w"), QStringLiteral("-t"),
         QStringLiteral("60"), QStringLiteral("start")}));
    // "Running" means answering queries: pg_ctl status trusts postmaster.pid, which a
    // crashed server leaves behind.
    s.guard = steps::sqlTrue(name, QStringLiteral("select true"));
    plan.add(steps::waitUntil(QStringLiteral("wait-%1").arg(name),
                              QStringLiteral("Wait until %1 accepts connections").arg(name), name,
                              QStringLiteral("select true"), 60000));
}

void addCreateAppDb(Plan &plan, const QString &id, const QString &title, const QString &node)
{
    PlanStep &s = plan.add(steps::sql(
        id, title, node, QStringLiteral("CREATE DATABASE %1").arg(sql::quoteIdent(kAppDb))));
    s.guard = steps::sqlTrue(node, QStringLiteral("select exists (select from pg_database where "
                                                  "datname = %1)")
                                       .arg(sql::quoteLiteral(kAppDb)));
}

void addWriteInventory(Plan &plan, const SandboxConfig &c, const HostTarget &me)
{
    plan.add(steps::writeFile(
        QStringLiteral("write-inventory"),
        QStringLiteral("Write the inventory %1").arg(c.inventoryPath()), me, c.inventoryPath(),
        QString::fromUtf8(InventoryWriter::toYaml(Sandbox::inventory(c))), 0644));
}

// The sample data of the sharded shape, generated by SQL: deterministic, regions eu and us
// about half each (the first byte of md5(id) decides).
QString usersScript()
{
    return QStringLiteral(
               "create table public.users (id bigint primary key, name text not null, email text, "
               "region text not null, created_at timestamptz not null default now());\n"
               "insert into public.users (id, name, email, region, created_at)\n"
               "select g, 'user ' || substr(md5(g::text), 1, 8), "
               "substr(md5(g::text), 9, 8) || '@example.com',\n"
               "       case when get_byte(decode(md5(g::text), 'hex'), 0) < 128 "
               "then 'eu' else 'us' end,\n"
               "       timestamptz '2024-01-01 00:00:00+00' + g * interval '5 minutes'\n"
               "from generate_series(1, %1) g;")
        .arg(Sandbox::kSampleUsers);
}

QString countriesScript()
{
    return QStringLiteral(
        "create table public.countries (code text primary key, name text);\n"
        "insert into public.countries (code, name) values ('DE', 'Germany'), ('FR', 'France'), "
        "('IE', 'Ireland'), ('NL', 'Netherlands'), ('ES', 'Spain'), ('US', 'United States'), "
        "('CA', 'Canada'), ('MX', 'Mexico');");
}

Plan shardedUpPlan(const SandboxConfig &c)
{
    Plan plan(QStringLiteral("Build the sharded sandbox in %1").arg(c.dir),
              QStringLiteral("sharded"));
    const HostTarget me{};
    const HostTarget server{QString(), c.osUser == currentOsUser() ? QString() : c.osUser};
    for (int i = 0; i < c.nodeCount(); ++i) {
        plan.setNode(c.nodeName(i), Sandbox::nodeParams(c, i, QStringLiteral("postgres")));
        plan.setNode(c.nodeName(i) + QStringLiteral("-app"), Sandbox::nodeParams(c, i, kAppDb));
    }
    addPrelude(plan, c, me);

    QStringList autoConfs;
    for (int i = 0; i < c.nodeCount(); ++i) {
        const QString name = c.nodeName(i);
        addInitdb(plan, c, i, server);
        autoConfs << c.dataDir(name) + QStringLiteral("/postgresql.auto.conf");
        plan.add(steps::writeFile(
            QStringLiteral("configure-%1").arg(name),
            QStringLiteral("Configure %1 (port %2, loopback only)").arg(name).arg(c.port(i)),
            server, autoConfs.last(), shardedSettings(c, i), 0600));
    }
    if (c.citus) {
        // Citus must be preloaded before the first start; pg_available_extensions lists the
        // control files in the servers' share directory, which pg_config names.
        QStringList files, have;
        for (const QString &f : std::as_const(autoConfs)) {
            files << sql::shellQuote(f);
            have << QStringLiteral("grep -q '^shared_preload_libraries' %1").arg(files.last());
        }
        const QString add =
            QStringLiteral("for f in %1; do grep -q '^shared_preload_libraries' \"$f\" || echo "
                           "\"%2\" >> \"$f\" || exit 1; done")
                .arg(files.join(QLatin1Char(' ')), kCitusPreload);
        const QString citusControl =
            QStringLiteral("\"$(%1 --sharedir 2>/dev/null)/extension/citus.control\"")
                .arg(sql::shellQuote(c.bin(QStringLiteral("pg_config"))));
        PlanStep &s = plan.add(steps::command(
            QStringLiteral("citus-preload"),
            QStringLiteral("Preload Citus on every server (only when Citus is installed)"), server,
            {QStringLiteral("sh"), QStringLiteral("-c"), add}));
        s.guard = steps::commandSucceeds(
            server, {QStringLiteral("sh"), QStringLiteral("-c"),
                     QStringLiteral("! test -f %1 || { %2; }")
                         .arg(citusControl, have.join(QStringLiteral(" && ")))});
    }
    for (int i = 0; i < c.nodeCount(); ++i)
        addStartNode(plan, c, i, server);
    for (int i = 0; i < c.nodeCount(); ++i)
        addCreateAppDb(
            plan, QStringLiteral("create-app-db-%1").arg(c.nodeName(i)),
            QStringLiteral("Create the database \"%1\" on %2").arg(kAppDb, c.nodeName(i)),
            c.nodeName(i));
    for (int i = 0; c.citus && i < c.nodeCount(); ++i) {
        const QString app = c.nodeName(i) + QStringLiteral("-app");
        PlanStep &s = plan.add(steps::sql(
            QStringLiteral("citus-%1").arg(c.nodeName(i)),
            QStringLiteral("Create the citus extension on %1 (only when Citus is installed)")
                .arg(c.nodeName(i)),
            app, QStringLiteral("CREATE EXTENSION IF NOT EXISTS citus")));
        s.guard = steps::sqlTrue(
            app, QStringLiteral("select not exists (select from pg_available_extensions where name "
                                "= 'citus') or exists (select from pg_extension where extname = "
                                "'citus')"));
    }
    const QString coordinatorApp = c.nodeName(0) + QStringLiteral("-app");
    {
        PlanStep &s = plan.add(steps::sql(
            QStringLiteral("postgres-fdw"),
            QStringLiteral("Create the postgres_fdw extension on %1").arg(c.nodeName(0)),
            coordinatorApp, QStringLiteral("CREATE EXTENSION IF NOT EXISTS postgres_fdw")));
        s.guard = steps::sqlTrue(
            coordinatorApp,
            QStringLiteral(
                "select exists (select from pg_extension where extname = 'postgres_fdw')"));
    }
    if (c.load) {
        // One script each: the simple protocol runs it as one transaction.
        PlanStep &users =
            plan.add(steps::sql(QStringLiteral("sample-users"),
                                QStringLiteral("Create the sample table public.users with %1 rows")
                                    .arg(Sandbox::kSampleUsers),
                                coordinatorApp, usersScript()));
        users.guard = steps::sqlTrue(
            coordinatorApp, QStringLiteral("select to_regclass('public.users') is not null"));
        PlanStep &countries =
            plan.add(steps::sql(QStringLiteral("sample-countries"),
                                QStringLiteral("Create the reference table public.countries"),
                                coordinatorApp, countriesScript()));
        countries.guard = steps::sqlTrue(
            coordinatorApp, QStringLiteral("select to_regclass('public.countries') is not null"));
        // reltuples stays -1 until the first ANALYZE (or VACUUM).
        PlanStep &analyze = plan.add(steps::sql(
            QStringLiteral("sample-analyze"), QStringLiteral("Analyze the sample tables"),
            coordinatorApp, QStringLiteral("ANALYZE public.users, public.countries")));
        analyze.guard = steps::sqlTrue(
            coordinatorApp,
            QStringLiteral("select bool_and(reltuples >= 0) from pg_class where oid in "
                           "('public.users'::regclass, 'public.countries'::regclass)"));
    }
    addWriteInventory(plan, c, me);
    return plan;
}

} // namespace

QString Sandbox::defaultDir(SandboxShape shape)
{
    const QString suffix = shape == SandboxShape::Sharded ? QStringLiteral("-sharded") : QString();
    if (runningAsRoot())
        return QStringLiteral("/var/lib/pgdeck/sandbox") + suffix;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/pgdeck/sandbox") + suffix;
}

int Sandbox::defaultPort(SandboxShape shape)
{
    return shape == SandboxShape::Sharded ? kDefaultShardedPort : kDefaultPort;
}

QString Sandbox::defaultOsUser()
{
    return runningAsRoot() ? QStringLiteral("pgdeck") : currentOsUser();
}

QString Sandbox::findBinDir(QString *error)
{
    QStringList candidates;
    const QString env = qEnvironmentVariable("PGDECK_PG_BINDIR");
    if (!env.isEmpty())
        candidates << env;
    QProcess pgConfig;
    pgConfig.start(QStringLiteral("pg_config"), {QStringLiteral("--bindir")});
    if (pgConfig.waitForFinished(5000) && pgConfig.exitCode() == 0)
        candidates << QString::fromLocal8Bit(pgConfig.readAllStandardOutput()).trimmed();
    // Debian keeps the server binaries off PATH, one directory per major version.
    QDir lib(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString &v : versions)
        candidates << lib.filePath(v + QStringLiteral("/bin"));
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    if (!onPath.isEmpty())
        candidates << QFileInfo(onPath).absolutePath();
    for (const QString &dir : candidates)
        if (QFileInfo(dir + QStringLiteral("/initdb")).isExecutable() &&
            QFileInfo(dir + QStringLiteral("/pg_basebackup")).isExecutable())
            return dir;
    *error = QStringLiteral("no PostgreSQL server binaries found (looked in %1). Install them, "
                            "e.g. apt-get install postgresql, or set PGDECK_PG_BINDIR.")
                 .arg(candidates.isEmpty() ? QStringLiteral("/usr/lib/postgresql/*/bin")
                                           : candidates.join(QStringLiteral(", ")));
    return {};
}

int Sandbox::findFreePorts(int from, int count)
{
    for (int base = from; base + count < 65535; base += count) {
        bool allFree = true;
        for (int p = base; p < base + count && allFree; ++p) {
            QTcpServer probe;
            allFree = probe.listen(QHostAddress::LocalHost, quint16(p));
        }
        if (allFree)
            return base;
    }
    return 0;
}

bool Sandbox::loadConfig(const QString &dir, SandboxConfig *config, QString *error)
{
    QFile f(dir + QStringLiteral("/sandbox.json"));
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("no sandbox in %1 (%2)").arg(dir, f.errorString());
        return false;
    }
    return SandboxConfig::fromJson(f.readAll(), config, error);
}

bool Sandbox::resolveConfig(const SandboxConfig &wanted, SandboxConfig *config, QString *error)
{
    SandboxConfig c = wanted;
    if (c.dir.isEmpty())
        c.dir = defaultDir(c.shape);
    c.dir = QDir::cleanPath(QDir(c.dir).absolutePath());
    if (QFileInfo::exists(c.dir + QStringLiteral("/sandbox.json")))
        return loadConfig(c.dir, config, error);
    if (c.binDir.isEmpty()) {
        c.binDir = findBinDir(error);
        if (c.binDir.isEmpty())
            return false;
    }
    if (c.osUser.isEmpty())
        c.osUser = defaultOsUser();
    if (c.sharded()) {
        if (c.cascade) {
            *error = QStringLiteral("the sharded sandbox has no standbys to cascade");
            return false;
        }
        c.standbys = 0;
    }
    if (c.standbys < 0 || c.standbys > 8) {
        *error = QStringLiteral("standbys must be between 0 and 8, not %1").arg(c.standbys);
        return false;
    }
    const int from = c.basePort > 0 ? c.basePort : defaultPort(c.shape);
    c.basePort = findFreePorts(from, c.nodeCount());
    if (c.basePort == 0) {
        *error = QStringLiteral("no %1 free consecutive ports on 127.0.0.1 from %2")
                     .arg(c.nodeCount())
                     .arg(from);
        return false;
    }
    if (wanted.basePort > 0 && c.basePort != wanted.basePort) {
        *error = QStringLiteral("port %1 (or one of the next %2) is in use on 127.0.0.1; pick "
                                "another with --port, e.g. --port %3")
                     .arg(wanted.basePort)
                     .arg(c.nodeCount() - 1)
                     .arg(c.basePort);
        return false;
    }
    if (runningAsRoot() && c.osUser != QLatin1String("root")) {
        // The server user must be able to walk down to the directory.
        for (QDir d(QFileInfo(c.dir).absolutePath()); !d.isRoot(); d.cdUp()) {
            if (!d.exists())
                continue;
            const QFileInfo info(d.absolutePath());
            if (!(info.permissions() & QFile::ExeOther)) {
                *error = QStringLiteral("user %1 cannot reach %2 because %3 is not searchable by "
                                        "others; pick another --dir or chmod o+x %3")
                             .arg(c.osUser, c.dir, info.absoluteFilePath());
                return false;
            }
        }
    }
    *config = c;
    return true;
}

ConnectionParams Sandbox::nodeParams(const SandboxConfig &c, int index, const QString &dbname)
{
    ConnectionParams p;
    p.set(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    p.set(QStringLiteral("port"), QString::number(c.port(index)));
    p.set(QStringLiteral("dbname"), dbname);
    p.set(QStringLiteral("user"), kSuperuser);
    return p;
}

Inventory Sandbox::inventory(const SandboxConfig &c)
{
    ClusterSpec cluster;
    cluster.name = c.sharded() ? QStringLiteral("sharded") : QStringLiteral("sandbox");
    for (int i = 0; i < c.nodeCount(); ++i) {
        NodeSpec n;
        n.name = c.nodeName(i);
        n.host = QStringLiteral("127.0.0.1");
        n.port = c.port(i);
        n.dbname = kAppDb;
        n.user = kSuperuser;
        if (c.sharded()) {
            n.role = i == 0 ? QStringLiteral("coordinator") : QStringLiteral("worker");
            if (i == 1 || i == 2) // the sample rows' regions; more workers take no region
                n.region = i == 1 ? QStringLiteral("eu") : QStringLiteral("us");
        } else {
            n.role = i == 0 ? QStringLiteral("primary") : QStringLiteral("standby");
            if (i > 0)
                n.upstream = c.nodeName(upstreamIndex(c, i));
        }
        n.dataDir = c.dataDir(n.name);
        cluster.nodes << n;
    }
    Inventory inv;
    inv.clusters << cluster;
    return inv;
}

Plan Sandbox::upPlan(const SandboxConfig &c)
{
    if (c.sharded())
        return shardedUpPlan(c);
    Plan plan(QStringLiteral("Build the sandbox cluster in %1").arg(c.dir),
              QStringLiteral("sandbox"));
    const HostTarget me{};
    const HostTarget server{QString(), c.osUser == currentOsUser() ? QString() : c.osUser};
    for (int i = 0; i < c.nodeCount(); ++i) {
        plan.setNode(c.nodeName(i), nodeParams(c, i, QStringLiteral("postgres")));
        plan.setNode(c.nodeName(i) + QStringLiteral("-app"), nodeParams(c, i, kAppDb));
    }
    addPrelude(plan, c, me);

    const QString primary = c.nodeName(0);
    const QString pdata = c.dataDir(primary);
    addInitdb(plan, c, 0, server);
    plan.add(steps::writeFile(QStringLiteral("configure-primary"),
                              QStringLiteral("Configure the primary for streaming replication"),
                              server, pdata + QStringLiteral("/postgresql.auto.conf"),
                              serverSettings(c, 0), 0600));
    addStartNode(plan, c, 0, server);
    addCreateAppDb(plan, QStringLiteral("create-app-db"),
                   QStringLiteral("Create the database \"%1\"").arg(kAppDb), primary);

    if (c.load) {
        PlanStep &s = plan.add(
            steps::command(QStringLiteral("pgbench-init"),
                           QStringLiteral("Create pgbench tables for the load generator"), server,
                           {c.bin(QStringLiteral("pgbench")), QStringLiteral("-i"),
                            QStringLiteral("-s"), QStringLiteral("1"), QStringLiteral("-q"),
                            QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                            QString::number(c.port(0)), QStringLiteral("-U"), kSuperuser, kAppDb}));
        s.guard = steps::sqlTrue(
            primary + QStringLiteral("-app"),
            QStringLiteral("select to_regclass('public.pgbench_history') is not null"));
    }

    for (int i = 1; i < c.nodeCount(); ++i) {
        const QString name = c.nodeName(i);
        const QString data = c.dataDir(name);
        const QString slot = QStringLiteral("sandbox_%1").arg(name);
        const int up = upstreamIndex(c, i);
        const QString upName = c.nodeName(up);
        {
            PlanStep &s = plan.add(steps::sql(
                QStringLiteral("slot-%1").arg(name),
                QStringLiteral("Create replication slot %1 on %2").arg(slot, upName), upName,
                QStringLiteral("select pg_create_physical_replication_slot($1)"), {slot}));
            s.guard = steps::sqlTrue(
                upName, QStringLiteral("select exists (select from pg_replication_slots "
                                       "where slot_name = %1)")
                            .arg(sql::quoteLiteral(slot)));
        }
        {
            PlanStep &s = plan.add(steps::command(
                QStringLiteral("basebackup-%1").arg(name),
                QStringLiteral("Copy %1 into %2 with pg_basebackup").arg(upName, name), server,
                {c.bin(QStringLiteral("pg_basebackup")), QStringLiteral("-h"),
                 QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(c.port(up)),
                 QStringLiteral("-U"), kSuperuser, QStringLiteral("-D"), data, QStringLiteral("-R"),
                 QStringLiteral("-X"), QStringLiteral("stream"), QStringLiteral("-S"), slot,
                 QStringLiteral("-c"), QStringLiteral("fast"), QStringLiteral("--no-sync")}));
            s.guard = steps::fileExists(server, data + QStringLiteral("/PG_VERSION"));
        }
        plan.add(steps::writeFile(
            QStringLiteral("configure-%1").arg(name),
            QStringLiteral("Configure %1 to stream from %2").arg(name, upName), server,
            data + QStringLiteral("/postgresql.auto.conf"), serverSettings(c, i), 0600));
        addStartNode(plan, c, i, server);
        plan.add(steps::waitUntil(
            QStringLiteral("streaming-%1").arg(name),
            QStringLiteral("Wait until %1 streams from %2").arg(name, upName), upName,
            QStringLiteral(
                "select exists (select from pg_stat_replication where application_name = %1 "
                "and state = 'streaming')")
                .arg(sql::quoteLiteral(name)),
            60000));
    }
    if (c.standbys > 0)
        plan.add(steps::verify(
            QStringLiteral("verify-standbys"),
            QStringLiteral("Verify every standby is in recovery and streaming"), primary,
            QStringLiteral("select count(*) from pg_stat_replication where state = 'streaming'"),
            QString::number(c.cascade ? 1 : c.standbys)));

    if (c.load) {
        // setsid -f: the load generator outlives this step and the pgdeckctl process.
        const QString script =
            QStringLiteral(
                "echo $$ > %1; exec %2 -n -c 2 -j 1 -R 20 -T 31536000 -h 127.0.0.1 -p %3 -U %4 %5 "
                ">> %6 2>&1")
                .arg(sql::shellQuote(c.loadPidPath()),
                     sql::shellQuote(c.bin(QStringLiteral("pgbench"))))
                .arg(c.port(0))
                .arg(kSuperuser, kAppDb, sql::shellQuote(c.dir + QStringLiteral("/pgbench.log")));
        PlanStep &s =
            plan.add(steps::command(QStringLiteral("start-load"),
                                    QStringLiteral("Start a light pgbench load (20 tx/s)"), server,
                                    {QStringLiteral("setsid"), QStringLiteral("-f"),
                                     QStringLiteral("sh"), QStringLiteral("-c"), script}));
        s.guard = steps::commandSucceeds(
            server, {QStringLiteral("sh"), QStringLiteral("-c"),
                     QStringLiteral("kill -0 \"$(cat %1 2>/dev/null)\" 2>/dev/null")
                         .arg(sql::shellQuote(c.loadPidPath()))});
    }
    addWriteInventory(plan, c, me);
    return plan;
}

Plan Sandbox::downPlan(const SandboxConfig &c)
{
    Plan plan(c.sharded() ? QStringLiteral("Remove the sharded sandbox in %1").arg(c.dir)
                          : QStringLiteral("Remove the sandbox cluster in %1").arg(c.dir),
              c.sharded() ? QStringLiteral("sharded") : QStringLiteral("sandbox"));
    const HostTarget me{};
    const HostTarget server{QString(), c.osUser == currentOsUser() ? QString() : c.osUser};
    if (!c.sharded())
        plan.add(steps::command(
            QStringLiteral("stop-load"), QStringLiteral("Stop the load generator"), server,
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("pid=$(cat %1 2>/dev/null) && kill \"$pid\" 2>/dev/null; exit 0")
                 .arg(sql::shellQuote(c.loadPidPath()))}));
    // Servers added later inside the sandbox directory (pgdeckctl replica add) go first.
    {
        const QString pgctl = sql::shellQuote(c.bin(QStringLiteral("pg_ctl")));
        QStringList own;
        for (int i = 0; i < c.nodeCount(); ++i)
            own << sql::shellQuote(c.dataDir(c.nodeName(i)) + QStringLiteral("/postmaster.pid"));
        plan.add(steps::command(
            QStringLiteral("stop-added"), QStringLiteral("Stop servers added to the sandbox"),
            server,
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("for f in %1/*/postmaster.pid; do [ -e \"$f\" ] || continue; case "
                            "\"$f\" in %2) continue;; esac; %3 -D \"$(dirname \"$f\")\" -m fast -w "
                            "-t 60 stop || true; done; exit 0")
                 .arg(sql::shellQuote(c.dir), own.join(QLatin1Char('|')), pgctl)}));
    }
    // Standbys first, so the primary does not wait for them while shutting down.
    for (int i = c.nodeCount() - 1; i >= 0; --i) {
        const QString name = c.nodeName(i);
        const QString data = c.dataDir(name);
        const QString pgctl = sql::shellQuote(c.bin(QStringLiteral("pg_ctl")));
        plan.add(steps::command(
            QStringLiteral("stop-%1").arg(name), QStringLiteral("Stop %1").arg(name), server,
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral(
                 "%1 -D %2 status >/dev/null 2>&1 || exit 0; %1 -D %2 -m fast -w -t 60 stop")
                 .arg(pgctl, sql::shellQuote(data))}));
    }
    plan.add(
        steps::command(QStringLiteral("remove-dir"), QStringLiteral("Remove %1").arg(c.dir), me,
                       {QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), c.dir}));
    return plan;
}

} // namespace pgdeck
