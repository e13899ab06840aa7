#include "patroniclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>

namespace pgdeck {

namespace {

const char *const kTimedOutProperty = "pgdeckTimedOut";

QByteArray toJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Patroni answers actions in plain text ("candidate does not exists") sent as text/html.
// Bodies it did not write itself come from Python's http.server error page, whose one
// useful line is "<p>Message: ...</p>".
QString patroniText(const QByteArray &body, const QByteArray &contentType)
{
    if (contentType.startsWith("application/json"))
        return {};
    const QString text = QString::fromUtf8(body).trimmed();
    if (!text.startsWith(QLatin1String("<!DOCTYPE"), Qt::CaseInsensitive))
        return text;
    static const QRegularExpression message(QStringLiteral("<p>Message: (.*?)</p>"));
    const QRegularExpressionMatch match = message.match(text);
    return match.hasMatch() ? match.captured(1).trimmed() : text;
}

} // namespace

PatroniClient::PatroniClient(const QUrl &baseUrl, QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_baseUrl(baseUrl)
{}

PatroniClient::PatroniClient(const QUrl &baseUrl, const QString &user, const QString &password,
                             QObject *parent)
    : PatroniClient(baseUrl, parent)
{
    setCredentials(user, password);
}

PatroniClient::~PatroniClient()
{
    // Nobody is listening any more: drop the replies without reporting them.
    for (QNetworkReply *reply : std::as_const(m_pending)) {
        reply->disconnect(this);
        reply->abort();
    }
}

void PatroniClient::setCredentials(const QString &user, const QString &password)
{
    m_user = user;
    m_password = password;
}

int PatroniClient::fetchCluster()
{
    return send(Kind::Cluster, "GET", endpoint(QStringLiteral("/cluster")));
}

int PatroniClient::fetchStatus()
{
    return send(Kind::Status, "GET", endpoint(QStringLiteral("/patroni")));
}

int PatroniClient::fetchHistory()
{
    return send(Kind::History, "GET", endpoint(QStringLiteral("/history")));
}

int PatroniClient::switchover(const QString &leader, const QString &candidate,
                              const QDateTime &scheduledAt)
{
    QJsonObject body{{QStringLiteral("leader"), leader}};
    if (!candidate.isEmpty())
        body.insert(QStringLiteral("candidate"), candidate);
    if (scheduledAt.isValid())
        body.insert(QStringLiteral("scheduled_at"), scheduledAt.toString(Qt::ISODate));
    return send(Kind::Action, "POST", endpoint(QStringLiteral("/switchover")), toJson(body));
}

int PatroniClient::cancelScheduledSwitchover()
{
    return send(Kind::Action, "DELETE", endpoint(QStringLiteral("/switchover")));
}

int PatroniClient::failover(const QString &candidate, const QString &leader)
{
    QJsonObject body{{QStringLiteral("candidate"), candidate}};
    if (!leader.isEmpty())
        body.insert(QStringLiteral("leader"), leader);
    return send(Kind::Action, "POST", endpoint(QStringLiteral("/failover")), toJson(body));
}

int PatroniClient::restart(const QUrl &memberApi, const PatroniRestartOptions &options)
{
    QJsonObject body;
    if (options.scheduledAt.isValid())
        body.insert(QStringLiteral("schedule"), options.scheduledAt.toString(Qt::ISODate));
    if (options.onlyIfPending)
        body.insert(QStringLiteral("restart_pending"), true);
    return send(Kind::Action, "POST", endpoint(QStringLiteral("/restart"), memberApi),
                toJson(body));
}

int PatroniClient::reinitialize(const QUrl &memberApi, bool force)
{
    QJsonObject body;
    if (force)
        body.insert(QStringLiteral("force"), true);
    return send(Kind::Action, "POST", endpoint(QStringLiteral("/reinitialize"), memberApi),
                toJson(body));
}

int PatroniClient::setPaused(bool paused)
{
    return send(Kind::Action, "PATCH", endpoint(QStringLiteral("/config")),
                toJson(QJsonObject{{QStringLiteral("pause"), paused}}));
}

void PatroniClient::abortAll()
{
    // abort() finishes the reply synchronously, which edits m_pending: work on a copy.
    const QList<QNetworkReply *> replies = m_pending;
    for (QNetworkReply *reply : replies)
        reply->abort();
}

QUrl PatroniClient::endpoint(const QString &path, const QUrl &base) const
{
    QUrl url = base.isEmpty() ? m_baseUrl : base;
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    return url;
}

int PatroniClient::send(Kind kind, const QByteArray &method, const QUrl &url,
                        const QByteArray &body)
{
    QNetworkRequest request(url);
    // Patroni's http.server speaks HTTP/1.0 and closes each connection anyway.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    const bool unsafe = method != "GET";
    if (unsafe && !m_user.isEmpty()) {
        const QByteArray credentials = (m_user + QLatin1Char(':') + m_password).toUtf8();
        request.setRawHeader("Authorization", "Basic " + credentials.toBase64());
    }
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));

