// `pgdeckctl status` in-process against a real primary with two streaming standbys: the
// JSON carries the same figures the monitor sees, the table is readable, a node on a closed
// port is reported down with libpq's reason and exit code 1, --watch prints rounds and
// events until stopped, and bad input gets a clear message and the usage exit code.
#include "cli/statuscommand.h"
#include "inventory/inventorywriter.h"
#include "sandbox/sandbox.h"
#include "sandboxfixture.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;

namespace {

struct Output {
    int rc = -1;
    QByteArray out;
    QByteArray err;
};

// Runs one StatusCommand with stdout/stderr captured; `stopAfterMs` ends a --watch run.
Output runStatus(const StatusOptions &options, int stopAfterMs = 0)
{
    QBuffer out;
    QBuffer err;
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    StatusCommand cmd(&out, &err);
    if (stopAfterMs > 0)
        QTimer::singleShot(stopAfterMs, &cmd, &StatusCommand::stop);
    Output o;
    o.rc = cmd.run(options);
    o.out = out.data();
    o.err = err.data();
    return o;
}

QJsonObject parseLine(const QByteArray &line)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &e);
    if (e.error != QJsonParseError::NoError)
        qWarning("bad JSON (%s): %s", qPrintable(e.errorString()), line.constData());
    return doc.object();
}

QJsonObject findByName(const QJsonArray &array, const QString &name)
{
    for (const QJsonValue &v : array)
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    return {};
}

int closedPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort(); // closed again when s goes away: nothing listens there
}

} // namespace

class TestStatusCommand : public QObject {
    Q_OBJECT
private:
    test::SandboxFixture m_fixture;
    QTemporaryDir m_tmp;
    QString m_skip;
    QString m_inventory; // the sandbox cluster alone
    QString m_mixed;     // "sandbox" plus "mixed": the primary and a node on a closed port

    QString write(const QString &name, const QByteArray &text)
    {
        const QString path = m_tmp.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty()) {
            m_skip = error;
            return;
        }
        QVERIFY2(m_fixture.start(2, &error), qPrintable(error));
        Inventory inv = Sandbox::inventory(m_fixture.config());
        m_inventory = m_tmp.filePath(QStringLiteral("sandbox.yaml"));
        QVERIFY2(InventoryWriter::save(inv, m_inventory, &error), qPrintable(error));

