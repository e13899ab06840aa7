#include "lagchartview.h"

#include "charts/lagplotitem.h"
#include "common/healthstyle.h"
#include "monitor/metrichistory.h"
#include "monitor/timeseries.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QEvent>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace pgdeck {

namespace {

// One min/max pair per 4 px bucket: about a point per two pixels, the budget style.md
// measured (~10 ms for 10 series at 1600x900, replace and render).
constexpr int kBucketPixels = 4;
constexpr int kMinBuckets = 16;

qint64 floorTo(qint64 t, qint64 step)
{
    const qint64 q = t / step;
    return (t % step < 0 ? q - 1 : q) * step;
}

// 1, 2 or 5 times a power of ten, at least `raw`: tick steps people read at a glance.
double niceStep(double raw)
{
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / mag;
    return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * mag;
}

struct Unit {
    double scale;
    const char *name;
};

Unit bytesUnit(double bytes)
{
    static const Unit units[] = {{1.0, "B"},
                                 {1024.0, "kB"},
                                 {1024.0 * 1024, "MB"},
                                 {1024.0 * 1024 * 1024, "GB"},
                                 {1024.0 * 1024 * 1024 * 1024, "TB"}};
    Unit u = units[0];
    for (const Unit &c : units)
        if (bytes >= c.scale)
            u = c;
    return u;
}

QString trimmedNumber(double v)
{
    // "16 MB" rather than "16.0 MB"; one decimal below 10 where it carries information.
    if (v >= 10 || v == std::floor(v))
        return QString::number(qRound64(v));
    return QString::number(v, 'f', 1);
}

// Readable on light and dark backgrounds, none of them the amber and red of warnings.
const QColor kSeriesColors[] = {QColor(0x25, 0x63, 0xeb), QColor(0x0d, 0x94, 0x88),
                                QColor(0x7c, 0x3a, 0xed), QColor(0xdb, 0x27, 0x77),
                                QColor(0x08, 0x91, 0xb2), QColor(0x65, 0xa3, 0x0d),
                                QColor(0x4f, 0x46, 0xe5), QColor(0x47, 0x55, 0x69),
                                QColor(0xc0, 0x26, 0xd3), QColor(0x05, 0x96, 0x69)};

// The polyline cut to from <= x <= to, with points interpolated where it crosses.
QList<QPointF> clipToWindow(const QList<QPointF> &points, double from, double to)
{
    QList<QPointF> out;
    out.reserve(points.size());
    auto at = [](const QPointF &a, const QPointF &b, double x) {
        return QPointF(x, a.y() + (b.y() - a.y()) * (x - a.x()) / (b.x() - a.x()));
    };
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF &p = points[i];
        if (i > 0) {
            const QPointF &q = points[i - 1];
            if (q.x() < from && p.x() > from)
                out.append(at(q, p, from));
            if (q.x() < to && p.x() > to)
                out.append(at(q, p, to));
        }
        if (p.x() >= from && p.x() <= to)
            out.append(p);
    }
    return out;
}

} // namespace

