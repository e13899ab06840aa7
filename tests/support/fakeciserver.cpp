#include "fakeciserver.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimeZone>

#include <algorithm>

namespace pgdeck::test {

namespace {

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
    for (int i = 0; i < seededRuns(); ++i) { // i = 0 is the newest
        seedGitHubRun(i);
        seedGitLabRun(i);
        seedJenkinsBuild(i);
        seedCircleCiPipeline(i);
    }
}

int FakeCiServer::seededNumber(int index)
{
    return seededRuns() - index;
}

QDateTime FakeCiServer::seededCreated(int number)
{
    return QDateTime(QDate(2026, 1, 10), QTime(10, 0), Qt::UTC).addSecs(number * 3600);
}

QString FakeCiServer::seededSha(int number)
{
    return QStringLiteral("%1").arg(number, 40, 10, QLatin1Char('a'));
}

QString FakeCiServer::iso(const QDateTime &time)
{
    return time.toString(Qt::ISODate);
}

bool FakeCiServer::matches(const QStringList &segments, const QStringList &pattern)
{
    if (segments.size() != pattern.size())
        return false;
    for (int i = 0; i < pattern.size(); ++i) {
        if (pattern.at(i) != QLatin1String("*") && pattern.at(i) != segments.at(i))
            return false;
    }
    return true;
}

} // namespace pgdeck::test
