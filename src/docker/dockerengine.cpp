#include "dockerengine.h"

#include "dockertransport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <memory>
#include <mutex>
#include <optional>

namespace pgdeck {

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