LagChartView::LagChartView(QWidget *parent)
    : QWidget(parent)
    , m_view(new QChartView(this))
    , m_chart(new QChart)
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(new QValueAxis)
    , m_thresholdSeries(new QLineSeries)
    , m_placeholder(new QLabel(m_view))
    , m_plotItem(new LagPlotItem(m_chart))
{
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setLocalizeNumbers(false);
    m_chart->setMargins(QMargins(6, 10, 14, 6));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0); // edge to edge with the page's widgets
    m_chart->setBackgroundRoundness(8);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_timeAxis->setVisible(false); // until there is a series
    m_valueAxis->setVisible(false);
    m_chart->legend()->setVisible(false);
    m_valueAxis->setMinorTickCount(0);
    m_valueAxis->setRange(0, 1);
    m_valueAxis->setTickCount(5);
    QFont titleFont = m_valueAxis->titleFont();
    titleFont.setBold(false);
    m_valueAxis->setTitleFont(titleFont);

    m_thresholdSeries->setPointsVisible(false);
    m_chart->addSeries(m_thresholdSeries);
    m_thresholdSeries->attachAxis(m_timeAxis);
    m_thresholdSeries->attachAxis(m_valueAxis);
    m_thresholdSeries->setVisible(false);

    // The grid, the axis lines and the lag lines are m_plotItem's (see lagplotitem.h). Above
    // Qt Charts' axes (z 3), below every series: the threshold stays on top of the lines.
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_valueAxis)}) {
        axis->setGridLineVisible(false);
        axis->setLineVisible(false); // the line and its ticks
    }
    m_plotItem->setZValue(3.5);
    m_plotItem->setVisible(false); // until there is a series
    connect(m_chart, &QChart::plotAreaChanged, this,
            [this](const QRectF &area) { m_plotItem->setPlotArea(area); });
    connect(m_timeAxis, &QDateTimeAxis::rangeChanged, this, &LagChartView::updatePlotItem);
    connect(m_valueAxis, &QValueAxis::rangeChanged, this, &LagChartView::updatePlotItem);
    connect(m_timeAxis, &QDateTimeAxis::tickCountChanged, this, &LagChartView::updatePlotItem);
    connect(m_valueAxis, &QValueAxis::tickCountChanged, this, &LagChartView::updatePlotItem);

    m_view->setChart(m_chart); // the view owns the chart, the chart its axes and series
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setRubberBand(QChartView::NoRubberBand);

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    setValueKind(ValueKind::Bytes);
    applyTheme();
}

LagChartView::~LagChartView() = default;

void LagChartView::setValueKind(ValueKind kind)
{
    if (kind == m_kind && !m_unit.isEmpty())
        return;
    m_kind = kind;
    resetCache(); // the keys change with the kind; cached points are of the old series
    updateValueAxis(0);
    updateThresholdLine();
}

void LagChartView::setThreshold(double value)
{
    m_threshold = qMax(0.0, value);
    updateThresholdLine();
}

void LagChartView::setValueTitle(const QString &title)
{
    m_valueAxis->setTitleText(title);
}

QString LagChartView::valueTitle() const
{
    return m_valueAxis->titleText();
}

void LagChartView::setPlaceholderText(const QString &text)
{
    m_placeholder->setText(text);
    m_placeholder->setVisible(!text.isEmpty() && m_plots.isEmpty());
}

void LagChartView::setLineWidth(qreal width)
{
    m_lineWidth = qMax(0.5, width);
    m_plotItem->setLineWidth(m_lineWidth);
    for (int i = 0; i < m_plots.size(); ++i)
        m_plots[i].series->setPen(seriesPen(i));
}

void LagChartView::setDecimationEnabled(bool enabled)
{
    if (m_decimate == enabled)
        return;
    m_decimate = enabled;
    resetCache();
}

void LagChartView::setQtChartsPlot(bool on)
{
    if (m_qtChartsPlot == on)
        return;
    m_qtChartsPlot = on;
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_valueAxis)}) {
        axis->setGridLineVisible(on);
        axis->setLineVisible(on);
    }
    m_plotItem->setVisible(!on && !m_plots.isEmpty());
    for (int i = 0; i < m_plots.size(); ++i) {
        Plot &plot = m_plots[i];
        plot.series->replace(on ? plot.shown : QList<QPointF>());
        m_plotItem->setPoints(i, on ? QList<QPointF>() : plot.shown);
    }
}

