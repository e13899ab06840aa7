#include "fakeciserver.h"

#include <QJsonDocument>

namespace pgdeck::test {

// GitLab CI: pipelines, their jobs, triggers, and job traces.

void FakeCiServer::seedGitLabRun(int index)
{
    static const QStringList states = {QStringLiteral("success"),  QStringLiteral("failed"),
                                       QStringLiteral("running"),  QStringLiteral("pending"),
                                       QStringLiteral("canceled"), QStringLiteral("skipped"),
                                       QStringLiteral("created"),  QStringLiteral("manual"),
                                       QStringLiteral("success"),  QStringLiteral("success")};
    const int number = seededNumber(index);
    const QDateTime created = seededCreated(number);
    const qint64 pipelineId = 500 + number;
    m_gitLabPipelines << QJsonObject{
        {QStringLiteral("id"), pipelineId},
        {QStringLiteral("iid"), number},
        {QStringLiteral("project_id"), 42},
        {QStringLiteral("sha"), seededSha(number)},
        {QStringLiteral("ref"), QStringLiteral("main")},
        {QStringLiteral("status"), states.at(index)},
        {QStringLiteral("source"), QStringLiteral("push")},
        {QStringLiteral("created_at"), iso(created)},
        {QStringLiteral("updated_at"), iso(created.addSecs(120))},
        {QStringLiteral("web_url"),
         QStringLiteral("https://gitlab.com/group/app/-/pipelines/%1").arg(pipelineId)}};
}

QJsonArray FakeCiServer::gitLabJobs(const QJsonObject &pipeline) const
{
    const qint64 pipelineId = pipeline.value(QLatin1String("id")).toInteger();
    const QString status = pipeline.value(QLatin1String("status")).toString();
    QJsonArray jobs;
    int index = 1;
    for (const auto &[name, stage] :
         {QPair<QString, QString>{QStringLiteral("test"), QStringLiteral("test")},
          QPair<QString, QString>{QStringLiteral("deploy"), QStringLiteral("deploy")}}) {
        const qint64 jobId = pipelineId * 10 + index;
        jobs.append(QJsonObject{
            {QStringLiteral("id"), jobId},
            {QStringLiteral("name"), name},
            {QStringLiteral("stage"), stage},
            {QStringLiteral("status"),
             index == 1 || status != QLatin1String("running") ? status : QStringLiteral("created")},
            {QStringLiteral("started_at"), pipeline.value(QLatin1String("created_at"))},
            {QStringLiteral("finished_at"), pipeline.value(QLatin1String("updated_at"))},
            {QStringLiteral("web_url"),
             QStringLiteral("https://gitlab.com/group/app/-/jobs/%1").arg(jobId)},
            {QStringLiteral("pipeline"), QJsonObject{{QStringLiteral("id"), pipelineId}}}});
        ++index;
    }
    return jobs;
}

FakeCiServer::Response FakeCiServer::answerGitLab(const Request &request,
                                                  const QStringList &segments)
{
    if (request.header("private-token") != gitLabToken().toUtf8() &&
        request.header("authorization") != "Bearer " + gitLabToken().toUtf8())
        return json(401,
                    QJsonObject{{QStringLiteral("message"), QStringLiteral("401 Unauthorized")}});
    if (m_rateLimited) {
        // Rack::Attack's throttle answer, with GitLab's RateLimit-* headers.
        m_rateLimitReset = QDateTime::currentDateTimeUtc().addSecs(60);
        Response response = text(429, "Retry later\n");
        response.add("Retry-After", "60");
        response.add("RateLimit-Limit", "600");
        response.add("RateLimit-Observed", "601");
        response.add("RateLimit-Remaining", "0");
        response.headers.append(
            {"RateLimit-Reset", QByteArray::number(m_rateLimitReset.toSecsSinceEpoch())});
        return response;
    }
    const QJsonObject projectNotFound{
        {QStringLiteral("message"), QStringLiteral("404 Project Not Found")}};
    const QJsonObject notFound{{QStringLiteral("message"), QStringLiteral("404 Not found")}};
    if (segments.size() < 2 || segments.at(0) != QLatin1String("projects") ||
        (segments.at(1) != gitLabProjectId() && segments.at(1) != gitLabProjectPath()))
        return json(404, projectNotFound);
    const QStringList rest = segments.mid(2);

    const auto findPipeline = [this](const QString &id) -> const QJsonObject * {
        for (const QJsonObject &pipeline : m_gitLabPipelines) {
            if (QString::number(pipeline.value(QLatin1String("id")).toInteger()) == id)
                return &pipeline;
        }
        return nullptr;
    };

    if (matches(rest, {QStringLiteral("pipeline")}) && request.method == "POST") {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        const QString ref = body.value(QLatin1String("ref")).toString();
        if (ref.isEmpty())
            return json(400,
                        QJsonObject{{QStringLiteral("error"), QStringLiteral("ref is missing")}});
        if (!branches().contains(ref))
            return json(
                400,
                QJsonObject{{QStringLiteral("message"),
                             QJsonObject{{QStringLiteral("base"),
                                          QJsonArray{QStringLiteral("Reference not found")}}}}});
        const QJsonObject newest = m_gitLabPipelines.first();
        const qint64 id = newest.value(QLatin1String("id")).toInteger() + 1;
        const QString now = iso(QDateTime::currentDateTimeUtc());
        const QJsonObject pipeline{
            {QStringLiteral("id"), id},
            {QStringLiteral("iid"), newest.value(QLatin1String("iid")).toInt() + 1},
            {QStringLiteral("project_id"), 42},
            {QStringLiteral("sha"), QStringLiteral("f").repeated(40)},
            {QStringLiteral("ref"), ref},
            {QStringLiteral("status"), QStringLiteral("created")},
            {QStringLiteral("source"), QStringLiteral("api")},
            {QStringLiteral("created_at"), now},
            {QStringLiteral("updated_at"), now},
            {QStringLiteral("web_url"),
             QStringLiteral("https://gitlab.com/group/app/-/pipelines/%1").arg(id)},
            {QStringLiteral("duration"), QJsonValue()},
            {QStringLiteral("variables_received"), body.value(QLatin1String("variables"))}};
        m_gitLabPipelines.prepend(pipeline);
        return json(201, pipeline);
    }

    if (matches(rest, {QStringLiteral("pipelines")})) {
        const int size = pageSize(request, 20, 100);
        const int page = qMax(1, request.query.queryItemValue(QStringLiteral("page")).toInt());
        const int total = int(m_gitLabPipelines.size());
        const int lastPage = qMax(1, (total + size - 1) / size);
        QJsonArray pipelines;
        for (QJsonObject pipeline : m_gitLabPipelines.mid((page - 1) * size, size)) {
            pipeline.remove(QStringLiteral("variables_received"));
            pipelines.append(pipeline);
        }
        Response response = json(200, pipelines);
        response.add("X-Page", QByteArray::number(page));
        response.add("X-Per-Page", QByteArray::number(size));
        response.add("X-Total", QByteArray::number(total));
        response.add("X-Total-Pages", QByteArray::number(lastPage));
        response.add("X-Next-Page", page < lastPage ? QByteArray::number(page + 1) : "");
        const QByteArray link = linkHeader(request, page, lastPage);
        if (!link.isEmpty())
            response.add("Link", link);
        return response;
    }

    if (matches(rest, {QStringLiteral("pipelines"), QStringLiteral("*"), QStringLiteral("jobs")})) {
        const QJsonObject *pipeline = findPipeline(rest.at(1));
        if (!pipeline)
            return json(404, notFound);
        return json(200, gitLabJobs(*pipeline));
    }

    if (matches(rest, {QStringLiteral("jobs"), QStringLiteral("*"), QStringLiteral("trace")})) {
        const qint64 jobId = rest.at(1).toLongLong();
        if (!findPipeline(QString::number(jobId / 10)) || jobId % 10 < 1 || jobId % 10 > 2)
            return json(404, notFound);
        return text(200,
                    QStringLiteral("Running with gitlab-runner 16.6.0\n$ npm test\nlog of job %1\n"
                                   "Job succeeded\n")
                        .arg(jobId)
                        .toUtf8());
    }
    return json(404, QJsonObject{{QStringLiteral("error"), QStringLiteral("404 Not Found")}});
}

} // namespace pgdeck::test
