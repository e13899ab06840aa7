// The sandbox servers bench_monitor watches, and the statements NodeProbe sends them.
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

// The sampler's own statements, so the naive baseline runs exactly what NodeProbe runs.
const QStringList &samplerSql()
{
    static const QStringList sql = [] {
        QStringList out;
        for (const PgQuery &q : NodeProbe::sampleQueries())
            out << q.sql;
        return out;
    }();
    return sql;
}

// The same statements prepared, as NodeProbe sends them, for timing one node on its own.
QList<PgQuery> preparedSampler()
{
    QList<PgQuery> queries;
    for (const QString &sql : samplerSql())
        queries << PgQuery{sql, {}, QStringLiteral("bench_probe_%1").arg(queries.size())};
    return queries;
}

// First column of every row of one statement with at most one text parameter; blocking,
// so only ever called outside the measured windows.
QStringList queryColumn(const Server &server, const char *sql, const QByteArray &param,
                        QString *error)
{
    QStringList out;
    PGconn *conn = PQconnectdb(server.conninfo(kAdminApp).constData());
    if (PQstatus(conn) != CONNECTION_OK) {
        *error = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        PQfinish(conn);
        return out;
    }
    const char *values[] = {param.constData()};
    PGresult *r =
        PQexecParams(conn, sql, param.isNull() ? 0 : 1, nullptr, values, nullptr, nullptr, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        for (int row = 0; row < PQntuples(r); ++row)
            out << QString::fromUtf8(PQgetvalue(r, row, 0));
    } else if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        *error = QString::fromUtf8(PQresultErrorMessage(r)).trimmed();
    }
    PQclear(r);
    PQfinish(conn);
    return out;
}

// The backends of every connection that called itself `app`, over all servers.
QList<int> backendPids(const QList<Server> &servers, const char *app)
{
    QList<int> pids;
    for (const Server &s : servers) {
        QString error;
        const QStringList rows =
            queryColumn(s, "select pid from pg_stat_activity where application_name = $1",
                        QByteArray(app), &error);
        if (!error.isEmpty())
            std::fprintf(stderr, "  pid lookup on port %d: %s\n", s.port, qPrintable(error));
        for (const QString &pid : rows)
            pids << pid.toInt();
    }
    return pids;
}

// Backends end shortly after their client says goodbye; wait so the next phase starts
// with the servers as quiet as before.
void waitForBackendsGone(const QList<Server> &servers, const char *app)
{
    QElapsedTimer t;
    t.start();
    while (!backendPids(servers, app).isEmpty() && t.elapsed() < 10000)
        QThread::msleep(50);
}

QString currentOsUser()
{
    const passwd *pw = getpwuid(geteuid());
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString();
}

// The sandbox allows 60 connections a server; 200 logical nodes over a few servers need
// more. Standbys first: a standby will not run with fewer connections than its primary.
bool raiseMaxConnections(const test::SandboxFixture &fx, const QList<Server> &servers, int wanted,
                         QString *error)
{
    const SandboxConfig &c = fx.config();
    QList<int> order;
    for (int i = 1; i < c.nodeCount(); ++i)
        order << i;
    order << 0;
    for (int i : order) {
        const Server &s = servers[i];
        const QString current = queryColumn(s, "show max_connections", {}, error).value(0);
        if (!error->isEmpty())
            return false;
        if (current.toInt() >= wanted)
            continue;
        const QByteArray alter = "alter system set max_connections = " + QByteArray::number(wanted);
        queryColumn(s, alter.constData(), {}, error);
        if (!error->isEmpty())
            return false;
        const QString name = c.nodeName(i);
        QStringList argv = {c.bin(QStringLiteral("pg_ctl")),
                            QStringLiteral("-D"),
                            c.dataDir(name),
                            QStringLiteral("-l"),
                            c.dir + QStringLiteral("/%1.log").arg(name),
                            QStringLiteral("-w"),
                            QStringLiteral("-t"),
                            QStringLiteral("60"),
                            QStringLiteral("-m"),
                            QStringLiteral("fast"),
                            QStringLiteral("restart")};
        // PostgreSQL refuses to run as root: as root the sandbox runs it as its own user.
        if (c.osUser != currentOsUser())
            argv = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), c.osUser,
                               QStringLiteral("--")} +
                   argv;
        QProcess p;
        p.setWorkingDirectory(c.dir); // the server user may not be able to enter ours
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(argv.takeFirst(), argv);
        if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit ||
            p.exitCode() != 0) {
            *error = QStringLiteral("restarting %1 failed: %2")
                         .arg(name, QString::fromLocal8Bit(p.readAll()).trimmed());
            return false;
        }
        if (queryColumn(s, "show max_connections", {}, error).value(0).toInt() != wanted) {
            if (error->isEmpty())
                *error =
                    QStringLiteral("%1 did not take max_connections = %2").arg(name).arg(wanted);
            return false;
        }
    }
    return true;
}

} // namespace pgdeck::bench
