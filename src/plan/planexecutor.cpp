#include "planexecutor.h"

#include "auditlog.h"
#include "commandrunner.h"
#include "common/secrets.h"
#include "common/statepaths.h"
#include "pg/pgconnection.h"
#include "pg/quoting.h"

#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSaveFile>
#include <QTimer>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgdeck {

namespace {

// A failed command's headline is its last output line: that is where Compose, psql,
// pg_basebackup and the engine put the reason. The rest of the output follows it.
QString failureMessage(const CommandRunner::Result &r)
{
    const QString why =
        r.error.isEmpty() ? QStringLiteral("exit status %1").arg(r.exitCode) : r.error;
    const QString tail = r.output.trimmed().right(2000);
    if (tail.isEmpty())
        return why;
    const QString last = tail.section(QLatin1Char('\n'), -1).trimmed();
    if (last == tail)
        return why + QStringLiteral(": ") + tail;
    return why + QStringLiteral(": ") + last + QStringLiteral("\n") + tail;
}

} // namespace

PlanExecutor::PlanExecutor(QObject *parent)
    : QObject(parent)
    , m_runner(new CommandRunner(this))
    , m_waitRunner(new CommandRunner(this))
    , m_sqlTimer(new QTimer(this))
    , m_pollTimer(new QTimer(this))
{
    m_sqlTimer->setSingleShot(true);
    m_pollTimer->setSingleShot(true);
    connect(m_pollTimer, &QTimer::timeout, this, &PlanExecutor::pollWait);
    connect(m_runner, &CommandRunner::outputLine, this, &PlanExecutor::output);
}

PlanExecutor::~PlanExecutor() = default;

void PlanExecutor::setSshOptions(const QStringList &options)
{
    m_runner->setSshOptions(options);
    m_waitRunner->setSshOptions(options);
}

void PlanExecutor::setDefaultTimeouts(int sqlMs, int commandMs, int waitMs)
{
    m_sqlTimeoutMs = sqlMs;
    m_commandTimeoutMs = commandMs;
    m_waitTimeoutMs = waitMs;
}

