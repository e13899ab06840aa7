// pgdeckctl pipeline runs|trigger|watch: the pipeline's runs on GitHub Actions, GitLab CI,
// Jenkins or CircleCI — start one, follow it job by job, read the failed jobs' logs.
// Credentials come from the environment (GITHUB_TOKEN, GITLAB_TOKEN, JENKINS_USER and
// JENKINS_TOKEN, CIRCLECI_TOKEN), else from the OS keychain (pgdeckctl pipeline token set).
#include "ctlcommand.h"
#include "statuscommand.h"
#include "texttable.h"

#include "pipeline/circleciclient.h"
#include "pipeline/credentialstore.h"
#include "pipeline/githubclient.h"
#include "pipeline/gitlabclient.h"
#include "pipeline/jenkinsclient.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <memory>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace pgdeck {

namespace {

// One answer of a CiClient call: every call ends in exactly one signal.
struct CiAnswer {
    bool ok = false;
    CiError error;
    CiRun run;
    QList<CiRun> runs;
    QList<CiJob> jobs;
    QString log;
};

CiAnswer await(CiClient *client, const std::function<void()> &call)
{
    CiAnswer a;
    QEventLoop loop;
    const auto done = [&] { loop.quit(); };
    QList<QMetaObject::Connection> c;
    c << QObject::connect(client, &CiClient::triggered, &loop,
                          [&](const CiRun &r) { a.ok = true, a.run = r, done(); })
      << QObject::connect(client, &CiClient::runsListed, &loop,
                          [&](const QList<CiRun> &r) { a.ok = true, a.runs = r, done(); })
      << QObject::connect(
             client, &CiClient::jobsListed, &loop,
             [&](const QString &, const QList<CiJob> &j) { a.ok = true, a.jobs = j, done(); })
      << QObject::connect(
             client, &CiClient::logFetched, &loop,
             [&](const QString &, const QString &t) { a.ok = true, a.log = t, done(); })
      << QObject::connect(client, &CiClient::failed, &loop,
                          [&](const CiError &e) { a.error = e, done(); });
    call();
    loop.exec();
    for (const auto &connection : c)
        QObject::disconnect(connection);
    return a;
}

bool terminal(const QString &status)
{
    return status == QLatin1String("success") || status == QLatin1String("failed") ||
           status == QLatin1String("cancelled") || status == QLatin1String("skipped");
}

QString duration(const QDateTime &from, const QDateTime &to)
{
    if (!from.isValid() || !to.isValid())
        return {};
    const qint64 s = from.secsTo(to);
    return s >= 60 ? QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60)
                   : QStringLiteral("%1s").arg(s);
}

const char *colour(const QString &status)
{
    if (status == QLatin1String("success"))
        return "32";
    if (status == QLatin1String("failed"))
        return "31";
    if (status == QLatin1String("running") || status == QLatin1String("queued"))
        return "33";
    return nullptr;
}

} // namespace

namespace {

// One line from stdin; without echo when it is a terminal, since it is a secret.
QString readSecretLine(const QString &prompt)
{
    const bool tty = ::isatty(STDIN_FILENO);
    termios saved{};
    if (tty) {
        std::fprintf(stderr, "%s: ", qPrintable(prompt));
        std::fflush(stderr);
        ::tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    char buffer[8192];
    const bool got = std::fgets(buffer, sizeof buffer, stdin) != nullptr;
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputc('\n', stderr);
    }
    return got ? QString::fromUtf8(buffer).trimmed() : QString();
}

} // namespace

