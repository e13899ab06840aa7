#pragma once

#include "monitor/timeseries.h"

#include <QWidget>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace pgdeck {

// One metric of one container (CPU % or memory) over the last minutes. Qt Charts stays in
// this class (it is deprecated from Qt 6.10), so moving to Qt Graphs touches it alone.
class ResourceChartView : public QWidget {
public:
    enum class Kind { Percent, Bytes };

    ResourceChartView(Kind kind, const QString &title, QWidget *parent);

    // Plots `series` up to `nowMs` over a window that grows with the history, from one
    // minute to five: a fresh container does not sit in a corner of an empty chart.
    void plot(const TimeSeries &series, qint64 nowMs);
    void clear();
    int pointCount() const;

private:
    static constexpr qint64 kMinWindowMs = 60 * 1000;     // the time axis spans at least this
    static constexpr qint64 kMaxWindowMs = 5 * 60 * 1000; // and at most this

    Kind m_kind;
    QString m_title;
    QChartView *m_view;
    QChart *m_chart;
    QLineSeries *m_series;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
};

} // namespace pgdeck
