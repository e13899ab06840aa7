// What one live-chart redraw costs: 10 lag series of 24 h at 1 s (86,400 points each) in a
// 1600x900 LagChartView, offscreen. Times decimation, the series update and one full
// repaint of the window, median and max over 50 redraws, each after one new sample per series (the
// 1 s tick), for the 24 h and the 1 min window; then the same with the decimation cache
// dropped every time, with no lines at all (the frame: grid, axes, legend, threshold), with
// grid, axis lines and lag lines drawn by Qt Charts (QLineSeries; the path before
// LagPlotItem), and the naive baseline that hands every raw point to QLineSeries::replace().
// Run by hand: bench_chartredraw [redraws] [--png PREFIX]; with --png it also saves the 24 h
// and 1 min charts as each path draws them, PREFIX-{24h,1min}-{plot,qtcharts}.png.
#include "charts/lagchartview.h"
#include "monitor/metrichistory.h"

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

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

// One full redraw as on screen: the chart lays out its axes on a posted event, then the
// whole window is painted into its backing store (a QImage on the offscreen platform) and
// flushed. (Rendering to another QImage besides would count every redraw twice.)
double renderMs(LagChartView &chart)
{
    QElapsedTimer t;
    t.start();
    chart.update(); // all of it, not only what changed
    QCoreApplication::processEvents();
    QCoreApplication::processEvents(); // anything the layout posted
    return t.nsecsElapsed() / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setFont(QFont(QStringLiteral("DejaVu Sans"), 9));
    const QStringList args = QCoreApplication::arguments();
    const int redraws = args.size() > 1 ? qMax(1, args[1].toInt()) : 50;
    const qsizetype pngAt = args.indexOf(QStringLiteral("--png"));
    const QString png = pngAt > 0 && pngAt + 1 < args.size() ? args[pngAt + 1] : QString();

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

    auto tick = [&] {
        now += 1000;
        for (const QString &k : std::as_const(keys))
            history.addPoint(k, now, 500e3 + double(now % 7000) * 100);
    };
    MetricHistory none; // the same keys with no samples: axes, legend and threshold only
    auto measure = [&](Row &row, qint64 window, bool cold, int n, bool empty = false) {
        const MetricHistory &h = empty ? none : history;
        chart.refresh(h, keys, window, now, labels); // settle window and axes
        renderMs(chart);
        for (int i = 0; i < n; ++i) {
            tick();
            if (cold) { // as if nothing were cached: every bucket decimated again
                chart.setDecimationEnabled(false);
                chart.setDecimationEnabled(true);
            }
            chart.refresh(h, keys, window, now, labels);
            row.decimate << chart.lastRefreshStats().decimateMs;
            row.replace << chart.lastRefreshStats().replaceMs;
            row.render << renderMs(chart);
        }
        row.pointsPerSeries = chart.lastRefreshStats().points / kSeries;
    };

    Row day{"24 h, decimated"}, dayCold{"24 h, cold cache"}, minute{"1 min, decimated"},
        frame{"24 h, no lines"}, dayQt{"24 h, Qt Charts plot"}, minuteQt{"1 min, Qt Charts plot"},
        raw{"24 h, raw (naive)"};
    auto save = [&](const char *what) {
        if (png.isEmpty())
            return;
        for (const auto &[window, name] : {std::pair{kDay, "24h"}, std::pair{60'000LL, "1min"}}) {
            chart.refresh(history, keys, window, now, labels);
            QCoreApplication::processEvents();
            chart.renderImage().save(QStringLiteral("%1-%2-%3.png").arg(png, name, what));
        }
    };
    save("plot");
    measure(day, kDay, false, redraws);
    measure(dayCold, kDay, true, redraws);
    measure(minute, 60 * 1000, false, redraws);
    measure(frame, kDay, false, redraws, true);
    // Grid, axis lines and lag lines drawn by Qt Charts (QLineSeries), as before LagPlotItem.
    chart.setQtChartsPlot(true);
    save("qtcharts");
    measure(dayQt, kDay, false, redraws);
    measure(minuteQt, 60 * 1000, false, redraws);
    // Baseline: every raw sample to replace(); a few rounds, it is slow.
    chart.setDecimationEnabled(false);
    measure(raw, kDay, false, 3);
    chart.setDecimationEnabled(true);
    chart.setQtChartsPlot(false);

    std::printf("bench_chartredraw: %d series x %d points, 1600x900 chart offscreen, plot %d px, "
                "%d redraws (raw: 3)\n\n",
                kSeries, kPoints, chart.plotWidth(), redraws);
    std::printf("%-19s %8s | %9s %9s %9s | %9s %9s %9s | %9s\n", "case", "pts/ser", "decim med",
                "repl med", "rend med", "decim max", "repl max", "rend max", "total med");
    std::printf("%.*s\n", 111,
                "-------------------------------------------------------------------------"
                "------------------------------------------------------------------------");
    for (const Row *r : {&day, &dayCold, &minute, &frame, &dayQt, &minuteQt, &raw}) {
        const double total = median(r->decimate) + median(r->replace) + median(r->render);
        std::printf("%-19s %8d | %9.2f %9.2f %9.2f | %9.2f %9.2f %9.2f | %9.2f\n", r->name,
                    r->pointsPerSeries, median(r->decimate), median(r->replace), median(r->render),
                    maximum(r->decimate), maximum(r->replace), maximum(r->render), total);
    }
    std::printf("\nms per redraw; decimation = reading the ring buffers into min/max pairs, "
                "replace = handing the changed series to LagPlotItem (Qt Charts rows: "
                "QXYSeries::replace()), render = layout, paint and flush of the whole window.\n");
    return 0;
}
