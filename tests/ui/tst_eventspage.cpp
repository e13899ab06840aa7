// The events table model and the Events page: bounds, filters, order and CSV export;
// and, when PGDECK_SCREENSHOT_DIR is set, the page's screenshot.
#include "events/eventsmodel.h"
#include "events/eventspage.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace pgdeck;

namespace {

const QDateTime kStart = QDateTime(QDate(2024, 5, 1), QTime(11, 0, 0), Qt::UTC);

MonitorEvent mkEvent(int n, MonitorEvent::Severity severity = MonitorEvent::Severity::Info,
                     const QString &node = QStringLiteral("primary"), const QString &message = {})
{
    MonitorEvent e;
    e.time = kStart.addSecs(n);
    e.severity = severity;
    e.kind = severity == MonitorEvent::Severity::Critical ? MonitorEvent::Kind::NodeDown
                                                          : MonitorEvent::Kind::NodeUp;
    e.cluster = QStringLiteral("orders");
    e.node = node;
    e.message = message.isEmpty() ? QStringLiteral("event %1").arg(n) : message;
    return e;
}

// A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.
QList<QStringList> parseCsv(const QString &text, bool *ok)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    bool wasQuoted = false;
    *ok = true;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            if (!field.isEmpty() || wasQuoted)
                *ok = false; // a quote inside an unquoted field
            quoted = wasQuoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
            wasQuoted = false;
        } else if (c == QLatin1Char('\r')) {
            if (i + 1 >= text.size() || text[i + 1] != QLatin1Char('\n'))
                *ok = false; // bare CR outside quotes
        } else if (c == QLatin1Char('\n')) {
            if (i == 0 || text[i - 1] != QLatin1Char('\r'))
                *ok = false; // records end in CRLF
            row << field;
            rows << row;
            row.clear();
            field.clear();
            wasQuoted = false;
        } else {
            field += c;
        }
    }
    if (quoted || !field.isEmpty() || !row.isEmpty())
        *ok = false; // the last record must be terminated too
    return rows;
}

} // namespace

class TestEventsPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modelBasics();
    void modelIsBounded();
    void filtersAndOrder();
    void csvRoundTrip();
    void csvErrors();
    void eventsScreenshot();
};

void TestEventsPage::modelBasics()
{
    EventsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), int(EventsModel::ColumnCount));
    QCOMPARE(model.rowCount(), 0);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    MonitorEvent lag = mkEvent(5, MonitorEvent::Severity::Warning, QStringLiteral("primary"),
                               QStringLiteral("standby2 is 48 MB behind"));
    lag.kind = MonitorEvent::Kind::LagHigh;
    lag.subject = QStringLiteral("standby2");
    model.addEvents({mkEvent(1), lag});
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    model.addEvents({});
    QCOMPARE(inserted.size(), 1);

    auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return model.index(row, column).data(role);
    };
    QCOMPARE(cell(1, EventsModel::SeverityColumn).toString(), QStringLiteral("warning"));
    QCOMPARE(cell(1, EventsModel::KindColumn).toString(), QStringLiteral("lag-high"));
    QCOMPARE(cell(1, EventsModel::SubjectColumn).toString(), QStringLiteral("standby2"));
    QCOMPARE(cell(1, EventsModel::ClusterColumn).toString(), QStringLiteral("orders"));
    QCOMPARE(cell(1, EventsModel::NodeColumn).toString(), QStringLiteral("primary"));
    QCOMPARE(cell(1, EventsModel::MessageColumn).toString(),
             QStringLiteral("standby2 is 48 MB behind"));
    QCOMPARE(cell(1, EventsModel::TimeColumn).toString(),
             lag.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    QCOMPARE(cell(1, EventsModel::SeverityColumn, EventsModel::SeverityRole).toInt(),
             int(MonitorEvent::Severity::Warning));
    QCOMPARE(cell(1, EventsModel::SeverityColumn, Qt::ForegroundRole).value<QColor>(),
             EventsModel::severityColor(MonitorEvent::Severity::Warning));
    QVERIFY(EventsModel::severityColor(MonitorEvent::Severity::Critical) !=
            EventsModel::severityColor(MonitorEvent::Severity::Info));
    QCOMPARE(cell(1, EventsModel::TimeColumn, EventsModel::SortRole).toLongLong(),
             lag.time.toMSecsSinceEpoch());
    QCOMPARE(model.headerData(EventsModel::MessageColumn, Qt::Horizontal).toString(),
             QStringLiteral("Message"));

    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestEventsPage::modelIsBounded()
{
    EventsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.capacity(), 10000);
    QList<MonitorEvent> batch;
    for (int i = 0; i < 10050; ++i)
        batch << mkEvent(i);
    model.addEvents(batch.mid(0, 9990));
    model.addEvents(batch.mid(9990));
    QCOMPARE(model.rowCount(), 10000);
    QCOMPARE(model.eventAt(0).message, QStringLiteral("event 50"));
    QCOMPARE(model.eventAt(9999).message, QStringLiteral("event 10049"));

    // Small capacity: one batch larger than it keeps only its newest events.
    model.setCapacity(5);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.eventAt(0).message, QStringLiteral("event 10045"));
    model.addEvents(
        {mkEvent(1), mkEvent(2), mkEvent(3), mkEvent(4), mkEvent(5), mkEvent(6), mkEvent(7)});
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.eventAt(0).message, QStringLiteral("event 3"));
    model.addEvents({mkEvent(8), mkEvent(9)});
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.eventAt(0).message, QStringLiteral("event 5"));
    QCOMPARE(model.eventAt(4).message, QStringLiteral("event 9"));
}