QString PlanExecutor::outcomeName(StepOutcome outcome)
{
    switch (outcome) {
    case StepOutcome::Done:
        return QStringLiteral("done");
    case StepOutcome::Skipped:
        return QStringLiteral("skipped (already done)");
    case StepOutcome::AlreadyDone:
        return QStringLiteral("done in an earlier run");
    case StepOutcome::Failed:
        return QStringLiteral("failed");
    case StepOutcome::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

bool PlanExecutor::start(const Plan &plan, QString *error)
{
    if (m_running) {
        *error = QStringLiteral("a plan is already running");
        return false;
    }
    if (!plan.validate(error))
        return false;
    if (!PlanJournal::create(plan, &m_journal, error))
        return false;
    begin(false);
    return true;
}

bool PlanExecutor::resume(const QString &planId, QString *error)
{
    if (m_running) {
        *error = QStringLiteral("a plan is already running");
        return false;
    }
    if (!PlanJournal::open(planId, &m_journal, error))
        return false;
    if (m_journal.runState() == PlanJournal::RunState::Finished) {
        *error = QStringLiteral("plan %1 has already finished; nothing to resume").arg(planId);
        return false;
    }
    begin(true);
    return true;
}

void PlanExecutor::begin(bool resumed)
{
    m_running = true;
    m_cancelled = false;
    m_index = -1;
    m_journal.append(resumed ? QStringLiteral("plan-resumed") : QStringLiteral("plan-started"), {},
                     QStringLiteral("by %1").arg(currentOsUser()));
    QTimer::singleShot(0, this, &PlanExecutor::runNext);
}

void PlanExecutor::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    m_runner->cancel();
    m_waitRunner->cancel();
    m_pollTimer->stop();
    if (m_index >= 0 && m_index < plan().steps().size()) {
        const PlanStep &step = plan().steps()[m_index];
        if (PgConnection *c = m_connections.value(step.node))
            c->cancel();
    }
    // A SQL statement being cancelled answers with its own error; a step between
    // actions (waiting to poll) is completed here.
    if (!m_runner->isRunning())
        QTimer::singleShot(0, this, [this, token = m_stepToken] {
            if (token == m_stepToken && m_running)
                completeStep(StepOutcome::Cancelled, QStringLiteral("cancelled by the user"));
        });
}

QString PlanExecutor::describeStep(int index) const
{
    const PlanStep &s = plan().steps()[index];
    return QStringLiteral("step %1/%2 \"%3\" (%4)")
        .arg(index + 1)
        .arg(plan().steps().size())
        .arg(s.id, s.title);
}

QString PlanExecutor::whatRuns(const PlanStep &s) const
{
    switch (s.kind) {
    case PlanStep::Kind::Sql:
    case PlanStep::Kind::WaitUntil:
    case PlanStep::Kind::Verify:
        if (!s.argv.isEmpty())
            return QStringLiteral("%1 printing \"%2\"")
                .arg(sql::shellJoin(
                         CommandRunner::commandLine(s.host, s.argv, m_runner->sshOptions())),
                     s.expect);
        return s.url.isEmpty() ? s.sql : QStringLiteral("GET ") + s.url;
    case PlanStep::Kind::Command:
        return sql::shellJoin(CommandRunner::commandLine(s.host, s.argv, m_runner->sshOptions()));
    case PlanStep::Kind::WriteFile:
        return QStringLiteral("write %1 (%2 bytes, mode %3) on %4")
            .arg(s.path)
            .arg(s.content.toUtf8().size())
            .arg(QString::number(s.fileMode, 8), s.host.describe());
    }
    return {};
}

void PlanExecutor::runNext()
{
    if (!m_running)
        return;
    ++m_index;
    ++m_stepToken;
    const int total = int(plan().steps().size());
    Q_EMIT progress(total ? m_index * 100 / total : 100);
    if (m_cancelled) {
        finishPlan(false, QStringLiteral("cancelled before %1").arg(describeStep(m_index)));
        return;
    }
    if (m_index >= total) {
        finishPlan(true, QStringLiteral("plan %1 finished: %2 steps").arg(plan().id()).arg(total));
        return;
    }
    const PlanStep &step = plan().steps()[m_index];
    Q_EMIT stepStarted(m_index, total, step.title);
    if (m_journal.stepState(step.id) == PlanJournal::StepState::Done) {
        Q_EMIT stepFinished(m_index, StepOutcome::AlreadyDone, {});
        QTimer::singleShot(0, this, &PlanExecutor::runNext);
        return;
    }
    m_journal.append(QStringLiteral("started"), step.id);
    checkGuard();
}

void PlanExecutor::checkGuard()
{
    const PlanStep &step = plan().steps()[m_index];
    const StepGuard &g = step.guard;
    const quint64 token = m_stepToken;
    auto decide = [this, token](bool done) {
        if (token != m_stepToken)
            return;
        if (done)
            completeStep(StepOutcome::Skipped, QStringLiteral("already done"));
        else
            execute();
    };
    switch (g.kind) {
    case StepGuard::Kind::None:
        execute();
        return;
    case StepGuard::Kind::SqlTrue:
        // A guard that cannot be evaluated (server down) means "not done": the step runs
        // and reports the real error itself.
        runSql(g.node, g.sql, {}, 30000,
               [decide](const PgResult &r) { decide(r.ok() && r.scalar().toBool()); });
        return;
    case StepGuard::Kind::FileExists:
        if (g.host.isLocal() && g.host.runAs.isEmpty()) {
            decide(QFileInfo::exists(g.path));
            return;
        }
        m_runner->run(g.host, {QStringLiteral("test"), QStringLiteral("-e"), g.path}, {}, 60000,
                      [decide](const CommandRunner::Result &r) { decide(r.ok()); });
        return;
    case StepGuard::Kind::CommandSucceeds:
        m_runner->run(g.host, g.argv, {}, 60000,
                      [decide](const CommandRunner::Result &r) { decide(r.ok()); });
        return;
    }
}

void PlanExecutor::execute()
{
    const PlanStep &step = plan().steps()[m_index];
    if (m_cancelled) {
        completeStep(StepOutcome::Cancelled, QStringLiteral("cancelled by the user"));
        return;
    }
    switch (step.kind) {
    case PlanStep::Kind::Sql:
        executeSql(step);
        break;
    case PlanStep::Kind::Command:
        executeCommand(step);
        break;
    case PlanStep::Kind::WriteFile:
        executeWriteFile(step);
        break;
    case PlanStep::Kind::WaitUntil:
        m_waitClock.start();
        m_lastWaitError.clear();
        pollWait();
        break;
    case PlanStep::Kind::Verify:
        executeVerify(step);
        break;
    }
}

PgConnection *PlanExecutor::connectionFor(const QString &node)
{
    PgConnection *c = m_connections.value(node);
    if (!c) {
        c = new PgConnection(this);
        ConnectionParams params = plan().node(node);
        // A killed executor's statement must not run on: the server checks every second that
        // we are still there (PostgreSQL 14+), so a resumed step never races its orphan.
        params.set(QStringLiteral("options"),
                   (params.value(QStringLiteral("options")) +
                    QStringLiteral(" -c client_connection_check_interval=1000"))
                       .trimmed());
        c->setParams(params);
        c->setDisplayName(node);
        c->setApplicationName(QStringLiteral("pgdeck plan %1").arg(plan().id()));
        c->setConnectTimeout(10000);
        connect(c, &PgConnection::notice, this,
                [this, node](const QString &n) { Q_EMIT output(node + QStringLiteral(": ") + n); });
        m_connections.insert(node, c);
    }
    if (c->state() == PgConnection::State::Disconnected)
        c->open();
    return c;
}

void PlanExecutor::runSql(const QString &node, const QString &sqlText, const QStringList &params,
                          int timeoutMs, std::function<void(const PgResult &)> done)
{
    QString filled, error;
    if (!secrets::fill(sqlText, &filled, &error)) {
        done(PgResult::failure(PgResult::Status::Error, error));
        return;
    }
    QVariantList values;
    for (const QString &p : params) {
        QString v;
        if (!secrets::fill(p, &v, &error)) {
            done(PgResult::failure(PgResult::Status::Error, error));
            return;
        }
        values << v;
    }
    PgConnection *c = connectionFor(node);
    if (timeoutMs > 0) {
        m_sqlTimer->disconnect();
        connect(m_sqlTimer, &QTimer::timeout, c, &PgConnection::cancel);
        m_sqlTimer->start(timeoutMs);
    }
    c->exec(filled, values, this, [this, done](const PgResult &r) {
        m_sqlTimer->stop();
        done(r);
    });
}

void PlanExecutor::executeSql(const PlanStep &step)
{
    const quint64 token = m_stepToken;
    runSql(step.node, step.sql, step.params, step.timeoutMs ? step.timeoutMs : m_sqlTimeoutMs,
           [this, token](const PgResult &r) {
               if (token != m_stepToken)
                   return;
               if (r.status() == PgResult::Status::Cancelled && m_cancelled)
                   completeStep(StepOutcome::Cancelled, r.errorMessage());
               else if (r.ok())
                   completeStep(StepOutcome::Done, r.commandTag());
               else
                   completeStep(StepOutcome::Failed, r.errorMessage());
           });
}

void PlanExecutor::executeCommand(const PlanStep &step)
{
    QStringList argv;
    for (const QString &a : step.argv) {
        QString v, error;
        if (!secrets::fill(a, &v, &error)) {
            completeStep(StepOutcome::Failed, error);
            return;
        }
        argv << v;
    }
    const quint64 token = m_stepToken;
    m_runner->run(step.host, argv, {}, step.timeoutMs ? step.timeoutMs : m_commandTimeoutMs,
                  [this, token](const CommandRunner::Result &r) {
                      if (token != m_stepToken)
                          return;
                      if (r.cancelled)
                          completeStep(StepOutcome::Cancelled,
                                       QStringLiteral("cancelled by the user"));
                      else if (r.ok())
                          completeStep(StepOutcome::Done, {});
                      else
                          completeStep(StepOutcome::Failed, failureMessage(r));
                  });
}

void PlanExecutor::executeWriteFile(const PlanStep &step)
{
    QString content, error;
    if (!secrets::fill(step.content, &content, &error)) {
        completeStep(StepOutcome::Failed, error);
        return;
    }
    const bool local = step.host.isLocal();
    const bool asOther = !step.host.runAs.isEmpty() && step.host.runAs != currentOsUser();
    if (local && (!asOther || runningAsRoot())) {
        QSaveFile f(step.path);
        if (!f.open(QIODevice::WriteOnly)) {
            completeStep(StepOutcome::Failed,
                         QStringLiteral("%1: %2").arg(step.path, f.errorString()));
            return;
        }
        f.write(content.toUtf8());
        if (!f.commit()) {
            completeStep(StepOutcome::Failed,
                         QStringLiteral("%1: %2").arg(step.path, f.errorString()));
            return;
        }
        ::chmod(QFile::encodeName(step.path).constData(), mode_t(step.fileMode));
        if (asOther) {
            const passwd *pw = getpwnam(step.host.runAs.toLocal8Bit().constData());
            if (!pw ||
                ::chown(QFile::encodeName(step.path).constData(), pw->pw_uid, pw->pw_gid) != 0) {
                completeStep(StepOutcome::Failed,
                             QStringLiteral("%1: cannot give the file to user %2")
                                 .arg(step.path, step.host.runAs));
                return;
            }
        }
        completeStep(StepOutcome::Done, {});
        return;
    }
    // Elsewhere: stream the content through the command runner, replacing atomically.
    const QString script = QStringLiteral("umask 077 && cat > \"$1.pgdeck-tmp\" && chmod %1 "
                                          "\"$1.pgdeck-tmp\" && mv \"$1.pgdeck-tmp\" \"$1\"")
                               .arg(QString::number(step.fileMode, 8));
    const quint64 token = m_stepToken;
    m_runner->run(
        step.host,
        {QStringLiteral("sh"), QStringLiteral("-c"), script, QStringLiteral("sh"), step.path},
        content.toUtf8(), step.timeoutMs ? step.timeoutMs : 120000,
        [this, token](const CommandRunner::Result &r) {
            if (token != m_stepToken)
                return;
            if (r.ok())
                completeStep(StepOutcome::Done, {});
            else
                completeStep(r.cancelled ? StepOutcome::Cancelled : StepOutcome::Failed,
                             failureMessage(r));
        });
}

void PlanExecutor::pollWait()
{
    if (!m_running || m_index < 0)
        return;
    const PlanStep &step = plan().steps()[m_index];
    const int timeout = step.timeoutMs ? step.timeoutMs : m_waitTimeoutMs;
    const quint64 token = m_stepToken;
    auto judge = [this, token, timeout](bool held, const QString &error) {
        if (token != m_stepToken || !m_running)
            return;
        if (m_cancelled) {
            completeStep(StepOutcome::Cancelled, QStringLiteral("cancelled by the user"));
            return;
        }
        if (held) {
            completeStep(
                StepOutcome::Done,
                QStringLiteral("condition held after %1 s").arg(m_waitClock.elapsed() / 1000.0));
            return;
        }
        if (!error.isEmpty())
            m_lastWaitError = error;
        const PlanStep &s = plan().steps()[m_index];
        if (m_waitClock.elapsed() >= timeout) {
            QString msg = QStringLiteral("condition still not true after %1 s: %2")
                              .arg(timeout / 1000.0)
                              .arg(whatRuns(s).simplified());
            if (!m_lastWaitError.isEmpty())
                msg += QStringLiteral(" (last error: %1)").arg(m_lastWaitError);
            completeStep(StepOutcome::Failed, msg);
            return;
        }
        m_pollTimer->start(qMax(50, s.pollIntervalMs));
    };
    if (!step.url.isEmpty()) {
        getHttp(step.url, judge);
        return;
    }
    if (!step.argv.isEmpty()) {
        const QString expect = step.expect;
        m_waitRunner->run(step.host, step.argv, {}, qMin(timeout, 60000),
                          [judge, expect](const CommandRunner::Result &r) {
                              const QString got = r.output.trimmed();
                              if (r.ok() && got == expect)
                                  judge(true, {});
                              else if (!r.ok())
                                  judge(false, r.error.isEmpty() ? got.right(300) : r.error);
                              else
                                  judge(false,
                                        QStringLiteral("printed \"%1\"").arg(got.right(300)));
                          });
        return;
    }
    runSql(step.node, step.sql, step.params, 0, [judge](const PgResult &r) {
        judge(r.ok() && r.scalar().toBool(), r.ok() ? QString() : r.errorMessage());
    });
}

void PlanExecutor::getHttp(const QString &url, std::function<void(bool, const QString &)> done)
{
    if (!m_http)
        m_http = new QNetworkAccessManager(this);
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(5000);
    QNetworkReply *reply = m_http->get(request);
    connect(reply, &QNetworkReply::finished, this, [reply, url, done] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200)
            done(true, {});
        else if (status > 0)
            done(false, QStringLiteral("%1 answered HTTP %2: %3")
                            .arg(url)
                            .arg(status)
                            .arg(QString::fromUtf8(reply->readAll().left(300)).simplified()));
        else
            done(false, QStringLiteral("%1: %2").arg(url, reply->errorString()));
    });
}

