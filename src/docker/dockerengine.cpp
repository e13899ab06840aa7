#include "dockerengine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace pgdeck {

// ---------------------------------------------------------------------------------------
// Transport: the worker thread and its curl multi handle. Nothing here touches a QObject;
// everything leaves through the sink as a DockerTransportEvent value.

struct DockerTransportRequest {
    int id = 0;
    QByteArray path; // "/containers/json?all=1", without the version prefix
    bool versioned = true;
    bool stream = false; // hand 2xx body bytes over as they arrive
    int timeoutMs = 0;   // 0: none (streams)
};

struct DockerTransportEvent {
    enum class Type { Data, Finished, Negotiated };
    Type type = Type::Finished;
    int id = 0;
    QByteArray data;
    DockerResult result;
    QString apiVersion;
};

class DockerTransport {
public:
    using Sink = std::function<void(DockerTransportEvent)>;

    DockerTransport(const DockerEndpoint &endpoint, Sink sink);
    ~DockerTransport();

    // Both are thread-safe and return at once; the worker picks them up when woken.
    void submit(const DockerTransportRequest &request);
    void cancel(int id);

private:
    struct Transfer {
        DockerTransport *owner = nullptr;
        DockerTransportRequest request;
        CURL *easy = nullptr;
        QByteArray body;
        char errorText[CURL_ERROR_SIZE] = {};
    };
    enum class Negotiation { None, Running, Done };
    static constexpr int negotiationId = 0; // internal GET /version, never reported

    void run();
    bool takeCommands(); // false once stopping
    void dispatch(const DockerTransportRequest &request);
    void begin(const DockerTransportRequest &request);
    void complete(CURL *easy, CURLcode code);
    void negotiated(const DockerResult &result);
    void drop(CURL *easy);
    QString connectionError(const Transfer &t, CURLcode code) const;
    static size_t onWrite(char *data, size_t size, size_t count, void *userdata);

    const DockerEndpoint m_endpoint;
    const QByteArray m_baseUrl;
    const Sink m_sink;
    CURLM *m_multi = nullptr;

    std::mutex m_mutex; // guards the three command fields below
    QList<DockerTransportRequest> m_incoming;
    QList<int> m_cancels;
    bool m_stopping = false;

    // Worker thread only.
    std::map<CURL *, std::unique_ptr<Transfer>> m_transfers;
    Negotiation m_negotiation = Negotiation::None;
    QByteArray m_prefix; // "/v1.41"
    QList<DockerTransportRequest> m_parked;

    std::thread m_thread; // last: started once everything above exists
};

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

DockerEndpoint DockerEndpoint::local(const QString &socketPath)
{
    DockerEndpoint endpoint;
    endpoint.unixSocket = socketPath;
    return endpoint;
}

DockerEndpoint DockerEndpoint::fromEnvironment()
{
    const QString dockerHost = qEnvironmentVariable("DOCKER_HOST");
    if (dockerHost.isEmpty())
        return local();
    DockerEndpoint endpoint;
    if (!parse(dockerHost, &endpoint, &endpoint.error))
        endpoint.unixSocket.clear();
    return endpoint;
}

bool DockerEndpoint::parse(const QString &dockerHost, DockerEndpoint *out, QString *error)
{
    const QUrl url(dockerHost.trimmed());
    DockerEndpoint endpoint;
    if (url.scheme() == QLatin1String("unix") && !url.path().isEmpty()) {
        endpoint.unixSocket = url.path();
    } else if (url.scheme() == QLatin1String("tcp") && !url.host().isEmpty()) {
        endpoint.host = url.host();
        endpoint.port = url.port(2375);
    } else {
        if (error)
            *error = QStringLiteral("DOCKER_HOST=%1 is not unix:///path or tcp://host:port")
                         .arg(dockerHost);
        return false;
    }
    *out = endpoint;
    return true;
}

QString DockerEndpoint::toString() const
{
    if (isUnix())
        return unixSocket;
    return QStringLiteral("tcp://%1:%2")
        .arg(host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host)
        .arg(port);
}

// ---------------------------------------------------------------------------------------
// DockerEngine

struct DockerEngine::Pending {
    Kind kind = Kind::Version;
    // Logs only.
    QString containerId;
    int tail = -1;
    bool timestamps = false;
    LogFraming framing = LogFraming::Auto;
    bool inspecting = false; // waiting for Config.Tty before asking for the logs
    std::optional<DockerLogDecoder> decoder;
};

