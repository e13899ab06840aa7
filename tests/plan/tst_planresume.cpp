// Kill pgdeckctl in the middle of a Plan with SIGKILL, then resume it: finished steps
// are not redone, the interrupted one runs again, and the server shows each row once.
#include "pg/pgconnection.h"
#include "plan/plan.h"
#include "plan/planjournal.h"
#include "sandbox/sandbox.h"
#include "sandboxfixture.h"

#include <QFile>
#include <QProcess>
#include <QtTest>

using namespace pgdeck;

class TestPlanResume : public QObject {
    Q_OBJECT
private:
    test::SandboxFixture m_fixture;

    QProcess *ctl(const QStringList &args)
    {
        auto *p = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGDECK_STATE_DIR"), m_fixture.stateDir());
        p->setProcessEnvironment(env);
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->start(qEnvironmentVariable("PGDECKCTL"), args);
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariable("PGDECKCTL").isEmpty())
            QSKIP("PGDECKCTL is not set; run through ctest");
        QString error;
        if (Sandbox::findBinDir(&error).isEmpty())
            QSKIP(qPrintable(error));
        QVERIFY2(m_fixture.start(0, &error), qPrintable(error));
    }
    void cleanupTestCase() { m_fixture.stop(); }

    void resumeAfterKill()
    {
        const QString marker = m_fixture.tempPath() + QStringLiteral("/go-on");
        const QString node = QStringLiteral("primary");
        Plan plan(QStringLiteral("resume test"), QStringLiteral("sandbox"));
        plan.setNode(node, m_fixture.params(0, QStringLiteral("app")));
        PlanStep &create =
            plan.add(steps::sql(QStringLiteral("create"), QStringLiteral("create table"), node,
                                QStringLiteral("create table resume_t (v text)")));
        create.guard = steps::sqlTrue(
            node, QStringLiteral("select to_regclass('public.resume_t') is not null"));
        plan.add(steps::sql(
            QStringLiteral("insert-first"), QStringLiteral("insert without a guard"), node,
            QStringLiteral("insert into resume_t values ($1)"), {QStringLiteral("first")}));
        plan.add(steps::command(
            QStringLiteral("block"), QStringLiteral("block until the marker exists"), {},
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("while [ ! -e \"$0\" ]; do sleep 0.1; done"), marker}));
        plan.add(steps::sql(QStringLiteral("insert-after"),
                            QStringLiteral("insert after the block"), node,
                            QStringLiteral("insert into resume_t values ('after')")));
        plan.add(steps::verify(QStringLiteral("verify"), QStringLiteral("each row exactly once"),
                               node,
                               QStringLiteral("select string_agg(v, ',' order by v) from resume_t"),
                               QStringLiteral("after,first")));
        const QString planFile = m_fixture.tempPath() + QStringLiteral("/plan.json");
        QString error;
        QVERIFY2(plan.save(planFile, &error), qPrintable(error));

        QProcess *run = ctl({QStringLiteral("run"), planFile});
        QVERIFY(run->waitForStarted());
        const QString journalDir = m_fixture.stateDir() + QStringLiteral("/plans/") + plan.id();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                PlanJournal j;
                QString e;
                return PlanJournal::open(plan.id(), &j, &e) &&
                       j.stepState(QStringLiteral("block")) == PlanJournal::StepState::Started;
            }(),
            30000);
        run->kill(); // SIGKILL: no chance to write anything more
        QVERIFY(run->waitForFinished(5000));
        QCOMPARE(run->exitStatus(), QProcess::CrashExit);

        PlanJournal journal;
        QVERIFY(PlanJournal::open(plan.id(), &journal, &error));
        QCOMPARE(journal.runState(), PlanJournal::RunState::Running);
        QCOMPARE(journal.stepState(QStringLiteral("insert-first")), PlanJournal::StepState::Done);
        QCOMPARE(journal.stepState(QStringLiteral("block")), PlanJournal::StepState::Started);

        QFile m(marker);
        QVERIFY(m.open(QIODevice::WriteOnly));
        m.close();
        QProcess *resume = ctl({QStringLiteral("resume"), plan.id()});
        QVERIFY(resume->waitForFinished(60000));
        const QString out = QString::fromLocal8Bit(resume->readAll());
        QVERIFY2(resume->exitCode() == 0, qPrintable(out));
        QVERIFY2(
            out.contains(QStringLiteral("[2/5] insert without a guard ... done in an earlier run")),
            qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("[5/5] each row exactly once ... done")),
                 qPrintable(out));

        PgConnection c;
        c.setParams(m_fixture.params(0, QStringLiteral("app")));
        const PgResult rows =
            c.execSync(QStringLiteral("select v, count(*) from resume_t group by v order by v"));
        QVERIFY2(rows.ok(), qPrintable(rows.errorMessage()));
        QCOMPARE(rows.rowCount(), 2);
        QCOMPARE(rows.text(0, 0), QStringLiteral("after"));
        QCOMPARE(rows.value(0, 1).toInt(), 1);
        QCOMPARE(rows.text(1, 0), QStringLiteral("first"));
        QCOMPARE(rows.value(1, 1).toInt(), 1);

        QProcess *plans = ctl({QStringLiteral("plans")});
        QVERIFY(plans->waitForFinished(10000));
        const QString listing = QString::fromLocal8Bit(plans->readAll());
        QVERIFY2(listing.contains(plan.id()) && listing.contains(QStringLiteral("finished")),
                 qPrintable(listing));
    }

    void failedStepNamesNodeAndServerError()
    {
        Plan plan(QStringLiteral("failing"), QStringLiteral("sandbox"));
        plan.setNode(QStringLiteral("primary"), m_fixture.params(0, QStringLiteral("app")));
        plan.add(steps::sql(QStringLiteral("bad"), QStringLiteral("query a missing table"),
                            QStringLiteral("primary"),
                            QStringLiteral("select * from missing_table")));
        const QString planFile = m_fixture.tempPath() + QStringLiteral("/failing.json");
        QString error;
        QVERIFY(plan.save(planFile, &error));
        QProcess *run = ctl({QStringLiteral("run"), planFile});
        QVERIFY(run->waitForFinished(30000));
        const QString out = QString::fromLocal8Bit(run->readAll());
        QCOMPARE(run->exitCode(), 1);
        QVERIFY2(out.contains(QStringLiteral("failed on node primary")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("relation \"missing_table\" does not exist")),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("pgdeckctl resume %1").arg(plan.id())),
                 qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestPlanResume)
#include "tst_planresume.moc"
