#include "gitlabclient.h"

#include <QJsonObject>
#include <QNetworkRequest>

namespace pgdeck {

namespace {

const int kMaxPageSize = 100; // GitLab's cap for per_page

CiRun pipelineFrom(const QJsonObject &object)
{
    CiRun run;
    run.id = QString::number(object.value(QLatin1String("id")).toInteger());
    const QJsonValue iid = object.value(QLatin1String("iid"));
    run.number = iid.isUndefined() || iid.isNull() ? run.id : QString::number(iid.toInteger());
    run.name = object.value(QLatin1String("name")).toString();
    run.rawStatus = object.value(QLatin1String("status")).toString();
    run.status = GitLabClient::normalisedStatus(run.rawStatus);
    run.branch = object.value(QLatin1String("ref")).toString();
    run.commit = object.value(QLatin1String("sha")).toString();
    run.created = QDateTime::fromString(object.value(QLatin1String("created_at")).toString(),
                                        Qt::ISODateWithMs);
    run.updated = QDateTime::fromString(object.value(QLatin1String("updated_at")).toString(),
                                        Qt::ISODateWithMs);
    run.url = object.value(QLatin1String("web_url")).toString();
    const QJsonValue duration = object.value(QLatin1String("duration"));
    if (duration.isDouble())
        run.durationSeconds = qint64(duration.toDouble());
    return run;
}

CiJob jobFrom(const QJsonObject &object)
{
    CiJob job;
    job.id = QString::number(object.value(QLatin1String("id")).toInteger());
    job.name = object.value(QLatin1String("name")).toString();
    job.rawStatus = object.value(QLatin1String("status")).toString();
    job.status = GitLabClient::normalisedStatus(job.rawStatus);
    job.started = QDateTime::fromString(object.value(QLatin1String("started_at")).toString(),
                                        Qt::ISODateWithMs);
    job.finished = QDateTime::fromString(object.value(QLatin1String("finished_at")).toString(),
                                         Qt::ISODateWithMs);
    job.url = object.value(QLatin1String("web_url")).toString();
    return job;
}

} // namespace

GitLabClient::GitLabClient(const QString &project, const QString &token, QObject *parent)
    : CiClient(defaultBaseUrl(), parent)
    , m_project(project)
    , m_token(token)
{}

QString GitLabClient::normalisedStatus(const QString &status)
{
    if (status == QLatin1String("running"))
        return QStringLiteral("running");
    if (status == QLatin1String("success"))
        return QStringLiteral("success");
    if (status == QLatin1String("failed"))
        return QStringLiteral("failed");
    if (status == QLatin1String("canceled") || status == QLatin1String("canceling"))
        return QStringLiteral("cancelled");
    if (status == QLatin1String("skipped"))
        return QStringLiteral("skipped");
    for (const char *waiting : {"created", "waiting_for_resource", "preparing", "pending",
                                "scheduled", "manual", "waiting_for_callback"}) {
        if (status == QLatin1String(waiting))
            return QStringLiteral("queued");
    }
    return QStringLiteral("unknown");
}

void GitLabClient::authorise(QNetworkRequest &request) const
{
    request.setRawHeader("PRIVATE-TOKEN", m_token.toUtf8());
}

QString GitLabClient::notFoundHint() const
{
    // GitLab hides projects the token cannot read behind the same 404.
    return QStringLiteral("check the project (%1) and that %2 can read it")
        .arg(m_project, tokenVariable());
}

QString GitLabClient::projectPath() const
{
    // "group/app" must be one path segment: group%2Fapp.
    return QStringLiteral("/projects/") + QString::fromLatin1(QUrl::toPercentEncoding(m_project));
}

void GitLabClient::trigger(const QString &branch, const QMap<QString, QString> &parameters)
{
    QJsonArray variables;
    for (auto it = parameters.begin(); it != parameters.end(); ++it)
        variables.append(
            QJsonObject{{QStringLiteral("key"), it.key()}, {QStringLiteral("value"), it.value()}});
    const QJsonObject body{{QStringLiteral("ref"), branch},
                           {QStringLiteral("variables"), variables}};
    postJson(endpoint(projectPath() + QStringLiteral("/pipeline")), QJsonDocument(body),
             [this](const CiResponse &response) {
                 if (!response.ok())
                     return fail(response);
                 Q_EMIT triggered(pipelineFrom(response.json().object()));
             });
}

void GitLabClient::listRuns(int limit)
{
    limit = qMax(1, limit);
    const QUrl url =
        endpoint(projectPath() + QStringLiteral("/pipelines"),
                 {{QStringLiteral("per_page"), QString::number(qMin(limit, kMaxPageSize))}});
    const PageReader reader{
        [](const QJsonDocument &d) { return d.array(); },
        [](const CiResponse &r, const QJsonDocument &) { return nextFromLinkHeader(r); }};
    collectPages(url, limit, reader, [this](const QJsonArray &items) {
        QList<CiRun> runs;
        for (const QJsonValue &item : items)
            runs << pipelineFrom(item.toObject());
        Q_EMIT runsListed(runs);
    });
}

void GitLabClient::listJobs(const QString &runId)
{
    const QUrl url =
        endpoint(projectPath() + QStringLiteral("/pipelines/") + runId + QStringLiteral("/jobs"),
                 {{QStringLiteral("per_page"), QString::number(kMaxPageSize)}});
    const PageReader reader{
        [](const QJsonDocument &d) { return d.array(); },
        [](const CiResponse &r, const QJsonDocument &) { return nextFromLinkHeader(r); }};
    collectPages(url, 1000, reader, [this, runId](const QJsonArray &items) {
        QList<CiJob> jobs;
        for (const QJsonValue &item : items)
            jobs << jobFrom(item.toObject());
        Q_EMIT jobsListed(runId, jobs);
    });
}

void GitLabClient::fetchLog(const QString &jobId)
{
    get(endpoint(projectPath() + QStringLiteral("/jobs/") + jobId + QStringLiteral("/trace")),
        [this, jobId](const CiResponse &response) {
            if (!response.ok())
                return fail(response);
            Q_EMIT logFetched(jobId, QString::fromUtf8(response.body));
        });
}

} // namespace pgdeck