    QNetworkReply *reply = body.isEmpty() && !unsafe
                               ? m_network->get(request)
                               : m_network->sendCustomRequest(request, method, body);
    const int id = m_nextId++;
    m_pending.append(reply);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, id, kind] { onFinished(reply, id, kind); });
    if (m_timeoutMs > 0) {
        // A whole-request deadline: a member that accepts the connection and then hangs
        // (a stuck Patroni loop) must not stall the caller.
        QTimer::singleShot(m_timeoutMs, reply, [reply] {
            reply->setProperty(kTimedOutProperty, true);
            reply->abort();
        });
    }
    return id;
}

void PatroniClient::onFinished(QNetworkReply *reply, int id, Kind kind)
{
    m_pending.removeOne(reply);
    reply->deleteLater();
    deliver(id, kind, resultOf(reply));
}

PatroniResult PatroniClient::resultOf(QNetworkReply *reply) const
{
    PatroniResult r;
    r.method = QString::fromLatin1(
        reply->request().attribute(QNetworkRequest::CustomVerbAttribute).toByteArray());
    if (r.method.isEmpty())
        r.method = QStringLiteral("GET");
    r.url = reply->url();
    const QString what = r.method + QLatin1Char(' ') + r.url.toString();

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        if (reply->property(kTimedOutProperty).toBool())
            r.message = QStringLiteral("%1: no answer within %2 ms").arg(what).arg(m_timeoutMs);
        else if (reply->error() == QNetworkReply::OperationCanceledError)
            r.message = QStringLiteral("%1: cancelled").arg(what);
        else
            r.message = QStringLiteral("%1 failed: %2").arg(what, reply->errorString());
        return r;
    }
    r.httpStatus = status.toInt();
    if (reply->isOpen()) // an aborted reply may have its status but no body
        r.body = reply->readAll();
    r.ok = r.httpStatus >= 200 && r.httpStatus < 300;
    r.message =
        patroniText(r.body, reply->header(QNetworkRequest::ContentTypeHeader).toByteArray());
    if (!r.ok && r.message.isEmpty()) {
        r.message =
            QStringLiteral("%1: HTTP %2 %3")
                .arg(what)
                .arg(r.httpStatus)
                .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    }
    return r;
}

void PatroniClient::deliver(int id, Kind kind, PatroniResult result)
{
    // A GET that answered with something other than the expected JSON is a failure too;
    // the parser's reason goes into the message.
    const auto parsed = [&result](bool ok, const QString &error) {
        if (!ok && result.ok) {
            result.ok = false;
            result.message =
                QStringLiteral("%1 %2: %3").arg(result.method, result.url.toString(), error);
        }
    };
    const bool answered = result.httpStatus != 0;
    QString error;
    switch (kind) {
    case Kind::Cluster: {
        PatroniClusterState state;
        if (answered)
            parsed(PatroniClusterState::parse(result.body, &state, &error), error);
        Q_EMIT clusterReceived(id, result, state);
        break;
    }
    case Kind::Status: {
        PatroniNodeStatus status;
        if (answered)
            parsed(PatroniNodeStatus::parse(result.body, &status, &error), error);
        Q_EMIT statusReceived(id, result, status);
        break;
    }
    case Kind::History: {
        QList<PatroniHistoryEntry> history;
        if (answered)
            parsed(PatroniHistoryEntry::parseList(result.body, &history, &error), error);
        Q_EMIT historyReceived(id, result, history);
        break;
    }
    case Kind::Action:
        Q_EMIT actionFinished(id, result);
        break;
    }
}

} // namespace pgdeck
