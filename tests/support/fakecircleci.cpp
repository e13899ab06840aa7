#include "fakeciserver.h"

#include <QJsonDocument>

namespace pgdeck::test {

// CircleCI: pipelines, their one workflow, its jobs, and triggers.

void FakeCiServer::seedCircleCiPipeline(int index)
{
    static const QStringList states = {QStringLiteral("success"),  QStringLiteral("failed"),
                                       QStringLiteral("running"),  QStringLiteral("on_hold"),
                                       QStringLiteral("canceled"), QStringLiteral("not_run"),
                                       QStringLiteral("failing"),  QStringLiteral("error"),
                                       QStringLiteral("success"),  QStringLiteral("success")};
    const int number = seededNumber(index);
    const QDateTime created = seededCreated(number);
    m_circlePipelines << QJsonObject{
        {QStringLiteral("id"), QStringLiteral("5034460f-c7c4-4c43-9457-de07e20290%1")
                                   .arg(number, 2, 10, QLatin1Char('0'))},
        {QStringLiteral("errors"), QJsonArray()},
        {QStringLiteral("project_slug"), circleCiSlug()},
        {QStringLiteral("number"), number},
        {QStringLiteral("state"), QStringLiteral("created")},
        {QStringLiteral("created_at"), iso(created)},
        {QStringLiteral("updated_at"), iso(created.addSecs(30))},
        {QStringLiteral("trigger"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("webhook")}}},
        {QStringLiteral("vcs"),
         QJsonObject{{QStringLiteral("branch"), QStringLiteral("main")},
                     {QStringLiteral("revision"), seededSha(number)},
                     {QStringLiteral("provider_name"), QStringLiteral("GitHub")}}},
        {QStringLiteral("workflow_status"), states.at(index)}}; // the fake's own note
}

QJsonObject FakeCiServer::circleCiWorkflow(const QJsonObject &pipeline) const
{
    const QString pipelineId = pipeline.value(QLatin1String("id")).toString();
    const QString status = pipeline.value(QLatin1String("workflow_status")).toString();
    const bool stopped = status != QLatin1String("running") && status != QLatin1String("on_hold") &&
                         status != QLatin1String("failing");
    return QJsonObject{
        {QStringLiteral("pipeline_id"), pipelineId},
        {QStringLiteral("id"), QStringLiteral("wf-") + pipelineId},
        {QStringLiteral("name"), QStringLiteral("build-and-deploy")},
        {QStringLiteral("project_slug"), circleCiSlug()},
        {QStringLiteral("status"), status},
        {QStringLiteral("started_by"), QStringLiteral("7c1c9d58-0000-4000-8000-000000000001")},
        {QStringLiteral("pipeline_number"), pipeline.value(QLatin1String("number"))},
        {QStringLiteral("created_at"), pipeline.value(QLatin1String("created_at"))},
        {QStringLiteral("stopped_at"),
         stopped ? QJsonValue(
                       iso(QDateTime::fromString(
                               pipeline.value(QLatin1String("created_at")).toString(), Qt::ISODate)
                               .addSecs(300)))
                 : QJsonValue()}};
}

QJsonArray FakeCiServer::circleCiJobs(const QJsonObject &pipeline) const
{
    const int number = pipeline.value(QLatin1String("number")).toInt();
    const QString status = pipeline.value(QLatin1String("workflow_status")).toString();
    const QString first = status == QLatin1String("failing") || status == QLatin1String("error")
                              ? QStringLiteral("failed")
                          : status == QLatin1String("on_hold") ? QStringLiteral("success")
                                                               : status;
    QJsonArray jobs;
    jobs.append(
        QJsonObject{{QStringLiteral("dependencies"), QJsonArray()},
                    {QStringLiteral("job_number"), number * 10 + 1},
                    {QStringLiteral("id"), QStringLiteral("job-%1-test").arg(number)},
                    {QStringLiteral("started_at"), pipeline.value(QLatin1String("created_at"))},
                    {QStringLiteral("name"), QStringLiteral("test")},
                    {QStringLiteral("project_slug"), circleCiSlug()},
                    {QStringLiteral("status"), first},
                    {QStringLiteral("type"), QStringLiteral("build")},
                    {QStringLiteral("stopped_at"), pipeline.value(QLatin1String("updated_at"))}});
    // An approval job has no number until approved.
    jobs.append(QJsonObject{
        {QStringLiteral("dependencies"), QJsonArray{QStringLiteral("job-%1-test").arg(number)}},
        {QStringLiteral("id"), QStringLiteral("job-%1-hold").arg(number)},
        {QStringLiteral("name"), QStringLiteral("approve-deploy")},
        {QStringLiteral("project_slug"), circleCiSlug()},
        {QStringLiteral("status"), status == QLatin1String("on_hold") ? QStringLiteral("on_hold")
                                                                      : QStringLiteral("success")},
        {QStringLiteral("type"), QStringLiteral("approval")}});
    return jobs;
}

