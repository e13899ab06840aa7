#include "timeseries.h"

#include <algorithm>

namespace pgdeck {

TimeSeries::TimeSeries(int capacity)
    : m_capacity(qMax(1, capacity))
{}

void TimeSeries::append(qint64 t, double v)
{
    if (m_size && t < last().t)
        return;
    const int cap = capacity();
    if (m_size < cap) {
        // Grows as samples arrive (up to the bound), so a thousand idle series cost little.
        if (m_points.size() == m_points.capacity())
            m_points.reserve(size_t(std::min(cap, std::max(64, m_size * 2))));
        m_points.push_back({t, v});
        ++m_size;
    } else {
        m_points[m_start] = {t, v};
        m_start = (m_start + 1) % cap;
    }
}

void TimeSeries::clear()
{
    m_points.clear();
    m_start = 0;
    m_size = 0;
}

int TimeSeries::lowerBound(qint64 from) const
{
    int lo = 0, hi = m_size;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (at(mid).t < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

QList<QPointF> TimeSeries::decimated(qint64 from, qint64 to, int buckets) const
{
    QList<QPointF> out;
    if (m_size == 0 || to <= from || buckets <= 0)
        return out;
    const int first = lowerBound(from);
    const int end = lowerBound(to + 1);
    if (first >= end)
        return out;
    if (end - first <= 2 * buckets) { // already sparse enough: keep every point
        out.reserve(end - first);
        for (int i = first; i < end; ++i)
            out.append(QPointF(double(at(i).t), at(i).v));
        return out;
    }
    out.reserve(2 * buckets);
    const double span = double(to - from) / buckets;
    int i = first;
    while (i < end) {
        const int bucket = std::min(buckets - 1, int(double(at(i).t - from) / span));
        const qint64 bucketEnd =
            bucket == buckets - 1 ? to + 1 : from + qint64((bucket + 1) * span);
        int minI = i, maxI = i;
        for (; i < end && at(i).t < bucketEnd; ++i) {
            if (at(i).v < at(minI).v)
                minI = i;
            if (at(i).v > at(maxI).v)
                maxI = i;
        }
        if (i == minI) // guard against a bucket end that does not advance
            ++i;
        const int a = std::min(minI, maxI), b = std::max(minI, maxI);
        out.append(QPointF(double(at(a).t), at(a).v));
        if (b != a)
            out.append(QPointF(double(at(b).t), at(b).v));
    }
    return out;
}

double TimeSeries::maxIn(qint64 from, qint64 to) const
{
    double m = 0;
    for (int i = lowerBound(from); i < m_size && at(i).t <= to; ++i)
        m = std::max(m, at(i).v);
    return m;
}

} // namespace pgdeck
