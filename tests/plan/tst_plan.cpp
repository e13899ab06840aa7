// Unit tests for Plans: JSON round trip, validation, journal, guards, resume and the
// runbook. Steps here are local commands and files only; SQL steps are covered by the
// integration tests.
#include "common/statepaths.h"
#include "plan/auditlog.h"
#include "plan/plan.h"
#include "plan/planexecutor.h"
#include "plan/planjournal.h"
#include "plan/runbookwriter.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;

namespace {

struct RunResult {
    bool ok = false;
    QString summary;
    QList<PlanExecutor::StepOutcome> outcomes;
};

RunResult runToEnd(PlanExecutor &executor, std::function<bool(PlanExecutor &, QString *)> starter)
{
    RunResult result;
    QEventLoop loop;
    QObject::connect(
        &executor, &PlanExecutor::stepFinished, &loop,
        [&](int, PlanExecutor::StepOutcome o, const QString &) { result.outcomes << o; });
    QObject::connect(&executor, &PlanExecutor::finished, &loop, [&](bool ok, const QString &s) {
        result.ok = ok;
        result.summary = s;
        loop.quit();
    });
    QString error;
    if (!starter(executor, &error)) {
        result.summary = error;
        return result;
    }
    loop.exec();
    return result;
}

} // namespace