        ClusterSpec mixed;
        mixed.name = QStringLiteral("mixed");
        mixed.nodes << inv.clusters.first().nodes.first();
        NodeSpec ghost;
        ghost.name = QStringLiteral("ghost");
        ghost.host = QStringLiteral("127.0.0.1");
        ghost.port = closedPort();
        ghost.dbname = QStringLiteral("app");
        ghost.user = QStringLiteral("postgres");
        mixed.nodes << ghost;
        inv.clusters << mixed;
        m_mixed = m_tmp.filePath(QStringLiteral("mixed.yaml"));
        QVERIFY2(InventoryWriter::save(inv, m_mixed, &error), qPrintable(error));
    }
    void cleanupTestCase() { m_fixture.stop(); }

    void formats()
    {
        QCOMPARE(StatusCommand::formatBytes(-1), QStringLiteral("-"));
        QCOMPARE(StatusCommand::formatBytes(0), QStringLiteral("0 B"));
        QCOMPARE(StatusCommand::formatBytes(1023), QStringLiteral("1023 B"));
        QCOMPARE(StatusCommand::formatBytes(1536), QStringLiteral("1.5 kB"));
        QCOMPARE(StatusCommand::formatBytes(16 * 1024 * 1024), QStringLiteral("16 MB"));
        QCOMPARE(StatusCommand::formatBytes(qint64(2.5 * 1024 * 1024 * 1024)),
                 QStringLiteral("2.5 GB"));
        QCOMPARE(StatusCommand::formatUptime(-1), QStringLiteral("-"));
        QCOMPARE(StatusCommand::formatUptime(42), QStringLiteral("42s"));
        QCOMPARE(StatusCommand::formatUptime(312), QStringLiteral("5m 12s"));
        QCOMPARE(StatusCommand::formatUptime(2 * 3600 + 3 * 60 + 9), QStringLiteral("2h 03m"));
        QCOMPARE(StatusCommand::formatUptime(3 * 86400 + 4 * 3600), QStringLiteral("3d 04h"));

        int ms = 0;
        QString error;
        QVERIFY(StatusCommand::parseInterval(QStringLiteral("1s"), &ms, &error));
        QCOMPARE(ms, 1000);
        QVERIFY(StatusCommand::parseInterval(QStringLiteral("250ms"), &ms, &error));
        QCOMPARE(ms, 250);
        QVERIFY(StatusCommand::parseInterval(QStringLiteral("2"), &ms, &error));
        QCOMPARE(ms, 2000);
        for (const char *bad : {"abc", "50ms", "2h", "-1s", "", "nan", "inf"}) {
            QVERIFY2(!StatusCommand::parseInterval(QLatin1String(bad), &ms, &error), bad);
            QVERIFY(error.contains(QLatin1String("--interval")));
        }
        QVERIFY(StatusCommand::helpText().contains(QLatin1String("--watch")));
    }

    void badInput()
    {
        // Unknown cluster: usage error naming it and what there is.
        const QString yaml =
            write(QStringLiteral("one.yaml"), "clusters:\n"
                                              "  - name: one\n"
                                              "    nodes:\n"
                                              "      - { name: a, host: 127.0.0.1, port: 1 }\n");
        StatusOptions o;
        o.inventoryPath = yaml;
        o.cluster = QStringLiteral("nope");
        Output r = runStatus(o);
        QCOMPARE(r.rc, 2);
        QVERIFY2(r.err.contains("no cluster \"nope\"") && r.err.contains("one"), r.err);
        QVERIFY(r.out.isEmpty());

        // Every inventory error, each with file:line:column.
        o = {};
        o.inventoryPath =
            write(QStringLiteral("broken.yaml"), "clusters:\n"
                                                 "  - name: bad\n"
                                                 "    nodes:\n"
                                                 "      - { name: a, port: notaport }\n"
                                                 "      - { name: b, role: king }\n");
        r = runStatus(o);
        QCOMPARE(r.rc, 1);
        const QRegularExpression located(QRegularExpression::escape(o.inventoryPath) +
                                         QStringLiteral(":\\d+:\\d+: "));
        QVERIFY2(QString::fromUtf8(r.err).count(located) >= 2, r.err);

        o.inventoryPath = m_tmp.filePath(QStringLiteral("missing.yaml"));
        r = runStatus(o);
        QCOMPARE(r.rc, 1);
        QVERIFY2(r.err.contains("missing.yaml"), r.err);

        // Out-of-range interval.
        o = {};
        o.inventoryPath = yaml;
        o.intervalMs = 50;
        r = runStatus(o);
        QCOMPARE(r.rc, 2);
        QVERIFY2(r.err.contains("--interval"), r.err);

        // No -i and no sandbox.
        o = {};
        o.sandboxDir = m_tmp.filePath(QStringLiteral("no-sandbox-here"));
        r = runStatus(o);
        QCOMPARE(r.rc, 2);
        QVERIFY2(r.err.contains("no --inventory given") && r.err.contains("no-sandbox-here"),
                 r.err);
    }

    void jsonOneShot()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        StatusOptions o;
        o.inventoryPath = m_inventory;
        o.json = true;
        o.intervalMs = 500;
        const Output r = runStatus(o);
        QVERIFY2(r.rc == 0, r.out + r.err);
        QVERIFY2(r.err.isEmpty(), r.err);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 1); // one object per round

        const QJsonObject round = parseLine(lines.first());
        QVERIFY(!round.value(QStringLiteral("time")).toString().isEmpty());
        const QJsonArray clusters = round.value(QStringLiteral("clusters")).toArray();
        QCOMPARE(clusters.size(), 1);
        const QJsonObject cluster = clusters.first().toObject();
        QCOMPARE(cluster.value(QStringLiteral("name")).toString(), QStringLiteral("sandbox"));
        const QJsonArray nodes = cluster.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), 3);
        for (const QJsonValue &v : nodes) {
            const QJsonObject n = v.toObject();
            QCOMPARE(n.value(QStringLiteral("state")).toString(), QStringLiteral("up"));
            QVERIFY(n.value(QStringLiteral("error")).isNull());
            QVERIFY(!n.value(QStringLiteral("version")).toString().isEmpty());
            QVERIFY(n.value(QStringLiteral("uptime_s")).toDouble() >= 0);
            QVERIFY(n.value(QStringLiteral("connections")).isDouble());
            QVERIFY(n.value(QStringLiteral("active")).isDouble());
            // A rate from two samples: the one-shot waits for the second.
            QVERIFY2(n.value(QStringLiteral("tps")).isDouble(), lines.first());
            const double hit = n.value(QStringLiteral("cache_hit_ratio")).toDouble(-1);
            QVERIFY(hit > 0 && hit <= 1);
        }

        const QJsonObject primary = findByName(nodes, QStringLiteral("primary"));
        QCOMPARE(primary.value(QStringLiteral("role")).toString(), QStringLiteral("primary"));
        QVERIFY(primary.value(QStringLiteral("receiver")).isNull());
        const QJsonArray standbys = primary.value(QStringLiteral("standbys")).toArray();
        QCOMPARE(standbys.size(), 2);
        QStringList names;
        for (const QJsonValue &v : standbys) {
            const QJsonObject s = v.toObject();
            names << s.value(QStringLiteral("name")).toString();
            QCOMPARE(s.value(QStringLiteral("state")).toString(), QStringLiteral("streaming"));
            QCOMPARE(s.value(QStringLiteral("sync_state")).toString(), QStringLiteral("async"));
            for (const char *key :
                 {"sent_lag_bytes", "write_lag_bytes", "flush_lag_bytes", "replay_lag_bytes"})
                QVERIFY2(s.value(QLatin1String(key)).toDouble(-1) >= 0, key);
            for (const char *key : {"write_lag_s", "flush_lag_s", "replay_lag_s"})
                QVERIFY2(s.contains(QLatin1String(key)), key); // null when the stream is idle
        }
        QCOMPARE(names, (QStringList{QStringLiteral("standby1"), QStringLiteral("standby2")}));

        const QJsonArray slots = primary.value(QStringLiteral("slots")).toArray();
        QCOMPARE(slots.size(), 2);
        for (const QString &name :
             {QStringLiteral("sandbox_standby1"), QStringLiteral("sandbox_standby2")}) {
            const QJsonObject slot = findByName(slots, name);
            QVERIFY2(!slot.isEmpty(), qPrintable(name));
            QCOMPARE(slot.value(QStringLiteral("wal_status")).toString(),
                     QStringLiteral("reserved"));
            QVERIFY(slot.value(QStringLiteral("active")).toBool());
            QVERIFY(slot.value(QStringLiteral("retained_bytes")).toDouble(-1) >= 0);
        }

        for (const QString &name : {QStringLiteral("standby1"), QStringLiteral("standby2")}) {
            const QJsonObject s = findByName(nodes, name);
            QCOMPARE(s.value(QStringLiteral("role")).toString(), QStringLiteral("standby"));
            const QJsonObject rcv = s.value(QStringLiteral("receiver")).toObject();
            QCOMPARE(rcv.value(QStringLiteral("status")).toString(), QStringLiteral("streaming"));
            QCOMPARE(rcv.value(QStringLiteral("slot")).toString(),
                     QStringLiteral("sandbox_") + name);
            QCOMPARE(rcv.value(QStringLiteral("sender_port")).toInt(), m_fixture.config().port(0));
        }
        QCOMPARE(round.value(QStringLiteral("events")).toArray().size(), 0);
    }

    void textOneShot()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        StatusOptions o;
        o.inventoryPath = m_inventory;
        o.intervalMs = 500;
        const Output r = runStatus(o);
        qInfo("\n%s", r.out.constData());
        QVERIFY2(r.rc == 0, r.out + r.err);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY(!text.contains(QLatin1Char('\x1b'))); // not a terminal: no colour
        QVERIFY(text.contains(QLatin1String("cluster sandbox: 3 of 3 nodes up")));
        for (const char *header : {"NODE", "ROLE", "STATE", "VERSION", "UPTIME", "CONN", "TPS",
                                   "CACHE HIT", "UPSTREAM → STANDBY", "SYNC", "REPLAY LAG", "SLOT",
                                   "RETAINED", "WAL STATUS", "SAFE WAL SIZE"})
            QVERIFY2(text.contains(QString::fromUtf8(header)), header);
        QVERIFY(text.contains(QRegularExpression(QStringLiteral("^primary +primary +up "),
                                                 QRegularExpression::MultilineOption)));
        QVERIFY(text.contains(QRegularExpression(QStringLiteral("^standby2 +standby +up "),
                                                 QRegularExpression::MultilineOption)));
        QVERIFY(text.contains(QRegularExpression(
            QStringLiteral("^primary → standby1 +streaming +async +\\d+(\\.\\d)? [kMG]?B "),
            QRegularExpression::MultilineOption)));
        QVERIFY(text.contains(
            QRegularExpression(QStringLiteral("^primary +sandbox_standby2 +yes +.* reserved "),
                               QRegularExpression::MultilineOption)));
    }

    void downNode()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        StatusOptions o;
        o.inventoryPath = m_mixed;
        o.cluster = QStringLiteral("mixed");
        o.json = true;
        o.intervalMs = 500;
        Output r = runStatus(o);
        QCOMPARE(r.rc, 1);
        const QJsonObject round = parseLine(r.out.trimmed());
        const QJsonArray clusters = round.value(QStringLiteral("clusters")).toArray();
        QCOMPARE(clusters.size(), 1); // --cluster picked one
        const QJsonArray nodes =
            clusters.first().toObject().value(QStringLiteral("nodes")).toArray();
        QCOMPARE(findByName(nodes, QStringLiteral("primary")).value(QStringLiteral("state")),
                 QJsonValue(QStringLiteral("up")));
        const QJsonObject ghost = findByName(nodes, QStringLiteral("ghost"));
        QCOMPARE(ghost.value(QStringLiteral("state")).toString(), QStringLiteral("down"));
        QVERIFY2(ghost.value(QStringLiteral("error"))
                     .toString()
                     .contains(QLatin1String("Connection refused")),
                 r.out);
        for (const char *key :
             {"role", "version", "uptime_s", "tps", "cache_hit_ratio", "receiver"})
            QVERIFY2(ghost.value(QLatin1String(key)).isNull(), key);
        const QJsonArray events = round.value(QStringLiteral("events")).toArray();
        QVERIFY2(std::any_of(events.begin(), events.end(),
                             [](const QJsonValue &e) {
                                 return e[QStringLiteral("kind")].toString() ==
                                            QLatin1String("node-down") &&
                                        e[QStringLiteral("node")].toString() ==
                                            QLatin1String("ghost");
                             }),
                 r.out);

        // The table says it too, with libpq's whole reason under the tables.
        o.json = false;
        r = runStatus(o);
        qInfo("\n%s", r.out.constData());
        QCOMPARE(r.rc, 1);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY(text.contains(QLatin1String("cluster mixed: 1 of 2 nodes up")));
        QVERIFY(text.contains(QRegularExpression(QStringLiteral("^ghost +- +DOWN +-"),
                                                 QRegularExpression::MultilineOption)));
        QVERIFY(text.contains(QRegularExpression(QStringLiteral("^ghost: .*Connection refused"),
                                                 QRegularExpression::MultilineOption)));

        // The healthy cluster of the same file on its own is all up; both together are not.
        o.cluster = QStringLiteral("sandbox");
        QCOMPARE(runStatus(o).rc, 0);
        o.cluster.clear();
        r = runStatus(o);
        QCOMPARE(r.rc, 1);
        QVERIFY(r.out.contains("cluster sandbox: 3 of 3 nodes up"));
        QVERIFY(r.out.contains("cluster mixed: 1 of 2 nodes up"));
    }

    void silentServerTimesOut()
    {
        // Accepts TCP but never speaks: the wait is bounded by the connect timeout.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        const QString yaml =
            write(QStringLiteral("silent.yaml"),
                  QStringLiteral("clusters:\n"
                                 "  - name: silent\n"
                                 "    nodes:\n"
                                 "      - { name: mute, host: 127.0.0.1, port: %1 }\n")
                      .arg(silent.serverPort())
                      .toUtf8());
        StatusOptions o;
        o.inventoryPath = yaml;
        o.json = true;
        o.intervalMs = 500;
        QElapsedTimer clock;
        clock.start();
        const Output r = runStatus(o);
        const qint64 took = clock.elapsed();
        QCOMPARE(r.rc, 1);
        QVERIFY2(took < 500 + 5000 + 1500, qPrintable(QString::number(took)));
        const QJsonObject mute = parseLine(r.out.trimmed())
                                     .value(QStringLiteral("clusters"))[0]
                                     .toObject()
                                     .value(QStringLiteral("nodes"))[0]
                                     .toObject();
        QCOMPARE(mute.value(QStringLiteral("state")).toString(), QStringLiteral("down"));
        QVERIFY2(!mute.value(QStringLiteral("error")).toString().isEmpty(), r.out);
    }

    void watchJsonRoundsUntilStopped()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        StatusOptions o;
        o.inventoryPath = m_mixed;
        o.cluster = QStringLiteral("mixed");
        o.watch = true;
        o.json = true;
        o.intervalMs = 200;
        const Output r = runStatus(o, 2000);
        QCOMPARE(r.rc, 0); // stopped, like SIGINT: not a failure
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QVERIFY2(lines.size() >= 4, r.out);
        int downEvents = 0;
        for (const QByteArray &line : lines) {
            const QJsonObject round = parseLine(line);
            QCOMPARE(round.value(QStringLiteral("clusters")).toArray().size(), 1);
            for (const QJsonValue &e : round.value(QStringLiteral("events")).toArray())
                downEvents += e[QStringLiteral("kind")].toString() == QLatin1String("node-down");
        }
        QCOMPARE(downEvents, 1); // said once, not every round
    }

    void watchTextRedrawsAndPrintsEvents()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        StatusOptions o;
        o.inventoryPath = m_mixed;
        o.cluster = QStringLiteral("mixed");
        o.watch = true;
        o.intervalMs = 300;
        const Output r = runStatus(o, 1800);
        QCOMPARE(r.rc, 0);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY(!text.contains(QLatin1Char('\x1b')));
        // Not a terminal: a timestamped block per round instead of a redraw.
        const QRegularExpression stamp(
            QStringLiteral("^--- \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ---$"),
            QRegularExpression::MultilineOption);
        QVERIFY2(text.count(stamp) >= 3, r.out);
        const QRegularExpression event(
            QStringLiteral("^\\d\\d:\\d\\d:\\d\\d CRITICAL ghost is down: .*Connection refused"),
            QRegularExpression::MultilineOption);
        QCOMPARE(text.count(event), 1);
    }
};

QTEST_GUILESS_MAIN(TestStatusCommand)
#include "tst_statuscommand.moc"
