// What the Shards page costs with 100,000 placements: aggregation (per worker, per table,
// skew), the model reset, the stacked bar chart and the first full paint of the page at
// 1600x900, offscreen. The placements are generated here (100 tables x 1,000 shards over
// 8 workers): reading them from servers is not part of these figures. Sorting and filtering
// go straight to the model (no typing delay) and include the events that follow, so the view's
// relayout and repaint are counted too.
//   bench_shardspage [placements]
#include "shards/shardspage.h"
#include "shards/shardtablemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QTableView>

#include <cstdio>

using namespace pgdeck;

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? qMax(1, atoi(argv[1])) : 100000;
    ShardDistribution d;
    d.backend = QStringLiteral("native");
    d.placements.reserve(count);
    for (int i = 0; i < count; ++i)
        d.placements << ShardPlacement{
            QStringLiteral("table_%1").arg(i % 100),
            QStringLiteral("table_%1_p%2").arg(i % 100).arg(i / 100),
            QStringLiteral("worker%1").arg(i % 8 + 1),
            QStringLiteral("FOR VALUES WITH (modulus 1000, remainder %1)").arg(i / 100),
            1000 + (i * 7919) % 5000,
            81920 + (i * 104729) % 65536};
    ShardsPage page;
    page.resize(1600, 900);
    page.show();
    QCoreApplication::processEvents();
    QImage image(page.size(), QImage::Format_ARGB32_Premultiplied);
    QElapsedTimer t;
    t.start();
    const double skew = d.skew();
    const qint64 aggregateNs = t.nsecsElapsed();
    t.restart();
    page.setDistribution(d);
    const qint64 presentNs = t.nsecsElapsed();
    t.restart();
    QCoreApplication::processEvents();
    QPainter p(&image);
    page.render(&p);
    p.end();
    const qint64 paintNs = t.nsecsElapsed();
    // Sorting by size and filtering, as a user would.
    ShardTableModel *model = page.model();
    const auto timed = [&t](auto &&action) {
        t.restart();
        action();
        QCoreApplication::processEvents();
        return t.nsecsElapsed();
    };
    const qint64 sortNs = timed([&] { page.table()->sortByColumn(5, Qt::DescendingOrder); });
    const qint64 filterNs = timed([&] { page.setFilterText(QStringLiteral("worker3")); });
    const int filterRows = model->matchingRows();
    const qint64 otherFilterNs = timed([&] { page.setFilterText(QStringLiteral("table_7")); });
    const int otherFilterRows = model->matchingRows();
    const qint64 refineNs = timed([&] { page.setFilterText(QStringLiteral("table_7_p1")); });
    const int refineRows = model->matchingRows();
    const qint64 clearNs = timed([&] { page.setFilterText({}); });
    const int clearRows = model->matchingRows();
    const qint64 sortByNameNs = timed([&] { page.table()->sortByColumn(1, Qt::AscendingOrder); });
    const int fetchedRows = model->rowCount();
    const double total = (aggregateNs + presentNs + paintNs) / 1e6;
    std::printf("bench_shardspage: %d placements, 100 tables, 8 workers, 1600x900 offscreen\n\n",
                count);
    std::printf("skew per worker (aggregate)          %8.1f ms   (skew %.2f)\n", aggregateNs / 1e6,
                skew);
    std::printf("present: model reset, bars, summary   %8.1f ms\n", presentNs / 1e6);
    std::printf("first paint of the page               %8.1f ms\n", paintNs / 1e6);
    std::printf("aggregate + present + first paint     %8.1f ms   goal (with fetch) < 1000 ms\n",
                total);
    std::printf("sort by size                          %8.1f ms\n", sortNs / 1e6);
    std::printf("filter \"worker3\" (%d rows left)     %8.1f ms\n", filterRows, filterNs / 1e6);
    std::printf("filter \"worker3\" -> \"table_7\" (%d)    %8.1f ms\n", otherFilterRows,
                otherFilterNs / 1e6);
    std::printf("refine \"table_7\" -> \"table_7_p1\" (%d) %7.1f ms   scans the %d rows left\n",
                refineRows, refineNs / 1e6, otherFilterRows);
    std::printf("clear the filter (%d rows)          %8.1f ms\n", clearRows, clearNs / 1e6);
    std::printf("sort by shard name                    %8.1f ms\n", sortByNameNs / 1e6);
    std::printf("rows handed to the view so far        %8d     of %d, the rest on scrolling\n",
                fetchedRows, model->matchingRows());
    return 0;
}
