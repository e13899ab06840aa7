// pgdeckctl shard and shards: the sharding wizard's choices on the command line, and the
// distribution of sharded tables over the workers.
#include "ctlcommand.h"

#include "inventory/inventory.h"
#include "pg/pgconnection.h"
#include "pg/quoting.h"
#include "plan/plan.h"
#include "sandbox/sandboxconfig.h"
#include "sharding/sharddistribution.h"
#include "sharding/shardingbackend.h"
#include "sharding/shardingreview.h"
#include "sharding/tableinfo.h"
#include "texttable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMap>

namespace pgdeck {

namespace {

QString bytes(qint64 b)
{
    return QLocale::c().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat);
}

QString firstWithRole(const ClusterSpec &c, const QString &role)
{
    for (const NodeSpec &n : c.nodes)
        if (n.role == role)
            return n.name;
    return {};
}

} // namespace

bool CtlCommand::loadShardingCluster(ClusterSpec *cluster)
{
    Inventory inv;
    QString path;
    if (!loadInventory(SandboxShape::Sharded, &inv, &path))
        return false;
    const QString wanted = m_parser.value(QStringLiteral("cluster"));
    for (const ClusterSpec &c : inv.clusters) {
        if (wanted.isEmpty() ? !firstWithRole(c, QStringLiteral("coordinator")).isEmpty()
                             : c.name == wanted) {
            *cluster = c;
            return true;
        }
    }
    usage(wanted.isEmpty() ? QStringLiteral("%1 has no cluster with a coordinator; name one "
                                            "with --cluster")
                                 .arg(path)
                           : QStringLiteral("cluster %1 is not in %2").arg(wanted, path));
    return false;
}

