#include "jenkinsclient.h"

#include <QJsonObject>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimeZone>
#include <QTimer>

namespace pgdeck {

namespace {

CiRun buildFrom(const QJsonObject &object, const QString &jobName)
{
    CiRun run;
    const QString number = QString::number(object.value(QLatin1String("number")).toInteger());
    run.id = number;
    run.number = number;
    run.name = jobName + QStringLiteral(" #") + number;
    const bool building = object.value(QLatin1String("building")).toBool();
    const QString result = object.value(QLatin1String("result")).toString();
    run.rawStatus = building ? QStringLiteral("BUILDING") : result;
    run.status = JenkinsClient::normalisedBuildStatus(building, result);
    const QJsonValue timestamp = object.value(QLatin1String("timestamp"));
    if (timestamp.isDouble())
        run.created = QDateTime::fromMSecsSinceEpoch(qint64(timestamp.toDouble()), Qt::UTC);
    const qint64 durationMs = qint64(object.value(QLatin1String("duration")).toDouble());
    if (!building && run.created.isValid()) {
        run.durationSeconds = durationMs / 1000;
        run.updated = run.created.addMSecs(durationMs);
    }
    run.url = object.value(QLatin1String("url")).toString();
    return run;
}

CiJob stageFrom(const QJsonObject &object, const QString &build, const QString &buildUrl)
{
    CiJob job;
    job.id = build + u':' + object.value(QLatin1String("id")).toString();
    job.name = object.value(QLatin1String("name")).toString();
    job.rawStatus = object.value(QLatin1String("status")).toString();
    job.status = JenkinsClient::normalisedStageStatus(job.rawStatus);
    const qint64 startMs = qint64(object.value(QLatin1String("startTimeMillis")).toDouble());
    if (startMs > 0) {
        job.started = QDateTime::fromMSecsSinceEpoch(startMs, Qt::UTC);
        if (job.status != QLatin1String("running") && job.status != QLatin1String("queued"))
            job.finished = job.started.addMSecs(
                qint64(object.value(QLatin1String("durationMillis")).toDouble()));
    }
    job.url = buildUrl;
    return job;
}

} // namespace

JenkinsClient::JenkinsClient(const QUrl &baseUrl, const QString &jobName, const QString &user,
                             const QString &apiToken, QObject *parent)
    : CiClient(baseUrl, parent)
    , m_jobName(jobName)
    , m_user(user)
    , m_token(apiToken)
{}

void JenkinsClient::setQueuePolling(int intervalMs, int timeoutMs)
{
    m_pollIntervalMs = qMax(1, intervalMs);
    m_queueTimeoutMs = qMax(m_pollIntervalMs, timeoutMs);
}

QString JenkinsClient::normalisedBuildStatus(bool building, const QString &result)
{
    if (building)
        return QStringLiteral("running");
    if (result == QLatin1String("SUCCESS"))
        return QStringLiteral("success");
    if (result == QLatin1String("FAILURE") || result == QLatin1String("UNSTABLE"))
        return QStringLiteral("failed");
    if (result == QLatin1String("ABORTED"))
        return QStringLiteral("cancelled");
    if (result == QLatin1String("NOT_BUILT"))
        return QStringLiteral("skipped");
    return QStringLiteral("unknown");
}

QString JenkinsClient::normalisedStageStatus(const QString &status)
{
    if (status == QLatin1String("SUCCESS"))
        return QStringLiteral("success");
    if (status == QLatin1String("FAILED") || status == QLatin1String("UNSTABLE"))
        return QStringLiteral("failed");
    if (status == QLatin1String("IN_PROGRESS"))
        return QStringLiteral("running");
    if (status == QLatin1String("ABORTED"))
        return QStringLiteral("cancelled");
    if (status == QLatin1String("NOT_EXECUTED"))
        return QStringLiteral("skipped");
    if (status == QLatin1String("PAUSED_PENDING_INPUT") || status == QLatin1String("QUEUED"))
        return QStringLiteral("queued");
    return QStringLiteral("unknown");
}

void JenkinsClient::authorise(QNetworkRequest &request) const
{
    request.setRawHeader("Authorization", "Basic " + (m_user + u':' + m_token).toUtf8().toBase64());
    // Jenkins checks the crumb only on POST; it ignores it elsewhere.
    if (m_crumbState == CrumbState::Issued)
        request.setRawHeader(m_crumbField, m_crumb);
}

QString JenkinsClient::credentialVariables() const
{
    return userVariable() + QStringLiteral(" and ") + tokenVariable();
}

QString JenkinsClient::notFoundHint() const
{
    return QStringLiteral("check the Jenkins address and the job name (%1)").arg(m_jobName);
}

QString JenkinsClient::messageOf(const CiResponse &response) const
{
    const QString text = QString::fromUtf8(response.body);
    if (!text.contains(u'<'))
        return CiClient::messageOf(response);
    // Jenkins' (Jetty's) error pages: the useful line is in <h2> or <title>.
    static const QRegularExpression heading(QStringLiteral("<(h2|h1|title)[^>]*>(.*?)</\\1>"),
                                            QRegularExpression::CaseInsensitiveOption |
                                                QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    static const QRegularExpression httpError(QStringLiteral("^(HTTP ERROR|Error)\\s+\\d+\\s*"),
                                              QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = heading.match(text);
    QString message = match.hasMatch() ? match.captured(2) : text;
    message = message.remove(tags).simplified().remove(httpError);
    return message.left(300);
}

QStringList JenkinsClient::secrets() const
{
    return {m_token, QString::fromLatin1((m_user + u':' + m_token).toUtf8().toBase64())};
}

QString JenkinsClient::jobPath() const
{
    QString path;
    for (const QString &part : m_jobName.split(u'/', Qt::SkipEmptyParts))
        path += QStringLiteral("/job/") + QString::fromLatin1(QUrl::toPercentEncoding(part));
    return path;
}

void JenkinsClient::withCrumb(const std::function<void()> &then)
{
    if (m_crumbState != CrumbState::Unknown)
        return then();
    get(endpoint(QStringLiteral("/crumbIssuer/api/json")), [this, then](const CiResponse &r) {
        if (r.httpStatus == 404) { // CSRF protection is off: no crumb is needed
            m_crumbState = CrumbState::NotNeeded;
            return then();
        }
        if (!r.ok())
            return fail(r);
        const QJsonObject crumb = r.json().object();
        m_crumbField = crumb.value(QLatin1String("crumbRequestField")).toString().toLatin1();
        m_crumb = crumb.value(QLatin1String("crumb")).toString().toLatin1();
        if (m_crumbField.isEmpty())
            return failWith(QStringLiteral("the crumb issuer answered without a crumb"),
                            r.httpStatus);
        m_crumbState = CrumbState::Issued;
        then();
    });
}

void JenkinsClient::trigger(const QString &branch, const QMap<QString, QString> &parameters)
{
    QList<QPair<QString, QString>> query;
    if (!m_branchParameter.isEmpty() && !branch.isEmpty() &&
        !parameters.contains(m_branchParameter))
        query.append({m_branchParameter, branch});
    for (auto it = parameters.begin(); it != parameters.end(); ++it)
        query.append({it.key(), it.value()});
    postBuild(endpoint(jobPath() + QStringLiteral("/buildWithParameters"), query), branch, true);
}

void JenkinsClient::postBuild(const QUrl &url, const QString &branch, bool mayRenewCrumb)
{
    withCrumb([this, url, branch, mayRenewCrumb] {
        send("POST", url, {}, {}, [this, url, branch, mayRenewCrumb](const CiResponse &response) {
            // A crumb belongs to a web session, which Jenkins may have ended: ask once more.
            if (response.httpStatus == 403 && mayRenewCrumb && m_crumbState == CrumbState::Issued &&
                messageOf(response).contains(QLatin1String("crumb"), Qt::CaseInsensitive)) {
                m_crumbState = CrumbState::Unknown;
                return postBuild(url, branch, false);
            }
            if (!response.ok())
                return fail(response);
            // Location: <jenkins>/queue/item/17/ — asked on our own base URL, so the
            // credentials never go to a host Jenkins merely names.
            static const QRegularExpression item(QStringLiteral("/queue/item/(\\d+)/?$"));
            const QRegularExpressionMatch match =
                item.match(QUrl::fromEncoded(response.header("Location")).path());
            if (!match.hasMatch())
                return failWith(QStringLiteral("Jenkins queued the build but named no queue item"),
                                response.httpStatus);
            const QString itemPath =
                QStringLiteral("/queue/item/%1/api/json").arg(match.captured(1));
            pollQueueItem(itemPath, branch, m_queueTimeoutMs / m_pollIntervalMs);
        });
    });
}

void JenkinsClient::pollQueueItem(const QString &itemPath, const QString &branch, int attemptsLeft)
{
    get(endpoint(itemPath), [this, itemPath, branch, attemptsLeft](const CiResponse &response) {
        if (!response.ok())
            return fail(response);
        const QJsonObject item = response.json().object();
        const QJsonObject executable = item.value(QLatin1String("executable")).toObject();
        if (executable.contains(QLatin1String("number"))) {
            CiRun run;
            run.number = QString::number(executable.value(QLatin1String("number")).toInteger());
            run.id = run.number;
            run.name = m_jobName + QStringLiteral(" #") + run.number;
            run.branch = branch;
            run.status = QStringLiteral("running");
            run.url = executable.value(QLatin1String("url")).toString();
            return Q_EMIT triggered(run);
        }
        if (item.value(QLatin1String("cancelled")).toBool())
            return failWith(QStringLiteral("the queued build was cancelled"));
        if (attemptsLeft <= 1)
            return failWith(QStringLiteral("the build is still queued after %1 s: %2")
                                .arg(m_queueTimeoutMs / 1000)
                                .arg(item.value(QLatin1String("why")).toString()));
        QTimer::singleShot(m_pollIntervalMs, this, [this, itemPath, branch, attemptsLeft] {
            pollQueueItem(itemPath, branch, attemptsLeft - 1);
        });
    });
}

void JenkinsClient::listRuns(int limit)
{
    limit = qMax(1, limit);
    // Jenkins has no pages: the tree range {0,N} asks for the newest N builds.
    const QString tree =
        QStringLiteral("builds[number,result,building,timestamp,duration,url]{0,%1}").arg(limit);
    get(endpoint(jobPath() + QStringLiteral("/api/json"), {{QStringLiteral("tree"), tree}}),
        [this, limit](const CiResponse &response) {
            if (!response.ok())
                return fail(response);
            QList<CiRun> runs;
            const QJsonArray builds =
                response.json().object().value(QLatin1String("builds")).toArray();
            for (const QJsonValue &build : builds) {
                if (runs.size() < limit)
                    runs << buildFrom(build.toObject(), m_jobName);
            }
            Q_EMIT runsListed(runs);
        });
}

void JenkinsClient::listJobs(const QString &runId)
{
    const QString build = runId.section(u':', 0, 0);
    const QUrl buildUrl = endpoint(jobPath() + u'/' + build + u'/');
    get(endpoint(jobPath() + u'/' + build + QStringLiteral("/wfapi/describe")),
        [this, runId, build, buildUrl](const CiResponse &response) {
            if (!response.ok())
                return fail(response);
            QList<CiJob> jobs;
            const QJsonArray stages =
                response.json().object().value(QLatin1String("stages")).toArray();
            for (const QJsonValue &stage : stages)
                jobs << stageFrom(stage.toObject(), build, buildUrl.toString());
            Q_EMIT jobsListed(runId, jobs);
        });
}

void JenkinsClient::fetchLog(const QString &jobId)
{
    const QString build = jobId.section(u':', 0, 0);
    get(endpoint(jobPath() + u'/' + build + QStringLiteral("/consoleText")),
        [this, jobId](const CiResponse &response) {
            if (!response.ok())
                return fail(response);
            Q_EMIT logFetched(jobId, QString::fromUtf8(response.body));
        });
}

} // namespace pgdeck
