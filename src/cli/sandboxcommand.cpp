// pgdeckctl sandbox up, status and down: the local practice clusters.
#include "ctlcommand.h"

#include "pg/pgconnection.h"
#include "plan/plan.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxconfig.h"
#include "statuscommand.h"

#include <QFileInfo>

namespace pgdeck {

namespace {

// sandbox status for the sharded shape: independent servers, so roles and extensions
// instead of replication.
int printShardedStatus(const SandboxConfig &c, QTextStream &out)
{
    const Inventory inv = Sandbox::inventory(c);
    int down = 0;
    for (int i = 0; i < c.nodeCount(); ++i) {
        const NodeSpec &n = inv.clusters.constFirst().nodes[i];
        PgConnection conn;
        conn.setParams(Sandbox::nodeParams(c, i));
        conn.setDisplayName(n.name);
        conn.setConnectTimeout(3000);
        const QList<PgResult> r = conn.execBatchSync(
            {{QStringLiteral("select pg_is_in_recovery()"), {}, {}},
             {QStringLiteral("select coalesce(string_agg(extname, ', ' order by extname), 'none') "
                             "from pg_extension where extname in ('postgres_fdw', 'citus')"),
              {},
              {}},
             {QStringLiteral("select coalesce(sum(greatest(reltuples, 0)), 0)::bigint, count(*) "
                             "from pg_class where relkind = 'r' and relnamespace = "
                             "'public'::regnamespace"),
              {},
              {}}},
            10000);
        if (!r[0].ok()) {
            ++down;
            out << QStringLiteral("  %1 port %2  DOWN  %3\n")
                       .arg(n.name.leftJustified(11))
                       .arg(n.port)
                       .arg(r[0].errorMessage());
            continue;
        }
        QString role = n.role;
        if (!n.region.isEmpty())
            role += QStringLiteral(" (region %1)").arg(n.region);
        out << QStringLiteral("  %1 port %2  up    %3")
                   .arg(n.name.leftJustified(11))
                   .arg(n.port)
                   .arg(role.leftJustified(19));
        if (r[0].scalar().toBool())
            out << QStringLiteral("  IN RECOVERY (expected a primary)");
        if (r[1].ok())
            out << QStringLiteral("  extensions: %1").arg(r[1].text(0, 0));
        if (r[2].ok() && r[2].value(0, 1).toInt() > 0)
            out << QStringLiteral("  tables: %1 (~%2 rows)").arg(r[2].text(0, 1), r[2].text(0, 0));
        out << "\n";
    }
    out << "inventory: " << c.inventoryPath() << "\n";
    return down ? 1 : 0;
}

} // namespace

int CtlCommand::sandboxStatus(const QString &dir)
{
    SandboxConfig c;
    QString error;
    if (!Sandbox::loadConfig(dir, &c, &error)) {
        m_err << "pgdeckctl: " << error << "\n";
        return 1;
    }
    m_out << QStringLiteral("%1 sandbox in %2, servers run as %3, PostgreSQL from %4\n")
                 .arg(sandboxShapeName(c.shape), c.dir, c.osUser, c.binDir);
    if (c.sharded())
        return printShardedStatus(c, m_out);
    int down = 0;
    for (int i = 0; i < c.nodeCount(); ++i) {
        PgConnection conn;
        conn.setParams(Sandbox::nodeParams(c, i, QStringLiteral("postgres")));
        conn.setDisplayName(c.nodeName(i));
        conn.setConnectTimeout(3000);
        const QList<PgResult> r = conn.execBatchSync(
            {{QStringLiteral("select pg_is_in_recovery()"), {}, {}},
             {QStringLiteral("select application_name, state, sync_state, "
                             "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint "
                             "from pg_stat_replication"),
              {},
              {}},
             {QStringLiteral(
                  "select status, sender_host || ':' || sender_port from pg_stat_wal_receiver"),
              {},
              {}}},
            10000);
        if (!r[0].ok()) {
            ++down;
            m_out << QStringLiteral("  %1 port %2  DOWN  %3\n")
                         .arg(c.nodeName(i).leftJustified(9))
                         .arg(c.port(i))
                         .arg(r[0].errorMessage());
            continue;
        }
        const bool standby = r[0].scalar().toBool();
        m_out << QStringLiteral("  %1 port %2  up    %3")
                     .arg(c.nodeName(i).leftJustified(9))
                     .arg(c.port(i))
                     .arg(standby ? QStringLiteral("standby") : QStringLiteral("primary"));
        if (standby && r[2].ok() && r[2].rowCount())
            m_out << QStringLiteral(", receiver %1 from %2").arg(r[2].text(0, 0), r[2].text(0, 1));
        m_out << "\n";
        if (r[1].ok())
            for (int row = 0; row < r[1].rowCount(); ++row)
                m_out << QStringLiteral("      -> %1  %2 (%3)%4\n")
                             .arg(r[1].text(row, 0), r[1].text(row, 1), r[1].text(row, 2),
                                  standby ? QString()
                                          : QStringLiteral(", replay lag %1 bytes")
                                                .arg(r[1].text(row, 3)));
    }
    m_out << "inventory: " << c.inventoryPath() << "\n";
    return down ? 1 : 0;
}

int CtlCommand::sandbox(const QStringList &args)
{
    if (args.size() != 1)
        return usage(QStringLiteral("sandbox needs one of: up, status, down"));
    // --shape picks the default directory for every action, and what `up` builds.
    const bool shapeSet = m_parser.isSet(QStringLiteral("shape"));
    SandboxShape shape = SandboxShape::Replicated;
    if (shapeSet && !sandboxShapeFromName(m_parser.value(QStringLiteral("shape")), &shape))
        return usage(QStringLiteral("unknown --shape \"%1\" (replicated or sharded)")
                         .arg(m_parser.value(QStringLiteral("shape"))));
    const QString dirOpt = m_parser.value(QStringLiteral("dir"));
    const QString dir =
        QFileInfo(dirOpt.isEmpty() ? Sandbox::defaultDir(shape) : dirOpt).absoluteFilePath();
    const QString action = args[0];
    if (action == QLatin1String("status"))
        return sandboxStatus(dir);
    if (action == QLatin1String("down")) {
        SandboxConfig c;
        QString error;
        if (!Sandbox::loadConfig(dir, &c, &error)) {
            m_out << "no sandbox in " << dir << ": nothing to do\n";
            return 0;
        }
        const Plan plan = Sandbox::downPlan(c);
        return m_parser.isSet(QStringLiteral("dry-run")) ? printPlan(plan) : runPlan(plan);
    }
    if (action != QLatin1String("up"))
        return usage(
            QStringLiteral("unknown sandbox action \"%1\" (up, status or down)").arg(action));

    if (shape == SandboxShape::Sharded &&
        (m_parser.isSet(QStringLiteral("standbys")) || m_parser.isSet(QStringLiteral("cascade"))))
        return usage(QStringLiteral("--standbys and --cascade apply to the replicated shape; the "
                                    "sharded sandbox is a coordinator and two workers"));
    SandboxConfig wanted;
    wanted.shape = shape;
    wanted.dir = dir;
    bool ok = true;
    if (m_parser.isSet(QStringLiteral("port"))) {
        wanted.basePort = m_parser.value(QStringLiteral("port")).toInt(&ok);
        if (!ok || wanted.basePort < 1024 || wanted.basePort > 65500)
            return usage(QStringLiteral("--port must be a number from 1024 to 65500"));
    }
    if (m_parser.isSet(QStringLiteral("standbys"))) {
        wanted.standbys = m_parser.value(QStringLiteral("standbys")).toInt(&ok);
        if (!ok)
            return usage(QStringLiteral("--standbys must be a number"));
    }
    if (m_parser.isSet(QStringLiteral("backend"))) {
        const QString b = m_parser.value(QStringLiteral("backend"));
        if (shape != SandboxShape::Sharded ||
            (b != QLatin1String("native") && b != QLatin1String("citus")))
            return usage(QStringLiteral("--backend is native or citus, for --shape sharded"));
        wanted.citus = b == QLatin1String("citus");
    }
    if (shape == SandboxShape::Sharded && m_parser.isSet(QStringLiteral("workers"))) {
        wanted.workers = m_parser.value(QStringLiteral("workers")).toInt(&ok);
        if (!ok || wanted.workers < 1 || wanted.workers > 8)
            return usage(QStringLiteral("--workers must be a number from 1 to 8 for the sharded "
                                        "sandbox"));
    }
    wanted.cascade = m_parser.isSet(QStringLiteral("cascade"));
    wanted.load = !m_parser.isSet(QStringLiteral("no-load"));
    SandboxConfig c;
    QString error;
    if (!Sandbox::resolveConfig(wanted, &c, &error)) {
        m_err << "pgdeckctl: " << error << "\n";
        return 1;
    }
    if (shapeSet && c.shape != shape) {
        m_err << QStringLiteral("pgdeckctl: %1 already holds a %2 sandbox; pick another --dir, "
                                "or run sandbox down --dir %1 first\n")
                     .arg(c.dir, sandboxShapeName(c.shape));
        return 1;
    }
    const Plan plan = Sandbox::upPlan(c);
    if (m_parser.isSet(QStringLiteral("dry-run")))
        return printPlan(plan);
    const int rc = runPlan(plan);
    if (rc == 0 && c.sharded())
        m_out << QStringLiteral("\nsandbox ready: coordinator on 127.0.0.1:%1, workers on %2-%3\n"
                                "  psql -h 127.0.0.1 -p %1 -U postgres app\n"
                                "  inventory: %4\n")
                     .arg(c.port(0))
                     .arg(c.port(1))
                     .arg(c.port(c.nodeCount() - 1))
                     .arg(c.inventoryPath());
    else if (rc == 0)
        m_out << QStringLiteral("\nsandbox ready: primary on 127.0.0.1:%1, standbys on %2-%3\n"
                                "  psql -h 127.0.0.1 -p %1 -U postgres app\n"
                                "  inventory: %4\n")
                     .arg(c.port(0))
                     .arg(c.port(1))
                     .arg(c.port(c.nodeCount() - 1))
                     .arg(c.inventoryPath());
    return rc;
}

} // namespace pgdeck