namespace {

QByteArray containerPath(const QString &id, const char *tail)
{
    return "/containers/" + QUrl::toPercentEncoding(id) + tail;
}

void registerTypes()
{
    static std::once_flag once;
    std::call_once(once, [] {
        qRegisterMetaType<pgdeck::DockerResult>();
        qRegisterMetaType<pgdeck::DockerVersion>();
        qRegisterMetaType<pgdeck::DockerContainer>();
        qRegisterMetaType<QList<pgdeck::DockerContainer>>();
        qRegisterMetaType<pgdeck::DockerStats>();
        qRegisterMetaType<pgdeck::DockerLogLine>();
        qRegisterMetaType<QList<pgdeck::DockerLogLine>>();
    });
}

} // namespace

DockerEngine::DockerEngine(QObject *parent)
    : DockerEngine(DockerEndpoint::fromEnvironment(), parent)
{}

DockerEngine::DockerEngine(const DockerEndpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
{
    registerTypes();
    // Runs on the worker thread; the queued call lands on this object's thread. The
    // transport is joined before this object goes, so `this` outlives every call here.
    m_transport = std::make_unique<DockerTransport>(m_endpoint, [this](DockerTransportEvent e) {
        QMetaObject::invokeMethod(
            this, [this, e = std::move(e)] { onEvent(e); }, Qt::QueuedConnection);
    });
}

DockerEngine::~DockerEngine()
{
    m_transport.reset();
}

int DockerEngine::version()
{
    return start(Kind::Version, "/version", false);
}

int DockerEngine::listContainers(const QString &composeProject, bool all)
{
    QByteArray path = all ? "/containers/json?all=1" : "/containers/json?all=0";
    if (!composeProject.isEmpty()) {
        const QJsonObject filters{
            {QStringLiteral("label"),
             QJsonArray{QStringLiteral("com.docker.compose.project=") + composeProject}}};
        path += "&filters=" +
                QUrl::toPercentEncoding(QJsonDocument(filters).toJson(QJsonDocument::Compact));
    }
    return start(Kind::List, path);
}

int DockerEngine::inspect(const QString &id)
{
    return start(Kind::Inspect, containerPath(id, "/json"));
}

int DockerEngine::stats(const QString &id)
{
    // Without one-shot the engine waits for a second sample, so precpu_stats is filled
    // and the CPU percentage means something.
    return start(Kind::Stats, containerPath(id, "/stats?stream=false"));
}

int DockerEngine::logs(const QString &id, int tail, bool timestamps, LogFraming framing)
{
    return startLogs(Kind::Logs, id, tail, timestamps, framing);
}

int DockerEngine::followLogs(const QString &id, int tail, bool timestamps, LogFraming framing)
{
    return startLogs(Kind::Follow, id, tail, timestamps, framing);
}

void DockerEngine::cancel(int requestId)
{
    const std::shared_ptr<Pending> pending = m_pending.take(requestId);
    if (!pending)
        return;
    m_transport->cancel(requestId);
    DockerResult result;
    result.cancelled = true;
    result.message = QStringLiteral("cancelled");
    // Report later, like every other answer, never from inside the caller's call.
    QMetaObject::invokeMethod(
        this, [this, requestId, kind = pending->kind, result] { report(requestId, kind, result); },
        Qt::QueuedConnection);
}

void DockerEngine::cancelAll()
{
    const QList<int> ids = m_pending.keys();
    for (int id : ids)
        cancel(id);
}

int DockerEngine::start(Kind kind, const QByteArray &path, bool versioned)
{
    const int id = m_nextId++;
    auto pending = std::make_shared<Pending>();
    pending->kind = kind;
    m_pending.insert(id, pending);
    submit(id, path, versioned, false);
    return id;
}

void DockerEngine::submit(int id, const QByteArray &path, bool versioned, bool stream)
{
    m_transport->submit({id, path, versioned, stream, stream ? 0 : m_timeoutMs});
}

int DockerEngine::startLogs(Kind kind, const QString &id, int tail, bool timestamps,
                            LogFraming framing)
{
    const int requestId = m_nextId++;
    auto pending = std::make_shared<Pending>();
    pending->kind = kind;
    pending->containerId = id;
    pending->tail = tail;
    pending->timestamps = timestamps;
    pending->framing = framing;
    m_pending.insert(requestId, pending);
    if (framing == LogFraming::Auto) {
        pending->inspecting = true;
        submit(requestId, containerPath(id, "/json"), true, false);
    } else {
        submitLogs(requestId, *pending);
    }
    return requestId;
}

void DockerEngine::submitLogs(int id, Pending &pending)
{
    pending.inspecting = false;
    pending.decoder.emplace(pending.framing != LogFraming::Raw, pending.timestamps);
    const bool follow = pending.kind == Kind::Follow;
    const QByteArray tail = pending.tail < 0 ? "all" : QByteArray::number(pending.tail);
    const QByteArray query = "/logs?stdout=1&stderr=1&tail=" + tail +
                             "&timestamps=" + (pending.timestamps ? "1" : "0") +
                             "&follow=" + (follow ? "1" : "0");
    submit(id, containerPath(pending.containerId, query.constData()), true, follow);
}

void DockerEngine::onEvent(const DockerTransportEvent &event)
{
    if (event.type == DockerTransportEvent::Type::Negotiated) {
        m_apiVersion = event.apiVersion;
        return;
    }
    const std::shared_ptr<Pending> pending = m_pending.value(event.id);
    if (!pending)
        return; // cancelled: whatever was still under way is dropped
    if (event.type == DockerTransportEvent::Type::Finished) {
        onFinished(event.id, event.result);
        return;
    }
    if (pending->decoder) {
        const QList<DockerLogLine> lines = pending->decoder->feed(event.data);
        if (!lines.isEmpty())
            Q_EMIT logLinesReceived(event.id, lines);
    }
}

void DockerEngine::onFinished(int id, DockerResult result)
{
    const std::shared_ptr<Pending> pending = m_pending.value(id);
    if (pending->inspecting && result.ok) {
        DockerContainer container;
        QString error;
        if (DockerContainer::parseInspect(result.body, &container, &error)) {
            pending->framing = container.tty ? LogFraming::Raw : LogFraming::Multiplexed;
            submitLogs(id, *pending);
            return;
        }
        result.ok = false;
        result.message = error;
    }
    m_pending.remove(id);
    if (result.ok && (pending->kind == Kind::Logs || pending->kind == Kind::Follow))
        finishLogs(id, *pending, std::move(result));
    else
        report(id, pending->kind, result);
}

void DockerEngine::finishLogs(int id, Pending &pending, DockerResult result)
{
    QList<DockerLogLine> lines;
    if (pending.kind == Kind::Logs)
        lines = pending.decoder->feed(result.body);
    lines += pending.decoder->finish();
    result.body.clear(); // the lines are the answer
    if (pending.kind == Kind::Logs) {
        Q_EMIT logsReceived(id, result, lines);
        return;
    }
    if (!lines.isEmpty())
        Q_EMIT logLinesReceived(id, lines);
    Q_EMIT followFinished(id, result);
}

// Turns a finished call into its signal; a body that does not parse makes it fail.
void DockerEngine::report(int id, Kind kind, const DockerResult &result)
{
    DockerResult r = result;
    QString error;
    const auto parsed = [&](bool ok) {
        if (r.ok && !ok) {
            r.ok = false;
            r.message = error;
        }
    };
    switch (kind) {
    case Kind::Version: {
        DockerVersion version;
        parsed(!r.ok || DockerVersion::parse(r.body, &version, &error));
        Q_EMIT versionReceived(id, r, version);
        break;
    }
    case Kind::List: {
        QList<DockerContainer> list;
        parsed(!r.ok || DockerContainer::parseList(r.body, &list, &error));
        Q_EMIT containersListed(id, r, list);
        break;
    }
    case Kind::Inspect: {
        DockerContainer container;
        parsed(!r.ok || DockerContainer::parseInspect(r.body, &container, &error));
        Q_EMIT containerInspected(id, r, container);
        break;
    }
    case Kind::Stats: {
        DockerStats stats;
        parsed(!r.ok || DockerStats::parse(r.body, &stats, &error));
        Q_EMIT statsReceived(id, r, stats);
        break;
    }
    case Kind::Logs:
        Q_EMIT logsReceived(id, r, {});
        break;
    case Kind::Follow:
        Q_EMIT followFinished(id, r);
        break;
    }
}

} // namespace pgdeck
