#pragma once

// The Docker engine's transport: a worker thread driving a curl multi handle. Private to
// DockerEngine; nothing here touches a QObject, everything leaves through the sink.
#include "dockerengine.h"

#include <QByteArray>
#include <QList>

#include <curl/curl.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace pgdeck {

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

} // namespace pgdeck
