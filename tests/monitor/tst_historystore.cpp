// Unit tests for the on-disk chart history: what is appended comes back after a restart
// under the same keys, retention bounds the file, and bad paths say which path.
#include "monitor/historystore.h"
#include "monitor/metrichistory.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace pgdeck;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kHour = 3600 * kSecond;

NodeStatus sampled(const QString &node, qint64 t)
{
    NodeStatus s;
    s.cluster = QStringLiteral("orders");
    s.node = node;
    s.reachable = true;
    s.stale = false;
    s.version = QStringLiteral("15.14");
    s.sampledAt = QDateTime::fromMSecsSinceEpoch(t);
    return s;
}

// A primary streaming to two standbys: s1 falls behind and catches up, s2 is idle (NULL
// time lags), plus a slot that retains WAL.
NodeStatus primary(qint64 t, int i)
{
    NodeStatus s = sampled(QStringLiteral("p"), t);
    s.uptimeSeconds = 1000 + i;
    s.connections = 10 + i % 5;
    s.activeConnections = i % 3;
    s.tps = 100.25 + i;
    s.cacheHitRatio = 0.99;
    s.standbys = 2;
    StandbyLag a;
    a.name = QStringLiteral("s1");
    a.state = QStringLiteral("streaming");
    a.sentLagBytes = (i % 60) * 1000;
    a.writeLagBytes = (i % 60) * 800;
    a.flushLagBytes = (i % 60) * 600;
    a.replayLagBytes = (i % 60) * 400;
    a.writeLagSeconds = 0.001 * (i % 60);
    a.flushLagSeconds = 0.002 * (i % 60);
    a.replayLagSeconds = 0.003 * (i % 60);
    StandbyLag b;
    b.name = QStringLiteral("s2");
    b.state = QStringLiteral("streaming");
    b.sentLagBytes = 0;
    b.writeLagBytes = 0;
    b.flushLagBytes = 0;
    b.replayLagBytes = 0;
    s.standbyLags = {a, b};
    ReplicationSlotInfo slot;
    slot.name = QStringLiteral("s1_slot");
    slot.type = QStringLiteral("physical");
    slot.active = true;
    slot.retainedBytes = 16384LL * (i % 100);
    s.slots = {slot};
    return s;
}

NodeStatus standby(const QString &name, qint64 t, int i)
{
    NodeStatus s = sampled(name, t);
    s.inRecovery = true;
    s.connections = 3;
    s.activeConnections = i % 2;
    s.tps = 5.5;
    s.cacheHitRatio = 0.95;
    s.receiver.present = true;
    s.receiver.status = QStringLiteral("streaming");
    return s;
}

int pointsIn(const MetricHistory &h)
{
    int n = 0;
    for (const QString &k : h.keys())
        n += h.series(k)->size();
    return n;
}

// The loaded history has the reference's keys and, per key, its newest points.
void compareHistories(const MetricHistory &loaded, const MetricHistory &ref)
{
    QCOMPARE(loaded.keys(), ref.keys());
    for (const QString &key : ref.keys()) {
        const TimeSeries *a = loaded.series(key);
        const TimeSeries *b = ref.series(key);
        QVERIFY2(a && b, qPrintable(key));
        QCOMPARE(a->size(), b->size());
        for (int i = 0; i < a->size(); ++i) {
            QCOMPARE(a->at(i).t, b->at(i).t);
            QCOMPARE(a->at(i).v, b->at(i).v);
        }
    }
}

} // namespace

class TestHistoryStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("%1/history.sqlite").arg(++m_case));
    }

    void defaultPathFollowsXdg()
    {
        const QByteArray oldData = qgetenv("PGDECK_DATA_DIR");
        const QByteArray oldXdg = qgetenv("XDG_DATA_HOME");
        qputenv("PGDECK_DATA_DIR", "/tmp/pgdeck-data");
        QCOMPARE(HistoryStore::defaultPath(), QStringLiteral("/tmp/pgdeck-data/history.sqlite"));
        qunsetenv("PGDECK_DATA_DIR");
        qputenv("XDG_DATA_HOME", "/tmp/xdg-data");
        QCOMPARE(HistoryStore::defaultPath(),
                 QStringLiteral("/tmp/xdg-data/pgdeck/history.sqlite"));
        qputenv("XDG_DATA_HOME", "relative/is/ignored");
        QCOMPARE(HistoryStore::defaultPath(),
                 QDir::homePath() + QStringLiteral("/.local/share/pgdeck/history.sqlite"));
        oldData.isNull() ? qunsetenv("PGDECK_DATA_DIR") : qputenv("PGDECK_DATA_DIR", oldData);
        oldXdg.isNull() ? qunsetenv("XDG_DATA_HOME") : qputenv("XDG_DATA_HOME", oldXdg);
    }

    void survivesRestart()
    {
        const qint64 end = QDateTime::currentMSecsSinceEpoch() - kSecond;
        const int seconds = 600;
        MetricHistory ref;
        HistoryStore store(m_path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        for (int i = 0; i < seconds; ++i) {
            const qint64 t = end - (seconds - 1 - i) * kSecond;
            const QList<NodeStatus> batch = {primary(t, i), standby(QStringLiteral("s1"), t, i),
                                             standby(QStringLiteral("s2"), t, i)};
            for (const NodeStatus &s : batch)
                ref.add(s);
            QVERIFY2(store.append(batch, &error), qPrintable(error));
        }
        // 5 node series x 3 nodes, 7 lag series x 2 standbys, 1 slot.
        QCOMPARE(ref.keys().size(), 30);
        QVERIFY(ref.keys().contains(MetricHistory::lagKey(QStringLiteral("orders"),
                                                          QStringLiteral("p"), QStringLiteral("s2"),
                                                          MetricHistory::Lag::ReplaySeconds)));
        QCOMPARE(store.pointCount(), qint64(pointsIn(ref)));

        // A second instance on the same file while the first is still open: a distinct
        // connection name, and WAL lets it read what the first committed.
        HistoryStore reopened(m_path);
        QVERIFY2(reopened.open(&error), qPrintable(error));
        MetricHistory loaded;
        const int n = reopened.loadInto(&loaded, kHour, &error);
        QVERIFY2(n >= 0, qPrintable(error));
        QCOMPARE(n, pointsIn(ref));
        compareHistories(loaded, ref);
        QCOMPARE(loaded.streams(QStringLiteral("orders")),
                 QStringList({QStringLiteral("p/s1"), QStringLiteral("p/s2")}));

        // A short window loads only its tail; a small ring only its newest points.
        const qint64 window = 120 * kSecond;
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        MetricHistory recent;
        QVERIFY(reopened.loadInto(&recent, window, &error) > 0);
        QCOMPARE(recent.keys(), ref.keys());
        for (const QString &key : recent.keys()) {
            const TimeSeries *s = recent.series(key);
            QVERIFY(s->at(0).t >= before - window);
            QVERIFY(s->size() < ref.series(key)->size());
            QCOMPARE(s->last().v, ref.series(key)->last().v);
        }
        MetricHistory small(50);
        QCOMPARE(reopened.loadInto(&small, kHour, &error), 50 * 30);
        const QString lag =
            MetricHistory::lagKey(QStringLiteral("orders"), QStringLiteral("p"),
                                  QStringLiteral("s1"), MetricHistory::Lag::ReplayBytes);
        QCOMPARE(small.series(lag)->at(0).t, ref.series(lag)->at(seconds - 50).t);
        QCOMPARE(small.series(lag)->last().v, ref.series(lag)->last().v);
    }

    void reopenAfterClose()
    {
        const qint64 t = QDateTime::currentMSecsSinceEpoch() - 10 * kSecond;
        MetricHistory ref;
        {
            HistoryStore store(m_path);
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));
            const QList<NodeStatus> batch = {primary(t, 7), primary(t + kSecond, 8)};
            for (const NodeStatus &s : batch)
                ref.add(s);
            QVERIFY2(store.append(batch, &error), qPrintable(error));
        }
        QVERIFY(QFile::exists(m_path));
        HistoryStore store(m_path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        MetricHistory loaded;
        QCOMPARE(store.loadInto(&loaded, kHour, &error), pointsIn(ref));
        compareHistories(loaded, ref);
    }

    void staleAndDownWriteOnlyUp()
    {
        HistoryStore store(m_path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        NodeStatus stale = primary(QDateTime::currentMSecsSinceEpoch() - kSecond, 1);
        stale.stale = true;
        NodeStatus down;
        down.cluster = QStringLiteral("orders");
        down.node = QStringLiteral("w1");
        down.lastError = QStringLiteral("connection refused");
        QVERIFY2(store.append({stale, down}, &error), qPrintable(error));
        MetricHistory loaded;
        QCOMPARE(store.loadInto(&loaded, kHour, &error), 2);
        const QString pUp = MetricHistory::nodeKey(QStringLiteral("orders"), QStringLiteral("p"),
                                                   MetricHistory::NodeMetric::Up);
        const QString wUp = MetricHistory::nodeKey(QStringLiteral("orders"), QStringLiteral("w1"),
                                                   MetricHistory::NodeMetric::Up);
        QCOMPARE(loaded.keys(), QStringList({pUp, wUp}));
        QCOMPARE(loaded.series(pUp)->last().v, 0.0);
        QCOMPARE(loaded.series(wUp)->last().v, 0.0);
    }

    void retentionPrunes()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        HistoryStore store(m_path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        store.setRetention(48 * kHour);
        MetricHistory ref;
        QList<NodeStatus> batch;
        for (int h = 30; h >= 0; --h)
            batch << primary(now - h * kHour - kSecond, h);
        for (const NodeStatus &s : batch)
            ref.add(s);
        QVERIFY2(store.append(batch, &error), qPrintable(error));
        const int total = pointsIn(ref);
        QCOMPARE(store.pointCount(), qint64(total));

        store.setRetention(24 * kHour);
        int old = 0;
        for (const QString &k : ref.keys())
            old += ref.series(k)->lowerBound(now - 24 * kHour);
        QVERIFY(old > 0);
        QCOMPARE(store.prune(&error), old);
        QCOMPARE(store.pointCount(), qint64(total - old));
        QCOMPARE(store.prune(&error), 0);

        MetricHistory loaded;
        QCOMPARE(store.loadInto(&loaded, 48 * kHour, &error), total - old);
        for (const QString &k : loaded.keys())
            QVERIFY(loaded.series(k)->at(0).t >= now - 24 * kHour);
    }

    void appendPrunesAtMostOnceAMinute()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        HistoryStore store(m_path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        store.setRetention(kHour);
        // The first append prunes: a point already past retention does not stay.
        QVERIFY2(store.append({primary(now - 2 * kHour, 1)}, &error), qPrintable(error));
        QCOMPARE(store.pointCount(), qint64(0));
        // Within the minute, append does not scan again.
        QVERIFY2(store.append({primary(now - 2 * kHour, 2)}, &error), qPrintable(error));
        QVERIFY(store.pointCount() > 0);
        QVERIFY(store.prune(&error) > 0);
        QCOMPARE(store.pointCount(), qint64(0));
    }

    void corruptFileNamesPath()
    {
        QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        HistoryStore store(m_path);
        QString error;
        QVERIFY(!store.open(&error));
        qInfo("%s", qPrintable(error));
        QVERIFY2(error.contains(m_path), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("not a database")), qPrintable(error));
        QVERIFY(!store.isOpen());
        QVERIFY(!store.append({primary(QDateTime::currentMSecsSinceEpoch(), 1)}, &error));
        QVERIFY2(error.contains(QStringLiteral("not open")), qPrintable(error));
        QCOMPARE(store.pointCount(), qint64(-1));
    }

    void unwritablePathNamesPath()
    {
        // A regular file where the directory should be: fails even for root.
        const QString blocker = m_dir.filePath(QStringLiteral("blocker"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const QString path = blocker + QStringLiteral("/pgdeck/history.sqlite");
        HistoryStore store(path);
        QString error;
        QVERIFY(!store.open(&error));
        qInfo("%s", qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("cannot create directory")), qPrintable(error));

        HistoryStore dir(m_dir.path());
        QVERIFY(!dir.open(&error));
        QVERIFY2(error.contains(m_dir.path()) && error.contains(QStringLiteral("directory")),
                 qPrintable(error));
    }

    void readOnlyDirectoryNamesPath()
    {
        if (geteuid() == 0)
            QSKIP("root writes through file permissions");
        const QString dirPath = QFileInfo(m_path).absolutePath();
        QVERIFY(QDir().mkpath(dirPath));
        QVERIFY(QFile::setPermissions(dirPath, QFile::ReadOwner | QFile::ExeOwner));
        HistoryStore store(m_path);
        QString error;
        const bool opened = store.open(&error);
        QFile::setPermissions(dirPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY(!opened);
        qInfo("%s", qPrintable(error));
        QVERIFY2(error.contains(m_path), qPrintable(error));
    }

    void readOnlyFileNamesPath()
    {
        if (geteuid() == 0)
            QSKIP("root writes through file permissions");
        {
            HistoryStore store(m_path);
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));
        }
        QVERIFY(QFile::setPermissions(m_path, QFile::ReadOwner));
        HistoryStore store(m_path);
        QString error;
        const bool opened = store.open(&error);
        QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
        // Fails at open, not silently read-only until the first append.
        QVERIFY(!opened);
        qInfo("%s", qPrintable(error));
        QVERIFY2(error.contains(m_path), qPrintable(error));
    }

    void throughput()
    {
        // 24 h of 1 s samples for two nodes of five series each: 864,000 points, written
        // a minute per transaction, then the whole day read back as a restart would.
        const qint64 end = QDateTime::currentMSecsSinceEpoch() - kSecond;
        const int seconds = 24 * 3600;
        HistoryStore store(m_path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        store.setRetention(25 * kHour); // the oldest point is exactly 24 h old
        QElapsedTimer timer;
        timer.start();
        const auto tick = [](qint64 t, int i) {
            NodeStatus p = primary(t, i);
            p.standbyLags.clear();
            p.slots.clear();
            return QList<NodeStatus>{p, standby(QStringLiteral("s1"), t, i)};
        };
        QList<NodeStatus> batch;
        for (int i = 0; i < seconds; ++i) {
            batch << tick(end - qint64(seconds - 1 - i) * kSecond, i);
            if (batch.size() == 120 || i == seconds - 1) {
                QVERIFY2(store.append(batch, &error), qPrintable(error));
                batch.clear();
            }
        }
        const qint64 writeMs = qMax<qint64>(1, timer.elapsed());
        const qint64 points = store.pointCount();
        QCOMPARE(points, qint64(seconds) * 10);
        qInfo("append: %lld points in %lld ms = %.0f points/s (60 s x 2 nodes per transaction)",
              points, writeMs, double(points) * 1000.0 / double(writeMs));

        // The live pattern: one transaction per 1 s tick (two nodes, ten points).
        const int ticks = 600;
        timer.restart();
        for (int i = 0; i < ticks; ++i) {
            const qint64 t = end + (i + 1) * 10; // after the day, still in order
            QVERIFY2(store.append(tick(t, i), &error), qPrintable(error));
        }
        const qint64 tickMs = qMax<qint64>(1, timer.elapsed());
        qInfo("append: %d one-tick transactions in %lld ms = %.0f us per tick, %.0f points/s",
              ticks, tickMs, double(tickMs) * 1000.0 / ticks, ticks * 10 * 1000.0 / double(tickMs));

        timer.restart();
        MetricHistory loaded;
        const int n = store.loadInto(&loaded, 25 * kHour, &error);
        const qint64 readMs = qMax<qint64>(1, timer.elapsed());
        QVERIFY2(n > 0, qPrintable(error));
        QCOMPARE(loaded.keys().size(), 10);
        QCOMPARE(n, 10 * loaded.capacity()); // a full ring per series
        qInfo("loadInto: %d points in %lld ms = %.0f points/s; file %lld bytes", n, readMs,
              n * 1000.0 / double(readMs),
              QFileInfo(m_path).size() + QFileInfo(m_path + "-wal").size());
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_case = 0;
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
