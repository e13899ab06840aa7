#include "fakeciserver.h"

#include <QJsonDocument>

namespace pgdeck::test {

namespace {

const QJsonObject gitHubNotFound{
    {QStringLiteral("message"), QStringLiteral("Not Found")},
    {QStringLiteral("documentation_url"), QStringLiteral("https://docs.github.com/rest")}};

} // namespace

// GitHub Actions: workflow runs, their jobs, dispatches, and job logs behind a redirect to
// blob storage.

void FakeCiServer::seedGitHubRun(int index)
{
    // Statuses as the API reports them, conclusion null until completed.
    static const QList<QPair<const char *, const char *>> states = {
        {"completed", "success"},   {"completed", "failure"},   {"in_progress", nullptr},
        {"queued", nullptr},        {"completed", "cancelled"}, {"completed", "skipped"},
        {"completed", "timed_out"}, {"waiting", nullptr},       {"completed", "success"},
        {"completed", "success"}};
    const int number = seededNumber(index);
    const QDateTime created = seededCreated(number);
    const qint64 runId = 1000 + number;
    m_gitHubRuns << QJsonObject{
        {QStringLiteral("id"), runId},
        {QStringLiteral("name"), QStringLiteral("deploy")},
        {QStringLiteral("display_title"), QStringLiteral("deploy")},
        {QStringLiteral("run_number"), number},
        {QStringLiteral("event"), QStringLiteral("push")},
        {QStringLiteral("status"), QLatin1String(states.at(index).first)},
        {QStringLiteral("conclusion"), states.at(index).second
                                           ? QJsonValue(QLatin1String(states.at(index).second))
                                           : QJsonValue()},
        {QStringLiteral("head_branch"), QStringLiteral("main")},
        {QStringLiteral("head_sha"), seededSha(number)},
        {QStringLiteral("created_at"), iso(created)},
        {QStringLiteral("run_started_at"), iso(created)},
        {QStringLiteral("updated_at"), iso(created.addSecs(95))},
        {QStringLiteral("html_url"),
         QStringLiteral("https://github.com/octo/app/actions/runs/%1").arg(runId)}};
}

QJsonArray FakeCiServer::gitHubJobs(const QJsonObject &run) const
{
    const qint64 runId = run.value(QLatin1String("id")).toInteger();
    const bool completed =
        run.value(QLatin1String("status")).toString() == QLatin1String("completed");
    QJsonArray jobs;
    int index = 1;
    for (const QString &name : {QStringLiteral("test"), QStringLiteral("deploy")}) {
        const QDateTime started =
            QDateTime::fromString(run.value(QLatin1String("created_at")).toString(), Qt::ISODate)
                .addSecs(index * 5);
        QString status =
            completed ? QStringLiteral("completed")
                      : (index == 1 ? QStringLiteral("in_progress") : QStringLiteral("queued"));
        jobs.append(
            QJsonObject{{QStringLiteral("id"), runId * 10 + index},
                        {QStringLiteral("run_id"), runId},
                        {QStringLiteral("name"), name},
                        {QStringLiteral("status"), status},
                        {QStringLiteral("conclusion"),
                         completed ? run.value(QLatin1String("conclusion")) : QJsonValue()},
                        {QStringLiteral("started_at"), iso(started)},
                        {QStringLiteral("completed_at"),
                         completed ? QJsonValue(iso(started.addSecs(40))) : QJsonValue()},
                        {QStringLiteral("html_url"),
                         QStringLiteral("https://github.com/octo/app/actions/runs/%1/job/%2")
                             .arg(runId)
                             .arg(runId * 10 + index)}});
        ++index;
    }
    return jobs;
}

FakeCiServer::Response FakeCiServer::answerGitHub(const Request &request,
                                                  const QStringList &segments)
{
    const QByteArray authorization = request.header("authorization");
    if (authorization != "Bearer " + gitHubToken().toUtf8() &&
        authorization != "token " + gitHubToken().toUtf8())
        return json(401, QJsonObject{{QStringLiteral("message"), QStringLiteral("Bad credentials")},
                                     {QStringLiteral("documentation_url"),
                                      QStringLiteral("https://docs.github.com/rest")},
                                     {QStringLiteral("status"), QStringLiteral("401")}});
    if (m_rateLimited) {
        m_rateLimitReset = QDateTime::currentDateTimeUtc().addSecs(600);
        Response response =
            json(403, QJsonObject{{QStringLiteral("message"),
                                   QStringLiteral("API rate limit exceeded for user ID 1.")},
                                  {QStringLiteral("documentation_url"),
                                   QStringLiteral("https://docs.github.com/rest/overview/"
                                                  "resources-in-the-rest-api#rate-limiting")}});
        response.add("x-ratelimit-limit", "5000");
        response.add("x-ratelimit-remaining", "0");
        response.add("x-ratelimit-used", "5000");
        response.headers.append(
            {"x-ratelimit-reset", QByteArray::number(m_rateLimitReset.toSecsSinceEpoch())});
        response.add("x-ratelimit-resource", "core");
        return response;
    }
    if (segments.size() < 3 || segments.at(0) != QLatin1String("repos") ||
        segments.at(1) + u'/' + segments.at(2) != gitHubRepository())
        return json(404, gitHubNotFound);
    const QStringList rest = segments.mid(3);

    const auto findRun = [this](const QString &id) -> const QJsonObject * {
        for (const QJsonObject &run : m_gitHubRuns) {
            if (QString::number(run.value(QLatin1String("id")).toInteger()) == id)
                return &run;
        }
        return nullptr;
    };

    if (matches(rest, {QStringLiteral("actions"), QStringLiteral("workflows"), QStringLiteral("*"),
                       QStringLiteral("dispatches")})) {
        if (rest.at(2) != gitHubWorkflow())
            return json(404, gitHubNotFound);
        if (request.method != "POST")
            return json(404, gitHubNotFound);
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        const QString ref = body.value(QLatin1String("ref")).toString();
        if (ref.isEmpty())
            return json(
                422, QJsonObject{{QStringLiteral("message"),
                                  QStringLiteral("Invalid request.\n\n\"ref\" wasn't supplied.")}});
        if (!branches().contains(ref))
            return json(
                422,
                QJsonObject{{QStringLiteral("message"), QStringLiteral("No ref found for: ") + ref},
                            {QStringLiteral("documentation_url"),
                             QStringLiteral("https://docs.github.com/rest/actions/"
                                            "workflows#create-a-workflow-dispatch-event")}});
        const QJsonObject newest = m_gitHubRuns.first();
        const qint64 runId = newest.value(QLatin1String("id")).toInteger() + 1;
        const int number = newest.value(QLatin1String("run_number")).toInt() + 1;
        const QString now = iso(QDateTime::currentDateTimeUtc());
        m_gitHubRuns.prepend(QJsonObject{
            {QStringLiteral("id"), runId},
            {QStringLiteral("name"), QStringLiteral("deploy")},
            {QStringLiteral("display_title"), QStringLiteral("deploy")},
            {QStringLiteral("run_number"), number},
            {QStringLiteral("event"), QStringLiteral("workflow_dispatch")},
            {QStringLiteral("status"), QStringLiteral("queued")},
            {QStringLiteral("conclusion"), QJsonValue()},
            {QStringLiteral("head_branch"), ref},
            {QStringLiteral("head_sha"), QStringLiteral("f").repeated(40)},
            {QStringLiteral("created_at"), now},
            {QStringLiteral("run_started_at"), now},
            {QStringLiteral("updated_at"), now},
            {QStringLiteral("inputs"), body.value(QLatin1String("inputs"))},
            {QStringLiteral("html_url"),
             QStringLiteral("https://github.com/octo/app/actions/runs/%1").arg(runId)}});
        return text(204, {}, {});
    }

    if (matches(rest, {QStringLiteral("actions"), QStringLiteral("workflows"), QStringLiteral("*"),
                       QStringLiteral("runs")})) {
        if (rest.at(2) != gitHubWorkflow())
            return json(404, gitHubNotFound);
        const int size = pageSize(request, 30, 100);
        const int page = qMax(1, request.query.queryItemValue(QStringLiteral("page")).toInt());
        const int lastPage = qMax(1, int((m_gitHubRuns.size() + size - 1) / size));
        QJsonArray runs;
        for (const QJsonObject &run : m_gitHubRuns.mid((page - 1) * size, size))
            runs.append(run);
        Response response =
            json(200, QJsonObject{{QStringLiteral("total_count"), int(m_gitHubRuns.size())},
                                  {QStringLiteral("workflow_runs"), runs}});
        const QByteArray link = linkHeader(request, page, lastPage);
        if (!link.isEmpty())
            response.add("Link", link);
        return response;
    }

    if (matches(rest, {QStringLiteral("actions"), QStringLiteral("runs"), QStringLiteral("*"),
                       QStringLiteral("jobs")})) {
        const QJsonObject *run = findRun(rest.at(2));
        if (!run)
            return json(404, gitHubNotFound);
        const QJsonArray jobs = gitHubJobs(*run);
        return json(200, QJsonObject{{QStringLiteral("total_count"), int(jobs.size())},
                                     {QStringLiteral("jobs"), jobs}});
    }

    if (matches(rest, {QStringLiteral("actions"), QStringLiteral("jobs"), QStringLiteral("*"),
                       QStringLiteral("logs")})) {
        const qint64 jobId = rest.at(2).toLongLong();
        const QJsonObject *run = findRun(QString::number(jobId / 10));
        if (!run || jobId % 10 < 1 || jobId % 10 > 2)
            return json(404, gitHubNotFound);
        // The log lives in blob storage behind a short-lived signed URL.
        Response response = text(302, {}, "text/html;charset=utf-8");
        response.headers.append(
            {"Location", url(QStringLiteral("/gh-logs/jobs/%1.txt").arg(jobId)).toEncoded() +
                             "?sv=2021-08-06&se=2026-01-10T11%3A00%3A00Z&sig=fakeSignature"});
        return response;
    }
    return json(404, gitHubNotFound);
}

FakeCiServer::Response FakeCiServer::answerGitHubLogBlob(const Request &request,
                                                         const QStringList &segments)
{
    // Blob storage rejects a request that carries someone else's Authorization header.
    if (request.hasHeader("authorization"))
        return text(400,
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>"
                    "InvalidAuthenticationInfo</Code><Message>Authentication information is not "
                    "given in the correct format.</Message></Error>",
                    "application/xml");
    if (request.query.queryItemValue(QStringLiteral("sig")).isEmpty() || segments.size() != 2)
        return text(403, "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code></Error>",
                    "application/xml");
    const QString job = segments.at(1).section(u'.', 0, 0);
    return text(200, QStringLiteral("2026-01-10T10:00:01.0000000Z ##[group]Run npm test\n"
                                    "2026-01-10T10:00:02.0000000Z log of job %1\n"
                                    "2026-01-10T10:00:03.0000000Z ##[endgroup]\n")
                         .arg(job)
                         .toUtf8());
}

} // namespace pgdeck::test
