#include "ciservice.h"

#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimeZone>

namespace pgdeck {

namespace {

// GitLab answers validation errors as {"message": {"base": ["Reference not found"]}}.
QString flattenMessage(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    QStringList parts;
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            parts << flattenMessage(item);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString inner = flattenMessage(it.value());
            parts << (it.key() == QLatin1String("base") ? inner : it.key() + u' ' + inner);
        }
    }
    return parts.join(QStringLiteral("; "));
}

// Retry-After is either delay seconds or an HTTP date (RFC 9110 §10.2.3).
QDateTime retryAfter(const QByteArray &value, const QDateTime &now)
{
    bool isNumber = false;
    const qint64 seconds = value.trimmed().toLongLong(&isNumber);
    if (isNumber)
        return now.addSecs(seconds);
    const QDateTime date = QLocale::c().toDateTime(
        QString::fromLatin1(value.trimmed()), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!date.isValid())
        return {};
    QDateTime utc = date;
    utc.setTimeSpec(Qt::UTC);
    return utc;
}

} // namespace

QString CiError::toString() const
{
    const QString head = service.isEmpty() ? QString() : service + QStringLiteral(": ");
    if (rateLimited) {
        const QString when = retryAt.isValid()
                                 ? QStringLiteral("after ") +
                                       retryAt.toLocalTime().toString(QStringLiteral("HH:mm:ss"))
                                 : QStringLiteral("later");
        return head + QStringLiteral("rate limit reached; retry ") + when;
    }
    QString text = head;
    if (httpStatus != 0)
        text += QString::number(httpStatus);
    if (!message.isEmpty())
        text += (httpStatus != 0 ? QStringLiteral(" ") : QString()) + message;
    if (!hint.isEmpty())
        text += QStringLiteral(" — ") + hint;
    return text;
}

QByteArray CiResponse::header(const QByteArray &name) const
{
    for (const auto &pair : headers) {
        if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
            return pair.second;
    }
    return {};
}

CiClient::CiClient(const QUrl &baseUrl, QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_baseUrl(baseUrl)
{
    qRegisterMetaType<pgdeck::CiRun>();
    qRegisterMetaType<pgdeck::CiJob>();
    qRegisterMetaType<pgdeck::CiError>();
    qRegisterMetaType<QList<pgdeck::CiRun>>();
    qRegisterMetaType<QList<pgdeck::CiJob>>();
}

CiClient::~CiClient()
{
    // Nobody listens any more: drop replies in flight without calling their handlers.
    const auto replies = m_network->findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies) {
        reply->disconnect(this);
        reply->abort();
    }
}

QString CiClient::tokenFromEnvironment(const QString &variable)
{
    return qEnvironmentVariable(variable.toLocal8Bit().constData()).trimmed();
}

QStringList CiClient::normalisedStatuses()
{
    return {QStringLiteral("queued"), QStringLiteral("running"),   QStringLiteral("success"),
            QStringLiteral("failed"), QStringLiteral("cancelled"), QStringLiteral("skipped"),
            QStringLiteral("unknown")};
}

QString CiClient::hintFor(int httpStatus) const
{
    switch (httpStatus) {
    case 0:
        return QStringLiteral("check the address %1").arg(m_baseUrl.toString());
    case 401:
        return QStringLiteral("check the token (%1)").arg(credentialVariables());
    case 403:
        return QStringLiteral("check the token's permissions (%1)").arg(credentialVariables());
    case 404:
        return notFoundHint();
    default:
        return {};
    }
}

QString CiClient::messageOf(const CiResponse &response) const
{
    const QJsonDocument document = response.json();
    if (document.isObject()) {
        const QJsonObject object = document.object();
        for (const char *key : {"message", "error_description", "error"}) {
            const QString text = flattenMessage(object.value(QLatin1String(key))).trimmed();
            if (!text.isEmpty())
                return text;
        }
    }
    const QString text = QString::fromUtf8(response.body).trimmed();
    if (!text.isEmpty() && text.size() < 300 && !text.startsWith(u'<') && !document.isObject())
        return text;
    return {};
}

QUrl CiClient::endpoint(const QString &path, const QList<QPair<QString, QString>> &query) const
{
    QUrl url = m_baseUrl;
    QString basePath = url.path(QUrl::FullyEncoded);
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    // Tolerant mode keeps escapes such as GitLab's "group%2Fapp" as they are.
    url.setPath(basePath + path, QUrl::TolerantMode);
    QStringList pairs;
    for (const auto &[key, value] : query)
        pairs << QString::fromLatin1(QUrl::toPercentEncoding(key) + '=' +
                                     QUrl::toPercentEncoding(value));
    url.setQuery(pairs.isEmpty() ? QString() : pairs.join(u'&'), QUrl::TolerantMode);
    return url;
}

