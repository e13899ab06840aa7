#include "githubclient.h"

#include <QJsonObject>
#include <QNetworkRequest>

namespace pgdeck {

namespace {

const int kMaxPageSize = 100; // GitHub's cap for per_page

QString rawStatus(const QJsonObject &object)
{
    const QString status = object.value(QLatin1String("status")).toString();
    const QString conclusion = object.value(QLatin1String("conclusion")).toString();
    return conclusion.isEmpty() ? status : status + u'/' + conclusion;
}

CiRun runFrom(const QJsonObject &object)
{
    CiRun run;
    run.id = QString::number(object.value(QLatin1String("id")).toInteger());
    run.number = QString::number(object.value(QLatin1String("run_number")).toInteger());
    run.name = object.value(QLatin1String("display_title")).toString();
    if (run.name.isEmpty())
        run.name = object.value(QLatin1String("name")).toString();
    run.status =
        GitHubClient::normalisedStatus(object.value(QLatin1String("status")).toString(),
                                       object.value(QLatin1String("conclusion")).toString());
    run.rawStatus = rawStatus(object);
    run.branch = object.value(QLatin1String("head_branch")).toString();
    run.commit = object.value(QLatin1String("head_sha")).toString();
    run.created = QDateTime::fromString(object.value(QLatin1String("created_at")).toString(),
                                        Qt::ISODateWithMs);
    run.updated = QDateTime::fromString(object.value(QLatin1String("updated_at")).toString(),
                                        Qt::ISODateWithMs);
    run.url = object.value(QLatin1String("html_url")).toString();
    QDateTime started = QDateTime::fromString(
        object.value(QLatin1String("run_started_at")).toString(), Qt::ISODateWithMs);
    if (!started.isValid())
        started = run.created;
    // Only a finished run has a duration the API states; updated_at is then its end.
    if (object.value(QLatin1String("status")).toString() == QLatin1String("completed") &&
        started.isValid() && run.updated.isValid())
        run.durationSeconds = started.secsTo(run.updated);
    return run;
}

CiJob jobFrom(const QJsonObject &object)
{
    CiJob job;
    job.id = QString::number(object.value(QLatin1String("id")).toInteger());
    job.name = object.value(QLatin1String("name")).toString();
    job.status =
        GitHubClient::normalisedStatus(object.value(QLatin1String("status")).toString(),
                                       object.value(QLatin1String("conclusion")).toString());
    job.rawStatus = rawStatus(object);
    job.started = QDateTime::fromString(object.value(QLatin1String("started_at")).toString(),
                                        Qt::ISODateWithMs);
    job.finished = QDateTime::fromString(object.value(QLatin1String("completed_at")).toString(),
                                         Qt::ISODateWithMs);
    job.url = object.value(QLatin1String("html_url")).toString();
    return job;
}

QJsonArray arrayNamed(const QJsonDocument &document, const char *name)
{
    return document.object().value(QLatin1String(name)).toArray();
}

} // namespace

GitHubClient::GitHubClient(const QString &repository, const QString &workflowFile,
                           const QString &token, QObject *parent)
    : CiClient(defaultBaseUrl(), parent)
    , m_repository(repository)
    , m_workflowFile(workflowFile)
    , m_token(token)
{}

QString GitHubClient::normalisedStatus(const QString &status, const QString &conclusion)
{
    if (status == QLatin1String("in_progress"))
        return QStringLiteral("running");
    if (status == QLatin1String("completed")) {
        if (conclusion == QLatin1String("success") || conclusion == QLatin1String("neutral"))
            return QStringLiteral("success");
        if (conclusion == QLatin1String("failure") || conclusion == QLatin1String("timed_out") ||
            conclusion == QLatin1String("startup_failure"))
            return QStringLiteral("failed");
        if (conclusion == QLatin1String("cancelled"))
            return QStringLiteral("cancelled");
        if (conclusion == QLatin1String("skipped"))
            return QStringLiteral("skipped");
        return QStringLiteral("unknown"); // action_required, stale
    }
    for (const char *waiting : {"queued", "requested", "waiting", "pending"}) {
        if (status == QLatin1String(waiting))
            return QStringLiteral("queued");
    }
    return QStringLiteral("unknown");
}

void GitHubClient::authorise(QNetworkRequest &request) const
{
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setRawHeader("Accept", "application/vnd.github+json");
    request.setRawHeader("X-GitHub-Api-Version", "2022-11-28");
}

QString GitHubClient::notFoundHint() const
{
    // GitHub answers 404, not 403, for private repositories the token cannot see.
    return QStringLiteral("check the repository (%1), the workflow file (%2) and that %3 can "
                          "read them")
        .arg(m_repository, m_workflowFile, tokenVariable());
}

QString GitHubClient::repoPath() const
{
    return QStringLiteral("/repos/") + m_repository;
}

void GitHubClient::trigger(const QString &branch, const QMap<QString, QString> &parameters)
{
    QJsonObject inputs;
    for (auto it = parameters.begin(); it != parameters.end(); ++it)
        inputs.insert(it.key(), it.value());
    const QJsonObject body{{QStringLiteral("ref"), branch}, {QStringLiteral("inputs"), inputs}};
    const QUrl url = endpoint(repoPath() + QStringLiteral("/actions/workflows/") +
                              QString::fromLatin1(QUrl::toPercentEncoding(m_workflowFile)) +
                              QStringLiteral("/dispatches"));
    postJson(url, QJsonDocument(body), [this, branch](const CiResponse &response) {
        if (!response.ok())
            return fail(response);
        // The dispatch answers 204 without naming the run; it shows up in listRuns.
        CiRun run;
        run.name = m_workflowFile;
        run.branch = branch;
        run.status = QStringLiteral("queued");
        const QJsonObject details = response.json().object();
        if (details.contains(QLatin1String("workflow_run_id")))
            run.id = QString::number(details.value(QLatin1String("workflow_run_id")).toInteger());
        run.url = details.value(QLatin1String("html_url")).toString();
        Q_EMIT triggered(run);
    });
}

void GitHubClient::listRuns(int limit)
{
    limit = qMax(1, limit);
    const QUrl url = endpoint(
        repoPath() + QStringLiteral("/actions/workflows/") +
            QString::fromLatin1(QUrl::toPercentEncoding(m_workflowFile)) + QStringLiteral("/runs"),
        {{QStringLiteral("per_page"), QString::number(qMin(limit, kMaxPageSize))}});
    const PageReader reader{
        [](const QJsonDocument &d) { return arrayNamed(d, "workflow_runs"); },
        [](const CiResponse &r, const QJsonDocument &) { return nextFromLinkHeader(r); }};
    collectPages(url, limit, reader, [this](const QJsonArray &items) {
        QList<CiRun> runs;
        for (const QJsonValue &item : items)
            runs << runFrom(item.toObject());
        Q_EMIT runsListed(runs);
    });
}

void GitHubClient::listJobs(const QString &runId)
{
    const QUrl url =
        endpoint(repoPath() + QStringLiteral("/actions/runs/") + runId + QStringLiteral("/jobs"),
                 {{QStringLiteral("per_page"), QString::number(kMaxPageSize)}});
    const PageReader reader{
        [](const QJsonDocument &d) { return arrayNamed(d, "jobs"); },
        [](const CiResponse &r, const QJsonDocument &) { return nextFromLinkHeader(r); }};
    collectPages(url, 1000, reader, [this, runId](const QJsonArray &items) {
        QList<CiJob> jobs;
        for (const QJsonValue &item : items)
            jobs << jobFrom(item.toObject());
        Q_EMIT jobsListed(runId, jobs);
    });
}

void GitHubClient::fetchLog(const QString &jobId)
{
    const QUrl url =
        endpoint(repoPath() + QStringLiteral("/actions/jobs/") + jobId + QStringLiteral("/logs"));
    get(url, [this, jobId](const CiResponse &response) {
        const QByteArray location = response.header("Location");
        if (response.httpStatus == 302 && !location.isEmpty())
            return readLogAt(jobId, response.url.resolved(QUrl::fromEncoded(location)));
        if (!response.ok())
            return fail(response);
        Q_EMIT logFetched(jobId, QString::fromUtf8(response.body));
    });
}

void GitHubClient::readLogAt(const QString &jobId, const QUrl &location)
{
    // The storage URL is signed for this one download; the token must not go with it.
    get(
        location,
        [this, jobId](const CiResponse &response) {
            if (!response.ok())
                return fail(response);
            Q_EMIT logFetched(jobId, QString::fromUtf8(response.body));
        },
        false);
}

} // namespace pgdeck
