#include "circleciclient.h"

#include <QJsonObject>
#include <QNetworkRequest>
#include <QUrlQuery>

#include <memory>

namespace pgdeck {

namespace {

const int kMaxJobs = 1000;

QJsonArray itemsOf(const QJsonDocument &document)
{
    return document.object().value(QLatin1String("items")).toArray();
}

// CircleCI pages with a token: the same request again with page-token=<next_page_token>.
QUrl nextFromPageToken(const CiResponse &response, const QJsonDocument &document)
{
    const QString token = document.object().value(QLatin1String("next_page_token")).toString();
    if (token.isEmpty())
        return {};
    QUrl next = response.url;
    QUrlQuery query(next);
    query.removeAllQueryItems(QStringLiteral("page-token"));
    query.addQueryItem(QStringLiteral("page-token"),
                       QString::fromLatin1(QUrl::toPercentEncoding(token)));
    next.setQuery(query);
    return next;
}

QString normalisedPipelineState(const QString &state)
{
    if (state == QLatin1String("errored"))
        return QStringLiteral("failed");
    for (const char *waiting : {"created", "setup-pending", "setup", "pending"}) {
        if (state == QLatin1String(waiting))
            return QStringLiteral("queued");
    }
    return QStringLiteral("unknown");
}

// Pipeline parameters are typed; the text of a boolean or an integer is sent as one.
QJsonValue parameterValue(const QString &text)
{
    if (text == QLatin1String("true") || text == QLatin1String("false"))
        return text == QLatin1String("true");
    bool isNumber = false;
    const int number = text.toInt(&isNumber);
    return isNumber ? QJsonValue(number) : QJsonValue(text);
}

CiRun pipelineFrom(const QJsonObject &object, const QString &projectUrl)
{
    CiRun run;
    run.id = object.value(QLatin1String("id")).toString();
    run.number = QString::number(object.value(QLatin1String("number")).toInteger());
    run.name = QStringLiteral("pipeline #") + run.number;
    run.rawStatus = object.value(QLatin1String("state")).toString();
    run.status = normalisedPipelineState(run.rawStatus);
    const QJsonObject vcs = object.value(QLatin1String("vcs")).toObject();
    run.branch = vcs.value(QLatin1String("branch")).toString();
    if (run.branch.isEmpty())
        run.branch = vcs.value(QLatin1String("tag")).toString();
    run.commit = vcs.value(QLatin1String("revision")).toString();
    run.created = QDateTime::fromString(object.value(QLatin1String("created_at")).toString(),
                                        Qt::ISODateWithMs);
    run.updated = QDateTime::fromString(object.value(QLatin1String("updated_at")).toString(),
                                        Qt::ISODateWithMs);
    run.url = projectUrl + u'/' + run.number;
    return run;
}

} // namespace

CircleCiClient::CircleCiClient(const QString &projectSlug, const QString &token, QObject *parent)
    : CiClient(defaultBaseUrl(), parent)
    , m_slug(projectSlug)
    , m_token(token)
{}

QString CircleCiClient::normalisedWorkflowStatus(const QString &status)
{
    if (status == QLatin1String("success"))
        return QStringLiteral("success");
    if (status == QLatin1String("running") || status == QLatin1String("failing"))
        return QStringLiteral("running");
    if (status == QLatin1String("failed") || status == QLatin1String("error") ||
        status == QLatin1String("unauthorized"))
        return QStringLiteral("failed");
    if (status == QLatin1String("canceled"))
        return QStringLiteral("cancelled");
    if (status == QLatin1String("not_run"))
        return QStringLiteral("skipped");
    if (status == QLatin1String("on_hold"))
        return QStringLiteral("queued");
    return QStringLiteral("unknown");
}

QString CircleCiClient::normalisedJobStatus(const QString &status)
{
    for (const char *failed :
         {"failed", "infrastructure_fail", "timedout", "terminated-unknown", "unauthorized"}) {
        if (status == QLatin1String(failed))
            return QStringLiteral("failed");
    }
    for (const char *waiting : {"queued", "not_running", "on_hold", "blocked"}) {
        if (status == QLatin1String(waiting))
            return QStringLiteral("queued");
    }
    if (status == QLatin1String("success"))
        return QStringLiteral("success");
    if (status == QLatin1String("running"))
        return QStringLiteral("running");
    if (status == QLatin1String("canceled"))
        return QStringLiteral("cancelled");
    if (status == QLatin1String("not_run"))
        return QStringLiteral("skipped");
    return QStringLiteral("unknown"); // retried
}

void CircleCiClient::authorise(QNetworkRequest &request) const
{
    request.setRawHeader("Circle-Token", m_token.toUtf8());
    request.setRawHeader("Accept", "application/json");
}

QString CircleCiClient::notFoundHint() const
{
    // CircleCI answers 404 for projects the token cannot see as well.
    return QStringLiteral("check the project slug (%1) and that %2 can read it")
        .arg(m_slug, tokenVariable());
}

QString CircleCiClient::projectPath() const
{
    // Slugs are used as path segments as they are: /project/gh/owner/repo.
    QStringList parts;
    for (const QString &part : m_slug.split(u'/', Qt::SkipEmptyParts))
        parts << QString::fromLatin1(QUrl::toPercentEncoding(part));
    return QStringLiteral("/project/") + parts.join(u'/');
}

QString CircleCiClient::webAppProjectUrl() const
{
    QString vcs = m_slug.section(u'/', 0, 0);
    if (vcs == QLatin1String("gh"))
        vcs = QStringLiteral("github");
    else if (vcs == QLatin1String("bb"))
        vcs = QStringLiteral("bitbucket");
    return QStringLiteral("https://app.circleci.com/pipelines/") + vcs + u'/' +
           m_slug.section(u'/', 1);
}

void CircleCiClient::trigger(const QString &branch, const QMap<QString, QString> &parameters)
{
    QJsonObject values;
    for (auto it = parameters.begin(); it != parameters.end(); ++it)
        values.insert(it.key(), parameterValue(it.value()));
    QJsonObject body{{QStringLiteral("branch"), branch}};
    if (!values.isEmpty())
        body.insert(QStringLiteral("parameters"), values);
    postJson(endpoint(projectPath() + QStringLiteral("/pipeline")), QJsonDocument(body),
             [this, branch](const CiResponse &response) {
                 if (!response.ok())
                     return fail(response);
                 CiRun run = pipelineFrom(response.json().object(), webAppProjectUrl());
                 run.branch = branch; // the answer names only id, state, number, created_at
                 Q_EMIT triggered(run);
             });
}

void CircleCiClient::listRuns(int limit)
{
    QList<QPair<QString, QString>> query;
    if (!m_branchFilter.isEmpty())
        query.append({QStringLiteral("branch"), m_branchFilter});
    collectPages(endpoint(projectPath() + QStringLiteral("/pipeline"), query), qMax(1, limit),
                 PageReader{itemsOf, nextFromPageToken},
                 [this](const QJsonArray &pipelines) { addWorkflowStatuses(pipelines); });
}

void CircleCiClient::addWorkflowStatuses(const QJsonArray &pipelines)
{
    // A pipeline's own state says only whether its config was processed; what users call its
    // status is its workflow's. One request per pipeline, all in flight together.
    struct Pending {
        QList<CiRun> runs;
        int waiting = 0;
        bool failed = false;
    };
    auto pending = std::make_shared<Pending>();
    for (const QJsonValue &pipeline : pipelines)
        pending->runs << pipelineFrom(pipeline.toObject(), webAppProjectUrl());
    pending->waiting = pending->runs.size();
    if (pending->waiting == 0)
        return Q_EMIT runsListed({});
    for (int i = 0; i < pending->runs.size(); ++i) {
        const QUrl url = endpoint(QStringLiteral("/pipeline/") + pending->runs.at(i).id +
                                  QStringLiteral("/workflow"));
        get(url, [this, pending, i](const CiResponse &response) {
            if (pending->failed)
                return;
            if (!response.ok()) {
                pending->failed = true;
                return fail(response);
            }
            const QJsonArray workflows = itemsOf(response.json());
            if (!workflows.isEmpty()) {
                const QJsonObject first = workflows.first().toObject();
                CiRun &run = pending->runs[i];
                run.name = first.value(QLatin1String("name")).toString();
                run.rawStatus = first.value(QLatin1String("status")).toString();
                run.status = normalisedWorkflowStatus(run.rawStatus);
                const QDateTime stopped = QDateTime::fromString(
                    first.value(QLatin1String("stopped_at")).toString(), Qt::ISODateWithMs);
                const QDateTime started = QDateTime::fromString(
                    first.value(QLatin1String("created_at")).toString(), Qt::ISODateWithMs);
                if (stopped.isValid() && started.isValid())
                    run.durationSeconds = started.secsTo(stopped);
            }
            if (--pending->waiting == 0)
                Q_EMIT runsListed(pending->runs);
        });
    }
}

void CircleCiClient::listJobs(const QString &runId)
{
    collectPages(
        endpoint(QStringLiteral("/pipeline/") + runId + QStringLiteral("/workflow")), kMaxJobs,
        PageReader{itemsOf, nextFromPageToken},
        [this, runId](const QJsonArray &workflows) { listWorkflowJobs(runId, workflows); });
}

void CircleCiClient::listWorkflowJobs(const QString &pipelineId, const QJsonArray &workflows)
{
    struct Pending {
        QList<QList<CiJob>> perWorkflow; // kept in workflow order
        int waiting = 0;
        bool failed = false;
    };
    auto pending = std::make_shared<Pending>();
    pending->perWorkflow.resize(workflows.size());
    pending->waiting = workflows.size();
    if (pending->waiting == 0)
        return Q_EMIT jobsListed(pipelineId, {});
    for (int i = 0; i < workflows.size(); ++i) {
        const QJsonObject workflow = workflows.at(i).toObject();
        const QString workflowId = workflow.value(QLatin1String("id")).toString();
        const QString workflowUrl =
            webAppProjectUrl() + u'/' +
            QString::number(workflow.value(QLatin1String("pipeline_number")).toInteger()) +
            QStringLiteral("/workflows/") + workflowId;
        const QUrl url =
            endpoint(QStringLiteral("/workflow/") + workflowId + QStringLiteral("/job"));
        // One page per workflow (CircleCI's page holds 20 jobs); the first failure is
        // reported and the other answers are dropped.
        get(url, [this, pending, i, pipelineId, workflowUrl](const CiResponse &response) {
            if (pending->failed)
                return;
            if (!response.ok()) {
                pending->failed = true;
                return fail(response);
            }
            for (const QJsonValue &value : itemsOf(response.json())) {
                const QJsonObject object = value.toObject();
                CiJob job;
                const QJsonValue number = object.value(QLatin1String("job_number"));
                // Approval jobs and jobs not started yet have no number.
                job.id = number.isDouble() ? QString::number(number.toInteger())
                                           : object.value(QLatin1String("id")).toString();
                job.name = object.value(QLatin1String("name")).toString();
                job.rawStatus = object.value(QLatin1String("status")).toString();
                job.status = normalisedJobStatus(job.rawStatus);
                job.started = isoTime(object.value(QLatin1String("started_at")));
                job.finished = isoTime(object.value(QLatin1String("stopped_at")));
                if (number.isDouble())
                    job.url = workflowUrl + QStringLiteral("/jobs/") + job.id;
                pending->perWorkflow[i] << job;
            }
            if (--pending->waiting == 0) {
                QList<CiJob> jobs;
                for (const QList<CiJob> &part : std::as_const(pending->perWorkflow))
                    jobs << part;
                Q_EMIT jobsListed(pipelineId, jobs);
            }
        });
    }
}

void CircleCiClient::fetchLog(const QString &jobId)
{
    get(endpoint(projectPath() + QStringLiteral("/job/") + jobId),
        [this, jobId](const CiResponse &response) {
            if (!response.ok())
                return fail(response);
            const QJsonObject job = response.json().object();
            const QString webUrl = job.value(QLatin1String("web_url")).toString();
            Q_EMIT logFetched(
                jobId, QStringLiteral("CircleCI's API v2 has no endpoint for job logs. Job %1 (%2, "
                                      "%3): read its log in the CircleCI web app: %4\n")
                           .arg(jobId, job.value(QLatin1String("name")).toString(),
                                job.value(QLatin1String("status")).toString(), webUrl));
        });
}

} // namespace pgdeck