int LagChartView::refresh(const MetricHistory &history, const QStringList &keys, qint64 windowMs,
                          qint64 nowMs, const QStringList &labels)
{
    QElapsedTimer clock;
    clock.start();
    m_stats = {};
    syncSeries(keys, labels);

    windowMs = qMax<qint64>(1000, windowMs);
    // Bucket counts move in steps of 16 so a label a few pixels wider does not throw away
    // every cached bucket.
    const int buckets = qMax(kMinBuckets, (plotWidth() / kBucketPixels) & ~15);
    const qint64 bucketMs = qMax<qint64>(2, (windowMs + buckets - 1) / buckets);
    if (windowMs != m_windowMs || bucketMs != m_bucketMs) {
        resetCache();
        m_windowMs = windowMs;
        m_bucketMs = bucketMs;
        updateTimeAxis();
    }
    m_from = nowMs - windowMs;
    m_to = nowMs;
    // One bucket left of the window, so lines run into the left edge instead of starting
    // a little inside it.
    const qint64 gridFrom = floorTo(m_from, bucketMs) - bucketMs;

    QList<bool> changed(m_plots.size(), false);
    double dataMax = 0;
    for (int i = 0; i < m_plots.size(); ++i) {
        Plot &plot = m_plots[i];
        changed[i] = updateRaw(plot, history.series(plot.key), gridFrom, nowMs);
        for (const QPointF &p : std::as_const(plot.raw))
            if (p.x() >= m_from && p.y() > dataMax)
                dataMax = p.y();
    }
    m_stats.decimateMs = clock.nsecsElapsed() / 1e6;

    clock.restart();
    const double oldScale = m_scale;
    updateValueAxis(dataMax);
    const bool rescaled = m_scale != oldScale;
    for (int i = 0; i < m_plots.size(); ++i) {
        Plot &plot = m_plots[i];
        m_stats.points += int(plot.raw.size());
        if (!changed[i] && !rescaled && plot.plotted)
            continue;
        plot.shown.clear();
        plot.shown.reserve(plot.raw.size());
        for (const QPointF &p : std::as_const(plot.raw))
            plot.shown.append(QPointF(p.x(), p.y() / m_scale));
        if (m_qtChartsPlot)
            plot.series->replace(plot.shown);
        else
            m_plotItem->setPoints(i, plot.shown);
        plot.plotted = true;
        ++m_stats.seriesReplaced;
    }
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(m_from),
                         QDateTime::fromMSecsSinceEpoch(m_to));
    updateThresholdLine();
    m_stats.replaceMs = clock.nsecsElapsed() / 1e6;
    return m_stats.seriesReplaced;
}

void LagChartView::syncSeries(const QStringList &keys, const QStringList &labels)
{
    auto labelOf = [&](int i) { return i < labels.size() ? labels[i] : keys[i]; };
    bool same = keys.size() == m_plots.size();
    for (int i = 0; same && i < keys.size(); ++i)
        same = m_plots[i].key == keys[i];
    if (same) {
        for (int i = 0; i < keys.size(); ++i)
            if (m_plots[i].series->name() != labelOf(i))
                m_plots[i].series->setName(labelOf(i));
        return;
    }

    // Streams come and go rarely (a selector changed, a standby appeared): rebuild, with
    // the threshold last so it closes the legend.
    for (Plot &plot : m_plots) {
        m_chart->removeSeries(plot.series);
        delete plot.series;
    }
    m_plots.clear();
    m_plotItem->setLineCount(int(keys.size()));
    m_chart->removeSeries(m_thresholdSeries);
    for (int i = 0; i < keys.size(); ++i) {
        Plot plot;
        plot.key = keys[i];
        plot.series = new QLineSeries;
        plot.series->setName(labelOf(i));
        plot.series->setPointsVisible(false);
        plot.series->setPen(seriesPen(i));
        m_chart->addSeries(plot.series);
        plot.series->attachAxis(m_timeAxis);
        plot.series->attachAxis(m_valueAxis);
        m_plots.append(plot);
    }
    m_chart->addSeries(m_thresholdSeries);
    m_thresholdSeries->attachAxis(m_timeAxis);
    m_thresholdSeries->attachAxis(m_valueAxis);
    applyTheme(); // re-adding resets the threshold's pen and the legend markers
    // Nothing to plot: a bare frame and the placeholder, not axes around emptiness.
    const bool any = !m_plots.isEmpty();
    m_timeAxis->setVisible(any);
    m_valueAxis->setVisible(any);
    m_plotItem->setVisible(any && !m_qtChartsPlot);
    m_chart->legend()->setVisible(any);
    m_placeholder->setVisible(!m_placeholder->text().isEmpty() && !any);
}

void LagChartView::updatePlotItem()
{
    m_plotItem->setRange(double(m_timeAxis->min().toMSecsSinceEpoch()),
                         double(m_timeAxis->max().toMSecsSinceEpoch()), m_valueAxis->min(),
                         m_valueAxis->max());
    m_plotItem->setTicks(m_timeAxis->tickCount(), m_valueAxis->tickCount());
}

