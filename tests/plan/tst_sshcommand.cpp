// Plan steps on a remote host through the system ssh client and a real sshd on 127.0.0.1.
#include "plan/plan.h"
#include "plan/planexecutor.h"
#include "plan/runbookwriter.h"
#include "sandboxfixture.h"
#include "sshdfixture.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;

class TestSshCommand : public QObject {
    Q_OBJECT
private:
    test::SshdFixture m_sshd;
    QTemporaryDir m_tmp;

    bool run(const Plan &plan, QString *summary,
             QList<PlanExecutor::StepOutcome> *outcomes = nullptr)
    {
        return test::SandboxFixture::runPlan(plan, summary, outcomes, m_sshd.sshArgs());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString missing;
        if (!test::SshdFixture::isAvailable(&missing))
            QSKIP(qPrintable(QStringLiteral("OpenSSH is not installed (%1)").arg(missing)));
        qputenv("PGDECK_STATE_DIR", (m_tmp.path() + QStringLiteral("/state")).toLocal8Bit());
        QString error;
        QVERIFY2(m_sshd.start(&error), qPrintable(error));
    }

    void commandAndFileOverSsh()
    {
        const HostTarget remote{m_sshd.alias(), {}};
        const QString dir = m_tmp.path();
        Plan plan(QStringLiteral("remote work"), QStringLiteral("test"));
        PlanStep &cmd = plan.add(
            steps::command(QStringLiteral("hostname"), QStringLiteral("record who ran it"), remote,
                           {QStringLiteral("sh"), QStringLiteral("-c"),
                            QStringLiteral("echo \"$(id -un) $SSH_CONNECTION\" > \"$0\""),
                            dir + QStringLiteral("/who.txt")}));
        cmd.guard = steps::fileExists(remote, dir + QStringLiteral("/who.txt"));
        plan.add(steps::writeFile(QStringLiteral("write"), QStringLiteral("write a file over ssh"),
                                  remote, dir + QStringLiteral("/file with spaces.conf"),
                                  QStringLiteral("port = 5432\nname = 'it''s'\n"), 0600));
        QString summary;
        QList<PlanExecutor::StepOutcome> outcomes;
        QVERIFY2(run(plan, &summary, &outcomes), qPrintable(summary));
        QCOMPARE(outcomes, (QList<PlanExecutor::StepOutcome>{PlanExecutor::StepOutcome::Done,
                                                             PlanExecutor::StepOutcome::Done}));
        QFile who(dir + QStringLiteral("/who.txt"));
        QVERIFY(who.open(QIODevice::ReadOnly));
        const QString line = QString::fromUtf8(who.readAll());
        // SSH_CONNECTION proves the command really went through sshd, over loopback.
        QVERIFY2(line.startsWith(m_sshd.user() + QStringLiteral(" 127.0.0.1 ")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral(" 127.0.0.1 %1").arg(m_sshd.port())),
                 qPrintable(line));
        QFile written(dir + QStringLiteral("/file with spaces.conf"));
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), QByteArray("port = 5432\nname = 'it''s'\n"));
        QCOMPARE(written.permissions() & (QFile::ReadOther | QFile::ReadGroup),
                 QFile::Permissions());

        // Same plan again under a new id: the remote guard now holds.
        Plan again = plan;
        again.setId(plan.id() + QStringLiteral("-2"));
        outcomes.clear();
        QVERIFY2(run(again, &summary, &outcomes), qPrintable(summary));
        QCOMPARE(outcomes.value(0), PlanExecutor::StepOutcome::Skipped);
    }

    void remoteFailureCarriesExitStatusAndOutput()
    {
        Plan plan(QStringLiteral("remote failure"), QStringLiteral("test"));
        plan.add(steps::command(QStringLiteral("fail"), QStringLiteral("fail remotely"),
                                HostTarget{m_sshd.alias(), {}},
                                {QStringLiteral("sh"), QStringLiteral("-c"),
                                 QStringLiteral("echo disk full >&2; exit 3")}));
        QString summary;
        QVERIFY(!run(plan, &summary));
        QVERIFY2(summary.contains(QStringLiteral("failed on %1").arg(m_sshd.alias())),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("exit status 3: disk full")), qPrintable(summary));
    }

    void unknownHostFailsFastInBatchMode()
    {
        Plan plan(QStringLiteral("unreachable"), QStringLiteral("test"));
        // A real sshd, but a host key this client does not know: BatchMode refuses at once.
        plan.add(steps::command(QStringLiteral("x"), QStringLiteral("untrusted host"),
                                HostTarget{m_sshd.destination(), {}}, {QStringLiteral("true")}));
        PlanExecutor executor; // no -F: default known_hosts has no entry for this port
        executor.setSshOptions(
            {QStringLiteral("-p"), QString::number(m_sshd.port()), QStringLiteral("-o"),
             QStringLiteral("UserKnownHostsFile=/dev/null"), QStringLiteral("-o"),
             QStringLiteral("StrictHostKeyChecking=yes"), QStringLiteral("-o"),
             QStringLiteral("GlobalKnownHostsFile=/dev/null")});
        QEventLoop loop;
        QString summary;
        bool ok = true;
        connect(&executor, &PlanExecutor::finished, &loop, [&](bool success, const QString &s) {
            ok = success;
            summary = s;
            loop.quit();
        });
        QElapsedTimer clock;
        clock.start();
        QVERIFY(executor.start(plan, &summary));
        loop.exec();
        QVERIFY(!ok);
        QVERIFY(clock.elapsed() < 15000);
        QVERIFY2(summary.contains(QStringLiteral("Host key verification failed")),
                 qPrintable(summary));
    }

    void runbookUsesSshToo()
    {
        const HostTarget remote{m_sshd.alias(), {}};
        const QString target = m_tmp.path() + QStringLiteral("/from-runbook.txt");
        Plan plan(QStringLiteral("runbook over ssh"), QStringLiteral("test"));
        PlanStep &w = plan.add(steps::writeFile(QStringLiteral("w"), QStringLiteral("write"),
                                                remote, target, QStringLiteral("via runbook\n")));
        w.guard = steps::fileExists(remote, target);
        const QString script = RunbookWriter::toShell(plan, m_sshd.sshArgs());
        QVERIFY(script.contains(QStringLiteral("ssh -o BatchMode=yes")));
        QProcess bash;
        bash.start(QStringLiteral("bash"), {QStringLiteral("-c"), script});
        QVERIFY(bash.waitForFinished(30000));
        QVERIFY2(bash.exitCode() == 0, bash.readAllStandardError().constData());
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("via runbook\n"));
    }
};

QTEST_GUILESS_MAIN(TestSshCommand)
#include "tst_sshcommand.moc"
