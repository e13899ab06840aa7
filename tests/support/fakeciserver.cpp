#include "fakeciserver.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimeZone>

#include <algorithm>

namespace pgdeck::test {

namespace {

const QDateTime kEpoch(QDate(2026, 1, 10), QTime(10, 0), Qt::UTC);

QString iso(const QDateTime &time)
{
    return time.toString(Qt::ISODate);
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    default:
        return "Unknown";
    }
}

// The path below a service's prefix, one decoded segment each ("group%2Fapp" stays one).
QStringList segmentsBelow(const QString &path, const QString &prefix)
{
    QStringList segments;
    for (const QString &raw : path.mid(prefix.size()).split(u'/', Qt::SkipEmptyParts))
        segments << QUrl::fromPercentEncoding(raw.toLatin1());
    return segments;
}

bool matches(const QStringList &segments, const QStringList &pattern)
{
    if (segments.size() != pattern.size())
        return false;
    for (int i = 0; i < pattern.size(); ++i) {
        if (pattern.at(i) != QLatin1String("*") && pattern.at(i) != segments.at(i))
            return false;
    }
    return true;
}

const QJsonObject gitHubNotFound{
    {QStringLiteral("message"), QStringLiteral("Not Found")},
    {QStringLiteral("documentation_url"), QStringLiteral("https://docs.github.com/rest")}};

} // namespace

FakeCiServer::FakeCiServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            m_buffers.insert(socket, {});
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    });
}

FakeCiServer::~FakeCiServer() = default;

bool FakeCiServer::start()
{
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        return false;
    seed(); // the seeded runs link back to this port
    return true;
}

quint16 FakeCiServer::port() const
{
    return m_server->serverPort();
}

QUrl FakeCiServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
}

void FakeCiServer::renewJenkinsCrumb()
{
    m_jenkinsCrumb = QByteArray::number(qHash(m_jenkinsCrumb), 16).rightJustified(32, '0');
}

QList<FakeCiServer::Request> FakeCiServer::requestsTo(const QString &pathPrefix) const
{
    QList<Request> found;
    for (const Request &request : m_requests) {
        if (request.path.startsWith(pathPrefix))
            found << request;
    }
    return found;
}

void FakeCiServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    const int headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    Request request;
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() < 2)
        return socket->disconnectFromHost();
    request.method = requestLine.at(0);
    request.target = requestLine.at(1);
    for (int i = 1; i < lines.size(); ++i) {
        const int colon = lines.at(i).indexOf(':');
        if (colon > 0)
            request.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                   lines.at(i).mid(colon + 1).trimmed());
    }
    const qsizetype length = request.header("content-length").toLongLong();
    if (buffer.size() < headerEnd + 4 + length)
        return; // the body is still arriving
    request.body = buffer.mid(headerEnd + 4, length);
    buffer.clear();
    const int question = request.target.indexOf('?');
    request.path =
        QString::fromLatin1(question < 0 ? request.target : request.target.left(question));
    if (question >= 0)
        request.query.setQuery(QString::fromLatin1(request.target.mid(question + 1)));
    m_requests << request;

    const Response response = answer(request);
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
                     reasonPhrase(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    out += response.body;
    socket->write(out);
    socket->disconnectFromHost();
}

FakeCiServer::Response FakeCiServer::answer(const Request &request)
{
    struct Service {
        const char *prefix;
        Response (FakeCiServer::*handler)(const Request &, const QStringList &);
    };
    const Service services[] = {
        {"/github/", &FakeCiServer::answerGitHub},
        {"/gh-logs/", &FakeCiServer::answerGitHubLogBlob},
        {"/gitlab/api/v4/", &FakeCiServer::answerGitLab},
        {"/jenkins/", &FakeCiServer::answerJenkins},
        {"/circleci/api/v2/", &FakeCiServer::answerCircleCi},
    };
    for (const Service &service : services) {
        const QString prefix = QLatin1String(service.prefix);
        if (request.path.startsWith(prefix))
            return (this->*service.handler)(request, segmentsBelow(request.path, prefix));
    }
    return text(404, "no such service here\n");
}

