// The Replication page and its lag chart, fed with synthetic NodeStatus values over
// simulated time: series, decimation bounds, units, the threshold line, selectors, the
// slots model, standby cards and export. Set PGDECK_SCREENSHOT=<file.png> to also save the
// page as it looks at 1280x800.
#include "charts/lagchartview.h"
#include "common/healthstyle.h"
#include "monitor/metrichistory.h"
#include "replication/replicationpage.h"
#include "replication/slotstablemodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFrame>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace pgdeck;

namespace {

constexpr qint64 MB = 1024 * 1024;
const QString kCluster = QStringLiteral("orders");

ClusterSpec cluster()
{
    ClusterSpec c;
    c.name = kCluster;
    NodeSpec primary;
    primary.name = QStringLiteral("primary");
    primary.role = QStringLiteral("primary");
    NodeSpec s1;
    s1.name = QStringLiteral("standby1");
    s1.role = QStringLiteral("standby");
    s1.upstream = primary.name;
    NodeSpec s2 = s1;
    s2.name = QStringLiteral("standby2");
    c.nodes = {primary, s1, s2};
    c.monitor.lagWarnBytes = 16 * MB;
    c.monitor.lagWarnSeconds = 5;
    return c;
}

// Deterministic noise in [0, 1).
double noise(int i, int salt)
{
    quint32 x = quint32(i) * 2654435761u ^ quint32(salt) * 40503u;
    x ^= x >> 13;
    x *= 0x5bd1e995u;
    x ^= x >> 15;
    return (x & 0xffffff) / double(0x1000000);
}

// standby1 keeps up; standby2 sits on a slower link and falls behind during two bulk
// loads: one that it recovered from, and one going on at the end (i = n - 1).
StandbyLag lagAt(int which, int i, int n)
{
    StandbyLag l;
    l.name = which == 0 ? QStringLiteral("standby1") : QStringLiteral("standby2");
    l.clientAddr = which == 0 ? QStringLiteral("10.0.0.11") : QStringLiteral("10.0.1.12");
    l.pid = 4100 + which;
    l.state = QStringLiteral("streaming");
    l.syncState = which == 0 ? QStringLiteral("sync") : QStringLiteral("async");
    double replay;
    if (which == 0) {
        replay = 0.9 * MB + 0.5 * MB * std::sin(i / 23.0) + 0.7 * MB * noise(i, 1);
    } else {
        const int a = n - 640, b = n - 110; // the two loads start here
        replay = 1.4 * MB + 1.2 * MB * noise(i, 2);
        if (i >= a && i < a + 170)
            replay += 23.0 * MB * (i - a) / 170.0; // WAL piles up faster than it ships
        else if (i >= a + 170)
            replay += 23.0 * MB * std::exp(-(i - a - 170) / 35.0); // and drains
        if (i >= b)
            replay += 19.5 * MB * (i - b) / 110.0;
        replay += 0.8 * MB * noise(i, 3) * (replay > 4 * MB ? 1 : 0);
    }
    l.replayLagBytes = qint64(replay);
    l.flushLagBytes = qint64(replay * 0.62);
    l.writeLagBytes = qint64(replay * 0.35);
    l.sentLagBytes = qint64(replay * 0.08);
    const double rate = which == 0 ? 9.0 * MB : 3.6 * MB; // bytes replayed per second
    l.replayLagSeconds = 0.04 + replay / rate + 0.05 * noise(i, 4);
    l.flushLagSeconds = l.replayLagSeconds * 0.7;
    l.writeLagSeconds = l.replayLagSeconds * 0.4;
    return l;
}

ReplicationSlotInfo slot(const QString &name, const QString &type, bool active, qint64 retained,
                         const QString &walStatus, qint64 safe)
{
    ReplicationSlotInfo s;
    s.name = name;
    s.type = type;
    s.active = active;
    s.retainedBytes = retained;
    s.walStatus = walStatus;
    s.safeWalSize = safe;
    return s;
}

NodeStatus primaryAt(qint64 t, int i, int n)
{
    NodeStatus s;
    s.cluster = kCluster;
    s.node = QStringLiteral("primary");
    s.reachable = true;
    s.stale = false;
    s.version = QStringLiteral("15.14");
    s.uptimeSeconds = 86400;
    s.walPosition = qint64(i) * 3 * MB;
    s.standbyLags = {lagAt(0, i, n), lagAt(1, i, n)};
    s.standbys = 2;
    s.slots = {slot(QStringLiteral("standby1"), QStringLiteral("physical"), true,
                    s.standbyLags[0].replayLagBytes + 160 * 1024, QStringLiteral("reserved"),
                    qint64(1.0 * 1024 * MB)),
               slot(QStringLiteral("standby2"), QStringLiteral("physical"), true,
                    s.standbyLags[1].replayLagBytes + 160 * 1024, QStringLiteral("reserved"),
                    qint64(0.98 * 1024 * MB)),
               slot(QStringLiteral("analytics_cdc"), QStringLiteral("logical"), false,
                    qint64(1.37 * 1024 * MB), QStringLiteral("unreserved"), 112 * MB)};
    s.sampledAt = QDateTime::fromMSecsSinceEpoch(t);
    return s;
}

NodeStatus standbyAt(const QString &name, qint64 t)
{
    NodeStatus s;
    s.cluster = kCluster;
    s.node = name;
    s.reachable = true;
    s.stale = false;
    s.inRecovery = true;
    s.receiver.present = true;
    s.receiver.status = QStringLiteral("streaming");
    s.sampledAt = QDateTime::fromMSecsSinceEpoch(t);
    return s;
}

// `seconds` samples, 1 s apart, the last one at `now`. Returns the latest statuses.
QList<NodeStatus> feed(MetricHistory &history, qint64 now, int seconds)
{
    QList<NodeStatus> latest;
    for (int i = 0; i < seconds; ++i) {
        const qint64 t = now - qint64(seconds - 1 - i) * 1000;
        const NodeStatus p = primaryAt(t, i, seconds);
        history.add(p);
        if (i == seconds - 1)
            latest = {p, standbyAt(QStringLiteral("standby1"), t),
                      standbyAt(QStringLiteral("standby2"), t)};
    }
    return latest;
}

QComboBox *box(QWidget *page, const char *name)
{
    auto *b = page->findChild<QComboBox *>(QLatin1String(name));
    if (!b)
        qFatal("no combo box %s", name);
    return b;
}

QList<QFrame *> cards(QWidget *page)
{
    return page->findChildren<QFrame *>(QStringLiteral("standbyCard"));
}

QFrame *card(QWidget *page, const QString &standby)
{
    for (QFrame *c : cards(page))
        if (c->property("stream").toString().endsWith(QLatin1Char('/') + standby))
            return c;
    return nullptr;
}

QString cell(const QAbstractItemModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.index(row, column).data(role).toString();
}

} // namespace

class TestReplicationPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Same look on every machine: the bundled DejaVu at a fixed size.
        QApplication::setFont(QFont(QStringLiteral("DejaVu Sans"), 9));
    }

    void formatsHumanUnits()
    {
        QCOMPARE(LagChartView::formatBytes(0), QStringLiteral("0 B"));
        QCOMPARE(LagChartView::formatBytes(512), QStringLiteral("512 B"));
        QCOMPARE(LagChartView::formatBytes(16 * MB), QStringLiteral("16 MB"));
        QCOMPARE(LagChartView::formatBytes(2.4 * MB), QStringLiteral("2.4 MB"));
        QCOMPARE(LagChartView::formatBytes(1.5 * 1024 * MB), QStringLiteral("1.5 GB"));
        QCOMPARE(LagChartView::formatBytes(-1), QStringLiteral("—"));
        QCOMPARE(LagChartView::formatSeconds(0.35), QStringLiteral("350 ms"));
        QCOMPARE(LagChartView::formatSeconds(5), QStringLiteral("5 s"));
        QCOMPARE(LagChartView::formatSeconds(2.45), QStringLiteral("2.5 s"));
        QCOMPARE(LagChartView::formatSeconds(3725), QStringLiteral("1 h 2 min"));
    }

    void chartShowsOneLinePerStream()
    {
        MetricHistory history;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<NodeStatus> latest = feed(history, now, 1800);
        ReplicationPage page(&history);
        page.resize(1280, 800);
        page.setCluster(cluster());
        page.updateStatuses(latest);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        box(&page, "windowBox")->setCurrentIndex(2); // 15 min, redraws at once

        LagChartView *chart = page.chart();
        QCOMPARE(chart->seriesCount(), 2);
        QCOMPARE(chart->seriesName(0), QStringLiteral("standby1"));
        QCOMPARE(chart->seriesName(1), QStringLiteral("standby2"));
        QCOMPARE(chart->seriesKey(0), MetricHistory::lagKey(kCluster, QStringLiteral("primary"),
                                                            QStringLiteral("standby1"),
                                                            MetricHistory::Lag::ReplayBytes));
        QVERIFY(chart->plotWidth() > 600);
        QCOMPARE(chart->windowEnd() - chart->windowStart(), qint64(15 * 60 * 1000));
        for (int i = 0; i < chart->seriesCount(); ++i) {
            const QList<QPointF> points = chart->seriesPoints(i);
            QVERIFY(!points.isEmpty());
            QVERIFY2(points.size() <= 2 * chart->plotWidth(),
                     qPrintable(QStringLiteral("%1 points for %2 px")
                                    .arg(points.size())
                                    .arg(chart->plotWidth())));
        }

        // The dashed warning line at 16 MB, on a scale that shows it.
        QVERIFY(chart->thresholdVisible());
        QCOMPARE(chart->unitLabel(), QStringLiteral("MB"));
        QCOMPARE(chart->thresholdPlotted(), 16.0);
        QVERIFY(chart->valueAxisLabels().last().endsWith(QStringLiteral(" MB")));
        QVERIFY(chart->valueAxisLabels().size() >= 3);

        // A second redraw with no new sample replaces nothing; one new sample, one series.
        QCOMPARE(chart->refresh(history, {chart->seriesKey(0), chart->seriesKey(1)}, 15 * 60000,
                                now, {chart->seriesName(0), chart->seriesName(1)}),
                 0);
        history.addPoint(chart->seriesKey(1), now + 1000, 20.0 * MB);
        QCOMPARE(chart->refresh(history, {chart->seriesKey(0), chart->seriesKey(1)}, 15 * 60000,
                                now + 1000, {chart->seriesName(0), chart->seriesName(1)}),
                 1);
        QCOMPARE(chart->seriesPoints(1).last(), QPointF(double(now + 1000), 20.0));
    }

    void decimationKeepsPeaks()
    {
        // 6 h of samples into a 24 h window: far more samples than pixels.
        MetricHistory history;
        const qint64 now = 1'700'000'000'000;
        const QString key =
            MetricHistory::lagKey(kCluster, QStringLiteral("primary"), QStringLiteral("standby1"),
                                  MetricHistory::Lag::ReplayBytes);
        for (int i = 0; i < 6 * 3600; ++i)
            history.addPoint(key, now - qint64(6 * 3600 - 1 - i) * 1000,
                             i == 10000 ? 900.0 * MB : double(i % 100) * 1024);
        LagChartView chart;
        chart.resize(1600, 900);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.refresh(history, {key}, 86400000, now);
        QVERIFY(chart.plotWidth() > 1000);
        const QList<QPointF> points = chart.seriesPoints(0);
        QVERIFY(points.size() <= chart.plotWidth() / 2 + 8); // ~one point per two pixels
        double top = 0;
        for (const QPointF &p : points)
            top = qMax(top, p.y());
        QCOMPARE(chart.unitLabel(), QStringLiteral("MB"));
        QCOMPARE(top, 900.0); // the single spike survives decimation

        // Appending keeps the decimation incremental and the result identical to a full one.
        for (int i = 1; i <= 300; ++i)
            history.addPoint(key, now + i * 1000, double((i * 37) % 1000) * 1024);
        for (int i = 1; i <= 300; i += 7)
            chart.refresh(history, {key}, 86400000, now + i * 1000);
        chart.refresh(history, {key}, 86400000, now + 300 * 1000);
        const QList<QPointF> incremental = chart.seriesPoints(0);
        chart.setDecimationEnabled(false);
        chart.setDecimationEnabled(true); // drops the cache
        chart.refresh(history, {key}, 86400000, now + 300 * 1000);
        QCOMPARE(chart.seriesPoints(0), incremental);
    }

    void selectorsSwitchUnitsAndSeries()
    {
        MetricHistory history;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<NodeStatus> latest = feed(history, now, 900);
        ReplicationPage page(&history);
        page.resize(1280, 800);
        page.setCluster(cluster());
        page.updateStatuses(latest);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        LagChartView *chart = page.chart();
        QComboBox *kind = box(&page, "lagUnitBox");
        QComboBox *measure = box(&page, "measureBox");
        QComboBox *window = box(&page, "windowBox");

        measure->setCurrentIndex(measure->findText(QStringLiteral("sent")));
        QVERIFY(chart->seriesKey(0).endsWith(QStringLiteral("/sent_bytes")));
        QCOMPARE(chart->valueKind(), LagChartView::ValueKind::Bytes);

        kind->setCurrentIndex(kind->findText(QStringLiteral("seconds")));
        QCOMPARE(chart->valueKind(), LagChartView::ValueKind::Seconds);
        // No "sent" in seconds: back to replay, and the item cannot be picked.
        QCOMPARE(measure->currentText(), QStringLiteral("replay"));
        auto *items = qobject_cast<QStandardItemModel *>(measure->model());
        QVERIFY(items);
        QVERIFY(!items->item(measure->findText(QStringLiteral("sent")))->isEnabled());
        QCOMPARE(chart->seriesCount(), 2);
        QVERIFY(chart->seriesKey(0).endsWith(QStringLiteral("/replay_seconds")));
        QVERIFY(chart->unitLabel() == QLatin1String("s") ||
                chart->unitLabel() == QLatin1String("ms"));
        QVERIFY(chart->valueAxisLabels().last().endsWith(QLatin1Char(' ') + chart->unitLabel()));
        QCOMPARE(chart->thresholdPlotted(), 5.0);
        QVERIFY(chart->valueTitle().contains(QStringLiteral("replay")));

        measure->setCurrentIndex(measure->findText(QStringLiteral("flush")));
        QVERIFY(chart->seriesKey(1).endsWith(QStringLiteral("/flush_seconds")));
        QVERIFY(chart->valueTitle().contains(QStringLiteral("flush")));

        kind->setCurrentIndex(kind->findText(QStringLiteral("bytes")));
        QVERIFY(chart->seriesKey(1).endsWith(QStringLiteral("/flush_bytes")));
        QCOMPARE(chart->unitLabel(), QStringLiteral("MB"));
        QVERIFY(items->item(measure->findText(QStringLiteral("sent")))->isEnabled());

        window->setCurrentIndex(window->findText(QStringLiteral("1 min")));
        QCOMPARE(chart->windowEnd() - chart->windowStart(), qint64(60 * 1000));
        QVERIFY(chart->seriesPoints(0).size() <= 61);
        window->setCurrentIndex(window->findText(QStringLiteral("24 h")));
        QCOMPARE(chart->windowEnd() - chart->windowStart(), qint64(86400 * 1000));
    }

    void slotsModel()
    {
        SlotsTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        NodeStatus p = primaryAt(now, 100, 1000);
        p.slots.append(slot(QStringLiteral("gone"), QStringLiteral("physical"), false, 3 * MB,
                            QStringLiteral("lost"), -1));
        model.setStatuses({p, standbyAt(QStringLiteral("standby1"), now)});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(SlotsTableModel::ColumnCount));
        // Sorted by node, then slot name.
        QCOMPARE(cell(model, 0, SlotsTableModel::SlotColumn), QStringLiteral("analytics_cdc"));
        QCOMPARE(cell(model, 0, SlotsTableModel::TypeColumn), QStringLiteral("logical"));
        QCOMPARE(cell(model, 0, SlotsTableModel::ActiveColumn), QStringLiteral("inactive"));
        QCOMPARE(cell(model, 0, SlotsTableModel::RetainedColumn), QStringLiteral("1.4 GB"));
        QCOMPARE(cell(model, 0, SlotsTableModel::SafeWalSizeColumn), QStringLiteral("112 MB"));
        QCOMPARE(model.index(0, SlotsTableModel::WalStatusColumn)
                     .data(Qt::ForegroundRole)
                     .value<QColor>(),
                 SlotsTableModel::walStatusColor(QStringLiteral("unreserved")));
        QCOMPARE(cell(model, 1, SlotsTableModel::SlotColumn), QStringLiteral("gone"));
        QCOMPARE(cell(model, 1, SlotsTableModel::SafeWalSizeColumn), QStringLiteral("unlimited"));
        QCOMPARE(model.index(1, SlotsTableModel::WalStatusColumn)
                     .data(Qt::ForegroundRole)
                     .value<QColor>(),
                 SlotsTableModel::walStatusColor(QStringLiteral("lost")));
        QCOMPARE(cell(model, 2, SlotsTableModel::WalStatusColumn), QStringLiteral("reserved"));
        QVERIFY(
            !model.index(2, SlotsTableModel::WalStatusColumn).data(Qt::ForegroundRole).isValid());
        QVERIFY(SlotsTableModel::walStatusColor(QStringLiteral("extended")) == QColor());
        QCOMPARE(model.index(0, SlotsTableModel::RetainedColumn).data(SlotsTableModel::SortRole),
                 QVariant(qint64(1.37 * 1024 * MB)));
        QVERIFY(!model.index(0, 0).data(SlotsTableModel::StaleRole).toBool());

        // Same slots, new figures: cells change, rows stay.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        NodeStatus later = p;
        later.slots[1].retainedBytes += 5 * MB;
        model.setStatuses({later});
        QCOMPARE(reset.count(), 0);
        QVERIFY(changed.count() >= 1);

        // The primary stops answering: last values, greyed.
        NodeStatus down = later;
        down.reachable = false;
        down.stale = true;
        down.lastError = QStringLiteral("connection refused");
        model.setStatuses({down});
        QVERIFY(model.index(0, 0).data(SlotsTableModel::StaleRole).toBool());
        QCOMPARE(model.index(0, SlotsTableModel::WalStatusColumn)
                     .data(Qt::ForegroundRole)
                     .value<QColor>(),
                 HealthStyle::staleText());

        // A slot dropped: the rows change shape.
        NodeStatus fewer = later;
        fewer.slots.removeLast();
        model.setStatuses({fewer});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void standbyCards()
    {
        MetricHistory history;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<NodeStatus> latest = feed(history, now, 60);
        ReplicationPage page(&history);
        page.resize(1280, 800);
        ClusterSpec c = cluster();
        NodeSpec s3 = c.nodes[1];
        s3.name = QStringLiteral("standby3");
        c.nodes.append(s3);
        page.setCluster(c);
        page.updateStatuses(latest);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));

        QCOMPARE(cards(&page).size(), 3);
        QFrame *one = card(&page, QStringLiteral("standby1"));
        QVERIFY(one);
        QCOMPARE(one->property("stream").toString(), QStringLiteral("primary/standby1"));
        QVERIFY(!one->property("stale").toBool());
        QCOMPARE(one->findChild<QLabel *>(QStringLiteral("lagBytes"))->text(),
                 LagChartView::formatBytes(double(latest[0].standbyLags[0].replayLagBytes)));
        QCOMPARE(one->findChild<QLabel *>(QStringLiteral("lagSeconds"))->text(),
                 LagChartView::formatSeconds(latest[0].standbyLags[0].replayLagSeconds));
        QCOMPARE(one->findChild<QLabel *>(QStringLiteral("badge"))->text(), QStringLiteral("sync"));
        // In the inventory, not in pg_stat_replication.
        QFrame *three = card(&page, QStringLiteral("standby3"));
        QVERIFY(three);
        QVERIFY(!three->property("present").toBool());
        QVERIFY(three->findChild<QLabel *>(QStringLiteral("route"))
                    ->text()
                    .contains(QStringLiteral("not streaming")));

        // The primary goes stale: its figures stay, marked as such.
        NodeStatus stale = latest[0];
        stale.stale = true;
        page.updateStatuses({stale});
        one = card(&page, QStringLiteral("standby1"));
        QVERIFY(one->property("stale").toBool());
        QCOMPARE(one->findChild<QLabel *>(QStringLiteral("badge"))->text(),
                 QStringLiteral("stale"));
        QVERIFY(card(&page, QStringLiteral("standby3"))->property("stale").toBool());

        // standby3 leaves the inventory, and its card with it.
        page.setCluster(cluster());
        QCOMPARE(cards(&page).size(), 2);
        QVERIFY(!card(&page, QStringLiteral("standby3")));

        // No cluster: nothing at all.
        page.setCluster({});
        QCOMPARE(cards(&page).size(), 0);
        QCOMPARE(page.chart()->seriesCount(), 0);
        QVERIFY(!page.chart()->thresholdVisible());
    }

    void exportsPngAndSvg()
    {
        MetricHistory history;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<NodeStatus> latest = feed(history, now, 300);
        ReplicationPage page(&history);
        page.resize(1280, 800);
        page.setCluster(cluster());
        page.updateStatuses(latest);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // PGDECK_EXPORT_DIR keeps the files, to look at them.
        if (qEnvironmentVariableIsSet("PGDECK_EXPORT_DIR"))
            dir.setAutoRemove(false);
        const QString png = dir.filePath(QStringLiteral("lag.png"));
        const QString svg = dir.filePath(QStringLiteral("lag.svg"));
        if (!dir.autoRemove())
            qInfo("exports in %s", qPrintable(dir.path()));
        QVERIFY(page.exportChart(png));
        QVERIFY(page.exportChart(svg));
        QVERIFY(!page.exportChart(dir.filePath(QStringLiteral("lag.bmpx"))));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= page.chart()->width());
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("standby2")); // the legend is there as text

        // Not shown: exports at a default size rather than failing.
        LagChartView hidden;
        hidden.refresh(history, {page.chart()->seriesKey(0)}, 300000, now);
        QVERIFY(hidden.exportPng(dir.filePath(QStringLiteral("hidden.png"))));
        QCOMPARE(QImage(dir.filePath(QStringLiteral("hidden.png"))).size(), QSize(2560, 1440));
    }

    void redraw24hTenSeries()
    {
        // The worst case the page allows: 10 streams, full 24 h at 1 s.
        MetricHistory history;
        const qint64 now = 1'700'000'000'000;
        QStringList keys, labels;
        for (int s = 0; s < 10; ++s) {
            const QString standby = QStringLiteral("standby%1").arg(s + 1);
            keys << MetricHistory::lagKey(kCluster, QStringLiteral("primary"), standby,
                                          MetricHistory::Lag::ReplayBytes);
            labels << standby;
            for (int i = 0; i < 86400; ++i)
                history.addPoint(keys.last(), now - qint64(86399 - i) * 1000,
                                 (1 + s) * 0.4 * MB * (1 + std::sin(i / (300.0 + 40 * s))) +
                                     0.3 * MB * noise(i, s));
        }
        LagChartView chart;
        chart.resize(1600, 900);
        chart.setThreshold(16 * MB);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.refresh(history, keys, 86400000, now, labels);
        QCoreApplication::processEvents(); // lays out the axes: the plot width is final
        QImage image(chart.size(), QImage::Format_ARGB32_Premultiplied);

        QElapsedTimer t;
        t.start();
        chart.setDecimationEnabled(false);
        chart.setDecimationEnabled(true); // cold: decimate everything
        chart.refresh(history, keys, 86400000, now, labels);
        const double full = t.nsecsElapsed() / 1e6;
        const auto stats = chart.lastRefreshStats();
        t.restart();
        QCoreApplication::processEvents();
        chart.render(&image);
        const double render = t.nsecsElapsed() / 1e6;

        for (const QString &k : keys)
            history.addPoint(k, now + 1000, 1.0 * MB);
        t.restart();
        chart.refresh(history, keys, 86400000, now + 1000, labels);
        const double tick = t.nsecsElapsed() / 1e6;
        qInfo("24 h x 10 series at %d px: full redraw %.1f ms (decimate %.1f, replace %.1f, %d "
              "points), render %.1f ms; next 1 s tick %.1f ms",
              chart.plotWidth(), full, stats.decimateMs, stats.replaceMs, stats.points, render,
              tick);
        QCOMPARE(chart.seriesCount(), 10);
        QVERIFY(stats.points <= 10 * 2 * chart.plotWidth());
    }

    void screenshot()
    {
        const QString path = qEnvironmentVariable("PGDECK_SCREENSHOT");
        if (path.isEmpty())
            QSKIP("set PGDECK_SCREENSHOT=<file.png> to save the page");
        MetricHistory history;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<NodeStatus> latest = feed(history, now, 1800);
        ReplicationPage page(&history);
        page.setWindowTitle(QStringLiteral("pgdeck — Replication"));
        page.resize(1280, 800);
        page.setCluster(cluster());
        page.updateStatuses(latest);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        box(&page, "windowBox")->setCurrentIndex(2); // 15 min: both loads in view
        QTest::qWait(50);
        QVERIFY(page.grab().save(path));
    }
};

QTEST_MAIN(TestReplicationPage)
#include "tst_replicationpage.moc"
