// Unit tests for the bounded ring buffer and its per-pixel decimation.
#include "monitor/timeseries.h"

#include <QtTest>

using namespace pgdeck;

class TestTimeSeries : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ringKeepsTheNewest()
    {
        TimeSeries s(5);
        for (int i = 0; i < 12; ++i)
            s.append(i * 1000, i);
        QCOMPARE(s.size(), 5);
        QCOMPARE(s.at(0).v, 7.0);
        QCOMPARE(s.last().v, 11.0);
        const qsizetype bytes = s.memoryBytes();
        for (int i = 12; i < 1000; ++i)
            s.append(i * 1000, i);
        QCOMPARE(s.memoryBytes(), bytes); // full: memory stays put however long it runs
        QVERIFY(s.memoryBytes() <= s.maxMemoryBytes());
        TimeSeries idle(86400);
        idle.append(0, 1);
        QVERIFY(idle.memoryBytes() < 4096); // an idle series does not reserve a day up front
    }

    void timeNeverGoesBackwards()
    {
        TimeSeries s(10);
        s.append(2000, 1);
        s.append(1000, 2);
        QCOMPARE(s.size(), 1);
    }

    void lowerBoundAcrossTheWrap()
    {
        TimeSeries s(4);
        for (int i = 0; i < 6; ++i)
            s.append(i * 10, i);
        QCOMPARE(s.lowerBound(0), 0);
        QCOMPARE(s.lowerBound(35), 2); // points are 20,30,40,50
        QCOMPARE(s.lowerBound(99), 4);
    }

    void decimationKeepsPeaks()
    {
        TimeSeries s(86400);
        for (int i = 0; i < 86400; ++i)
            s.append(qint64(i) * 1000, i == 43210 ? 1e9 : (i % 7));
        const QList<QPointF> pts = s.decimated(0, 86399 * 1000LL, 800);
        QVERIFY(pts.size() <= 1600);
        QVERIFY(pts.size() >= 800);
        double maxSeen = 0;
        for (int i = 1; i < pts.size(); ++i)
            QVERIFY(pts[i].x() >= pts[i - 1].x());
        for (const QPointF &p : pts)
            maxSeen = std::max(maxSeen, p.y());
        QCOMPARE(maxSeen, 1e9); // a one-second spike survives 100x decimation
    }

    void sparseWindowsAreUntouched()
    {
        TimeSeries s(100);
        for (int i = 0; i < 10; ++i)
            s.append(i * 1000, i);
        QCOMPARE(s.decimated(2000, 5000, 800).size(), 4);
        QCOMPARE(s.maxIn(0, 3000), 3.0);
    }
};

QTEST_GUILESS_MAIN(TestTimeSeries)
#include "tst_timeseries.moc"
