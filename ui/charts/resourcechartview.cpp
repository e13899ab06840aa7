#include "resourcechartview.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace pgdeck {

ResourceChartView::ResourceChartView(Kind kind, const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_kind(kind)
    , m_title(title)
    , m_view(new QChartView(this))
    , m_chart(new QChart)
    , m_series(new QLineSeries)
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(new QValueAxis)
{
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setLocalizeNumbers(false);
    m_chart->setMargins(QMargins(4, 4, 10, 4));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(6);
    m_chart->legend()->setVisible(false);
    QFont titleFont = font();
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);
    m_chart->setTitle(title);

    m_chart->addSeries(m_series);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_series->attachAxis(m_timeAxis);
    m_series->attachAxis(m_valueAxis);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTickCount(4);
    m_valueAxis->setTickCount(5);
    m_valueAxis->setMinorTickCount(0);
    m_valueAxis->setLabelFormat(QStringLiteral("%.4g"));

    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    QColor muted = text;
    muted.setAlphaF(0.72);
    QColor grid = text;
    grid.setAlphaF(0.10);
    m_view->setBackgroundBrush(pal.color(QPalette::Window));
    m_chart->setBackgroundBrush(pal.color(QPalette::Base));
    m_chart->setBackgroundPen(QPen(pal.color(QPalette::Mid), 1));
    m_chart->setTitleBrush(text);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_valueAxis)}) {
        axis->setLabelsColor(muted);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
    const QColor line = kind == Kind::Percent ? QColor(0x1f, 0x6f, 0xd1) : QColor(0x8a, 0x3f, 0xc7);
    m_series->setPen(QPen(line, 2));

    m_view->setChart(m_chart); // the view owns the chart, the chart its axes and series
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(150);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    clear();
}

void ResourceChartView::plot(const TimeSeries &series, qint64 nowMs)
{
    if (series.isEmpty()) {
        clear();
        return;
    }
    const qint64 from =
        std::max(nowMs - kMaxWindowMs, std::min(series.at(0).t, nowMs - kMinWindowMs));
    // About one point per two pixels, the most the eye (and Qt Charts) can use.
    const int buckets = std::max(50, int(m_chart->plotArea().width()) / 4);
    QList<QPointF> points = series.decimated(from, nowMs, buckets);
    double peak = 0;
    for (const QPointF &p : points)
        peak = std::max(peak, p.y());
    double scale = 1.0;
    QString unit = QStringLiteral("%");
    if (m_kind == Kind::Bytes) {
        const bool gib = peak >= 1024.0 * 1024 * 1024;
        scale = gib ? 1024.0 * 1024 * 1024 : 1024.0 * 1024;
        unit = gib ? QStringLiteral("GiB") : QStringLiteral("MiB");
    }
    for (QPointF &p : points)
        p.setY(p.y() / scale);
    m_series->replace(points);
    m_chart->setTitle(QStringLiteral("%1 (%2)").arg(m_title, unit));
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(from),
                         QDateTime::fromMSecsSinceEpoch(nowMs));
    // Headroom above the peak; a floor so an idle container is not all noise.
    const double top = std::max(peak / scale * 1.25, 1.0);
    m_valueAxis->setRange(0, top);
    m_valueAxis->applyNiceNumbers();
    m_valueAxis->setMin(0);
}

void ResourceChartView::clear()
{
    m_series->clear();
    m_chart->setTitle(m_title);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(now - kMinWindowMs),
                         QDateTime::fromMSecsSinceEpoch(now));
    m_valueAxis->setRange(0, 1);
}

int ResourceChartView::pointCount() const
{
    return int(m_series->count());
}

} // namespace pgdeck
