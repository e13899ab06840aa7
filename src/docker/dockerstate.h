#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace pgdeck {

// GET /version. apiVersion is what the engine speaks at most ("1.41"); minApiVersion the
// oldest it still accepts.
struct DockerVersion {
    QString version; // "20.10.24+dfsg1"
    QString apiVersion;
    QString minApiVersion;
    QString os;
    QString arch;
    QString kernelVersion;

    static bool parse(const QByteArray &json, DockerVersion *out, QString *error);
};

// "1.41" as a comparable pair; invalid (major < 0) when the text is not "<n>.<n>".
struct DockerApiVersion {
    int major = -1;
    int minor = -1;

    static DockerApiVersion fromString(const QString &text);
    bool isValid() const { return major >= 0 && minor >= 0; }
    QString toString() const;
    friend auto operator<=>(const DockerApiVersion &, const DockerApiVersion &) = default;
};

// A published (or only exposed) port. publicPort is 0 when the port is not published.
struct DockerPort {
    QString ip;
    int privatePort = 0;
    int publicPort = 0;
    QString type; // "tcp", "udp", "sctp"

    friend bool operator==(const DockerPort &, const DockerPort &) = default;
};

// One container, as GET /containers/json lists it or GET /containers/{id}/json describes it.
// The two answers differ in shape; both parsers fill the same fields.
struct DockerContainer {
    QString id;
    QString name; // without the leading "/"
    QString image;
    QString state;  // "running", "exited", "created", "paused", "restarting", "dead"
    QString status; // human text from the list ("Up 5 minutes (healthy)"); empty from inspect
    QString health; // "healthy", "unhealthy", "starting", or empty without a health check
    QList<DockerPort> ports;
    QMap<QString, QString> labels;
    QString composeProject; // label com.docker.compose.project
    QString composeService; // label com.docker.compose.service
    QDateTime created;
    bool tty = false; // Config.Tty, only known from inspect: decides how logs are framed

    bool isRunning() const { return state == QLatin1String("running"); }

    static bool parseList(const QByteArray &json, QList<DockerContainer> *out, QString *error);
    static bool parseInspect(const QByteArray &json, DockerContainer *out, QString *error);
};

// One sample of GET /containers/{id}/stats?stream=false, reduced the way `docker stats`
// reduces it.
struct DockerStats {
    double cpuPercent = 0.0; // 100 % is one full CPU, so up to 100 × online CPUs
    qint64 memoryBytes = 0;  // usage minus the page cache (inactive_file) like `docker stats`
    qint64 memoryLimit = 0;
    int onlineCpus = 0;
    QDateTime sampledAt;

    static bool parse(const QByteArray &json, DockerStats *out, QString *error);
};

struct DockerLogLine {
    enum class Stream { Stdin, Stdout, Stderr, System, Raw };

    Stream stream = Stream::Raw; // Raw: a TTY container, whose output is not split by stream
    QString text;                // one line without its line break
    QDateTime timestamp;         // only when the logs were asked with timestamps

    friend bool operator==(const DockerLogLine &, const DockerLogLine &) = default;
};

// Turns the bytes of GET /containers/{id}/logs into lines. Without a TTY the engine
// multiplexes stdout and stderr in frames: an 8-byte header (stream type, three zero bytes,
// big-endian uint32 payload length) and the payload. Frames and lines may be split across
// any number of chunks, so the decoder keeps what it has not finished between feed() calls.
class DockerLogDecoder {
public:
    explicit DockerLogDecoder(bool multiplexed = true, bool timestamps = false);

    QList<DockerLogLine> feed(QByteArrayView chunk);
    // End of the stream: the unterminated last line of each stream, if any.
    QList<DockerLogLine> finish();

    // Set when a header did not look like one (the container had a TTY after all); the
    // rest of the stream is then passed through raw instead of being misread as frames.
    bool fellBackToRaw() const { return m_fellBack; }

private:
    void appendText(DockerLogLine::Stream stream, QByteArrayView bytes, QList<DockerLogLine> *out);
    DockerLogLine makeLine(DockerLogLine::Stream stream, QByteArrayView bytes) const;

    bool m_multiplexed;
    bool m_timestamps;
    bool m_fellBack = false;
    QByteArray m_frame;      // bytes of a frame (header + payload) not yet complete
    QByteArray m_partial[5]; // per stream: text after the last line break
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::DockerVersion)
Q_DECLARE_METATYPE(pgdeck::DockerContainer)
Q_DECLARE_METATYPE(pgdeck::DockerStats)
Q_DECLARE_METATYPE(pgdeck::DockerLogLine)
