#include "localrun.h"

#include "pg/quoting.h"
#include "plan/commandrunner.h"

#include <QDir>
#include <QFileInfo>

#include <unistd.h>

namespace pgdeck {

namespace {

QString shellEnv(const QMap<QString, QString> &env)
{
    QStringList out;
    for (auto it = env.begin(); it != env.end(); ++it)
        out << QStringLiteral("export %1=%2").arg(it.key(), sql::shellQuote(it.value()));
    return out.join(QLatin1Char('\n'));
}

// The job's variables as this machine provides them: the service on 127.0.0.1:pgPort.
QMap<QString, QString> localEnv(const PipelineJob &job, const PipelineSpec &spec, int pgPort)
{
    QMap<QString, QString> env = job.env;
    if (job.postgres) {
        env.insert(QStringLiteral("PGHOST"), QStringLiteral("127.0.0.1"));
        env.insert(QStringLiteral("PGPORT"), QString::number(pgPort));
        env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgres://%1@127.0.0.1:%2/%3")
                                                       .arg(spec.dbUser)
                                                       .arg(pgPort)
                                                       .arg(spec.dbName));
    }
    env.insert(QStringLiteral("CI"), QStringLiteral("true"));
    env.insert(QStringLiteral("IMAGE_TAG"), QStringLiteral("local"));
    return env;
}

QString containerName(const LocalRunOptions &o)
{
    return QFileInfo(o.scratchDir).fileName(); // pgdeck-run-<random>
}

} // namespace

PipelineLocalRun::PipelineLocalRun(QObject *parent)
    : QObject(parent)
    , m_runner(new CommandRunner(this))
{
    connect(m_runner, &CommandRunner::outputLine, this, [this](const QString &line) {
        if (m_index >= 0 && m_index < m_steps.size())
            Q_EMIT output(m_index, line);
    });
}

PipelineLocalRun::~PipelineLocalRun() = default;

QString PipelineLocalRun::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::Running:
        return QStringLiteral("running");
    case State::Passed:
        return QStringLiteral("passed");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Skipped:
        return QStringLiteral("skipped");
    case State::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