void CiClient::send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                    const QByteArray &contentType, const ResponseHandler &done,
                    bool withCredentials)
{
    QNetworkRequest request(url);
    // Redirects are followed by the clients themselves, so credentials never travel on.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("User-Agent", "pgdeck"); // GitHub refuses requests without one
    if (withCredentials)
        authorise(request);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);

    QNetworkReply *reply = method == "GET" ? m_network->get(request)
                                           : m_network->sendCustomRequest(request, method, body);
    const int timeoutMs = m_timeoutMs;
    connect(reply, &QNetworkReply::finished, this, [reply, done, timeoutMs] {
        reply->deleteLater();
        CiResponse response;
        response.url = reply->url();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!status.isValid()) {
            response.networkError =
                reply->error() == QNetworkReply::OperationCanceledError
                    ? QStringLiteral("no answer within %1 s").arg(timeoutMs / 1000.0)
                    : reply->errorString();
            done(response);
            return;
        }
        response.httpStatus = status.toInt();
        response.headers = reply->rawHeaderPairs();
        response.body = reply->readAll();
        done(response);
    });
}

void CiClient::postJson(const QUrl &url, const QJsonDocument &body, const ResponseHandler &done)
{
    send("POST", url, body.toJson(QJsonDocument::Compact), "application/json", done);
}

void CiClient::collectPages(const QUrl &first, int limit, const PageReader &reader,
                            const ItemsHandler &done, const QJsonArray &soFar)
{
    get(first, [this, limit, reader, done, soFar](const CiResponse &response) {
        if (!response.ok())
            return fail(response);
        const QJsonDocument document = response.json();
        if (document.isNull())
            return failWith(QStringLiteral("unreadable answer from %1")
                                .arg(response.url.toString(QUrl::RemoveQuery)),
                            response.httpStatus);
        QJsonArray all = soFar;
        const QJsonArray items = reader.items(document);
        for (const QJsonValue &item : items) {
            if (all.size() >= limit)
                break;
            all.append(item);
        }
        const QUrl next = reader.next(response, document);
        // An empty page ends the walk too: a service that keeps linking must not spin.
        if (all.size() >= limit || next.isEmpty() || items.isEmpty())
            return done(all);
        collectPages(next, limit, reader, done, all);
    });
}

QUrl CiClient::nextFromLinkHeader(const CiResponse &response)
{
    // Link: <https://…?page=2>; rel="next", <https://…?page=5>; rel="last"
    static const QRegularExpression link(QStringLiteral("<([^>]*)>\\s*;([^,]*)"));
    static const QRegularExpression next(QStringLiteral("rel\\s*=\\s*\"?([^\"]*)\"?"));
    const QString header = QString::fromLatin1(response.header("Link"));
    for (auto it = link.globalMatch(header); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const QString rels = next.match(match.captured(2)).captured(1);
        if (rels.split(u' ', Qt::SkipEmptyParts).contains(QLatin1String("next")))
            return response.url.resolved(QUrl(match.captured(1), QUrl::TolerantMode));
    }
    return {};
}

CiError CiClient::errorFrom(const CiResponse &response) const
{
    CiError error;
    error.service = serviceName();
    error.httpStatus = response.httpStatus;
    if (response.httpStatus == 0) {
        error.message = redact(response.networkError);
        error.hint = hintFor(0);
        return error;
    }
    error.message = redact(messageOf(response));
    const QString statusPrefix = QString::number(response.httpStatus) + u' ';
    if (error.message.startsWith(statusPrefix)) // GitLab's "401 Unauthorized"
        error.message.remove(0, statusPrefix.size());

    const QByteArray remaining = response.header("x-ratelimit-remaining");
    const QByteArray retry = response.header("Retry-After");
    error.rateLimited = response.httpStatus == 429 ||
                        (response.httpStatus == 403 && (remaining == "0" || !retry.isEmpty()));
    if (error.rateLimited) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (!retry.isEmpty())
            error.retryAt = retryAfter(retry, now);
        for (const char *name : {"x-ratelimit-reset", "RateLimit-Reset"}) {
            bool isNumber = false;
            const qint64 epoch = response.header(name).trimmed().toLongLong(&isNumber);
            if (!error.retryAt.isValid() && isNumber)
                error.retryAt = QDateTime::fromSecsSinceEpoch(epoch, Qt::UTC);
        }
        return error;
    }
    error.hint = hintFor(response.httpStatus);
    return error;
}

void CiClient::failWith(const QString &message, int httpStatus)
{
    CiError error;
    error.service = serviceName();
    error.httpStatus = httpStatus;
    error.message = redact(message);
    Q_EMIT failed(error);
}

QString CiClient::redact(QString text) const
{
    for (const QString &secret : secrets()) {
        if (!secret.isEmpty())
            text.replace(secret, QStringLiteral("***"));
    }
    return text;
}

QDateTime CiClient::isoTime(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

} // namespace pgdeck