FakeCiServer::Response FakeCiServer::json(int status, const QJsonValue &value)
{
    Response response;
    response.status = status;
    response.add("Content-Type", "application/json; charset=utf-8");
    response.body = value.isArray()
                        ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                        : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return response;
}

FakeCiServer::Response FakeCiServer::text(int status, const QByteArray &body,
                                          const QByteArray &contentType)
{
    Response response;
    response.status = status;
    response.add("Content-Type", contentType);
    response.body = body;
    return response;
}

// Jenkins' error pages are Jetty's HTML.
FakeCiServer::Response FakeCiServer::jenkinsError(int status, const QString &message)
{
    const QByteArray line = "HTTP ERROR " + QByteArray::number(status) + ' ' + message.toUtf8();
    return text(status,
                "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;"
                "charset=ISO-8859-1\"/>\n<title>Error " +
                    QByteArray::number(status) + ' ' + message.toUtf8() +
                    "</title>\n</head>\n<body><h2>" + line +
                    "</h2>\n<table>\n<tr><th>URI:</th><td>/</td></tr>\n</table>\n</body>\n"
                    "</html>\n",
                "text/html;charset=iso-8859-1");
}

int FakeCiServer::pageSize(const Request &request, int defaultSize, int serviceCap) const
{
    int size = request.query.queryItemValue(QStringLiteral("per_page")).toInt();
    if (size <= 0)
        size = defaultSize;
    return qMax(1, std::min({size, serviceCap, m_maxPageSize}));
}

// RFC 8288 links to the same list, as GitHub and GitLab send them.
QByteArray FakeCiServer::linkHeader(const Request &request, int page, int lastPage) const
{
    const auto pageUrl = [&](int number) {
        QUrlQuery query = request.query;
        query.removeAllQueryItems(QStringLiteral("page"));
        query.addQueryItem(QStringLiteral("page"), QString::number(number));
        QUrl link = url(request.path);
        link.setQuery(query);
        return "<" + link.toEncoded() + ">";
    };
    QByteArrayList links;
    if (page < lastPage)
        links << pageUrl(page + 1) + "; rel=\"next\"" << pageUrl(lastPage) + "; rel=\"last\"";
    if (page > 1)
        links << pageUrl(1) + "; rel=\"first\"" << pageUrl(page - 1) + "; rel=\"prev\"";
    return links.join(", ");
}

