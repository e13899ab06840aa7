#include "dockertransport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <algorithm>
#include <cerrno>
#include <optional>

namespace pgdeck {

namespace {

QByteArray baseUrlOf(const DockerEndpoint &endpoint)
{
    if (endpoint.isUnix())
        return "http://localhost"; // the host part is ignored over a unix socket
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(endpoint.host);
    url.setPort(endpoint.port);
    return url.toEncoded();
}

QString hintFor(long osErrno, bool unixSocket)
{
    switch (osErrno) {
    case EACCES:
    case EPERM:
        return QStringLiteral("add your user to the docker group");
    case ENOENT:
        return QStringLiteral("is Docker installed and its daemon running?");
    case ECONNREFUSED:
        return unixSocket ? QStringLiteral("the Docker daemon is not running")
                          : QStringLiteral("is the Docker daemon listening there?");
    default:
        return QStringLiteral("is the Docker daemon running?");
    }
}

QString engineMessage(const QByteArray &body, int status)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString message = o.value(QLatin1String("message")).toString();
    if (!message.isEmpty())
        return message;
    const QString text = QString::fromUtf8(body.trimmed()).left(200);
    return text.isEmpty() ? QStringLiteral("HTTP %1").arg(status)
                          : QStringLiteral("HTTP %1: %2").arg(status).arg(text);
}

} // namespace

DockerTransport::DockerTransport(const DockerEndpoint &endpoint, Sink sink)
    : m_endpoint(endpoint)
    , m_baseUrl(baseUrlOf(endpoint))
    , m_sink(std::move(sink))
{
    static std::once_flag curlInit;
    std::call_once(curlInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_multi = curl_multi_init();
    m_thread = std::thread([this] { run(); });
}

DockerTransport::~DockerTransport()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    curl_multi_wakeup(m_multi);
    m_thread.join();
    while (!m_transfers.empty())
        drop(m_transfers.begin()->first);
    curl_multi_cleanup(m_multi);
}

void DockerTransport::submit(const DockerTransportRequest &request)
{
    {
        std::lock_guard lock(m_mutex);
        m_incoming.append(request);
    }
    curl_multi_wakeup(m_multi);
}

void DockerTransport::cancel(int id)
{
    {
        std::lock_guard lock(m_mutex);
        m_cancels.append(id);
    }
    curl_multi_wakeup(m_multi);
}

void DockerTransport::run()
{
    while (takeCommands()) {
        int running = 0;
        curl_multi_perform(m_multi, &running);
        int left = 0;
        bool completed = false;
        while (CURLMsg *msg = curl_multi_info_read(m_multi, &left)) {
            if (msg->msg == CURLMSG_DONE) {
                complete(msg->easy_handle, msg->data.result);
                completed = true;
            }
        }
        // A completion may have started parked requests: drive them before sleeping.
        if (!completed)
            curl_multi_poll(m_multi, nullptr, 0, 1000, nullptr);
    }
}

bool DockerTransport::takeCommands()
{
    QList<DockerTransportRequest> incoming;
    QList<int> cancels;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return false;
        incoming.swap(m_incoming);
        cancels.swap(m_cancels);
    }
    // Requests first, so a cancel sent right after its submit still finds it.
    for (const DockerTransportRequest &request : std::as_const(incoming))
        dispatch(request);
    for (int id : std::as_const(cancels)) {
        m_parked.removeIf([id](const DockerTransportRequest &r) { return r.id == id; });
        for (auto it = m_transfers.begin(); it != m_transfers.end(); ++it) {
            if (it->second->request.id == id) {
                drop(it->first);
                break;
            }
        }
    }
    return true;
}

void DockerTransport::dispatch(const DockerTransportRequest &request)
{
    if (!m_endpoint.error.isEmpty()) {
        DockerTransportEvent event;
        event.id = request.id;
        event.result.path = QString::fromUtf8(request.path);
        event.result.message = m_endpoint.error;
        m_sink(std::move(event));
        return;
    }
    if (!request.versioned || m_negotiation == Negotiation::Done) {
        begin(request);
        return;
    }
    m_parked.append(request);
    if (m_negotiation == Negotiation::None) {
        m_negotiation = Negotiation::Running;
        begin({negotiationId, "/version", false, false, 10000});
    }
}

void DockerTransport::begin(const DockerTransportRequest &request)
{
    auto t = std::make_unique<Transfer>();
    t->owner = this;
    t->request = request;
    t->easy = curl_easy_init();
    const QByteArray url = m_baseUrl + (request.versioned ? m_prefix : QByteArray()) + request.path;
    CURL *e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, url.constData()); // curl copies strings
    if (m_endpoint.isUnix())
        curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH,
                         m_endpoint.unixSocket.toLocal8Bit().constData());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errorText);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &DockerTransport::onWrite);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    if (request.timeoutMs > 0)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(request.timeoutMs));
    if (request.stream)
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_multi_add_handle(m_multi, e);
    m_transfers.emplace(e, std::move(t));
}

