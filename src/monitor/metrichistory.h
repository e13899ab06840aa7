#pragma once

#include "nodestatus.h"
#include "timeseries.h"

#include <QHash>
#include <QStringList>
#include <memory>

namespace pgdeck {

// The time series the charts draw, fed from NodeStatus snapshots. Every series has the
// same fixed capacity (default 24 h of 1 s samples), so memory is bounded by
// series count x capacity x 16 bytes. Lives on the GUI thread; only values reach it.
class MetricHistory {
public:
    enum class Lag {
        SentBytes,
        WriteBytes,
        FlushBytes,
        ReplayBytes,
        WriteSeconds,
        FlushSeconds,
        ReplaySeconds
    };
    enum class NodeMetric { Tps, Connections, ActiveConnections, CacheHitRatio, Up };

    explicit MetricHistory(int capacity = 86400);

    struct KeyedPoint {
        QString key;
        qint64 t;
        double v;
    };
    // What a status contributes: the single definition of keys and of the stale/NULL rules,
    // shared by add() and the history store.
    static QList<KeyedPoint> points(const NodeStatus &status);
    void add(const NodeStatus &status);
    // Restores a point loaded from the history store.
    void addPoint(const QString &key, qint64 t, double v);
    void clear();

    static QString lagKey(const QString &cluster, const QString &upstream, const QString &standby,
                          Lag lag);
    static QString nodeKey(const QString &cluster, const QString &node, NodeMetric metric);
    static QString slotKey(const QString &cluster, const QString &node,
                           const QString &slot); // retained bytes

    const TimeSeries *series(const QString &key) const; // nullptr when never seen
    QStringList keys(const QString &prefix = {}) const;
    // Standbys with lag series under a cluster, as "upstream/standby".
    QStringList streams(const QString &cluster) const;
    qsizetype memoryBytes() const;
    int capacity() const { return m_capacity; }
    quint64 revision() const { return m_revision; } // bumps on every add, for redraw skipping

private:
    TimeSeries &seriesFor(const QString &key);

    int m_capacity;
    QHash<QString, std::shared_ptr<TimeSeries>> m_series;
    quint64 m_revision = 0;
};

} // namespace pgdeck