void FakeCiServer::seed()
{
    // GitHub: statuses as the API reports them, conclusion null until completed.
    const QList<QPair<const char *, const char *>> gitHubStates = {
        {"completed", "success"},   {"completed", "failure"},   {"in_progress", nullptr},
        {"queued", nullptr},        {"completed", "cancelled"}, {"completed", "skipped"},
        {"completed", "timed_out"}, {"waiting", nullptr},       {"completed", "success"},
        {"completed", "success"}};
    const QStringList gitLabStates = {QStringLiteral("success"),  QStringLiteral("failed"),
                                      QStringLiteral("running"),  QStringLiteral("pending"),
                                      QStringLiteral("canceled"), QStringLiteral("skipped"),
                                      QStringLiteral("created"),  QStringLiteral("manual"),
                                      QStringLiteral("success"),  QStringLiteral("success")};
    const QStringList jenkinsResults = {QStringLiteral("SUCCESS"),   QStringLiteral("FAILURE"),
                                        QStringLiteral("ABORTED"),   QStringLiteral("UNSTABLE"),
                                        QStringLiteral("NOT_BUILT"), QStringLiteral("SUCCESS"),
                                        QStringLiteral("SUCCESS"),   QStringLiteral("FAILURE"),
                                        QStringLiteral("SUCCESS"),   QStringLiteral("SUCCESS")};
    const QStringList circleStates = {QStringLiteral("success"),  QStringLiteral("failed"),
                                      QStringLiteral("running"),  QStringLiteral("on_hold"),
                                      QStringLiteral("canceled"), QStringLiteral("not_run"),
                                      QStringLiteral("failing"),  QStringLiteral("error"),
                                      QStringLiteral("success"),  QStringLiteral("success")};

    for (int i = 0; i < seededRuns(); ++i) { // i = 0 is the newest
        const int number = seededRuns() - i;
        const QDateTime created = kEpoch.addSecs(number * 3600);
        const QString sha = QStringLiteral("%1").arg(number, 40, 10, QLatin1Char('a'));

        const qint64 runId = 1000 + number;
        QJsonObject run{{QStringLiteral("id"), runId},
                        {QStringLiteral("name"), QStringLiteral("deploy")},
                        {QStringLiteral("display_title"), QStringLiteral("deploy")},
                        {QStringLiteral("run_number"), number},
                        {QStringLiteral("event"), QStringLiteral("push")},
                        {QStringLiteral("status"), QLatin1String(gitHubStates.at(i).first)},
                        {QStringLiteral("conclusion"),
                         gitHubStates.at(i).second
                             ? QJsonValue(QLatin1String(gitHubStates.at(i).second))
                             : QJsonValue()},
                        {QStringLiteral("head_branch"), QStringLiteral("main")},
                        {QStringLiteral("head_sha"), sha},
                        {QStringLiteral("created_at"), iso(created)},
                        {QStringLiteral("run_started_at"), iso(created)},
                        {QStringLiteral("updated_at"), iso(created.addSecs(95))},
                        {QStringLiteral("html_url"),
                         QStringLiteral("https://github.com/octo/app/actions/runs/%1").arg(runId)}};
        m_gitHubRuns << run;

        const qint64 pipelineId = 500 + number;
        m_gitLabPipelines << QJsonObject{
            {QStringLiteral("id"), pipelineId},
            {QStringLiteral("iid"), number},
            {QStringLiteral("project_id"), 42},
            {QStringLiteral("sha"), sha},
            {QStringLiteral("ref"), QStringLiteral("main")},
            {QStringLiteral("status"), gitLabStates.at(i)},
            {QStringLiteral("source"), QStringLiteral("push")},
            {QStringLiteral("created_at"), iso(created)},
            {QStringLiteral("updated_at"), iso(created.addSecs(120))},
            {QStringLiteral("web_url"),
             QStringLiteral("https://gitlab.com/group/app/-/pipelines/%1").arg(pipelineId)}};

        const int build = 30 + number;
        m_jenkinsBuilds << QJsonObject{
            {QStringLiteral("_class"),
             QStringLiteral("org.jenkinsci.plugins.workflow.job.WorkflowRun")},
            {QStringLiteral("number"), build},
            {QStringLiteral("result"), jenkinsResults.at(i)},
            {QStringLiteral("building"), false},
            {QStringLiteral("timestamp"), double(created.toMSecsSinceEpoch())},
            {QStringLiteral("duration"), 61000},
            {QStringLiteral("url"),
             url(QStringLiteral("/jenkins/job/pgdeck-deploy/%1/").arg(build)).toString()}};

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
                         {QStringLiteral("revision"), sha},
                         {QStringLiteral("provider_name"), QStringLiteral("GitHub")}}},
            {QStringLiteral("workflow_status"), circleStates.at(i)}}; // the fake's own note
    }
}

// --- GitHub --------------------------------------------------------------------------------

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

// --- GitLab --------------------------------------------------------------------------------

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

// --- Jenkins -------------------------------------------------------------------------------