void TestEventsPage::filtersAndOrder()
{
    EventsPage page;
    QVERIFY(page.model());
    QAbstractItemModel *shown = page.view()->model();
    QAbstractItemModelTester tester(shown, QAbstractItemModelTester::FailureReportingMode::QtTest);
    using S = MonitorEvent::Severity;
    page.addEvents(
        {mkEvent(1, S::Info, QStringLiteral("primary")),
         mkEvent(2, S::Warning, QStringLiteral("primary"), QStringLiteral("Standby2 lag is high")),
         mkEvent(3, S::Critical, QStringLiteral("standby1"))});
    page.addEvents({mkEvent(4, S::Info, QStringLiteral("standby2")),
                    mkEvent(5, S::Critical, QStringLiteral("standby2"))});
    QCOMPARE(shown->rowCount(), 5);
    // Newest first.
    auto message = [&](int row) {
        return shown->index(row, EventsModel::MessageColumn).data().toString();
    };
    QCOMPARE(message(0), QStringLiteral("event 5"));
    QCOMPARE(message(4), QStringLiteral("event 1"));

    auto *severity = page.findChild<QComboBox *>(QStringLiteral("severityFilter"));
    auto *text = page.findChild<QLineEdit *>(QStringLiteral("textFilter"));
    QVERIFY(severity && text);
    severity->setCurrentIndex(severity->findData(int(S::Warning)));
    QCOMPARE(shown->rowCount(), 3);
    severity->setCurrentIndex(severity->findData(int(S::Critical)));
    QCOMPARE(shown->rowCount(), 2);
    QCOMPARE(message(0), QStringLiteral("event 5"));
    QCOMPARE(message(1), QStringLiteral("event 3"));

    // Text matches any column, case-insensitively, on top of the severity floor.
    text->setText(QStringLiteral("STANDBY2"));
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(message(0), QStringLiteral("event 5"));
    severity->setCurrentIndex(0);
    QCOMPARE(shown->rowCount(), 3); // node standby2 twice, and the message naming it
    text->setText(QStringLiteral("node-down"));
    QCOMPARE(shown->rowCount(), 2);
    text->clear();
    QCOMPARE(shown->rowCount(), 5);

    // New events land on top while a filter is active.
    severity->setCurrentIndex(severity->findData(int(S::Warning)));
    page.addEvents({mkEvent(6, S::Warning), mkEvent(7, S::Info)});
    QCOMPARE(shown->rowCount(), 4);
    QCOMPARE(message(0), QStringLiteral("event 6"));
}

void TestEventsPage::csvRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EventsPage page;
    const QString tricky = QStringLiteral("lag on \"standby2\", 48 MB\nsecond line");
    MonitorEvent e = mkEvent(2, MonitorEvent::Severity::Warning, QStringLiteral("primary"), tricky);
    e.kind = MonitorEvent::Kind::LagHigh;
    e.subject = QStringLiteral("standby2");
    page.addEvents({mkEvent(1), e});

    const QString path = dir.filePath(QStringLiteral("events.csv"));
    QString error;
    QVERIFY2(page.exportCsv(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    f.close();
    QVERIFY(text.contains(QStringLiteral("\"lag on \"\"standby2\"\", 48 MB\nsecond line\"")));

    bool ok = false;
    const QList<QStringList> rows = parseCsv(text, &ok);
    QVERIFY2(ok, qPrintable(text));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0], (QStringList{QStringLiteral("time"), QStringLiteral("severity"),
                                   QStringLiteral("cluster"), QStringLiteral("node"),
                                   QStringLiteral("subject"), QStringLiteral("kind"),
                                   QStringLiteral("message")}));
    // Newest first, as shown.
    const QStringList &r = rows[1];
    QCOMPARE(r.size(), 7);
    QCOMPARE(QDateTime::fromString(r[0], Qt::ISODateWithMs), e.time);
    QCOMPARE(r[1], QStringLiteral("warning"));
    QCOMPARE(r[2], QStringLiteral("orders"));
    QCOMPARE(r[3], QStringLiteral("primary"));
    QCOMPARE(r[4], QStringLiteral("standby2"));
    QCOMPARE(r[5], QStringLiteral("lag-high"));
    QCOMPARE(r[6], tricky);
    QCOMPARE(rows[2][6], QStringLiteral("event 1"));

    // The export follows the filters.
    page.findChild<QLineEdit *>(QStringLiteral("textFilter"))->setText(QStringLiteral("event 1"));
    QVERIFY2(page.exportCsv(path, &error), qPrintable(error));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(parseCsv(QString::fromUtf8(f.readAll()), &ok).size(), 2);
}