void PlanExecutor::executeVerify(const PlanStep &step)
{
    const quint64 token = m_stepToken;
    runSql(step.node, step.sql, step.params, step.timeoutMs ? step.timeoutMs : m_sqlTimeoutMs,
           [this, token](const PgResult &r) {
               if (token != m_stepToken)
                   return;
               const PlanStep &s = plan().steps()[m_index];
               if (!r.ok()) {
                   completeStep(StepOutcome::Failed, r.errorMessage());
                   return;
               }
               const QString got = r.rowCount() ? r.text(0, 0) : QStringLiteral("(no rows)");
               if (got == s.expect)
                   completeStep(StepOutcome::Done, QStringLiteral("verified: %1").arg(got));
               else
                   completeStep(StepOutcome::Failed,
                                QStringLiteral("verification failed: expected \"%1\", the server "
                                               "returned \"%2\"")
                                    .arg(s.expect, got));
           });
}

void PlanExecutor::completeStep(StepOutcome outcome, const QString &rawMessage)
{
    if (!m_running || m_index < 0 || m_index >= plan().steps().size())
        return;
    ++m_stepToken; // late callbacks of this step are ignored from now on
    const PlanStep &step = plan().steps()[m_index];
    const QString message = secrets::mask(rawMessage);
    const bool ok = outcome == StepOutcome::Done || outcome == StepOutcome::Skipped;
    m_journal.append(
        ok ? (outcome == StepOutcome::Skipped ? QStringLiteral("skipped") : QStringLiteral("done"))
           : (outcome == StepOutcome::Cancelled ? QStringLiteral("cancelled")
                                                : QStringLiteral("failed")),
        step.id, message);
    AuditRecord audit;
    audit.cluster = plan().cluster();
    audit.planId = plan().id();
    audit.step = step.id;
    audit.node = step.node.isEmpty() ? step.host.describe() : step.node;
    audit.kind = PlanStep::kindName(step.kind);
    audit.what = whatRuns(step);
    audit.outcome = outcome == StepOutcome::Done      ? QStringLiteral("ok")
                    : outcome == StepOutcome::Skipped ? QStringLiteral("skipped")
                    : outcome == StepOutcome::Failed  ? QStringLiteral("failed")
                                                      : QStringLiteral("cancelled");
    audit.message = message;
    AuditLog::append(audit);
    Q_EMIT stepFinished(m_index, outcome, message);

    if (ok) {
        QTimer::singleShot(0, this, &PlanExecutor::runNext);
        return;
    }
    const QString where = describeStep(m_index);
    const QString place =
        step.node.isEmpty() ? step.host.describe() : QStringLiteral("node ") + step.node;
    QString summary;
    if (outcome == StepOutcome::Cancelled)
        summary = QStringLiteral("plan %1 cancelled at %2. Steps before it are done and recorded; "
                                 "continue with: pgdeckctl resume %1")
                      .arg(plan().id(), where);
    else
        summary = QStringLiteral("plan %1 stopped: %2 failed on %3: %4\nSteps before it are done "
                                 "and recorded in %5. Fix the cause, then continue with: "
                                 "pgdeckctl resume %1")
                      .arg(plan().id(), where, place, message, m_journal.directory());
    finishPlan(false, summary);
}

void PlanExecutor::finishPlan(bool ok, const QString &summary)
{
    m_running = false;
    Q_EMIT progress(
        ok ? 100 : (plan().steps().isEmpty() ? 0 : m_index * 100 / int(plan().steps().size())));
    m_journal.append(
        ok ? QStringLiteral("plan-finished")
           : (m_cancelled ? QStringLiteral("plan-cancelled") : QStringLiteral("plan-failed")),
        {}, summary);
    for (PgConnection *c : std::as_const(m_connections))
        c->close();
    Q_EMIT finished(ok, summary);
}

} // namespace pgdeck