QList<PipelineLocalRun::Step> PipelineLocalRun::plan(const PipelineSpec &spec,
                                                     const LocalRunOptions &o)
{
    const auto sh = [](const QString &script) {
        return QStringList{QStringLiteral("sh"), QStringLiteral("-ec"), script};
    };
    QList<Step> steps;
    const QString scratch = o.scratchDir;
    const QString pgData =
        !o.pgDataDir.isEmpty()
            ? o.pgDataDir
            : QDir::temp().filePath(QFileInfo(scratch).fileName() + QStringLiteral("-postgres"));
    Step copy;
    copy.job = QStringLiteral("local");
    copy.id = QStringLiteral("checkout");
    copy.title = QStringLiteral("Copy the repository (without node_modules and .git)");
    copy.argv = sh(
        QStringLiteral("mkdir -p %2 && tar -C %1 --exclude=./node_modules --exclude=./.git -cf - . "
                       "| tar -C %2 -xf -")
            .arg(sql::shellQuote(o.repoDir), sql::shellQuote(scratch)));
    steps << copy;

    const QList<PipelineJob> jobs = PipelineModel::jobs(spec, QStringLiteral("127.0.0.1"));
    const bool service =
        std::any_of(jobs.begin(), jobs.end(), [](const PipelineJob &j) { return j.postgres; });
    if (service) {
        Step start;
        start.job = QStringLiteral("services");
        start.id = QStringLiteral("postgres");
        start.title = QStringLiteral("Start the PostgreSQL service (%1) on 127.0.0.1:%2")
                          .arg(o.inContainers ? spec.postgresImage : QStringLiteral("local server"))
                          .arg(o.pgPort);
        if (o.inContainers) {
            start.argv = {
                QStringLiteral("docker"),    QStringLiteral("run"),
                QStringLiteral("-d"),        QStringLiteral("--rm"),
                QStringLiteral("--name"),    containerName(o),
                QStringLiteral("--network"), QStringLiteral("host"),
                QStringLiteral("-e"),        QStringLiteral("POSTGRES_USER=") + spec.dbUser,
                QStringLiteral("-e"),        QStringLiteral("POSTGRES_DB=") + spec.dbName,
                QStringLiteral("-e"),        QStringLiteral("POSTGRES_HOST_AUTH_METHOD=trust"),
                spec.postgresImage,          QStringLiteral("postgres"),
                QStringLiteral("-c"),        QStringLiteral("port=%1").arg(o.pgPort),
                QStringLiteral("-c"),        QStringLiteral("listen_addresses=127.0.0.1")};
        } else {
            // What the service container does, with this machine's server: trust on loopback.
            const QString bin = o.pgBinDir;
            start.host.runAs = o.pgOsUser;
            start.argv =
                sh(QStringLiteral("%1/initdb -D %2 -U %3 --auth=trust >/dev/null\n"
                                  "%1/pg_ctl -D %2 -l %2/server.log -w -o %4 start\n"
                                  "%1/createdb -h 127.0.0.1 -p %5 -U %3 %6")
                       .arg(bin, sql::shellQuote(pgData), sql::shellQuote(spec.dbUser),
                            sql::shellQuote(
                                QStringLiteral("-p %1 -k /tmp -c listen_addresses=127.0.0.1")
                                    .arg(o.pgPort)))
                       .arg(o.pgPort)
                       .arg(sql::shellQuote(spec.dbName)));
        }
        steps << start;
    }

    for (const PipelineJob &job : jobs) {
        const QMap<QString, QString> env = localEnv(job, spec, o.pgPort);
        for (const PipelineStep &ps : job.steps) {
            Step s;
            s.job = job.id;
            s.id = ps.id;
            s.title = ps.title;
            const QString script = ps.commands.join(QLatin1Char('\n'));
            if (!job.secrets.isEmpty() && ps.id != QLatin1String("build")) {
                s.skipReason = QStringLiteral("needs %1 and the outside world")
                                   .arg(job.secrets.join(QStringLiteral(", ")));
            } else if (job.docker && !o.inContainers) {
                s.skipReason = QStringLiteral("needs Docker (run in containers)");
            } else if (o.inContainers && !job.docker) {
                s.argv = {QStringLiteral("docker"),
                          QStringLiteral("run"),
                          QStringLiteral("--rm"),
                          QStringLiteral("--network"),
                          QStringLiteral("host"),
                          QStringLiteral("--user"),
                          QStringLiteral("%1:%2").arg(getuid()).arg(getgid()),
                          QStringLiteral("-e"),
                          QStringLiteral("HOME=/tmp"),
                          QStringLiteral("-v"),
                          scratch + QStringLiteral(":/work"),
                          QStringLiteral("-w"),
                          QStringLiteral("/work")};
                for (auto it = env.begin(); it != env.end(); ++it)
                    s.argv << QStringLiteral("-e")
                           << QStringLiteral("%1=%2").arg(it.key(), it.value());
                s.argv << job.image << QStringLiteral("sh") << QStringLiteral("-ec") << script;
            } else {
                // The build job's own engine is this machine's: its docker build runs as is.
                s.argv = sh(QStringLiteral("cd %1\n%2\n%3")
                                .arg(sql::shellQuote(scratch), shellEnv(env), script));
            }
            steps << s;
        }
    }

    if (service) {
        Step stop;
        stop.job = QStringLiteral("services");
        stop.id = QStringLiteral("postgres-stop");
        stop.title = QStringLiteral("Stop the PostgreSQL service");
        stop.teardown = true;
        if (o.inContainers) {
            stop.argv = {QStringLiteral("docker"), QStringLiteral("rm"), QStringLiteral("-f"),
                         containerName(o)};
        } else {
            stop.host.runAs = o.pgOsUser;
            stop.argv =
                sh(QStringLiteral(
                       "if [ -f %2/postmaster.pid ]; then %1/pg_ctl -D %2 -m fast -w stop; fi\n"
                       "rm -rf %2")
                       .arg(o.pgBinDir, sql::shellQuote(pgData)));
        }
        steps << stop;
    }
    Step clean;
    clean.job = QStringLiteral("local");
    clean.id = QStringLiteral("clean");
    clean.title = QStringLiteral("Remove the copy");
    clean.teardown = true;
    clean.argv = sh(QStringLiteral("rm -rf %1").arg(sql::shellQuote(scratch)));
    steps << clean;
    return steps;
}