int CtlCommand::pipelineToken(const QString &action)
{
    const QString service = m_parser.value(QStringLiteral("service"));
    const QStringList variables = CredentialStore::variablesFor(service);
    if (variables.isEmpty())
        return usage(QStringLiteral("--service takes github, gitlab, jenkins or circleci"));
    const QUrl base = m_parser.isSet(QStringLiteral("url"))
                          ? QUrl(m_parser.value(QStringLiteral("url")))
                          : CredentialStore::defaultApiBase(service);
    if (base.isEmpty())
        return usage(QStringLiteral("Jenkins needs --url, the server's address"));
    for (const QString &variable : variables) {
        const QString entry = CredentialStore::entryName(variable, base);
        QString error;
        if (action == QLatin1String("forget")) {
            error = CredentialStore::removeNow(entry);
        } else {
            const QString secret = readSecretLine(variable);
            if (secret.isEmpty()) {
                m_err << "pgdeckctl: no value for " << variable << " on standard input\n";
                return 1;
            }
            error = CredentialStore::writeNow(entry, secret);
        }
        if (!error.isEmpty()) {
            m_err << "pgdeckctl: " << entry << ": " << error << "\n";
            return 1;
        }
        m_out << (action == QLatin1String("forget") ? "forgotten: " : "stored in the keychain: ")
              << entry << "\n";
    }
    return 0;
}

std::unique_ptr<CiClient> CtlCommand::ciClient()
{
    const QString service = m_parser.value(QStringLiteral("service"));
    const QString repo = m_parser.value(QStringLiteral("repo"));
    if (repo.isEmpty()) {
        usage(
            QStringLiteral("--repo names the project: owner/repo (GitHub), a project id or "
                           "path (GitLab), a job (Jenkins), a slug like gh/owner/repo (CircleCI)"));
        return nullptr;
    }
    const QUrl base(m_parser.value(QStringLiteral("url")));
    const QUrl apiBase = base.isEmpty() ? CredentialStore::defaultApiBase(service) : base;
    // The environment first, then the keychain entry for this service and server.
    const auto need = [&](const QString &variable) {
        QString value = CiClient::tokenFromEnvironment(variable);
        if (!value.isEmpty())
            return value;
        QString error;
        const QString entry = CredentialStore::entryName(variable, apiBase);
        value = CredentialStore::readNow(entry, &error);
        if (value.isEmpty())
            m_err << "pgdeckctl: set " << variable
                  << " (never given on the command line), or store it with `pgdeckctl "
                     "pipeline token set --service "
                  << service << "`"
                  << (error.isEmpty() ? QString() : QStringLiteral(" (") + error + QLatin1Char(')'))
                  << "\n";
        return value;
    };
    std::unique_ptr<CiClient> client;
    if (service == QLatin1String("github")) {
        const QString token = need(GitHubClient::tokenVariable());
        if (token.isEmpty())
            return nullptr;
        // The workflow pgdeck wrote for this pipeline: .github/workflows/<name>.yml
        const QString name = m_parser.isSet(QStringLiteral("name"))
                                 ? m_parser.value(QStringLiteral("name"))
                                 : QStringLiteral("deploy");
        const QString workflow = m_parser.isSet(QStringLiteral("workflow"))
                                     ? m_parser.value(QStringLiteral("workflow"))
                                     : name + QStringLiteral(".yml");
        client = std::make_unique<GitHubClient>(repo, workflow, token);
    } else if (service == QLatin1String("gitlab")) {
        const QString token = need(GitLabClient::tokenVariable());
        if (token.isEmpty())
            return nullptr;
        client = std::make_unique<GitLabClient>(repo, token);
    } else if (service == QLatin1String("jenkins")) {
        if (base.isEmpty()) {
            usage(QStringLiteral("Jenkins needs --url, the server's address"));
            return nullptr;
        }
        const QString user = need(JenkinsClient::userVariable());
        const QString token = need(JenkinsClient::tokenVariable());
        if (user.isEmpty() || token.isEmpty())
            return nullptr;
        client = std::make_unique<JenkinsClient>(base, repo, user, token);
    } else if (service == QLatin1String("circleci")) {
        const QString token = need(CircleCiClient::tokenVariable());
        if (token.isEmpty())
            return nullptr;
        client = std::make_unique<CircleCiClient>(repo, token);
    } else {
        usage(QStringLiteral("--service takes github, gitlab, jenkins or circleci"));
        return nullptr;
    }
    if (!base.isEmpty())
        client->setBaseUrl(base);
    return client;
}