FakeCiServer::Response FakeCiServer::answerCircleCi(const Request &request,
                                                    const QStringList &segments)
{
    if (request.header("circle-token") != circleCiToken().toUtf8())
        return json(401, QJsonObject{{QStringLiteral("message"),
                                      QStringLiteral("You must log in first.")}});
    if (m_rateLimited) {
        Response response = json(
            429, QJsonObject{{QStringLiteral("message"), QStringLiteral("Rate limit exceeded")}});
        response.add("Retry-After", "30");
        return response;
    }
    const QJsonObject notFound{{QStringLiteral("message"), QStringLiteral("Not found")}};
    const QStringList slug = circleCiSlug().split(u'/');

    const auto findPipeline = [this](const QString &id) -> const QJsonObject * {
        for (const QJsonObject &pipeline : m_circlePipelines) {
            if (pipeline.value(QLatin1String("id")).toString() == id)
                return &pipeline;
        }
        return nullptr;
    };
    const auto publicPipeline = [](QJsonObject pipeline) {
        pipeline.remove(QStringLiteral("workflow_status"));
        return pipeline;
    };

    if (segments.size() >= 4 && segments.at(0) == QLatin1String("project")) {
        if (segments.mid(1, 3) != slug)
            return json(
                404, QJsonObject{{QStringLiteral("message"), QStringLiteral("Project not found")}});
        const QStringList rest = segments.mid(4);
        if (matches(rest, {QStringLiteral("pipeline")}) && request.method == "POST") {
            const QJsonObject body = QJsonDocument::fromJson(request.body).object();
            const QString branch = body.value(QLatin1String("branch")).toString();
            if (!branch.isEmpty() && !branches().contains(branch))
                return json(400, QJsonObject{{QStringLiteral("message"),
                                              QStringLiteral("Branch not found: ") + branch}});
            const int number = m_circlePipelines.first().value(QLatin1String("number")).toInt() + 1;
            const QString now = iso(QDateTime::currentDateTimeUtc());
            const QString id = QStringLiteral("5034460f-c7c4-4c43-9457-de07e20290%1")
                                   .arg(number, 2, 10, QLatin1Char('0'));
            m_circlePipelines.prepend(QJsonObject{
                {QStringLiteral("id"), id},
                {QStringLiteral("errors"), QJsonArray()},
                {QStringLiteral("project_slug"), circleCiSlug()},
                {QStringLiteral("number"), number},
                {QStringLiteral("state"), QStringLiteral("created")},
                {QStringLiteral("created_at"), now},
                {QStringLiteral("updated_at"), now},
                {QStringLiteral("trigger"),
                 QJsonObject{{QStringLiteral("type"), QStringLiteral("api")}}},
                {QStringLiteral("vcs"),
                 QJsonObject{
                     {QStringLiteral("branch"), branch.isEmpty() ? QStringLiteral("main") : branch},
                     {QStringLiteral("revision"), QStringLiteral("f").repeated(40)},
                     {QStringLiteral("provider_name"), QStringLiteral("GitHub")}}},
                {QStringLiteral("workflow_status"), QStringLiteral("running")}});
            return json(201, QJsonObject{{QStringLiteral("id"), id},
                                         {QStringLiteral("state"), QStringLiteral("created")},
                                         {QStringLiteral("number"), number},
                                         {QStringLiteral("created_at"), now}});
        }
        if (matches(rest, {QStringLiteral("pipeline")})) {
            const QString branch = request.query.queryItemValue(QStringLiteral("branch"));
            QList<QJsonObject> selected;
            for (const QJsonObject &pipeline : m_circlePipelines) {
                if (branch.isEmpty() || pipeline.value(QLatin1String("vcs"))
                                                .toObject()
                                                .value(QLatin1String("branch"))
                                                .toString() == branch)
                    selected << pipeline;
            }
            // page-token is opaque to clients; here it is an offset in base64.
            const int offset =
                QByteArray::fromBase64(
                    request.query.queryItemValue(QStringLiteral("page-token")).toLatin1())
                    .toInt();
            const int size = qMax(1, qMin(20, m_maxPageSize));
            QJsonArray items;
            for (const QJsonObject &pipeline : selected.mid(offset, size))
                items.append(publicPipeline(pipeline));
            const bool more = offset + size < selected.size();
            return json(200, QJsonObject{{QStringLiteral("items"), items},
                                         {QStringLiteral("next_page_token"),
                                          more ? QJsonValue(QString::fromLatin1(
                                                     QByteArray::number(offset + size).toBase64()))
                                               : QJsonValue()}});
        }
        if (matches(rest, {QStringLiteral("job"), QStringLiteral("*")})) {
            const int jobNumber = rest.at(1).toInt();
            for (const QJsonObject &pipeline : m_circlePipelines) {
                const int number = pipeline.value(QLatin1String("number")).toInt();
                if (number * 10 + 1 != jobNumber)
                    continue;
                const QJsonObject job = circleCiJobs(pipeline).first().toObject();
                return json(
                    200, QJsonObject{
                             {QStringLiteral("web_url"),
                              QStringLiteral("https://app.circleci.com/pipelines/github/octo/app/"
                                             "%1/workflows/wf-%2/jobs/%3")
                                  .arg(number)
                                  .arg(pipeline.value(QLatin1String("id")).toString())
                                  .arg(jobNumber)},
                             {QStringLiteral("name"), job.value(QLatin1String("name"))},
                             {QStringLiteral("number"), jobNumber},
                             {QStringLiteral("status"), job.value(QLatin1String("status"))},
                             {QStringLiteral("started_at"), job.value(QLatin1String("started_at"))},
                             {QStringLiteral("stopped_at"), job.value(QLatin1String("stopped_at"))},
                             {QStringLiteral("duration"), 42000},
                             {QStringLiteral("project"),
                              QJsonObject{{QStringLiteral("slug"), circleCiSlug()},
                                          {QStringLiteral("name"), QStringLiteral("app")}}},
                             {QStringLiteral("pipeline"),
                              QJsonObject{
                                  {QStringLiteral("id"), pipeline.value(QLatin1String("id"))}}}});
            }
            return json(404,
                        QJsonObject{{QStringLiteral("message"), QStringLiteral("Job not found")}});
        }
        return json(404, notFound);
    }

    if (matches(segments,
                {QStringLiteral("pipeline"), QStringLiteral("*"), QStringLiteral("workflow")})) {
        const QJsonObject *pipeline = findPipeline(segments.at(1));
        if (!pipeline)
            return json(404, QJsonObject{{QStringLiteral("message"),
                                          QStringLiteral("Pipeline not found")}});
        return json(200,
                    QJsonObject{{QStringLiteral("items"), QJsonArray{circleCiWorkflow(*pipeline)}},
                                {QStringLiteral("next_page_token"), QJsonValue()}});
    }
    if (matches(segments,
                {QStringLiteral("workflow"), QStringLiteral("*"), QStringLiteral("job")})) {
        const QString workflowId = segments.at(1);
        const QJsonObject *pipeline =
            workflowId.startsWith(QLatin1String("wf-")) ? findPipeline(workflowId.mid(3)) : nullptr;
        if (!pipeline)
            return json(404, QJsonObject{{QStringLiteral("message"),
                                          QStringLiteral("Workflow not found")}});
        return json(200, QJsonObject{{QStringLiteral("items"), circleCiJobs(*pipeline)},
                                     {QStringLiteral("next_page_token"), QJsonValue()}});
    }
    return json(404, notFound);
}

} // namespace pgdeck::test