bool LagChartView::updateRaw(Plot &plot, const TimeSeries *source, qint64 from, qint64 to)
{
    if (!source || source->isEmpty()) {
        const bool had = !plot.raw.isEmpty() || plot.size != 0;
        plot.raw.clear();
        plot.source = source;
        plot.size = 0;
        return had;
    }
    const TimeSeries::Point last = source->last();
    const bool sameSource = plot.source == source && plot.size >= 0;
    if (sameSource && source->size() == plot.size && last.t == plot.lastT && last.v == plot.lastV)
        return false;

    // New samples after the cached ones: only the last bucket and the ones after it are
    // decimated again; the rest of the window keeps its points.
    const bool appended = m_decimate && sameSource && !plot.raw.isEmpty() &&
                          source->size() >= plot.size && last.t >= plot.lastT;
    qint64 tail = appended ? floorTo(qint64(plot.raw.last().x()), m_bucketMs) : from;
    if (tail < from)
        tail = from;
    if (appended && tail > from) {
        qsizetype keep = plot.raw.size();
        while (keep > 0 && plot.raw[keep - 1].x() >= double(tail))
            --keep;
        plot.raw.resize(keep);
        qsizetype drop = 0;
        while (drop < plot.raw.size() && plot.raw[drop].x() < double(from))
            ++drop;
        plot.raw.remove(0, drop);
        const qint64 end = qMin(last.t, to + m_windowMs);
        for (qint64 b = tail; b <= end; b += m_bucketMs)
            plot.raw.append(source->decimated(b, b + m_bucketMs - 1, 1));
    } else if (m_decimate) {
        const qint64 n = (to - from) / m_bucketMs + 1;
        plot.raw = source->decimated(from, from + n * m_bucketMs, int(n));
    } else {
        plot.raw = source->decimated(from, qMax(to, last.t), 1 << 28); // every raw sample
    }
    plot.source = source;
    plot.size = source->size();
    plot.lastT = last.t;
    plot.lastV = last.v;
    return true;
}

void LagChartView::updateValueAxis(double dataMax)
{
    double top = dataMax;
    // The threshold sets the scale when the lag is near it (or nothing moves at all);
    // far above tiny lags it would flatten them to a line on the floor.
    if (m_threshold > 0 && (top <= 0 || top >= m_threshold / 10))
        top = qMax(top, m_threshold);
    top *= 1.08; // headroom so a peak does not touch the top edge
    Unit unit{1.0, "s"};
    if (m_kind == ValueKind::Bytes) {
        if (top <= 0)
            top = 1024;
        unit = bytesUnit(top);
    } else {
        if (top <= 0)
            top = 1;
        if (top < 1)
            unit = {0.001, "ms"};
    }
    const double scaled = top / unit.scale;
    double step = niceStep(scaled / 4);
    if (m_kind == ValueKind::Bytes && unit.scale == 1.0)
        step = qMax(1.0, step);
    const int ticks = qMax(1, int(std::ceil(scaled / step - 1e-9)));
    const int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step) - 1e-9));
    m_scale = unit.scale;
    m_unit = QString::fromLatin1(unit.name);
    m_valueAxis->setLabelFormat(QStringLiteral("%.%1f %2").arg(decimals).arg(m_unit));
    m_valueAxis->setRange(0, ticks * step);
    m_valueAxis->setTickCount(ticks + 1);
}

void LagChartView::updateTimeAxis()
{
    // Round label spacing: the largest step that gives 4 to 8 intervals over the window.
    static const qint64 steps[] = {5000,    10000,    15000,    30000,   60000,   120000,
                                   180000,  300000,   600000,   900000,  1800000, 3600000,
                                   7200000, 10800000, 21600000, 43200000};
    int intervals = 6;
    for (qint64 s : steps) {
        if (m_windowMs % s == 0 && m_windowMs / s >= 4 && m_windowMs / s <= 8) {
            intervals = int(m_windowMs / s);
            break;
        }
    }
    m_timeAxis->setTickCount(intervals + 1);
    m_timeAxis->setFormat(m_windowMs <= 15 * 60 * 1000 ? QStringLiteral("HH:mm:ss")
                                                       : QStringLiteral("HH:mm"));
}