size_t DockerTransport::onWrite(char *data, size_t size, size_t count, void *userdata)
{
    auto *t = static_cast<Transfer *>(userdata);
    const size_t bytes = size * count;
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    // An error answer on a stream is a JSON body, not log bytes: keep it for the result.
    if (t->request.stream && status >= 200 && status < 300) {
        DockerTransportEvent event;
        event.type = DockerTransportEvent::Type::Data;
        event.id = t->request.id;
        event.data = QByteArray(data, qsizetype(bytes));
        t->owner->m_sink(std::move(event));
    } else {
        t->body.append(data, qsizetype(bytes));
    }
    return bytes;
}

void DockerTransport::complete(CURL *easy, CURLcode code)
{
    const Transfer &t = *m_transfers.at(easy);
    DockerResult result;
    result.path = QString::fromUtf8(t.request.path);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    result.httpStatus = int(status);
    result.body = t.body;
    if (code != CURLE_OK)
        result.message = connectionError(t, code);
    else if (status >= 200 && status < 300)
        result.ok = true;
    else
        result.message = engineMessage(t.body, int(status));
    const int id = t.request.id;
    drop(easy);

    if (result.path == QLatin1String("/version"))
        negotiated(result);
    if (id != negotiationId) {
        DockerTransportEvent event;
        event.id = id;
        event.result = std::move(result);
        m_sink(std::move(event));
    }
}

// Any successful GET /version settles the prefix; the failure of the internal one fails
// the requests waiting for it (the next request tries again).
void DockerTransport::negotiated(const DockerResult &result)
{
    if (m_negotiation == Negotiation::Done)
        return;
    DockerVersion version;
    QString error;
    if (result.ok && DockerVersion::parse(result.body, &version, &error)) {
        const DockerApiVersion ours =
            DockerApiVersion::fromString(QLatin1String(DockerEngine::maxApiVersion));
        const DockerApiVersion use =
            std::min(ours, DockerApiVersion::fromString(version.apiVersion));
        m_prefix = "/v" + use.toString().toLatin1();
        m_negotiation = Negotiation::Done;
        DockerTransportEvent event;
        event.type = DockerTransportEvent::Type::Negotiated;
        event.apiVersion = use.toString();
        m_sink(std::move(event));
        const QList<DockerTransportRequest> parked = std::exchange(m_parked, {});
        for (const DockerTransportRequest &request : parked)
            begin(request);
        return;
    }
    if (m_negotiation != Negotiation::Running)
        return; // a failed user call while the internal one is still under way
    m_negotiation = Negotiation::None;
    DockerResult failed = result;
    failed.ok = false;
    if (failed.message.isEmpty())
        failed.message = QStringLiteral("cannot negotiate the Engine API version: %1").arg(error);
    failed.body.clear();
    const QList<DockerTransportRequest> parked = std::exchange(m_parked, {});
    for (const DockerTransportRequest &request : parked) {
        DockerTransportEvent event;
        event.id = request.id;
        event.result = failed;
        event.result.path = QString::fromUtf8(request.path);
        m_sink(std::move(event));
    }
}

void DockerTransport::drop(CURL *easy)
{
    curl_multi_remove_handle(m_multi, easy);
    curl_easy_cleanup(easy);
    m_transfers.erase(easy);
}

QString DockerTransport::connectionError(const Transfer &t, CURLcode code) const
{
    const QString where = m_endpoint.toString();
    const QString curlText =
        QString::fromLocal8Bit(t.errorText[0] ? t.errorText : curl_easy_strerror(code));
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST: {
        long osErrno = 0;
        curl_easy_getinfo(t.easy, CURLINFO_OS_ERRNO, &osErrno);
        // The OS's reason says it best; curl's text speaks of "localhost port 80" on a socket.
        if (osErrno != 0)
            return QStringLiteral("cannot connect to the Docker engine at %1: %2 — %3")
                .arg(where, qt_error_string(int(osErrno)), hintFor(osErrno, m_endpoint.isUnix()));
        return QStringLiteral("cannot connect to the Docker engine at %1: %2 — %3")
            .arg(where, curlText, hintFor(0, m_endpoint.isUnix()));
    }
    case CURLE_OPERATION_TIMEDOUT:
        return QStringLiteral("the Docker engine at %1 did not answer in time (curl: %2)")
            .arg(where, curlText);
    default:
        return QStringLiteral("the request to the Docker engine at %1 failed (curl: %2)")
            .arg(where, curlText);
    }
}

// ---------------------------------------------------------------------------------------
// DockerEndpoint

} // namespace pgdeck
