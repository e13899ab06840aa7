#pragma once

#include <QList>
#include <QPointF>
#include <QtGlobal>
#include <vector>

namespace pgdeck {

// A bounded ring buffer of (time, value) samples: it grows as samples arrive up to its
// capacity, then overwrites the oldest, so memory never exceeds capacity x 16 bytes
// however long the console runs. Times are
// milliseconds since the epoch and must not go backwards (older points are dropped).
class TimeSeries {
public:
    struct Point {
        qint64 t;
        double v;
    };

    explicit TimeSeries(int capacity = 86400);

    void append(qint64 t, double v);
    void clear();
    int size() const { return m_size; }
    int capacity() const { return m_capacity; }
    bool isEmpty() const { return m_size == 0; }
    const Point &at(int i) const { return m_points[size_t((m_start + i) % m_capacity)]; }
    const Point &last() const { return at(m_size - 1); }
    // What the series holds now, and the most it will ever hold.
    qsizetype memoryBytes() const { return qsizetype(m_points.capacity() * sizeof(Point)); }
    qsizetype maxMemoryBytes() const { return qsizetype(m_capacity) * qsizetype(sizeof(Point)); }

    // Index of the first point with t >= from (size() when none).
    int lowerBound(qint64 from) const;
    // Points in [from, to] reduced to at most 2 per bucket (the min and the max, in time
    // order), `buckets` buckets across the window: what a chart `buckets` pixels wide
    // can show. x is milliseconds since the epoch.
    QList<QPointF> decimated(qint64 from, qint64 to, int buckets) const;
    double maxIn(qint64 from, qint64 to) const; // 0 when empty

private:
    int m_capacity;
    std::vector<Point> m_points;
    int m_start = 0;
    int m_size = 0;
};

} // namespace pgdeck