void LagChartView::updateThresholdLine()
{
    const bool on = m_threshold > 0 && !m_plots.isEmpty();
    if (on) {
        const QString text =
            m_kind == ValueKind::Bytes ? formatBytes(m_threshold) : formatSeconds(m_threshold);
        const QString name = tr("warn %1").arg(text);
        if (m_thresholdSeries->name() != name)
            m_thresholdSeries->setName(name);
        // Exactly the window: nothing to clip, which SVG export cannot do.
        const double y = m_threshold / m_scale;
        const QList<QPointF> line{QPointF(double(m_from), y), QPointF(double(m_to), y)};
        if (m_thresholdSeries->points() != line)
            m_thresholdSeries->replace(line);
    }
    if (m_thresholdSeries->isVisible() != on)
        m_thresholdSeries->setVisible(on);
    for (QLegendMarker *marker : m_chart->legend()->markers(m_thresholdSeries))
        marker->setVisible(on);
}

void LagChartView::resetCache()
{
    for (Plot &plot : m_plots) {
        plot.source = nullptr;
        plot.size = -1;
        plot.raw.clear();
    }
}

QPen LagChartView::seriesPen(int index) const
{
    // Bevel joins and flat caps: round ones cost a Bezier arc per point when stroking (a
    // third of the render time in bench_chartredraw), for no visible gain at 2 px.
    return QPen(seriesColor(index), m_lineWidth, Qt::SolidLine, Qt::FlatCap, Qt::BevelJoin);
}

QColor LagChartView::seriesColor(int index) const
{
    const QColor c = kSeriesColors[index % std::size(kSeriesColors)];
    const bool dark = palette().color(QPalette::Base).lightnessF() < 0.5;
    return dark ? c.lighter(150) : c;
}

void LagChartView::applyTheme()
{
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::WindowText);
    QColor muted = text;
    muted.setAlphaF(0.72);
    // Grid lines a hint darker (or lighter) than the background, never competing with data.
    // LagPlotItem fills opaque pixels: the same colours mixed here.
    QColor grid = text;
    grid.setAlphaF(0.10);
    QColor axisLine = text;
    axisLine.setAlphaF(0.35);
    auto mix = [&](qreal a) {
        return QColor::fromRgbF(base.redF() + (text.redF() - base.redF()) * a,
                                base.greenF() + (text.greenF() - base.greenF()) * a,
                                base.blueF() + (text.blueF() - base.blueF()) * a);
    };
    m_plotItem->setGridColors(mix(0.10), mix(0.35));

    m_view->setBackgroundBrush(pal.color(QPalette::Window));
    m_chart->setBackgroundBrush(base);
    m_chart->setBackgroundPen(QPen(pal.color(QPalette::Mid), 1));
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->legend()->setLabelColor(text);
    m_chart->legend()->setBrush(Qt::NoBrush);
    m_chart->legend()->setPen(Qt::NoPen);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_valueAxis)}) {
        axis->setLabelsColor(muted);
        axis->setTitleBrush(muted);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(axisLine);
        axis->setShadesVisible(false);
    }
    for (int i = 0; i < m_plots.size(); ++i) {
        m_plots[i].series->setPen(seriesPen(i)); // the legend's marker, or the line itself
        m_plotItem->setColor(i, seriesColor(i));
    }
    QPen dashed(HealthStyle::color(NodeStatus::Health::Stale), 1.6, Qt::CustomDashLine);
    dashed.setDashPattern({3, 2.2}); // short enough that the legend's marker shows two dashes
    m_thresholdSeries->setPen(dashed);

    QPalette lp = m_placeholder->palette();
    lp.setColor(QPalette::WindowText, HealthStyle::staleText());
    m_placeholder->setPalette(lp);
}

void LagChartView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyTheme();
}

void LagChartView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_placeholder->setGeometry(m_view->rect().adjusted(24, 24, -24, -24));
}

