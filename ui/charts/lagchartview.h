#pragma once

#include <QImage>
#include <QList>
#include <QPointF>
#include <QStringList>
#include <QWidget>

// Qt Charts stays behind this header (it is deprecated from Qt 6.10): callers see a plain
// QWidget, so moving to Qt Graphs touches lagchartview.cpp only.
class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QPainter;
class QPen;
class QValueAxis;

namespace pgdeck {

class LagPlotItem;
class MetricHistory;
class TimeSeries;

// A live line chart of replication lag: one line per stream over a fixed time window,
// values in human units, a dashed warning threshold. refresh() is meant for a 1 s timer:
// it decimates each series to about one point per two pixels (min and max per 4 px
// bucket), appends only the buckets that changed, and skips series with no new sample.
// Qt Charts draws the frame, axis labels, legend and threshold; the grid, the axis lines and
// the lag lines are a LagPlotItem's, over the plot area (lagplotitem.h says why).
class LagChartView : public QWidget {
    Q_OBJECT
public:
    enum class ValueKind { Bytes, Seconds };

    // What the last refresh() cost, for the benchmark and the debug log.
    struct RefreshStats {
        double decimateMs = 0;
        double replaceMs = 0;
        int seriesReplaced = 0;
        int points = 0; // points now plotted, all series
    };

    explicit LagChartView(QWidget *parent = nullptr);
    ~LagChartView() override;

    void setValueKind(ValueKind kind);
    ValueKind valueKind() const { return m_kind; }
    // In bytes or seconds, per valueKind(); <= 0 hides the line.
    void setThreshold(double value);
    double threshold() const { return m_threshold; }
    void setValueTitle(const QString &title); // the Y axis title, e.g. "replay lag"
    QString valueTitle() const;
    void setPlaceholderText(const QString &text); // shown while there is no series
    // Pixels; 2 by default. It applies to sparse lines (at most a point per 4 px, e.g. a
    // short window); dense ones (24 h) are always 1 px, the raster engine's fast path.
    void setLineWidth(qreal width);
    qreal lineWidth() const { return m_lineWidth; }
    // Off: every raw sample in the window goes to Qt Charts (the benchmark's baseline).
    void setDecimationEnabled(bool enabled);
    // On: Qt Charts draws the grid, the axis lines and the lag lines (QLineSeries), as
    // before LagPlotItem: the benchmark's baseline.
    void setQtChartsPlot(bool on);

    // Shows series `keys` of `history` (labels for the legend; the keys when empty) over
    // [nowMs - windowMs, nowMs]. Returns the number of series that got new points.
    int refresh(const MetricHistory &history, const QStringList &keys, qint64 windowMs,
                qint64 nowMs, const QStringList &labels = {});
    const RefreshStats &lastRefreshStats() const { return m_stats; }

    // Renders the chart as it is now; the size defaults to the widget's (1280x720 while
    // it is not shown). exportPng() renders at twice the pixels for sharp text.
    QImage renderImage(const QSize &size = {}, qreal devicePixelRatio = 1.0) const;
    bool exportPng(const QString &path) const;
    bool exportSvg(const QString &path) const;

    // Read-only views for tests and tools, without Qt Charts types.
    int seriesCount() const { return int(m_plots.size()); }
    QString seriesName(int i) const;
    QString seriesKey(int i) const;
    QList<QPointF> seriesPoints(int i) const; // as plotted: x in ms, y in unitLabel()
    int plotWidth() const;                    // pixels, as used for decimation
    bool thresholdVisible() const;
    double thresholdPlotted() const;             // the line's y, in unitLabel()
    QString unitLabel() const { return m_unit; } // "MB", "ms", ...
    QStringList valueAxisLabels() const;         // the Y tick labels, e.g. "16 MB"
    qint64 windowStart() const { return m_from; }
    qint64 windowEnd() const { return m_to; }

    // Human units as the axes and the legend write them: "512 B", "2.4 MB", "350 ms".
    static QString formatBytes(double bytes);
    static QString formatSeconds(double seconds);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Plot {
        QString key;
        QLineSeries *series = nullptr; // the legend entry; points only with setQtChartsPlot()
        const TimeSeries *source = nullptr;
        int size = -1;    // source size at the last decimation
        qint64 lastT = 0; // source's last sample then
        double lastV = 0;
        QList<QPointF> raw;   // decimated points in base units (bytes, seconds)
        QList<QPointF> shown; // raw in unitLabel(), as plotted
        bool plotted = false;
    };

    void syncSeries(const QStringList &keys, const QStringList &labels);
    bool updateRaw(Plot &plot, const TimeSeries *source, qint64 from, qint64 to);
    void updateValueAxis(double dataMax);
    void updateTimeAxis();
    void updateThresholdLine();
    void updatePlotItem();
    void applyTheme();
    void paintChart(QPainter *painter, const QSize &size) const;
    void resetCache();
    QColor seriesColor(int index) const;
    QPen seriesPen(int index) const;

    QChartView *m_view;
    QChart *m_chart;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
    QLineSeries *m_thresholdSeries;
    QLabel *m_placeholder;
    LagPlotItem *m_plotItem; // owned by m_chart
    QList<Plot> m_plots;
    ValueKind m_kind = ValueKind::Bytes;
    double m_threshold = 0;
    bool m_decimate = true;
    bool m_qtChartsPlot = false;
    qreal m_lineWidth = 2.0;
    double m_scale = 1; // base units per plotted unit
    QString m_unit;
    qint64 m_windowMs = 0;
    qint64 m_bucketMs = 0;
    qint64 m_from = 0;
    qint64 m_to = 0;
    RefreshStats m_stats;
};

} // namespace pgdeck
