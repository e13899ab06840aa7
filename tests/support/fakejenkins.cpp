#include "fakeciserver.h"

#include <QRegularExpression>

namespace pgdeck::test {

// Jenkins: builds of one pipeline job, the queue a triggered build waits in, crumbs, stages
// (wfapi) and console text.

void FakeCiServer::seedJenkinsBuild(int index)
{
    static const QStringList results = {QStringLiteral("SUCCESS"),   QStringLiteral("FAILURE"),
                                        QStringLiteral("ABORTED"),   QStringLiteral("UNSTABLE"),
                                        QStringLiteral("NOT_BUILT"), QStringLiteral("SUCCESS"),
                                        QStringLiteral("SUCCESS"),   QStringLiteral("FAILURE"),
                                        QStringLiteral("SUCCESS"),   QStringLiteral("SUCCESS")};
    const int number = seededNumber(index);
    const int build = 30 + number;
    m_jenkinsBuilds << QJsonObject{
        {QStringLiteral("_class"),
         QStringLiteral("org.jenkinsci.plugins.workflow.job.WorkflowRun")},
        {QStringLiteral("number"), build},
        {QStringLiteral("result"), results.at(index)},
        {QStringLiteral("building"), false},
        {QStringLiteral("timestamp"), double(seededCreated(number).toMSecsSinceEpoch())},
        {QStringLiteral("duration"), 61000},
        {QStringLiteral("url"),
         url(QStringLiteral("/jenkins/job/pgdeck-deploy/%1/").arg(build)).toString()}};
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

} // namespace pgdeck::test
