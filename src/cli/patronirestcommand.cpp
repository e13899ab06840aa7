// pgdeckctl patroni list|switchover|failover|restart|reinit|pause|resume: a Patroni
// cluster of the inventory read and driven through its members' REST API.
#include "ctlcommand.h"

#include "cli/texttable.h"
#include "common/secrets.h"
#include "inventory/inventory.h"
#include "patroni/patroniclient.h"
#include "patroni/patroniwatcher.h"
#include "plan/auditlog.h"
#include "sandbox/sandbox.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace pgdeck {

namespace {

QList<QUrl> restUrls(const ClusterSpec &cluster)
{
    QList<QUrl> urls;
    for (const NodeSpec &n : cluster.nodes)
        if (!n.patroni.isEmpty())
            urls << QUrl(n.patroni);
    return urls;
}

QString lagText(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("unknown") : QString::number(bytes);
}

QString lsnText(qint64 lsn)
{
    return QStringLiteral("%1/%2")
        .arg(quint32(quint64(lsn) >> 32), 0, 16)
        .arg(quint32(lsn), 0, 16)
        .toUpper();
}

QJsonObject snapshotJson(const PatroniSnapshot &s)
{
    QJsonArray members;
    for (const PatroniMember &m : s.state.members)
        members << QJsonObject{{QStringLiteral("name"), m.name},
                               {QStringLiteral("host"), m.host},
                               {QStringLiteral("port"), m.port},
                               {QStringLiteral("role"), m.role},
                               {QStringLiteral("state"), m.state},
                               {QStringLiteral("timeline"), m.timeline},
                               {QStringLiteral("lag_bytes"), m.lagBytes},
                               {QStringLiteral("pending_restart"), m.pendingRestart},
                               {QStringLiteral("api_url"), m.apiUrl}};
    QJsonArray history;
    for (const PatroniHistoryEntry &h : s.history)
        history << QJsonObject{
            {QStringLiteral("timeline"), h.timeline},
            {QStringLiteral("lsn"), lsnText(h.lsn)},
            {QStringLiteral("reason"), h.reason},
            {QStringLiteral("timestamp"), h.timestamp.toString(Qt::ISODateWithMs)},
            {QStringLiteral("new_leader"), h.newLeader}};
    return {{QStringLiteral("cluster"), s.cluster},
            {QStringLiteral("leader"), s.state.leader()},
            {QStringLiteral("paused"), s.state.paused},
            {QStringLiteral("members"), members},
            {QStringLiteral("history"), history}};
}

} // namespace

bool CtlCommand::patroniCluster(ClusterSpec *cluster)
{
    Inventory inv;
    QString path;
    if (!loadInventory(SandboxShape::Replicated, &inv, &path))
        return false;
    const QString wanted = m_parser.value(QStringLiteral("cluster"));
    for (const ClusterSpec &c : std::as_const(inv.clusters))
        if ((wanted.isEmpty() || c.name == wanted) && !restUrls(c).isEmpty()) {
            *cluster = c;
            return true;
        }
    usage(wanted.isEmpty()
              ? QStringLiteral("no cluster in %1 names a Patroni REST API (patroni: URL)").arg(path)
              : QStringLiteral("cluster %1 in %2 names no Patroni REST API (patroni: URL)")
                    .arg(wanted, path));
    return false;
}

int CtlCommand::patroniLoad(ClusterSpec *cluster, PatroniSnapshot *snapshot)
{
    if (!patroniCluster(cluster))
        return 2;
    return patroniSnapshot(*cluster, snapshot) ? 0 : 1;
}

bool CtlCommand::patroniSnapshot(const ClusterSpec &cluster, PatroniSnapshot *snapshot)
{
    PatroniWatcher watcher(cluster.name, restUrls(cluster));
    QEventLoop loop;
    connect(&watcher, &PatroniWatcher::snapshotChanged, &loop, [&](const PatroniSnapshot &s) {
        *snapshot = s;
        loop.quit();
    });
    watcher.pollNow();
    loop.exec();
    if (!snapshot->reachable) {
        m_err << "pgdeckctl: no Patroni member of " << cluster.name
              << " answered: " << snapshot->error << "\n";
        m_err.flush();
        return false;
    }
    return true;
}