int CtlCommand::pipelineRuns()
{
    const std::unique_ptr<CiClient> client = ciClient();
    if (!client)
        return 2;
    bool ok = true;
    const int limit = m_parser.isSet(QStringLiteral("limit"))
                          ? m_parser.value(QStringLiteral("limit")).toInt(&ok)
                          : 10;
    if (!ok || limit <= 0)
        return usage(QStringLiteral("--limit takes a positive number"));
    const CiAnswer a = await(client.get(), [&] { client->listRuns(limit); });
    if (!a.ok) {
        m_err << "pgdeckctl: " << a.error.toString() << "\n";
        return 1;
    }
    if (m_parser.isSet(QStringLiteral("json"))) {
        QJsonArray out;
        for (const CiRun &r : a.runs)
            out << QJsonObject{{QStringLiteral("id"), r.id},
                               {QStringLiteral("number"), r.number},
                               {QStringLiteral("status"), r.status},
                               {QStringLiteral("raw_status"), r.rawStatus},
                               {QStringLiteral("branch"), r.branch},
                               {QStringLiteral("commit"), r.commit},
                               {QStringLiteral("created"), r.created.toString(Qt::ISODate)},
                               {QStringLiteral("duration_s"), r.durationSeconds},
                               {QStringLiteral("url"), r.url}};
        m_out << QJsonDocument(out).toJson(QJsonDocument::Indented);
        return 0;
    }
    TextTable table({QStringLiteral("RUN"), QStringLiteral("STATUS"), QStringLiteral("BRANCH"),
                     QStringLiteral("COMMIT"), QStringLiteral("STARTED"), QStringLiteral("TOOK")},
                    {true, false, false, false, false, true});
    for (const CiRun &r : a.runs)
        table.add(
            {{r.number.isEmpty() ? r.id : QStringLiteral("#") + r.number},
             {r.status, colour(r.status)},
             {r.branch},
             {r.commit.left(8)},
             {r.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))},
             {r.durationSeconds < 0 ? QString() : QStringLiteral("%1s").arg(r.durationSeconds)}});
    m_out << table.render(false);
    return 0;
}

int CtlCommand::pipelineTrigger()
{
    const std::unique_ptr<CiClient> client = ciClient();
    if (!client)
        return 2;
    QMap<QString, QString> parameters;
    for (const QString &p : m_parser.values(QStringLiteral("param"))) {
        const int eq = p.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return usage(QStringLiteral("--param takes KEY=VALUE, not \"%1\"").arg(p));
        parameters.insert(p.left(eq), p.mid(eq + 1));
    }
    const QString branch = m_parser.isSet(QStringLiteral("branch"))
                               ? m_parser.value(QStringLiteral("branch"))
                               : QStringLiteral("main");
    // What ran before, so the run this trigger starts can be told apart (GitHub's dispatch
    // answers without one).
    const CiAnswer before = await(client.get(), [&] { client->listRuns(5); });
    const CiAnswer a = await(client.get(), [&] { client->trigger(branch, parameters); });
    if (!a.ok) {
        m_err << "pgdeckctl: " << a.error.toString() << "\n";
        return 1;
    }
    QString runId = a.run.id;
    if (runId.isEmpty()) {
        QSet<QString> known;
        for (const CiRun &r : before.runs)
            known.insert(r.id);
        for (int attempt = 0; attempt < 10 && runId.isEmpty(); ++attempt) {
            const CiAnswer now = await(client.get(), [&] { client->listRuns(5); });
            for (const CiRun &r : now.runs)
                if (!known.contains(r.id)) {
                    runId = r.id;
                    break;
                }
            if (runId.isEmpty())
                QThread::msleep(1000);
        }
    }
    m_out << client->serviceName() << ": triggered on " << branch
          << (runId.isEmpty() ? QStringLiteral(" (the run is not listed yet)")
                              : QStringLiteral(", run ") + runId)
          << (a.run.url.isEmpty() ? QString() : QStringLiteral(" ") + a.run.url) << "\n";
    if (!m_parser.isSet(QStringLiteral("watch")) || runId.isEmpty())
        return 0;
    return watchRun(client.get(), runId);
}

