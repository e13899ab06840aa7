#include "metrichistory.h"

namespace pgdeck {

namespace {
const char *const kLagNames[] = {"sent_bytes",    "write_bytes",   "flush_bytes",   "replay_bytes",
                                 "write_seconds", "flush_seconds", "replay_seconds"};
const char *const kNodeNames[] = {"tps", "connections", "active_connections", "cache_hit_ratio",
                                  "up"};
} // namespace

MetricHistory::MetricHistory(int capacity)
    : m_capacity(qMax(1, capacity))
{}

QString MetricHistory::lagKey(const QString &cluster, const QString &upstream,
                              const QString &standby, Lag lag)
{
    return QStringLiteral("%1/lag/%2/%3/%4")
        .arg(cluster, upstream, standby, QLatin1String(kLagNames[int(lag)]));
}

QString MetricHistory::nodeKey(const QString &cluster, const QString &node, NodeMetric metric)
{
    return QStringLiteral("%1/node/%2/%3")
        .arg(cluster, node, QLatin1String(kNodeNames[int(metric)]));
}

QString MetricHistory::slotKey(const QString &cluster, const QString &node, const QString &slot)
{
    return QStringLiteral("%1/slot/%2/%3/retained_bytes").arg(cluster, node, slot);
}

TimeSeries &MetricHistory::seriesFor(const QString &key)
{
    auto it = m_series.find(key);
    if (it == m_series.end())
        it = m_series.insert(key, std::make_shared<TimeSeries>(m_capacity));
    return *it.value();
}

void MetricHistory::addPoint(const QString &key, qint64 t, double v)
{
    seriesFor(key).append(t, v);
    ++m_revision;
}

QList<MetricHistory::KeyedPoint> MetricHistory::points(const NodeStatus &s)
{
    QList<KeyedPoint> out;
    const qint64 t = s.sampledAt.isValid() && !s.stale ? s.sampledAt.toMSecsSinceEpoch()
                                                       : QDateTime::currentMSecsSinceEpoch();
    out.append({nodeKey(s.cluster, s.node, NodeMetric::Up), t,
                s.health() == NodeStatus::Health::Up ? 1.0 : 0.0});
    if (s.stale)
        return out; // no fresh figures: a gap in the chart, never a repeated value
    auto put = [&](const QString &key, double v) {
        if (v >= 0)
            out.append({key, t, v});
    };
    put(nodeKey(s.cluster, s.node, NodeMetric::Connections), s.connections);
    put(nodeKey(s.cluster, s.node, NodeMetric::ActiveConnections), s.activeConnections);
    put(nodeKey(s.cluster, s.node, NodeMetric::Tps), s.tps);
    put(nodeKey(s.cluster, s.node, NodeMetric::CacheHitRatio), s.cacheHitRatio);
    for (const StandbyLag &l : s.standbyLags) {
        auto lag = [&](Lag kind, double v) { put(lagKey(s.cluster, s.node, l.name, kind), v); };
        lag(Lag::SentBytes, double(l.sentLagBytes));
        lag(Lag::WriteBytes, double(l.writeLagBytes));
        lag(Lag::FlushBytes, double(l.flushLagBytes));
        lag(Lag::ReplayBytes, double(l.replayLagBytes));
        // NULL time lag means an idle, caught-up stream: that is 0 s behind, not unknown.
        if (l.replayLagBytes >= 0) {
            lag(Lag::WriteSeconds, qMax(0.0, l.writeLagSeconds));
            lag(Lag::FlushSeconds, qMax(0.0, l.flushLagSeconds));
            lag(Lag::ReplaySeconds, qMax(0.0, l.replayLagSeconds));
        }
    }
    for (const ReplicationSlotInfo &slot : s.slots)
        put(slotKey(s.cluster, s.node, slot.name), double(slot.retainedBytes));
    return out;
}

void MetricHistory::add(const NodeStatus &s)
{
    for (const KeyedPoint &p : points(s))
        seriesFor(p.key).append(p.t, p.v);
    ++m_revision;
}

void MetricHistory::clear()
{
    m_series.clear();
    ++m_revision;
}

const TimeSeries *MetricHistory::series(const QString &key) const
{
    const auto it = m_series.constFind(key);
    return it == m_series.constEnd() ? nullptr : it.value().get();
}

QStringList MetricHistory::keys(const QString &prefix) const
{
    QStringList out;
    for (auto it = m_series.constBegin(); it != m_series.constEnd(); ++it)
        if (it.key().startsWith(prefix))
            out << it.key();
    out.sort();
    return out;
}

QStringList MetricHistory::streams(const QString &cluster) const
{
    const QString prefix = cluster + QStringLiteral("/lag/");
    const QString suffix = QStringLiteral("/replay_bytes");
    QStringList out;
    for (const QString &k : keys(prefix))
        if (k.endsWith(suffix))
            out << k.mid(prefix.size(), k.size() - prefix.size() - suffix.size());
    return out;
}

qsizetype MetricHistory::memoryBytes() const
{
    qsizetype total = 0;
    for (const auto &s : m_series)
        total += s->memoryBytes();
    return total;
}

} // namespace pgdeck