int CtlCommand::patroniList()
{
    ClusterSpec cluster;
    PatroniSnapshot s;
    if (const int failed = patroniLoad(&cluster, &s))
        return failed;
    if (m_parser.isSet(QStringLiteral("json"))) {
        m_out << QJsonDocument(snapshotJson(s)).toJson(QJsonDocument::Indented);
        return 0;
    }
    m_out << "cluster " << s.cluster << " (from " << s.source.toString() << ")"
          << (s.state.paused ? "  MAINTENANCE MODE: paused, no automatic failover" : "") << "\n";
    TextTable table({QStringLiteral("Member"), QStringLiteral("Host"), QStringLiteral("Role"),
                     QStringLiteral("State"), QStringLiteral("TL"), QStringLiteral("Lag (bytes)"),
                     QStringLiteral("Pending restart")},
                    {false, false, false, false, true, true, false});
    for (const PatroniMember &m : s.state.members)
        table.add({{m.name},
                   {QStringLiteral("%1:%2").arg(m.host).arg(m.port)},
                   {m.role},
                   {m.state},
                   {m.timeline < 0 ? QStringLiteral("-") : QString::number(m.timeline)},
                   {m.isLeader() ? QString() : lagText(m.lagBytes)},
                   {m.pendingRestart ? QStringLiteral("*") : QString()}});
    m_out << table.render(false);
    if (!s.history.isEmpty()) {
        m_out << "\ntimeline history:\n";
        TextTable history({QStringLiteral("TL"), QStringLiteral("LSN"), QStringLiteral("Reason"),
                           QStringLiteral("Time"), QStringLiteral("New leader")},
                          {true, false, false, false, false});
        for (const PatroniHistoryEntry &h : s.history)
            history.add({{QString::number(h.timeline)},
                         {lsnText(h.lsn)},
                         {h.reason.trimmed()},
                         {h.timestamp.toLocalTime().toString(Qt::ISODate)},
                         {h.newLeader}});
        m_out << history.render(false);
    }
    return 0;
}