FakeCiServer::Response FakeCiServer::answerJenkins(const Request &request,
                                                   const QStringList &segments)
{
    const QByteArray basic = "Basic " + (jenkinsUser() + u':' + jenkinsToken()).toUtf8().toBase64();
    if (request.header("authorization") != basic) {
        Response response =
            jenkinsError(401, QStringLiteral("Invalid password/token for user: ") + jenkinsUser());
        response.add("WWW-Authenticate", "Basic realm=\"Jenkins\"");
        return response;
    }
    if (matches(segments,
                {QStringLiteral("crumbIssuer"), QStringLiteral("api"), QStringLiteral("json")})) {
        if (!m_jenkinsCrumbRequired)
            return jenkinsError(404, QStringLiteral("Not Found"));
        return json(200, QJsonObject{{QStringLiteral("_class"),
                                      QStringLiteral("hudson.security.csrf.DefaultCrumbIssuer")},
                                     {QStringLiteral("crumb"), QString::fromLatin1(jenkinsCrumb())},
                                     {QStringLiteral("crumbRequestField"),
                                      QString::fromLatin1(jenkinsCrumbField())}});
    }
    if (request.method == "POST" && m_jenkinsCrumbRequired &&
        request.header(jenkinsCrumbField()) != jenkinsCrumb())
        return jenkinsError(403, QStringLiteral("No valid crumb was included in the request"));

    const auto findBuild = [this](const QString &number) -> const QJsonObject * {
        for (const QJsonObject &build : m_jenkinsBuilds) {
            if (QString::number(build.value(QLatin1String("number")).toInt()) == number)
                return &build;
        }
        return nullptr;
    };

    if (matches(segments, {QStringLiteral("queue"), QStringLiteral("item"), QStringLiteral("*"),
                           QStringLiteral("api"), QStringLiteral("json")})) {
        const int item = segments.at(2).toInt();
        if (!m_jenkinsQueuePolls.contains(item))
            return jenkinsError(404, QStringLiteral("Not Found"));
        const int polls = ++m_jenkinsQueuePolls[item];
        const QJsonObject task{
            {QStringLiteral("name"), jenkinsJob()},
            {QStringLiteral("url"),
             url(QStringLiteral("/jenkins/job/%1/").arg(jenkinsJob())).toString()}};
        if (polls == 1)
            return json(200,
                        QJsonObject{{QStringLiteral("_class"),
                                     QStringLiteral("hudson.model.Queue$WaitingItem")},
                                    {QStringLiteral("id"), item},
                                    {QStringLiteral("blocked"), false},
                                    {QStringLiteral("buildable"), false},
                                    {QStringLiteral("why"),
                                     QStringLiteral("In the quiet period. Expires in 4.9 sec")},
                                    {QStringLiteral("task"), task}});
        // The second poll finds the item left the queue: the build has started.
        int number = 0;
        if (polls == 2) {
            number = m_jenkinsBuilds.first().value(QLatin1String("number")).toInt() + 1;
            m_jenkinsBuilds.prepend(QJsonObject{
                {QStringLiteral("_class"),
                 QStringLiteral("org.jenkinsci.plugins.workflow.job.WorkflowRun")},
                {QStringLiteral("number"), number},
                {QStringLiteral("result"), QJsonValue()},
                {QStringLiteral("building"), true},
                {QStringLiteral("timestamp"), double(QDateTime::currentMSecsSinceEpoch())},
                {QStringLiteral("duration"), 0},
                {QStringLiteral("url"),
                 url(QStringLiteral("/jenkins/job/pgdeck-deploy/%1/").arg(number)).toString()},
                {QStringLiteral("queueItem"), item}});
        } else {
            for (const QJsonObject &build : m_jenkinsBuilds) {
                if (build.value(QLatin1String("queueItem")).toInt() == item)
                    number = build.value(QLatin1String("number")).toInt();
            }
        }
        return json(
            200,
            QJsonObject{
                {QStringLiteral("_class"), QStringLiteral("hudson.model.Queue$LeftItem")},
                {QStringLiteral("id"), item},
                {QStringLiteral("cancelled"), false},
                {QStringLiteral("task"), task},
                {QStringLiteral("executable"),
                 QJsonObject{{QStringLiteral("_class"),
                              QStringLiteral("org.jenkinsci.plugins.workflow.job.WorkflowRun")},
                             {QStringLiteral("number"), number},
                             {QStringLiteral("url"),
                              url(QStringLiteral("/jenkins/job/pgdeck-deploy/%1/").arg(number))
                                  .toString()}}}});
    }

    if (segments.size() < 2 || segments.at(0) != QLatin1String("job") ||
        segments.at(1) != jenkinsJob())
        return jenkinsError(404, QStringLiteral("Not Found"));
    const QStringList rest = segments.mid(2);

    if (matches(rest, {QStringLiteral("buildWithParameters")})) {
        if (request.method != "POST")
            return jenkinsError(405, QStringLiteral("Method Not Allowed"));
        const int item = m_nextJenkinsQueueItem++;
        m_jenkinsQueuePolls.insert(item, 0);
        m_jenkinsQueueParameters.insert(item, request.query);
        Response response = text(201, {}, "text/html;charset=utf-8");
        response.add("Location",
                     url(QStringLiteral("/jenkins/queue/item/%1/").arg(item)).toEncoded());
        return response;
    }

    if (matches(rest, {QStringLiteral("api"), QStringLiteral("json")})) {
        // tree=builds[...]{M,N}: builds M (inclusive) to N (exclusive), newest first.
        static const QRegularExpression range(QStringLiteral("\\{(\\d*),?(\\d*)\\}"));
        const QString tree =
            request.query.queryItemValue(QStringLiteral("tree"), QUrl::FullyDecoded);
        const QRegularExpressionMatch match = range.match(tree);
        int from = 0;
        int to = int(m_jenkinsBuilds.size());
        if (match.hasMatch()) {
            from = match.captured(1).toInt();
            if (!match.captured(2).isEmpty())
                to = qMin(to, match.captured(2).toInt());
        }
        QJsonArray builds;
        for (int i = from; i < to; ++i) {
            QJsonObject build = m_jenkinsBuilds.at(i);
            build.remove(QStringLiteral("queueItem"));
            builds.append(build);
        }
        return json(200,
                    QJsonObject{{QStringLiteral("_class"),
                                 QStringLiteral("org.jenkinsci.plugins.workflow.job.WorkflowJob")},
                                {QStringLiteral("builds"), builds}});
    }

    if (rest.size() >= 2 && findBuild(rest.at(0))) {
        const QJsonObject &build = *findBuild(rest.at(0));
        const bool building = build.value(QLatin1String("building")).toBool();
        const QString result = build.value(QLatin1String("result")).toString();
        if (matches(rest.mid(1), {QStringLiteral("wfapi"), QStringLiteral("describe")})) {
            const double start = build.value(QLatin1String("timestamp")).toDouble();
            const QString last = building ? QStringLiteral("IN_PROGRESS")
                                 : result == QLatin1String("SUCCESS") ? QStringLiteral("SUCCESS")
                                 : result == QLatin1String("ABORTED") ? QStringLiteral("ABORTED")
                                                                      : QStringLiteral("FAILED");
            const QJsonArray stages{
                QJsonObject{{QStringLiteral("id"), QStringLiteral("6")},
                            {QStringLiteral("name"), QStringLiteral("Test")},
                            {QStringLiteral("execNode"), QString()},
                            {QStringLiteral("status"), QStringLiteral("SUCCESS")},
                            {QStringLiteral("startTimeMillis"), start + 1000},
                            {QStringLiteral("durationMillis"), 30000},
                            {QStringLiteral("pauseDurationMillis"), 0}},
                QJsonObject{{QStringLiteral("id"), QStringLiteral("14")},
                            {QStringLiteral("name"), QStringLiteral("Deploy")},
                            {QStringLiteral("execNode"), QString()},
                            {QStringLiteral("status"), last},
                            {QStringLiteral("startTimeMillis"), start + 31000},
                            {QStringLiteral("durationMillis"), 20000},
                            {QStringLiteral("pauseDurationMillis"), 0}}};
            return json(200, QJsonObject{{QStringLiteral("id"), rest.at(0)},
                                         {QStringLiteral("name"), QStringLiteral("#") + rest.at(0)},
                                         {QStringLiteral("status"),
                                          building ? QStringLiteral("IN_PROGRESS") : last},
                                         {QStringLiteral("startTimeMillis"), start},
                                         {QStringLiteral("durationMillis"),
                                          build.value(QLatin1String("duration"))},
                                         {QStringLiteral("stages"), stages}});
        }
        if (matches(rest.mid(1), {QStringLiteral("consoleText")}))
            return text(200, QStringLiteral(
                                 "Started by user deployer\n[Pipeline] stage\n[Pipeline] { (Test)\n"
                                 "+ npm test\nconsole of build %1\nFinished: %2\n")
                                 .arg(rest.at(0), building ? QStringLiteral("(running)") : result)
                                 .toUtf8());
    }
    return jenkinsError(404, QStringLiteral("Not Found"));
}

// --- CircleCI ------------------------------------------------------------------------------

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