int CtlCommand::shard()
{
    ClusterSpec cluster;
    if (!loadShardingCluster(&cluster))
        return 2;
    ShardingSpec spec;
    spec.cluster = cluster.name;
    spec.coordinator = m_parser.value(QStringLiteral("coordinator"));
    if (spec.coordinator.isEmpty())
        spec.coordinator = firstWithRole(cluster, QStringLiteral("coordinator"));
    if (m_parser.isSet(QStringLiteral("workers"))) {
        spec.workers =
            m_parser.value(QStringLiteral("workers")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    } else {
        for (const NodeSpec &n : cluster.nodes)
            if (n.role == QLatin1String("worker"))
                spec.workers << n.name;
    }
    const QString table = m_parser.value(QStringLiteral("table"));
    if (table.isEmpty())
        return usage(QStringLiteral("shard needs --table schema.table"));
    // schema.table, either part possibly quoted: "Sales Data"."Users"
    const qsizetype dot = table.startsWith(QLatin1Char('"')) ? table.indexOf(QStringLiteral("\"."))
                                                             : table.indexOf(QLatin1Char('.'));
    auto unquote = [](QString part) {
        part = part.trimmed();
        if (part.size() >= 2 && part.startsWith(QLatin1Char('"')) &&
            part.endsWith(QLatin1Char('"')))
            part =
                part.mid(1, part.size() - 2).replace(QStringLiteral("\"\""), QStringLiteral("\""));
        return part;
    };
    if (dot < 0) {
        spec.table = unquote(table);
    } else {
        const qsizetype split = table.startsWith(QLatin1Char('"')) ? dot + 1 : dot;
        spec.schema = unquote(table.left(split));
        spec.table = unquote(table.mid(split + 1));
    }
    spec.key = m_parser.value(QStringLiteral("key"));
    if (spec.key.isEmpty())
        return usage(QStringLiteral("shard needs --key COLUMN"));
    if (!strategyFromName(m_parser.value(QStringLiteral("strategy")), &spec.strategy))
        return usage(QStringLiteral("unknown strategy \"%1\" (hash, range or geo)")
                         .arg(m_parser.value(QStringLiteral("strategy"))));
    spec.shardCount = m_parser.value(QStringLiteral("shards")).toInt();
    QString error;
    if (spec.strategy == ShardStrategy::Range &&
        !parseRanges(m_parser.value(QStringLiteral("ranges")), &spec.ranges, &error))
        return usage(error);
    if (!cluster.node(spec.coordinator))
        return usage(QStringLiteral("no coordinator: give --coordinator NODE"));

    // Every worker must answer before anything is planned.
    QStringList unreachable;
    for (const QString &w : std::as_const(spec.workers)) {
        const NodeSpec *n = cluster.node(w);
        if (!n)
            continue; // the review names it
        PgConnection c;
        c.setParams(ConnectionParams::fromNode(*n));
        if (!c.waitForReady(10000))
            unreachable << QStringLiteral("%1: %2").arg(w, c.lastError().trimmed());
    }
    if (!unreachable.isEmpty()) {
        m_err << "pgdeckctl: workers not reachable, nothing changed:\n  "
              << unreachable.join(QStringLiteral("\n  ")) << "\n";
        m_err.flush();
        return 1;
    }
    PgConnection coord;
    coord.setParams(ConnectionParams::fromNode(*cluster.node(spec.coordinator)));
    if (!coord.waitForReady(10000)) {
        m_err << "pgdeckctl: coordinator " << spec.coordinator
              << " not reachable: " << coord.lastError() << "\n";
        m_err.flush();
        return 1;
    }
    const QString wantedBackend = m_parser.value(QStringLiteral("backend"));
    if (!wantedBackend.isEmpty() && wantedBackend != QLatin1String("native") &&
        wantedBackend != QLatin1String("citus"))
        return usage(
            QStringLiteral("unknown --backend \"%1\" (native or citus)").arg(wantedBackend));
    const std::unique_ptr<ShardingBackend> chosen = detectBackend(coord, &error, wantedBackend);
    if (!chosen) {
        m_err << "pgdeckctl: " << error << "\n";
        m_err.flush();
        return 1;
    }
    const ShardingBackend &backend = *chosen;
    m_out << "backend: " << backend.name() << "\n";
    TableInfo info;
    if (!inspect::table(coord, spec.schema, spec.table, &info, &error)) {
        m_err << "pgdeckctl: " << error << "\n";
        m_err.flush();
        return 1;
    }
    if (m_parser.isSet(QStringLiteral("rollback"))) {
        ShardingReview review;
        if (spec.strategy == ShardStrategy::Geo) // regions from the kept original
            review = reviewSharding(coord, spec, info, cluster);
        const Plan plan = backend.rollbackPlan(spec, info, review, cluster);
        return m_parser.isSet(QStringLiteral("apply")) ? runPlan(plan) : printPlan(plan);
    }
    ShardingReview review = reviewSharding(coord, spec, info, cluster);
    backend.review(spec, info, &review);
    m_out << QStringLiteral("table %1: %2 rows, %3\n")
                 .arg(spec.qualifiedTable())
                 .arg(review.rows)
                 .arg(bytes(info.sizeBytes));
    for (const QString &w : std::as_const(review.warnings))
        m_out << "warning: " << w << "\n";
    if (!review.ok()) {
        m_out.flush();
        for (const QString &e : std::as_const(review.errors))
            m_err << "error: " << e << "\n";
        m_err << "pgdeckctl: nothing changed\n";
        m_err.flush();
        return 1;
    }
    const Plan plan = backend.plan(spec, info, review, cluster);
    if (!m_parser.isSet(QStringLiteral("apply")))
        return printPlan(plan);
    m_out.flush();
    return runPlan(plan);
}

int CtlCommand::shards()
{
    ClusterSpec cluster;
    if (!loadShardingCluster(&cluster))
        return 2;
    ShardDistribution d;
    QString error;
    if (!readShardDistribution(cluster, firstWithRole(cluster, QStringLiteral("coordinator")), &d,
                               &error)) {
        m_err << "pgdeckctl: " << error << "\n";
        m_err.flush();
        return 1;
    }
    const QMap<QString, qint64> perWorker = d.bytesPerWorker();
    if (m_parser.isSet(QStringLiteral("json"))) {
        QJsonArray shardsJson;
        for (const ShardPlacement &p : std::as_const(d.placements))
            shardsJson.append(QJsonObject{{QStringLiteral("table"), p.table},
                                          {QStringLiteral("shard"), p.shard},
                                          {QStringLiteral("worker"), p.worker},
                                          {QStringLiteral("bound"), p.bound},
                                          {QStringLiteral("rows"), p.rows},
                                          {QStringLiteral("bytes"), p.bytes}});
        QJsonObject workers;
        for (auto it = perWorker.cbegin(); it != perWorker.cend(); ++it)
            workers.insert(it.key(), it.value());
        QJsonArray moves;
        for (const ShardMoveProgress &m : std::as_const(d.moves))
            moves.append(QJsonObject{{QStringLiteral("table"), m.table},
                                     {QStringLiteral("shard"), m.shard},
                                     {QStringLiteral("from"), m.from},
                                     {QStringLiteral("to"), m.to},
                                     {QStringLiteral("source_bytes"), m.sourceBytes},
                                     {QStringLiteral("copied_bytes"), m.copiedBytes},
                                     {QStringLiteral("done"), m.done}});
        m_out << QJsonDocument(QJsonObject{{QStringLiteral("cluster"), cluster.name},
                                           {QStringLiteral("backend"), d.backend},
                                           {QStringLiteral("shards"), shardsJson},
                                           {QStringLiteral("bytes_per_worker"), workers},
                                           {QStringLiteral("skew"), d.skew()},
                                           {QStringLiteral("moves"), moves}})
                     .toJson(QJsonDocument::Indented);
        return 0;
    }
    if (d.placements.isEmpty()) {
        m_out << "cluster " << cluster.name << ": no sharded tables\n";
        return 0;
    }
    TextTable t({QStringLiteral("TABLE"), QStringLiteral("SHARD"), QStringLiteral("WORKER"),
                 QStringLiteral("BOUND"), QStringLiteral("ROWS~"), QStringLiteral("SIZE")},
                {false, false, false, false, true, true});
    for (const ShardPlacement &p : std::as_const(d.placements))
        t.add({{p.table},
               {p.shard},
               {p.worker},
               {p.bound},
               {p.rows < 0 ? QStringLiteral("?") : QString::number(p.rows)},
               {p.bytes < 0 ? QStringLiteral("?") : bytes(p.bytes)}});
    m_out << t.render(false);
    const QMap<QString, int> counts = d.shardsPerWorker();
    for (auto it = perWorker.cbegin(); it != perWorker.cend(); ++it)
        m_out << QStringLiteral("%1: %2 shards, %3\n")
                     .arg(it.key())
                     .arg(counts.value(it.key()))
                     .arg(bytes(it.value()));
    m_out << QStringLiteral("skew (largest worker / mean): %1\n").arg(d.skew(), 0, 'f', 2);
    for (const ShardMoveProgress &m : std::as_const(d.moves)) {
        const double f = m.fraction();
        m_out << QStringLiteral("moving %1 from %2 to %3: %4\n")
                     .arg(m.shard, m.from, m.to,
                          f < 0 ? QStringLiteral("size unknown")
                                : QStringLiteral("%1%").arg(qRound(f * 100)));
    }
    return 0;
}

} // namespace pgdeck
