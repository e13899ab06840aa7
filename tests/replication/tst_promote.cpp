// Promote without Patroni on a real sandbox (a primary and two standbys on 127.0.0.1), with
// pgdeckctl: a switchover keeps every committed row and brings the old primary back as a
// standby through pg_rewind; then a failover after the new primary crashed (-m immediate)
// promotes the other way round and rewinds the crashed one. After each, the servers report
// one writable primary, both standbys streaming from it and the rows written before, and
// the inventory's roles follow. Promoting the primary itself is refused.
#include "inventory/inventoryloader.h"
#include "pg/pgconnection.h"
#include "sandbox/sandbox.h"
#include "sandboxfixture.h"

#include <QProcess>
#include <QtTest>

using namespace pgdeck;

class TestPromote : public QObject {
    Q_OBJECT
private:
    test::SandboxFixture m_sandbox;

    int ctl(const QStringList &args, QString *out) const
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(qEnvironmentVariable("PGDECKCTL"),
                args + QStringList{QStringLiteral("-i"), m_sandbox.config().inventoryPath(),
                                   QStringLiteral("--run-as"), m_sandbox.config().osUser});
        if (!p.waitForFinished(300000))
            return -1;
        *out = QString::fromUtf8(p.readAll());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    QString query(int node, const QString &sql) const
    {
        PgConnection c;
        c.setParams(m_sandbox.params(node, QStringLiteral("app")));
        if (!c.waitForReady(10000))
            return QStringLiteral("<error: %1>").arg(c.lastError());
        const PgResult r = c.execSync(sql, {}, 30000);
        return r.ok() ? r.text(0, 0) : QStringLiteral("<error: %1>").arg(r.errorMessage());
    }
    QString role(const QString &node) const
    {
        Inventory inv;
        QList<InventoryError> errors;
        if (!InventoryLoader::load(m_sandbox.config().inventoryPath(), &inv, &errors))
            return {};
        const NodeSpec *n = inv.clusters.first().node(node);
        return n ? n->role + QLatin1Char('/') + n->upstream : QString();
    }
    // `primary` takes writes, the two others stream from it and hold every row so far.
    void verifyPrimary(int primary, int rows)
    {
        QCOMPARE(query(primary, QStringLiteral("select pg_is_in_recovery()")), QStringLiteral("f"));
        QTRY_COMPARE_WITH_TIMEOUT(
            query(primary, QStringLiteral("select count(*) from pg_stat_replication where state "
                                          "= 'streaming'")),
            QStringLiteral("2"), 30000);
        QVERIFY(!query(primary,
                       QStringLiteral("insert into ha_check values (%1) returning n").arg(rows))
                     .startsWith(QStringLiteral("<error")));
        for (int node = 0; node < 3; ++node) {
            if (node == primary)
                continue;
            QCOMPARE(query(node, QStringLiteral("select pg_is_in_recovery()")),
                     QStringLiteral("t"));
            QTRY_COMPARE_WITH_TIMEOUT(query(node, QStringLiteral("select count(*) from ha_check")),
                                      QString::number(rows + 1), 30000);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QVERIFY2(m_sandbox.start(2, &error), qPrintable(error));
        QVERIFY(!query(0, QStringLiteral("create table ha_check (n int); insert into ha_check "
                                         "select generate_series(1, 99) returning 1"))
                     .startsWith(QStringLiteral("<error")));
    }

    void cleanupTestCase() { m_sandbox.stop(); }

    void promotingThePrimaryIsRefused()
    {
        QString out;
        QCOMPARE(
            ctl({QStringLiteral("promote"), QStringLiteral("primary"), QStringLiteral("--apply")},
                &out),
            1);
        QVERIFY2(out.contains(QStringLiteral("is not a standby")), qPrintable(out));
        QCOMPARE(query(0, QStringLiteral("select pg_is_in_recovery()")), QStringLiteral("f"));
    }

    void switchoverKeepsEveryRow()
    {
        QString out;
        QVERIFY2(
            ctl({QStringLiteral("promote"), QStringLiteral("standby1"), QStringLiteral("--apply")},
                &out) == 0,
            qPrintable(out));
        QVERIFY2(out.startsWith(QStringLiteral("switchover")), qPrintable(out));
        verifyPrimary(1, 99);
        QCOMPARE(role(QStringLiteral("standby1")), QStringLiteral("primary/"));
        QCOMPARE(role(QStringLiteral("primary")), QStringLiteral("standby/standby1"));
        QCOMPARE(role(QStringLiteral("standby2")), QStringLiteral("standby/standby1"));
    }

    void failoverAfterACrash()
    {
        QString bin, error;
        bin = Sandbox::findBinDir(&error);
        QProcess crash; // the new primary dies without a shutdown checkpoint
        crash.start(QStringLiteral("runuser"),
                    {QStringLiteral("-u"), m_sandbox.config().osUser, QStringLiteral("--"),
                     bin + QStringLiteral("/pg_ctl"), QStringLiteral("stop"), QStringLiteral("-D"),
                     m_sandbox.config().dataDir(QStringLiteral("standby1")), QStringLiteral("-m"),
                     QStringLiteral("immediate")});
        QVERIFY(crash.waitForFinished(30000));
        QString out;
        QVERIFY2(
            ctl({QStringLiteral("promote"), QStringLiteral("primary"), QStringLiteral("--apply")},
                &out) == 0,
            qPrintable(out));
        QVERIFY2(out.startsWith(QStringLiteral("failover")), qPrintable(out));
        verifyPrimary(0, 100);
        QCOMPARE(role(QStringLiteral("primary")), QStringLiteral("primary/"));
        QCOMPARE(role(QStringLiteral("standby1")), QStringLiteral("standby/primary"));
    }
};

QTEST_GUILESS_MAIN(TestPromote)
#include "tst_promote.moc"