int CtlCommand::patroniAction(const QStringList &args)
{
    const QString action = args.value(0);
    const QStringList known{QStringLiteral("switchover"), QStringLiteral("failover"),
                            QStringLiteral("restart"),    QStringLiteral("reinit"),
                            QStringLiteral("pause"),      QStringLiteral("resume")};
    if (!known.contains(action))
        return usage(QStringLiteral("patroni takes create, stop, list, switchover, failover, "
                                    "restart, reinit, pause or resume"));
    const bool perMember = action == QLatin1String("restart") || action == QLatin1String("reinit");
    if (args.size() != (perMember ? 2 : 1))
        return usage(perMember ? QStringLiteral("patroni %1 takes the member's name").arg(action)
                               : QStringLiteral("patroni %1 takes no argument").arg(action));
    ClusterSpec cluster;
    PatroniSnapshot s;
    if (const int failed = patroniLoad(&cluster, &s))
        return failed;

    const QString leader = s.state.leader();
    const QString candidate = m_parser.value(QStringLiteral("candidate"));
    QDateTime at;
    if (m_parser.isSet(QStringLiteral("at"))) {
        at = QDateTime::fromString(m_parser.value(QStringLiteral("at")), Qt::ISODate);
        if (!at.isValid() || at.timeSpec() == Qt::LocalTime)
            return usage(QStringLiteral("--at takes an ISO 8601 time with its offset, e.g. "
                                        "2026-11-25T02:00:00+00:00"));
    }
    const PatroniMember *member = perMember ? s.state.member(args[1]) : nullptr;
    if (perMember && !member)
        return usage(QStringLiteral("%1 is not a member of %2").arg(args[1], cluster.name));
    if ((action == QLatin1String("switchover") || action == QLatin1String("failover")) &&
        candidate.isEmpty())
        return usage(QStringLiteral("patroni %1 needs --candidate MEMBER").arg(action));

    if (!candidate.isEmpty() && candidate == leader)
        return usage(QStringLiteral("%1 already leads %2").arg(candidate, cluster.name));

    // What will happen, in words; --apply does it.
    QString what;
    if (action == QLatin1String("switchover"))
        what =
            QStringLiteral("switch the leader of %1 from %2 to %3%4")
                .arg(cluster.name, leader, candidate,
                     at.isValid() ? QStringLiteral(" at ") + at.toString(Qt::ISODate) : QString());
    else if (action == QLatin1String("failover"))
        what = QStringLiteral("fail %1 over to %2 (no checks that %2 is caught up)")
                   .arg(cluster.name, candidate);
    else if (action == QLatin1String("restart"))
        what = QStringLiteral("restart PostgreSQL on %1").arg(member->name);
    else if (action == QLatin1String("reinit"))
        what = QStringLiteral("reinitialize %1: its data directory is wiped and copied again "
                              "from the leader")
                   .arg(member->name);
    else
        what = action == QLatin1String("pause")
                   ? QStringLiteral("put %1 in maintenance mode (no automatic failover)")
                         .arg(cluster.name)
                   : QStringLiteral("resume automatic failover in %1").arg(cluster.name);
    if (!m_parser.isSet(QStringLiteral("apply"))) {
        m_out << "would " << what << "\nrun again with --apply to do it\n";
        return 0;
    }

    PatroniClient client(s.source);
    if (m_parser.isSet(QStringLiteral("rest-user"))) {
        QString password, error;
        const QString secret = m_parser.value(QStringLiteral("rest-secret"));
        if (!secret.isEmpty() &&
            !secrets::fill(QStringLiteral("${secret:%1}").arg(secret), &password, &error))
            return usage(error);
        client.setCredentials(m_parser.value(QStringLiteral("rest-user")), password);
    }
    client.setTimeout(action == QLatin1String("switchover") || action == QLatin1String("failover")
                          ? 60000 // Patroni answers once the new leader runs
                          : 30000);
    int id = 0;
    if (action == QLatin1String("switchover"))
        id = client.switchover(leader, candidate, at);
    else if (action == QLatin1String("failover"))
        id = client.failover(candidate);
    else if (action == QLatin1String("restart"))
        id = client.restart(member->apiBaseUrl());
    else if (action == QLatin1String("reinit"))
        id = client.reinitialize(member->apiBaseUrl(), m_parser.isSet(QStringLiteral("force")));
    else
        id = client.setPaused(action == QLatin1String("pause"));
    PatroniResult result;
    QEventLoop loop;
    connect(&client, &PatroniClient::actionFinished, &loop,
            [&](int requestId, const PatroniResult &r) {
                if (requestId != id)
                    return;
                result = r;
                loop.quit();
            });
    loop.exec();

    AuditRecord record;
    record.cluster = cluster.name;
    record.step = QStringLiteral("patroni ") + action;
    record.node = member ? member->name : (candidate.isEmpty() ? leader : candidate);
    record.kind = QStringLiteral("patroni");
    record.what = QStringLiteral("%1 %2: %3").arg(result.method, result.url.toString(), what);
    record.outcome = result.ok ? QStringLiteral("ok") : QStringLiteral("failed");
    record.message = result.message;
    AuditLog::append(record);

    if (!result.ok) {
        m_err << "pgdeckctl: Patroni refused to " << what << ": "
              << (result.httpStatus ? QStringLiteral("HTTP %1: ").arg(result.httpStatus)
                                    : QString())
              << result.message << "\n";
        m_err.flush();
        return 1;
    }
    m_out << result.message.trimmed() << "\n";
    return 0;
}

} // namespace pgdeck
