// What one live-chart redraw costs: 10 lag series of 24 h at 1 s (86,400 points each) in a
// 1600x900 LagChartView, offscreen. Times decimation, QXYSeries::replace() and a full
// render to a QImage, median and max over 50 redraws, each after one new sample per series
// (the 1 s tick), for the 24 h and the 1 min window; then the same with the decimation
// cache dropped every time, and the naive baseline that hands every raw point to
// replace(). Run by hand: bench_chartredraw [redraws]
#include "charts/lagchartview.h"
#include "monitor/metrichistory.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace pgdeck;

namespace {

constexpr int kSeries = 10;
constexpr int kPoints = 86400;
constexpr qint64 kDay = 86400 * 1000;

struct Row {
    const char *name;
    int pointsPerSeries = 0;
    QList<double> decimate = {}, replace = {}, render = {};
};

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty()    ? 0
           : v.size() % 2 ? v[v.size() / 2]
                          : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double maximum(const QList<double> &v)
{
    return v.isEmpty() ? 0 : *std::max_element(v.begin(), v.end());
}

double renderMs(LagChartView &chart, QImage &image)
{
    QElapsedTimer t;
    t.start();
    QCoreApplication::processEvents(); // the chart lays out its axes on a posted event
    QPainter p(&image);
    chart.render(&p);
    p.end();
    return t.nsecsElapsed() / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setFont(QFont(QStringLiteral("DejaVu Sans"), 9));
    const int redraws = argc > 1 ? qMax(1, atoi(argv[1])) : 50;

    MetricHistory history;
    const qint64 start = 1'700'000'000'000;
    QStringList keys, labels;
    for (int s = 0; s < kSeries; ++s) {
        labels << QStringLiteral("standby%1").arg(s + 1);
        keys << MetricHistory::lagKey(QStringLiteral("bench"), QStringLiteral("primary"),
                                      labels.last(), MetricHistory::Lag::ReplayBytes);
        for (int i = 0; i < kPoints; ++i)
            history.addPoint(keys.last(), start + qint64(i) * 1000,
                             (1 + s) * 400e3 * (1 + std::sin(i / (300.0 + 40 * s))) +
                                 300e3 * ((i * 7919 + s * 104729) % 1000) / 1000.0);
    }
    qint64 now = start + qint64(kPoints - 1) * 1000;

    LagChartView chart;
    chart.resize(1600, 900);
    chart.setThreshold(16.0 * 1024 * 1024);
    chart.show();
    QCoreApplication::processEvents();
    chart.refresh(history, keys, kDay, now, labels);
    QCoreApplication::processEvents();
    QImage image(chart.size(), QImage::Format_ARGB32_Premultiplied);

    auto tick = [&] {
        now += 1000;
        for (const QString &k : std::as_const(keys))
            history.addPoint(k, now, 500e3 + double(now % 7000) * 100);
    };
    auto measure = [&](Row &row, qint64 window, bool cold, int n) {
        chart.refresh(history, keys, window, now, labels); // settle window and axes
        renderMs(chart, image);
        for (int i = 0; i < n; ++i) {
            tick();
            if (cold) { // as if nothing were cached: every bucket decimated again
                chart.setDecimationEnabled(false);
                chart.setDecimationEnabled(true);
            }
            chart.refresh(history, keys, window, now, labels);
            row.decimate << chart.lastRefreshStats().decimateMs;
            row.replace << chart.lastRefreshStats().replaceMs;
            row.render << renderMs(chart, image);
        }
        row.pointsPerSeries = chart.lastRefreshStats().points / kSeries;
    };

    Row day{"24 h, decimated"}, dayCold{"24 h, cold cache"}, minute{"1 min, decimated"},
        dayThin{"24 h, 1 px lines"}, raw{"24 h, raw (naive)"};
    measure(day, kDay, false, redraws);
    measure(dayCold, kDay, true, redraws);
    measure(minute, 60 * 1000, false, redraws);
    chart.setLineWidth(1);
    measure(dayThin, kDay, false, redraws);
    chart.setLineWidth(2);
    // Baseline: every raw sample to replace(); a few rounds, it is slow.
    chart.setDecimationEnabled(false);
    measure(raw, kDay, false, 3);
    chart.setDecimationEnabled(true);

    std::printf("bench_chartredraw: %d series x %d points, 1600x900 chart offscreen, plot %d px, "
                "%d redraws (raw: 3)\n\n",
                kSeries, kPoints, chart.plotWidth(), redraws);
    std::printf("%-19s %8s | %9s %9s %9s | %9s %9s %9s | %9s\n", "case", "pts/ser", "decim med",
                "repl med", "rend med", "decim max", "repl max", "rend max", "total med");
    std::printf("%.*s\n", 111,
                "-------------------------------------------------------------------------"
                "------------------------------------------------------------------------");
    for (const Row *r : {&day, &dayCold, &minute, &dayThin, &raw}) {
        const double total = median(r->decimate) + median(r->replace) + median(r->render);
        std::printf("%-19s %8d | %9.2f %9.2f %9.2f | %9.2f %9.2f %9.2f | %9.2f\n", r->name,
                    r->pointsPerSeries, median(r->decimate), median(r->replace), median(r->render),
                    maximum(r->decimate), maximum(r->replace), maximum(r->render), total);
    }
    std::printf("\nms per redraw; decimation = reading the ring buffers into min/max pairs, "
                "replace = QXYSeries::replace() of all changed series, render = layout and "
                "paint to a QImage.\n");
    return 0;
}