int LagChartView::plotWidth() const
{
    const int w = int(m_chart->plotArea().width());
    // Before the first layout: a guess from the widget, corrected on the next refresh.
    return w >= 50 ? w : qMax(400, width() - 120);
}

QString LagChartView::seriesName(int i) const
{
    return m_plots.at(i).series->name();
}

QString LagChartView::seriesKey(int i) const
{
    return m_plots.at(i).key;
}

QList<QPointF> LagChartView::seriesPoints(int i) const
{
    return m_plots.at(i).shown;
}

bool LagChartView::thresholdVisible() const
{
    return m_thresholdSeries->isVisible() && m_thresholdSeries->count() == 2;
}

double LagChartView::thresholdPlotted() const
{
    return m_thresholdSeries->count() ? m_thresholdSeries->at(0).y() : 0;
}

QStringList LagChartView::valueAxisLabels() const
{
    QStringList labels;
    const int n = m_valueAxis->tickCount();
    const QByteArray format = m_valueAxis->labelFormat().toLatin1();
    for (int i = 0; i < n; ++i) {
        const double v =
            m_valueAxis->min() + i * (m_valueAxis->max() - m_valueAxis->min()) / (n - 1);
        labels << QString::asprintf(format.constData(), v);
    }
    return labels;
}

QImage LagChartView::renderImage(const QSize &requested, qreal dpr) const
{
    QSize size = requested;
    if (!size.isValid() || size.isEmpty())
        size = m_view->isVisible() ? m_view->size() : QSize(1280, 720);
    QImage image(size * dpr, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(palette().color(QPalette::Window));
    QPainter painter(&image);
    paintChart(&painter, size);
    painter.end();
    return image;
}

void LagChartView::paintChart(QPainter *painter, const QSize &size) const
{
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::TextAntialiasing);
    // Another size than on screen: lay the chart out at that size for the render only.
    const QSizeF shown = m_chart->size();
    const bool resized = shown.toSize() != size;
    if (resized) {
        m_chart->resize(size);
        m_chart->layout()->activate();
    }
    m_chart->scene()->render(painter, QRectF(QPointF(0, 0), size),
                             QRectF(m_chart->pos(), QSizeF(size)));
    if (resized) {
        m_chart->resize(shown);
        m_chart->layout()->activate();
    }
}

bool LagChartView::exportPng(const QString &path) const
{
    return renderImage({}, 2.0).save(path, "PNG");
}

bool LagChartView::exportSvg(const QString &path) const
{
    const QSize size = m_view->isVisible() ? m_view->size() : QSize(1280, 720);
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(tr("Replication lag"));
    svg.setDescription(tr("Exported by pgdeck"));
    QPainter painter;
    if (!painter.begin(&svg))
        return false;
    // Qt's SVG paint engine ignores the plot area's clip: hand it only what lies inside,
    // for the time of the export. LagPlotItem cuts its lines itself.
    if (m_qtChartsPlot)
        for (const Plot &plot : m_plots)
            plot.series->replace(clipToWindow(plot.shown, double(m_from), double(m_to)));
    const QList<QPointF> threshold = m_thresholdSeries->points();
    if (thresholdPlotted() > m_valueAxis->max())
        m_thresholdSeries->clear();
    painter.fillRect(QRect(QPoint(0, 0), size), palette().color(QPalette::Window));
    paintChart(&painter, size);
    const bool ok = painter.end();
    if (m_qtChartsPlot)
        for (const Plot &plot : m_plots)
            plot.series->replace(plot.shown);
    m_thresholdSeries->replace(threshold);
    return ok && QFileInfo(path).size() > 0;
}

QString LagChartView::formatBytes(double bytes)
{
    if (bytes < 0)
        return QStringLiteral("—");
    const Unit u = bytesUnit(bytes);
    return QStringLiteral("%1 %2").arg(trimmedNumber(bytes / u.scale), QLatin1String(u.name));
}

QString LagChartView::formatSeconds(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("—");
    if (seconds < 1)
        return QStringLiteral("%1 ms").arg(qRound(seconds * 1000));
    if (seconds < 600)
        return QStringLiteral("%1 s").arg(trimmedNumber(seconds));
    const qint64 s = qRound64(seconds);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

} // namespace pgdeck
