#pragma once

#include "dockerstate.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>

namespace pgdeck {

class DockerTransport;
struct DockerTransportEvent;

// Where the engine listens: DOCKER_HOST's unix:///path or tcp://host:port (plain HTTP;
// TLS endpoints are not supported), the local socket by default.
struct DockerEndpoint {
    QString unixSocket; // set for a unix socket
    QString host;       // set for tcp
    int port = 0;
    QString error; // DOCKER_HOST could not be used: every call fails with this

    static constexpr const char *defaultSocket = "/var/run/docker.sock";

    static DockerEndpoint local(const QString &socketPath = QLatin1String(defaultSocket));
    // DOCKER_HOST if set, else the local socket. An unusable DOCKER_HOST gives an
    // endpoint whose error says why, rather than silently another engine.
    static DockerEndpoint fromEnvironment();
    static bool parse(const QString &dockerHost, DockerEndpoint *out, QString *error);

    bool isUnix() const { return !unixSocket.isEmpty(); }
    QString toString() const; // the socket path, or "tcp://host:port"
};

// How one call ended. ok means an HTTP 2xx answer. A connection failure has httpStatus 0
// and a message naming the socket with the OS's reason; an HTTP error carries the
// engine's own "message" ("No such container: abc").
struct DockerResult {
    bool ok = false;
    bool cancelled = false;
    int httpStatus = 0;
    QString message;
    QByteArray body;
    QString path; // the request path without the version prefix
};

// Client for the Docker Engine API.
//
// Design: libcurl's multi interface driven by one worker thread per engine. The worker
// sleeps in curl_multi_poll() and is woken by curl_multi_wakeup() for new requests,
// cancellations and shutdown, so a cancelled followLogs() ends at once and the destructor
// never waits for a timeout. Compared with QSocketNotifiers on the GUI thread this needs
// no socket/timer callback plumbing, and blocking steps inside curl (connect, DNS for tcp)
// can never stall the GUI. Only values cross back, through queued invocations: the engine
// object lives on its own thread and emits every signal there.
//
// The first call asks GET /version and then speaks min(engine's ApiVersion, 1.41) by
// prefixing every path with /v<version>. Every call returns a request id (> 0) that its
// signal carries back; cancel() makes the call report with cancelled = true.
class DockerEngine : public QObject {
    Q_OBJECT
public:
    static constexpr const char *maxApiVersion = "1.41";

    // How to read a container's log stream.
    enum class LogFraming {
        Auto,        // ask inspect for Config.Tty first
        Multiplexed, // the container has no TTY: 8-byte frame headers
        Raw,         // the container has a TTY: plain bytes
    };

    explicit DockerEngine(QObject *parent = nullptr); // DockerEndpoint::fromEnvironment()
    explicit DockerEngine(const DockerEndpoint &endpoint, QObject *parent = nullptr);
    ~DockerEngine() override;

    DockerEndpoint endpoint() const { return m_endpoint; }
    // The version in use once negotiated ("1.41"), empty before.
    QString apiVersion() const { return m_apiVersion; }
    // For every call but followLogs(); stats take about two seconds (two samples).
    void setTimeout(int ms) { m_timeoutMs = ms; }
    int timeout() const { return m_timeoutMs; }

    int version(); // -> versionReceived
    // -> containersListed; a project filters on label com.docker.compose.project.
    int listContainers(const QString &composeProject = {}, bool all = true);
    int inspect(const QString &id); // -> containerInspected
    int stats(const QString &id);   // -> statsReceived; one sample, stream=false
    // -> logsReceived. tail < 0: the whole log.
    int logs(const QString &id, int tail = -1, bool timestamps = false,
             LogFraming framing = LogFraming::Auto);
    // -> logLinesReceived as lines come, then followFinished when the container stops, the
    // connection breaks or cancel(). tail: lines of history first (0: only new ones, < 0: all).
    int followLogs(const QString &id, int tail = 0, bool timestamps = false,
                   LogFraming framing = LogFraming::Auto);

    void cancel(int requestId);
    void cancelAll();
    int pendingCount() const { return int(m_pending.size()); }

Q_SIGNALS:
    void versionReceived(int requestId, const pgdeck::DockerResult &result,
                         const pgdeck::DockerVersion &version);
    void containersListed(int requestId, const pgdeck::DockerResult &result,
                          const QList<pgdeck::DockerContainer> &containers);
    void containerInspected(int requestId, const pgdeck::DockerResult &result,
                            const pgdeck::DockerContainer &container);
    void statsReceived(int requestId, const pgdeck::DockerResult &result,
                       const pgdeck::DockerStats &stats);
    void logsReceived(int requestId, const pgdeck::DockerResult &result,
                      const QList<pgdeck::DockerLogLine> &lines);
    void logLinesReceived(int requestId, const QList<pgdeck::DockerLogLine> &lines);
    void followFinished(int requestId, const pgdeck::DockerResult &result);

private:
    enum class Kind { Version, List, Inspect, Stats, Logs, Follow };
    struct Pending;

    int start(Kind kind, const QByteArray &path, bool versioned = true);
    void submit(int id, const QByteArray &path, bool versioned, bool stream);
    int startLogs(Kind kind, const QString &id, int tail, bool timestamps, LogFraming framing);
    void submitLogs(int id, Pending &pending);
    void onEvent(const DockerTransportEvent &event);
    void onFinished(int id, DockerResult result);
    void finishLogs(int id, Pending &pending, DockerResult result);
    void report(int id, Kind kind, const DockerResult &result);

    DockerEndpoint m_endpoint;
    QString m_apiVersion;
    int m_timeoutMs = 30000;
    int m_nextId = 1;
    QHash<int, std::shared_ptr<Pending>> m_pending;
    std::unique_ptr<DockerTransport> m_transport; // last: joined first on destruction
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::DockerResult)