int CtlCommand::pipelineWatch()
{
    const std::unique_ptr<CiClient> client = ciClient();
    if (!client)
        return 2;
    QString runId = m_parser.value(QStringLiteral("run"));
    if (runId.isEmpty()) { // the newest run
        const CiAnswer a = await(client.get(), [&] { client->listRuns(1); });
        if (!a.ok) {
            m_err << "pgdeckctl: " << a.error.toString() << "\n";
            return 1;
        }
        if (a.runs.isEmpty()) {
            m_err << "pgdeckctl: " << client->serviceName() << " has no run of this pipeline yet\n";
            return 1;
        }
        runId = a.runs.first().id;
    }
    return watchRun(client.get(), runId);
}

int CtlCommand::watchRun(CiClient *client, const QString &runId)
{
    int intervalMs = 5000;
    QString error;
    if (m_parser.isSet(QStringLiteral("interval")) &&
        !StatusCommand::parseInterval(m_parser.value(QStringLiteral("interval")), &intervalMs,
                                      &error))
        return usage(error);
    QString lastStatus;
    QHash<QString, QString> jobStatus;
    const QDateTime deadline = QDateTime::currentDateTime().addSecs(6 * 3600);
    while (QDateTime::currentDateTime() < deadline) {
        CiAnswer runs = await(client, [&] { client->listRuns(30); });
        if (!runs.ok && runs.error.rateLimited && runs.error.retryAt.isValid()) {
            m_out << client->serviceName() << ": rate limit reached; waiting until "
                  << runs.error.retryAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")) << "\n";
            m_out.flush();
            QThread::msleep(qBound<qint64>(qint64(1000),
                                           QDateTime::currentDateTime().msecsTo(runs.error.retryAt),
                                           qint64(3600000)));
            continue;
        }
        if (!runs.ok) {
            m_err << "pgdeckctl: " << runs.error.toString() << "\n";
            return 1;
        }
        const auto it = std::find_if(runs.runs.begin(), runs.runs.end(),
                                     [&](const CiRun &r) { return r.id == runId; });
        if (it == runs.runs.end()) {
            m_err << "pgdeckctl: run " << runId << " is not among the pipeline's latest runs\n";
            return 1;
        }
        const CiRun run = *it;
        const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
        if (run.status != lastStatus) {
            m_out << stamp << "  run "
                  << (run.number.isEmpty() ? run.id : QStringLiteral("#") + run.number) << ": "
                  << run.status << " (" << run.rawStatus << ")"
                  << (run.url.isEmpty() ? QString() : QStringLiteral("  ") + run.url) << "\n";
            lastStatus = run.status;
        }
        const CiAnswer jobs = await(client, [&] { client->listJobs(runId); });
        if (jobs.ok)
            for (const CiJob &j : jobs.jobs)
                if (jobStatus.value(j.id) != j.status) {
                    jobStatus.insert(j.id, j.status);
                    const QString took = duration(j.started, j.finished);
                    m_out << stamp << "    " << j.name << ": " << j.status
                          << (took.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(took))
                          << "\n";
                }
        m_out.flush();
        if (terminal(run.status)) {
            if (m_parser.isSet(QStringLiteral("logs")))
                for (const CiJob &j : jobs.jobs) {
                    if (j.status != QLatin1String("failed"))
                        continue;
                    const CiAnswer log = await(client, [&] { client->fetchLog(j.id); });
                    m_out << "\n--- log of " << j.name << " ---\n"
                          << (log.ok ? log.log.right(20000) : log.error.toString()) << "\n";
                }
            return run.status == QLatin1String("success") ? 0 : 1;
        }
        QThread::msleep(intervalMs);
    }
    m_err << "pgdeckctl: run " << runId << " did not finish within 6 h\n";
    return 1;
}

} // namespace pgdeck