class TestPlan : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

    Plan filePlan(const QString &dir)
    {
        Plan plan(QStringLiteral("touch files"), QStringLiteral("test"));
        HostTarget local;
        plan.add(steps::command(QStringLiteral("one"), QStringLiteral("first"), local,
                                {QStringLiteral("sh"), QStringLiteral("-c"),
                                 QStringLiteral("echo x >> %1/one.log").arg(dir)}));
        PlanStep &two = plan.add(steps::command(
            QStringLiteral("two"), QStringLiteral("fails until the marker exists"), local,
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("test -e %1/marker && echo y >> %1/two.log").arg(dir)}));
        Q_UNUSED(two);
        plan.add(steps::writeFile(QStringLiteral("three"), QStringLiteral("write a file"), local,
                                  dir + QStringLiteral("/three.txt"), QStringLiteral("hello\n"),
                                  0600));
        return plan;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("PGDECK_STATE_DIR", (m_tmp.path() + QStringLiteral("/state")).toLocal8Bit());
    }

    void jsonRoundTrip()
    {
        Plan plan(QStringLiteral("everything"), QStringLiteral("orders"));
        ConnectionParams p;
        p.set(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        p.set(QStringLiteral("port"), QStringLiteral("5432"));
        p.set(QStringLiteral("password"), QStringLiteral("never-stored"));
        plan.setNode(QStringLiteral("coord"), p);
        PlanStep &s =
            plan.add(steps::sql(QStringLiteral("a"), QStringLiteral("sql"), QStringLiteral("coord"),
                                QStringLiteral("select $1"), {QStringLiteral("x")}));
        s.guard = steps::sqlTrue(QStringLiteral("coord"), QStringLiteral("select true"));
        PlanStep &c = plan.add(
            steps::command(QStringLiteral("b"), QStringLiteral("cmd"),
                           HostTarget{QStringLiteral("admin@db1"), QStringLiteral("postgres")},
                           {QStringLiteral("pg_ctl"), QStringLiteral("start")}));
        c.guard =
            steps::fileExists(HostTarget{QStringLiteral("admin@db1"), {}}, QStringLiteral("/x"));
        plan.add(steps::writeFile(QStringLiteral("c"), QStringLiteral("file"), {},
                                  QStringLiteral("/tmp/f"), QStringLiteral("content"), 0640));
        plan.add(steps::waitUntil(QStringLiteral("d"), QStringLiteral("wait"),
                                  QStringLiteral("coord"), QStringLiteral("select true"), 5000));
        plan.add(steps::verify(QStringLiteral("e"), QStringLiteral("verify"),
                               QStringLiteral("coord"), QStringLiteral("select 1"),
                               QStringLiteral("1")));
        QString error;
        QVERIFY2(plan.validate(&error), qPrintable(error));
        Plan back;
        QVERIFY2(Plan::fromJson(plan.toJson(), &back, &error), qPrintable(error));
        QCOMPARE(back.id(), plan.id());
        QCOMPARE(back.steps(), plan.steps());
        QCOMPARE(back.node(QStringLiteral("coord")).value(QStringLiteral("port")),
                 QStringLiteral("5432"));
        // Passwords are dropped on the way in, so they never reach plan.json.
        QVERIFY(!back.node(QStringLiteral("coord")).has(QStringLiteral("password")));
        QVERIFY(!QJsonDocument(plan.toJson()).toJson().contains("never-stored"));
    }

    void validationNamesTheStep()
    {
        Plan plan(QStringLiteral("bad"), QStringLiteral("c"));
        plan.add(steps::sql(QStringLiteral("x"), QStringLiteral("t"), QStringLiteral("nowhere"),
                            QStringLiteral("select 1")));
        QString error;
        QVERIFY(!plan.validate(&error));
        QCOMPARE(error, QStringLiteral("step 1 (\"x\"): unknown node \"nowhere\""));

        Plan dup(QStringLiteral("dup"), QStringLiteral("c"));
        dup.add(
            steps::command(QStringLiteral("a"), QStringLiteral("t"), {}, {QStringLiteral("true")}));
        dup.add(
            steps::command(QStringLiteral("a"), QStringLiteral("t"), {}, {QStringLiteral("true")}));
        QVERIFY(!dup.validate(&error));
        QVERIFY(error.contains(QStringLiteral("used twice")));

        Plan broken;
        QVERIFY(!Plan::fromJson(
            QJsonObject{
                {QStringLiteral("id"), QStringLiteral("z")},
                {QStringLiteral("steps"),
                 QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("s")},
                                        {QStringLiteral("kind"), QStringLiteral("teleport")}}}}},
            &broken, &error));
        QVERIFY2(error.contains(QStringLiteral("unknown kind \"teleport\"")), qPrintable(error));
    }

    void failedStepStopsAndResumeDoesNotRedoFinishedSteps()
    {
        QTemporaryDir work;
        const Plan plan = filePlan(work.path());
        PlanExecutor first;
        const RunResult r1 =
            runToEnd(first, [&](PlanExecutor &e, QString *err) { return e.start(plan, err); });
        QVERIFY(!r1.ok);
        QCOMPARE(r1.outcomes,
                 (QList<PlanExecutor::StepOutcome>{PlanExecutor::StepOutcome::Done,
                                                   PlanExecutor::StepOutcome::Failed}));
        QVERIFY2(r1.summary.contains(QStringLiteral("step 2/3 \"two\"")), qPrintable(r1.summary));
        QVERIFY2(r1.summary.contains(QStringLiteral("pgdeckctl resume %1").arg(plan.id())),
                 qPrintable(r1.summary));
        QVERIFY(!QFile::exists(work.path() + QStringLiteral("/three.txt")));

        PlanJournal journal;
        QString error;
        QVERIFY(PlanJournal::open(plan.id(), &journal, &error));
        QCOMPARE(journal.runState(), PlanJournal::RunState::Failed);
        QCOMPARE(journal.stepState(QStringLiteral("one")), PlanJournal::StepState::Done);
        QCOMPARE(journal.stepState(QStringLiteral("two")), PlanJournal::StepState::Failed);

        // Fix the cause and resume: step one is not run again.
        QFile marker(work.path() + QStringLiteral("/marker"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.close();
        PlanExecutor second;
        const RunResult r2 = runToEnd(
            second, [&](PlanExecutor &e, QString *err) { return e.resume(plan.id(), err); });
        QVERIFY2(r2.ok, qPrintable(r2.summary));
        QCOMPARE(r2.outcomes,
                 (QList<PlanExecutor::StepOutcome>{PlanExecutor::StepOutcome::AlreadyDone,
                                                   PlanExecutor::StepOutcome::Done,
                                                   PlanExecutor::StepOutcome::Done}));
        QFile one(work.path() + QStringLiteral("/one.log"));
        QVERIFY(one.open(QIODevice::ReadOnly));
        QCOMPARE(one.readAll(), QByteArray("x\n"));
        QFile three(work.path() + QStringLiteral("/three.txt"));
        QVERIFY(three.open(QIODevice::ReadOnly));
        QCOMPARE(three.readAll(), QByteArray("hello\n"));
        QCOMPARE(int(three.permissions() & 0x0FFF) & int(QFile::ReadOther), 0);

        PlanExecutor third;
        QVERIFY(!third.resume(plan.id(), &error));
        QVERIFY(error.contains(QStringLiteral("already finished")));
    }

    void guardSkipsWorkAlreadyDone()
    {
        QTemporaryDir work;
        Plan plan(QStringLiteral("guards"), QStringLiteral("test"));
        PlanStep &a = plan.add(
            steps::command(QStringLiteral("a"), QStringLiteral("guarded by a file"), {},
                           {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 9")}));
        a.guard = steps::fileExists({}, work.path());
        PlanStep &b =
            plan.add(steps::command(QStringLiteral("b"), QStringLiteral("guarded by a command"), {},
                                    {QStringLiteral("false")}));
        b.guard = steps::commandSucceeds({}, {QStringLiteral("true")});
        PlanStep &c =
            plan.add(steps::command(QStringLiteral("c"), QStringLiteral("guard does not hold"), {},
                                    {QStringLiteral("true")}));
        c.guard = steps::commandSucceeds({}, {QStringLiteral("false")});
        PlanExecutor executor;
        const RunResult r =
            runToEnd(executor, [&](PlanExecutor &e, QString *err) { return e.start(plan, err); });
        QVERIFY2(r.ok, qPrintable(r.summary));
        QCOMPARE(r.outcomes, (QList<PlanExecutor::StepOutcome>{PlanExecutor::StepOutcome::Skipped,
                                                               PlanExecutor::StepOutcome::Skipped,
                                                               PlanExecutor::StepOutcome::Done}));
    }

    void cancelStopsTheRunningCommand()
    {
        Plan plan(QStringLiteral("slow"), QStringLiteral("test"));
        plan.add(steps::command(QStringLiteral("sleep"), QStringLiteral("sleep"), {},
                                {QStringLiteral("sleep"), QStringLiteral("30")}));
        plan.add(steps::command(QStringLiteral("after"), QStringLiteral("after"), {},
                                {QStringLiteral("true")}));
        PlanExecutor executor;
        QElapsedTimer clock;
        clock.start();
        QObject::connect(&executor, &PlanExecutor::stepStarted, &executor,
                         [&] { QTimer::singleShot(200, &executor, &PlanExecutor::cancel); });
        const RunResult r =
            runToEnd(executor, [&](PlanExecutor &e, QString *err) { return e.start(plan, err); });
        QVERIFY(!r.ok);
        QVERIFY(clock.elapsed() < 10000);
        QCOMPARE(r.outcomes.value(0), PlanExecutor::StepOutcome::Cancelled);
        QVERIFY2(r.summary.contains(QStringLiteral("cancelled")), qPrintable(r.summary));
        PlanJournal journal;
        QString error;
        QVERIFY(PlanJournal::open(plan.id(), &journal, &error));
        QCOMPARE(journal.runState(), PlanJournal::RunState::Cancelled);
    }

    void secretsNeverReachJournalAuditOrRunbook()
    {
        QTemporaryDir work;
        qputenv("PGDECK_SECRET_TOKEN", "tok-123456");
        Plan plan(QStringLiteral("secret"), QStringLiteral("test"));
        plan.add(steps::command(
            QStringLiteral("use"), QStringLiteral("uses a secret"), {},
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("echo \"$0\" > %1/out; echo password=$0; exit 1").arg(work.path()),
             QStringLiteral("${secret:token}")}));
        PlanExecutor executor;
        const RunResult r =
            runToEnd(executor, [&](PlanExecutor &e, QString *err) { return e.start(plan, err); });
        QVERIFY(!r.ok);
        QFile out(work.path() + QStringLiteral("/out"));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll().trimmed(), QByteArray("tok-123456")); // the command got it
        for (const QString &path :
             {PlanJournal::directoryFor(plan.id()) + QStringLiteral("/journal.jsonl"),
              PlanJournal::directoryFor(plan.id()) + QStringLiteral("/plan.json"),
              AuditLog::path()}) {
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            QVERIFY2(!f.readAll().contains("tok-123456"), qPrintable(path));
        }
        QVERIFY(!r.summary.contains(QStringLiteral("tok-123456")));
        const QString runbook = RunbookWriter::toShell(plan);
        QVERIFY(!runbook.contains(QStringLiteral("tok-123456")));
        QVERIFY(runbook.contains(QStringLiteral("${PGDECK_SECRET_TOKEN}")));
        qunsetenv("PGDECK_SECRET_TOKEN");
    }

    void auditRecordsEveryStep()
    {
        QFile::remove(AuditLog::path());
        QTemporaryDir work;
        const Plan plan = filePlan(work.path());
        PlanExecutor executor;
        runToEnd(executor, [&](PlanExecutor &e, QString *err) { return e.start(plan, err); });
        QFile f(AuditLog::path());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(first.value(QStringLiteral("user")).toString(), currentOsUser());
        QCOMPARE(first.value(QStringLiteral("cluster")).toString(), QStringLiteral("test"));
        QCOMPARE(first.value(QStringLiteral("step")).toString(), QStringLiteral("one"));
        QCOMPARE(first.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
        QVERIFY(first.value(QStringLiteral("what")).toString().contains(QStringLiteral("one.log")));
        QVERIFY(!first.value(QStringLiteral("time")).toString().isEmpty());
        QCOMPARE(
            QJsonDocument::fromJson(lines[1]).object().value(QStringLiteral("outcome")).toString(),
            QStringLiteral("failed"));
    }

    void commandWaitPollsUntilTheOutputMatches()
    {
        // The condition turns true after a few polls: the third run prints "ready".
        QTemporaryDir work;
        const QString counter = work.filePath(QStringLiteral("polls"));
        const QString script =
            QStringLiteral("echo x >> %1; [ $(wc -l < %1) -ge 3 ] && echo ready || echo not yet")
                .arg(counter);
        Plan plan(QStringLiteral("waits"), QStringLiteral("test"));
        PlanStep &wait = plan.add(steps::waitForCommand(
            QStringLiteral("ready"), QStringLiteral("wait for ready"), {},
            {QStringLiteral("sh"), QStringLiteral("-c"), script}, QStringLiteral("ready"), 20000));
        wait.pollIntervalMs = 50;
        plan.add(steps::waitForCommand(QStringLiteral("empty"), QStringLiteral("no output"), {},
                                       {QStringLiteral("true")}, QString(), 5000));
        QString error;
        QVERIFY2(plan.validate(&error), qPrintable(error)); // no node needed
        QStringList shown;
        PlanExecutor executor;
        connect(&executor, &PlanExecutor::output, this, [&](const QString &l) { shown << l; });
        RunResult r =
            runToEnd(executor, [&](PlanExecutor &e, QString *err) { return e.start(plan, err); });
        QVERIFY2(r.ok, qPrintable(r.summary));
        QFile polls(counter);
        QVERIFY(polls.open(QIODevice::ReadOnly));
        QCOMPARE(polls.readAll().count('\n'), 3);
        polls.close();
        QVERIFY(shown.isEmpty()); // polling output is not the plan's output

        // A wait that never holds fails with the last thing the command printed.
        Plan never(QStringLiteral("never"), QStringLiteral("test"));
        PlanStep &n = never.add(steps::waitForCommand(
            QStringLiteral("never"), QStringLiteral("never ready"), {},
            {QStringLiteral("echo"), QStringLiteral("starting")}, QStringLiteral("healthy"), 1500));
        n.pollIntervalMs = 100;
        PlanExecutor second;
        r = runToEnd(second, [&](PlanExecutor &e, QString *err) { return e.start(never, err); });
        QVERIFY(!r.ok);
        QVERIFY2(r.summary.contains(QLatin1String("printed \"starting\"")), qPrintable(r.summary));

        // The runbook waits the same way.
        QFile::remove(counter);
        QFile sh(work.filePath(QStringLiteral("runbook.sh")));
        QVERIFY(sh.open(QIODevice::WriteOnly));
        sh.write(RunbookWriter::toShell(plan).toUtf8());
        sh.close();
        QProcess bash;
        bash.start(QStringLiteral("bash"), {sh.fileName()});
        QVERIFY(bash.waitForFinished(30000));
        QVERIFY2(bash.exitCode() == 0, bash.readAllStandardError().constData());
        QVERIFY(polls.open(QIODevice::ReadOnly));
        QCOMPARE(polls.readAll().count('\n'), 3);
    }

    void runbookIsRunnableBash()
    {
        QTemporaryDir work;
        QFile marker(work.path() + QStringLiteral("/marker"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.close();
        Plan plan = filePlan(work.path());
        PlanStep &g = plan.add(steps::command(QStringLiteral("four"), QStringLiteral("guarded"), {},
                                              {QStringLiteral("false")}));
        g.guard = steps::fileExists({}, work.path() + QStringLiteral("/three.txt"));
        const QString script = RunbookWriter::toShell(plan);
        QVERIFY(script.startsWith(QStringLiteral("#!/usr/bin/env bash")));
        QVERIFY(script.contains(QStringLiteral("set -euo pipefail")));
        QFile f(work.path() + QStringLiteral("/runbook.sh"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(script.toUtf8());
        f.close();
        for (int run = 0; run < 2; ++run) { // twice: guards make the second run safe
            QProcess bash;
            bash.start(QStringLiteral("bash"), {f.fileName()});
            QVERIFY(bash.waitForFinished(20000));
            QVERIFY2(bash.exitCode() == 0, bash.readAllStandardError().constData());
        }
        QFile three(work.path() + QStringLiteral("/three.txt"));
        QVERIFY(three.open(QIODevice::ReadOnly));
        QCOMPARE(three.readAll(), QByteArray("hello\n"));
    }
};

QTEST_GUILESS_MAIN(TestPlan)
#include "tst_plan.moc"