void TestEventsPage::csvErrors()
{
    EventsPage page;
    QString error;
    QVERIFY(!page.exportCsv(QStringLiteral("/proc/no-such-dir/events.csv"), &error));
    QVERIFY(error.contains(QStringLiteral("/proc/no-such-dir/events.csv")));
}

void TestEventsPage::eventsScreenshot()
{
    const QString dir = qEnvironmentVariable("PGDECK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set PGDECK_SCREENSHOT_DIR to write events.png");
    using S = MonitorEvent::Severity;
    using K = MonitorEvent::Kind;
    const QDateTime now = QDateTime::currentDateTime();
    QList<MonitorEvent> events;
    auto add = [&](int secondsAgo, S sev, K kind, const QString &cluster, const QString &node,
                   const QString &subject, const QString &message) {
        MonitorEvent e;
        e.time = now.addSecs(-secondsAgo);
        e.severity = sev;
        e.kind = kind;
        e.cluster = cluster;
        e.node = node;
        e.subject = subject;
        e.message = message;
        events << e;
    };
    const QString o = QStringLiteral("orders");
    const QString b = QStringLiteral("billing");
    add(7300, S::Info, K::NodeUp, o, QStringLiteral("primary"), {},
        QStringLiteral("primary is up (PostgreSQL 16.4)"));
    add(7299, S::Info, K::NodeUp, o, QStringLiteral("standby1"), {},
        QStringLiteral("standby1 is up (PostgreSQL 16.4)"));
    add(7299, S::Info, K::NodeUp, o, QStringLiteral("standby2"), {},
        QStringLiteral("standby2 is up (PostgreSQL 16.4)"));
    add(7298, S::Info, K::NodeUp, b, QStringLiteral("db"), {},
        QStringLiteral("db is up (PostgreSQL 15.8)"));
    add(6120, S::Warning, K::SlotUnreserved, b, QStringLiteral("db"), QStringLiteral("backup_slot"),
        QStringLiteral("slot backup_slot is unreserved: WAL it needs goes at the next checkpoint"));
    add(6010, S::Critical, K::SlotLost, b, QStringLiteral("db"), QStringLiteral("backup_slot"),
        QStringLiteral("slot backup_slot is lost: its consumer must be re-seeded"));
    add(3900, S::Critical, K::NodeDown, o, QStringLiteral("standby2"), {},
        QStringLiteral("standby2 is down: connection to 10.0.1.13:5432 refused"));
    add(3899, S::Info, K::StandbyVanished, o, QStringLiteral("primary"), QStringLiteral("standby2"),
        QStringLiteral("standby2 no longer streams from primary"));
    add(3300, S::Info, K::NodeUp, o, QStringLiteral("standby2"), {},
        QStringLiteral("standby2 is up again"));
    add(3298, S::Info, K::StandbyAppeared, o, QStringLiteral("primary"), QStringLiteral("standby2"),
        QStringLiteral("standby2 streams from primary (async)"));
    add(3280, S::Warning, K::LagHigh, o, QStringLiteral("primary"), QStringLiteral("standby2"),
        QStringLiteral("standby2 is 48.0 MB / 7.2 s behind primary (warn at 16.0 MB or 5.0 s)"));
    add(3190, S::Info, K::LagNormal, o, QStringLiteral("primary"), QStringLiteral("standby2"),
        QStringLiteral("standby2 caught up: 1.2 MB / 0.3 s behind primary"));
    add(1500, S::Warning, K::LagHigh, o, QStringLiteral("standby1"), QStringLiteral("cascade1"),
        QStringLiteral("cascade1 is 22.4 MB / 3.1 s behind standby1 (warn at 16.0 MB or 5.0 s)"));
    add(1420, S::Info, K::LagNormal, o, QStringLiteral("standby1"), QStringLiteral("cascade1"),
        QStringLiteral("cascade1 caught up: 0 B behind standby1"));
    add(600, S::Warning, K::RoleChanged, b, QStringLiteral("db-replica"), {},
        QStringLiteral("db-replica was promoted: now a primary"));
    add(12, S::Info, K::SlotNormal, b, QStringLiteral("db"), QStringLiteral("backup_slot"),
        QStringLiteral("slot backup_slot is reserved again"));

    EventsPage page;
    page.addEvents(events);
    page.resize(1280, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(page.grab().save(QDir(dir).filePath(QStringLiteral("events.png"))));
}

QTEST_MAIN(TestEventsPage)
#include "tst_eventspage.moc"