bool PipelineLocalRun::start(const PipelineSpec &spec, const LocalRunOptions &options,
                             QString *error)
{
    if (m_running) {
        *error = QStringLiteral("a run is already under way");
        return false;
    }
    if (!QFileInfo(options.repoDir).isDir()) {
        *error = QStringLiteral("%1 is not a directory").arg(options.repoDir);
        return false;
    }
    if (options.scratchDir.isEmpty() || QFileInfo::exists(options.scratchDir)) {
        *error = QStringLiteral("the scratch directory must be a new path, not \"%1\"")
                     .arg(options.scratchDir);
        return false;
    }
    const QStringList invalid = validatePipelineSpec(spec);
    if (!invalid.isEmpty()) {
        *error = invalid.join(QLatin1Char('\n'));
        return false;
    }
    m_steps = plan(spec, options);
    m_timeoutMs = options.stepTimeoutMs;
    m_index = -1;
    m_failed = m_cancelled = false;
    m_running = true;
    runNext();
    return true;
}

void PipelineLocalRun::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    m_runner->cancel(); // the running step ends as cancelled; teardown still runs
}

void PipelineLocalRun::runNext()
{
    ++m_index;
    if (m_index >= m_steps.size()) {
        m_running = false;
        int passed = 0, skipped = 0;
        for (const Step &s : std::as_const(m_steps)) {
            passed += s.state == State::Passed;
            skipped += s.state == State::Skipped;
        }
        const bool ok = !m_failed && !m_cancelled;
        QString summary = QStringLiteral("%1: %2 passed, %3 skipped")
                              .arg(ok            ? QStringLiteral("passed")
                                   : m_cancelled ? QStringLiteral("cancelled")
                                                 : QStringLiteral("failed"))
                              .arg(passed)
                              .arg(skipped);
        for (const Step &s : std::as_const(m_steps))
            if (s.state == State::Failed) {
                summary +=
                    QStringLiteral("; %1/%2 failed (exit %3)").arg(s.job, s.id).arg(s.exitCode);
                break;
            }
        Q_EMIT finished(ok, summary);
        return;
    }
    Step &step = m_steps[m_index];
    if (!step.skipReason.isEmpty() || ((m_failed || m_cancelled) && !step.teardown)) {
        step.state = State::Skipped;
        if (step.skipReason.isEmpty())
            step.skipReason = m_cancelled ? QStringLiteral("the run was cancelled")
                                          : QStringLiteral("an earlier step failed");
        Q_EMIT stepFinished(m_index, step.state);
        QMetaObject::invokeMethod(this, &PipelineLocalRun::runNext, Qt::QueuedConnection);
        return;
    }
    step.state = State::Running;
    Q_EMIT stepStarted(m_index);
    m_clock.start();
    const int index = m_index;
    m_runner->run(
        step.host, step.argv, {}, m_timeoutMs, [this, index](const CommandRunner::Result &r) {
            Step &s = m_steps[index];
            s.durationMs = m_clock.elapsed();
            s.output = r.output;
            s.exitCode = r.exitCode;
            if (r.ok()) {
                s.state = State::Passed;
            } else if (r.cancelled) {
                s.state = State::Cancelled;
            } else {
                s.state = State::Failed; // a teardown too: a leftover service is worth a failure
                m_failed = true;
                if (!r.error.isEmpty())
                    Q_EMIT output(index, r.error);
            }
            Q_EMIT stepFinished(index, s.state);
            QMetaObject::invokeMethod(this, &PipelineLocalRun::runNext, Qt::QueuedConnection);
        });
}

} // namespace pgdeck
