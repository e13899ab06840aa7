// The sharding wizard on a real sharded sandbox (coordinator + two workers on 127.0.0.1):
// walked page by page offscreen as a user would, bad choices refused with the core's own
// messages, and one run on a copy of the sample table. Every page is saved as a PNG.
// Server look-ups run on worker threads: the test waits for their results (QTRY_*) and checks
// that a page stays incomplete, showing it is busy, until they arrive.
#include "pg/pgconnection.h"
#include "sandbox/sandbox.h"
#include "shardedsandbox.h"
#include "sharding/coordinatorpage.h"
#include "sharding/previewpage.h"
#include "sharding/runpage.h"
#include "sharding/shardingwizard.h"
#include "sharding/strategypage.h"
#include "sharding/tablepage.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

using namespace pgdeck;

namespace {
constexpr int kLookupTimeoutMs = 30000; // a connect times out after 10 s; the review takes longer
} // namespace

class TestShardingWizard : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::ShardedSandbox> m_sandbox;
    ClusterSpec m_cluster;

    QString query(const QString &node, const QString &sql) { return m_sandbox->query(node, sql); }
    void exec(const QString &node, const QString &sql)
    {
        QString error;
        QVERIFY2(m_sandbox->exec(node, sql, &error), qPrintable(error));
    }
    void grab(QWidget *w, const QString &page)
    {
        QCoreApplication::processEvents();
        const QImage image = w->grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY(image.save(m_sandbox->tempPath() + QStringLiteral("/wizard-%1.png").arg(page)));
        QVERIFY(image.save(QStringLiteral("/tmp/wizard-%1.png").arg(page)));
    }
    template <typename Page> static Page *page(ShardingWizard &w, ShardingWizard::PageId id)
    {
        return qobject_cast<Page *>(w.page(id));
    }
    // Waits until the page's look-up has answered (the page shows no busy state any more).
    template <typename Page> static bool settled(ShardingWizard &w, ShardingWizard::PageId id)
    {
        return !page<Page>(w, id)->isBusy();
    }
    template <typename T> static T *child(QWidget *w, const char *name)
    {
        T *c = w->findChild<T *>(QLatin1String(name));
        if (!c)
            qWarning("no %s", name);
        return c;
    }
    static QStringList reviewItems(QWidget *w, const QString &kind)
    {
        QStringList out;
        auto *list = child<QListWidget>(w, "reviewList");
        for (int i = 0; list && i < list->count(); ++i)
            if (list->item(i)->data(Qt::UserRole).toString() == kind)
                out << list->item(i)->text();
        return out;
    }
    static void chooseKey(QWidget *w, const QString &column)
    {
        auto *key = child<QComboBox>(w, "keyCombo");
        key->setCurrentIndex(key->findData(column));
    }
    // Pages 1 and 2: connected, `table` chosen.
    void toStrategyPage(ShardingWizard &w, const QString &table)
    {
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QAbstractButton *next = w.button(QWizard::NextButton);
        QCOMPARE(w.currentId(), int(ShardingWizard::CoordinatorPageId));
        QVERIFY(!next->isEnabled());
        child<QPushButton>(&w, "connectButton")->click();
        auto *status = child<QLabel>(&w, "connectionStatus");
        QTRY_VERIFY_WITH_TIMEOUT(settled<CoordinatorPage>(w, ShardingWizard::CoordinatorPageId),
                                 kLookupTimeoutMs);
        QVERIFY2(next->isEnabled(), qPrintable(status->text()));
        w.next();
        QCOMPARE(w.currentId(), int(ShardingWizard::TablePageId));
        auto *tables = child<QTableWidget>(&w, "tableList");
        QTRY_VERIFY_WITH_TIMEOUT(settled<TablePage>(w, ShardingWizard::TablePageId),
                                 kLookupTimeoutMs);
        int row = -1;
        for (int i = 0; i < tables->rowCount(); ++i)
            if (tables->item(i, 0)->text() == table)
                row = i;
        QVERIFY2(row >= 0, qPrintable(table));
        tables->selectRow(row);
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), kLookupTimeoutMs);
        w.next();
        QCOMPARE(w.currentId(), int(ShardingWizard::StrategyPageId));
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString why = test::ShardedSandbox::unavailableReason();
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        m_sandbox = std::make_unique<test::ShardedSandbox>();
        QString error;
        QVERIFY2(
            m_sandbox->start(43000 + int(QCoreApplication::applicationPid() % 1000) * 5, &error),
            qPrintable(error));
        m_cluster = m_sandbox->cluster();
    }

    void cleanupTestCase() { m_sandbox.reset(); }

    void unreachableWorkerBlocksNext()
    {
        ClusterSpec cluster = m_cluster;
        const int dead =
            Sandbox::findFreePorts(m_cluster.node(QStringLiteral("worker2"))->port + 500, 1);
        for (NodeSpec &n : cluster.nodes)
            if (n.name == QLatin1String("worker2"))
                n.port = dead;
        ShardingWizard w(cluster);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        child<QPushButton>(&w, "connectButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(settled<CoordinatorPage>(w, ShardingWizard::CoordinatorPageId),
                                 kLookupTimeoutMs);
        const QString status = child<QLabel>(&w, "connectionStatus")->text();
        QVERIFY2(status.contains(QStringLiteral("worker2")), qPrintable(status));
        QVERIFY2(status.contains(QString::number(dead)) ||
                     status.contains(QStringLiteral("refused")),
                 qPrintable(status));
        QVERIFY(!w.button(QWizard::NextButton)->isEnabled());
        grab(&w, QStringLiteral("coordinator-unreachable"));
    }

    // A result that arrives after the choice changed is dropped; one that arrives after the
    // wizard is gone goes nowhere.
    void staleAndOrphanedResults()
    {
        {
            ShardingWizard w(m_cluster);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            child<QPushButton>(&w, "connectButton")->click();
            auto *workers = child<QListWidget>(&w, "workerList");
            workers->item(0)->setCheckState(Qt::Unchecked); // while connecting
            QVERIFY(QThreadPool::globalInstance()->waitForDone(kLookupTimeoutMs));
            QCoreApplication::processEvents(); // deliver the (stale) result
            QCOMPARE(child<QLabel>(&w, "connectionStatus")->text(),
                     QStringLiteral("The choice changed: connect again."));
            QVERIFY(!w.button(QWizard::NextButton)->isEnabled());
        }
        auto *w = new ShardingWizard(m_cluster);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        child<QPushButton>(w, "connectButton")->click();
        delete w; // closed while connecting
        QVERIFY(QThreadPool::globalInstance()->waitForDone(kLookupTimeoutMs));
        QTest::qWait(50); // any late delivery would crash here
    }

    void walkToPreview()
    {
        ShardingWizard w(m_cluster);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QAbstractButton *next = w.button(QWizard::NextButton);

        // 1. Coordinator and workers: defaults from the roles, connected.
        QCOMPARE(child<QComboBox>(&w, "coordinatorCombo")->currentData().toString(),
                 QStringLiteral("coordinator"));
        QCOMPARE(child<QListWidget>(&w, "workerList")->count(), 2);
        QVERIFY(!next->isEnabled());
        child<QPushButton>(&w, "connectButton")->click();
        // The click returns at once; the result comes back through the event loop, so until
        // it has been processed the page is busy and not complete.
        auto *coordinatorPage = page<CoordinatorPage>(w, ShardingWizard::CoordinatorPageId);
        QVERIFY(!coordinatorPage->isComplete());
        QVERIFY(!next->isEnabled());
        QVERIFY(child<QProgressBar>(&w, "connectBusy")->isVisible());
        QCOMPARE(child<QLabel>(&w, "connectionStatus")->text(), QStringLiteral("Connecting…"));
        QTRY_VERIFY_WITH_TIMEOUT(coordinatorPage->isComplete(), kLookupTimeoutMs);
        QVERIFY(!child<QProgressBar>(&w, "connectBusy")->isVisible());
        const QString status = child<QLabel>(&w, "connectionStatus")->text();
        QVERIFY2(next->isEnabled(), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("backend")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("PostgreSQL 1")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("worker2")), qPrintable(status));
        grab(&w, QStringLiteral("coordinator"));

        // 2. Table: public.users with its columns and primary key.
        w.next();
        QCOMPARE(w.currentId(), int(ShardingWizard::TablePageId));
        QVERIFY(!next->isEnabled());
        QVERIFY(child<QProgressBar>(&w, "tableBusy")->isVisible());
        QCOMPARE(child<QLabel>(&w, "tableStatus")->text(), QStringLiteral("Reading tables…"));
        auto *tables = child<QTableWidget>(&w, "tableList");
        QTRY_VERIFY_WITH_TIMEOUT(tables->rowCount() > 0, kLookupTimeoutMs);
        QVERIFY(!child<QProgressBar>(&w, "tableBusy")->isVisible());
        QVERIFY2(child<QLabel>(&w, "tableError")->isHidden(),
                 qPrintable(child<QLabel>(&w, "tableError")->text()));
        int row = -1;
        for (int i = 0; i < tables->rowCount(); ++i)
            if (tables->item(i, 0)->text() == QLatin1String("public.users"))
                row = i;
        QVERIFY(row >= 0);
        tables->selectRow(row);
        QVERIFY(!next->isEnabled()); // until the table has been read
        QVERIFY(child<QProgressBar>(&w, "tableBusy")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), kLookupTimeoutMs);
        QCOMPARE(child<QTableWidget>(&w, "columnList")->rowCount(), 5);
        const QString details = child<QLabel>(&w, "tableDetails")->text();
        QVERIFY2(details.contains(QStringLiteral("Primary key:</b> id")), qPrintable(details));
        grab(&w, QStringLiteral("table"));

        // 3. Strategy: hash on id checks clean.
        w.next();
        QCOMPARE(w.currentId(), int(ShardingWizard::StrategyPageId));
        QVERIFY(child<QRadioButton>(&w, "hashRadio")->isChecked());
        QCOMPARE(child<QComboBox>(&w, "keyCombo")->currentData().toString(), QStringLiteral("id"));
        QVERIFY(!next->isEnabled());
        child<QPushButton>(&w, "checkButton")->click();
        QVERIFY(page<StrategyPage>(w, ShardingWizard::StrategyPageId)->isBusy());
        QVERIFY(!next->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(settled<StrategyPage>(w, ShardingWizard::StrategyPageId),
                                 kLookupTimeoutMs);
        QVERIFY2(reviewItems(&w, QStringLiteral("error")).isEmpty(),
                 qPrintable(reviewItems(&w, QStringLiteral("error")).join('\n')));
        QCOMPARE(reviewItems(&w, QStringLiteral("ok")).size(), 1);
        QVERIFY(next->isEnabled());
        grab(&w, QStringLiteral("strategy"));

        // A range with a gap: the core's message, Next stays disabled.
        child<QRadioButton>(&w, "rangeRadio")->click();
        QVERIFY(!next->isEnabled());
        auto *ranges = child<QTableWidget>(&w, "rangeTable");
        QCOMPARE(ranges->rowCount(), 2);
        ranges->item(0, 1)->setText(QStringLiteral("4000"));
        ranges->item(1, 0)->setText(QStringLiteral("5000"));
        QCOMPARE(qobject_cast<QComboBox *>(ranges->cellWidget(1, 2))->currentText(),
                 QStringLiteral("worker2"));
        child<QPushButton>(&w, "checkButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(settled<StrategyPage>(w, ShardingWizard::StrategyPageId),
                                 kLookupTimeoutMs);
        QString errors = reviewItems(&w, QStringLiteral("error")).join('\n');
        QVERIFY2(errors.contains(QStringLiteral("gap between 4000 and 5000")), qPrintable(errors));
        QVERIFY(!next->isEnabled());
        grab(&w, QStringLiteral("strategy-range-gap"));

        // Geo on a column whose values match no worker's region.
        child<QRadioButton>(&w, "geoRadio")->click();
        chooseKey(&w, QStringLiteral("name"));
        child<QPushButton>(&w, "checkButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(settled<StrategyPage>(w, ShardingWizard::StrategyPageId),
                                 kLookupTimeoutMs);
        errors = reviewItems(&w, QStringLiteral("error")).join('\n');
        QVERIFY2(errors.contains(QStringLiteral("has no worker")), qPrintable(errors));
        QVERIFY(!next->isEnabled());
        QVERIFY(child<QLabel>(&w, "geoNote")->text().contains(QStringLiteral("eu → worker1")));
        grab(&w, QStringLiteral("strategy-geo-error"));

        // Back to hash on id, four shards.
        child<QRadioButton>(&w, "hashRadio")->click();
        chooseKey(&w, QStringLiteral("id"));
        child<QSpinBox>(&w, "shardCountSpin")->setValue(4);
        QVERIFY(!next->isEnabled());
        child<QPushButton>(&w, "checkButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(settled<StrategyPage>(w, ShardingWizard::StrategyPageId),
                                 kLookupTimeoutMs);
        QVERIFY(next->isEnabled());

        // 4. Preview: the plan as text, per node too; the runbook saves.
        w.next();
        QCOMPARE(w.currentId(), int(ShardingWizard::PreviewPageId));
        QVERIFY(next->isEnabled());
        const QString text = child<QPlainTextEdit>(&w, "previewText")->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("Verify: row count and checksum")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("CREATE FOREIGN TABLE")), qPrintable(text));
        QVERIFY(child<QTabWidget>(&w, "previewTabs")->count() >= 3);
        QVERIFY(child<QPlainTextEdit>(&w, "previewText-worker1"));
        grab(&w, QStringLiteral("preview"));
        auto *preview = qobject_cast<PreviewPage *>(w.page(ShardingWizard::PreviewPageId));
        const QString runbook = m_sandbox->tempPath() + QStringLiteral("/runbook.sh");
        QString error;
        QVERIFY2(preview->saveRunbook(runbook, &error), qPrintable(error));
        QFile f(runbook);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().startsWith("#!"));
        QVERIFY(QFileInfo(runbook).isExecutable());

        // 5. Run page, not started: one row per step.
        w.next();
        QCOMPARE(w.currentId(), int(ShardingWizard::RunPageId));
        QCOMPARE(child<QTableWidget>(&w, "stepTable")->rowCount(), int(w.plan().steps().size()));
        grab(&w, QStringLiteral("run-ready"));
        // Nothing changed on the server.
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral(
                           "select relkind from pg_class where oid = 'public.users'::regclass")),
                 QStringLiteral("r"));
    }

    void runOnCopy()
    {
        exec(QStringLiteral("coordinator"),
             QStringLiteral("create table public.users_wizard as select * from public.users; "
                            "alter table public.users_wizard add primary key (id); analyze "
                            "public.users_wizard"));
        ShardingWizard w(m_cluster);
        toStrategyPage(w, QStringLiteral("public.users_wizard"));
        child<QPushButton>(&w, "checkButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(settled<StrategyPage>(w, ShardingWizard::StrategyPageId),
                                 kLookupTimeoutMs);
        QVERIFY(w.button(QWizard::NextButton)->isEnabled());
        w.next();
        w.next();
        QCOMPARE(w.currentId(), int(ShardingWizard::RunPageId));
        auto *run = qobject_cast<RunPage *>(w.page(ShardingWizard::RunPageId));
        child<QPushButton>(&w, "runButton")->click();
        QVERIFY(run->isRunning());
        QVERIFY(!w.button(QWizard::FinishButton)->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(run->hasFinished(), 240000);
        const QString verify = child<QLabel>(&w, "verifyResult")->text();
        QVERIFY2(verify.contains(QStringLiteral("Verify: row count and checksum")) &&
                     verify.contains(QStringLiteral(">done<")),
                 qPrintable(verify + '\n' + child<QPlainTextEdit>(&w, "runLog")->toPlainText()));
        QCOMPARE(child<QProgressBar>(&w, "runProgress")->value(), 100);
        QVERIFY(w.button(QWizard::FinishButton)->isEnabled());
        grab(&w, QStringLiteral("run-done"));
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral("select relkind from pg_class where oid = "
                                      "'public.users_wizard'::regclass")),
                 QStringLiteral("p"));
        QCOMPARE(query(QStringLiteral("coordinator"),
                       QStringLiteral("select count(*) from public.users_wizard")),
                 QStringLiteral("100000"));
    }
};

QTEST_MAIN(TestShardingWizard)
#include "tst_shardingwizard.moc"
