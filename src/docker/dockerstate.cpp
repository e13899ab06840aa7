#include "dockerstate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace pgdeck {

namespace {

bool parseObject(const QByteArray &json, const char *what, QJsonObject *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = QStringLiteral("%1: not a JSON object (%2)")
                         .arg(QLatin1String(what), parseError.errorString());
        return false;
    }
    *out = doc.object();
    return true;
}

// The engine writes RFC 3339 times with nanoseconds ("2024-05-01T10:00:00.123456789Z"),
// which Qt's ISO parser does not take: keep milliseconds only. The zero time
// "0001-01-01T00:00:00Z" means "never" and gives an invalid QDateTime.
QDateTime parseTime(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch() || text.startsWith(QLatin1String("0001-")))
        return {};
    const QString millis = (m.captured(2) + QStringLiteral("000")).left(3);
    return QDateTime::fromString(m.captured(1) + QLatin1Char('.') + millis + m.captured(3),
                                 Qt::ISODateWithMs);
}

QMap<QString, QString> labelsOf(const QJsonValue &value)
{
    QMap<QString, QString> labels;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        labels.insert(it.key(), it.value().toString());
    return labels;
}

void setLabels(DockerContainer *c, const QJsonValue &value)
{
    c->labels = labelsOf(value);
    c->composeProject = c->labels.value(QStringLiteral("com.docker.compose.project"));
    c->composeService = c->labels.value(QStringLiteral("com.docker.compose.service"));
}

// The list only says "Up 3 minutes (healthy)" / "(unhealthy)" / "(health: starting)".
QString healthFromStatus(const QString &status)
{
    if (status.contains(QLatin1String("(healthy)")))
        return QStringLiteral("healthy");
    if (status.contains(QLatin1String("(unhealthy)")))
        return QStringLiteral("unhealthy");
    if (status.contains(QLatin1String("(health: starting)")))
        return QStringLiteral("starting");
    return {};
}

DockerContainer containerFromListEntry(const QJsonObject &o)
{
    DockerContainer c;
    c.id = o.value(QLatin1String("Id")).toString();
    const QJsonArray names = o.value(QLatin1String("Names")).toArray();
    if (!names.isEmpty())
        c.name = names.first().toString().mid(names.first().toString().startsWith('/') ? 1 : 0);
    c.image = o.value(QLatin1String("Image")).toString();
    c.state = o.value(QLatin1String("State")).toString();
    c.status = o.value(QLatin1String("Status")).toString();
    c.health = healthFromStatus(c.status);
    for (const QJsonValue &p : o.value(QLatin1String("Ports")).toArray()) {
        const QJsonObject port = p.toObject();
        c.ports.append({port.value(QLatin1String("IP")).toString(),
                        port.value(QLatin1String("PrivatePort")).toInt(),
                        port.value(QLatin1String("PublicPort")).toInt(),
                        port.value(QLatin1String("Type")).toString()});
    }
    setLabels(&c, o.value(QLatin1String("Labels")));
    c.created =
        QDateTime::fromSecsSinceEpoch(o.value(QLatin1String("Created")).toInteger(), Qt::UTC);
    return c;
}

// Inspect keys ports as "5432/tcp" → [{HostIp, HostPort}] (null when only exposed).
QList<DockerPort> portsFromInspect(const QJsonObject &ports)
{
    QList<DockerPort> out;
    for (auto it = ports.begin(); it != ports.end(); ++it) {
        const QStringList key = it.key().split(QLatin1Char('/'));
        const int privatePort = key.value(0).toInt();
        const QString type = key.value(1, QStringLiteral("tcp"));
        const QJsonArray bindings = it.value().toArray();
        if (bindings.isEmpty())
            out.append({{}, privatePort, 0, type});
        for (const QJsonValue &b : bindings) {
            const QJsonObject binding = b.toObject();
            out.append({binding.value(QLatin1String("HostIp")).toString(), privatePort,
                        binding.value(QLatin1String("HostPort")).toString().toInt(), type});
        }
    }
    return out;
}

qint64 toInt64(const QJsonValue &value)
{
    return value.toInteger();
}

} // namespace

bool DockerVersion::parse(const QByteArray &json, DockerVersion *out, QString *error)
{
    QJsonObject o;
    if (!parseObject(json, "version", &o, error))
        return false;
    DockerVersion v;
    v.version = o.value(QLatin1String("Version")).toString();
    v.apiVersion = o.value(QLatin1String("ApiVersion")).toString();
    v.minApiVersion = o.value(QLatin1String("MinAPIVersion")).toString();
    v.os = o.value(QLatin1String("Os")).toString();
    v.arch = o.value(QLatin1String("Arch")).toString();
    v.kernelVersion = o.value(QLatin1String("KernelVersion")).toString();
    if (!DockerApiVersion::fromString(v.apiVersion).isValid()) {
        if (error)
            *error = QStringLiteral("version: no usable ApiVersion in the engine's answer");
        return false;
    }
    *out = v;
    return true;
}

DockerApiVersion DockerApiVersion::fromString(const QString &text)
{
    const QStringList parts = text.trimmed().split(QLatin1Char('.'));
    bool okMajor = false;
    bool okMinor = false;
    DockerApiVersion v;
    if (parts.size() == 2) {
        v.major = parts[0].toInt(&okMajor);
        v.minor = parts[1].toInt(&okMinor);
    }
    if (!okMajor || !okMinor || v.major < 0 || v.minor < 0)
        return {};
    return v;
}

QString DockerApiVersion::toString() const
{
    return isValid() ? QStringLiteral("%1.%2").arg(major).arg(minor) : QString();
}

bool DockerContainer::parseList(const QByteArray &json, QList<DockerContainer> *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray()) {
        if (error)
            *error = QStringLiteral("container list: not a JSON array (%1)")
                         .arg(parseError.errorString());
        return false;
    }
    QList<DockerContainer> list;
    for (const QJsonValue &entry : doc.array())
        list.append(containerFromListEntry(entry.toObject()));
    *out = list;
    return true;
}

bool DockerContainer::parseInspect(const QByteArray &json, DockerContainer *out, QString *error)
{
    QJsonObject o;
    if (!parseObject(json, "container", &o, error))
        return false;
    DockerContainer c;
    c.id = o.value(QLatin1String("Id")).toString();
    if (c.id.isEmpty()) {
        if (error)
            *error = QStringLiteral("container: the answer has no Id");
        return false;
    }
    c.name = o.value(QLatin1String("Name")).toString();
    if (c.name.startsWith(QLatin1Char('/')))
        c.name.remove(0, 1);
    const QJsonObject config = o.value(QLatin1String("Config")).toObject();
    c.image = config.value(QLatin1String("Image")).toString();
    c.tty = config.value(QLatin1String("Tty")).toBool();
    setLabels(&c, config.value(QLatin1String("Labels")));
    const QJsonObject state = o.value(QLatin1String("State")).toObject();
    c.state = state.value(QLatin1String("Status")).toString();
    c.health =
        state.value(QLatin1String("Health")).toObject().value(QLatin1String("Status")).toString();
    c.ports = portsFromInspect(o.value(QLatin1String("NetworkSettings"))
                                   .toObject()
                                   .value(QLatin1String("Ports"))
                                   .toObject());
    c.created = parseTime(o.value(QLatin1String("Created")).toString());
    *out = c;
    return true;
}

bool DockerStats::parse(const QByteArray &json, DockerStats *out, QString *error)
{
    QJsonObject o;
    if (!parseObject(json, "stats", &o, error))
        return false;
    DockerStats s;
    s.sampledAt = parseTime(o.value(QLatin1String("read")).toString());

    // docker/cli calculateCPUPercentUnix: the container's share of the host's CPU time
    // between the two samples the engine took, scaled by the number of CPUs.
    const QJsonObject cpu = o.value(QLatin1String("cpu_stats")).toObject();
    const QJsonObject precpu = o.value(QLatin1String("precpu_stats")).toObject();
    const QJsonObject usage = cpu.value(QLatin1String("cpu_usage")).toObject();
    const double cpuDelta = double(toInt64(usage.value(QLatin1String("total_usage")))) -
                            double(toInt64(precpu.value(QLatin1String("cpu_usage"))
                                               .toObject()
                                               .value(QLatin1String("total_usage"))));
    const double systemDelta = double(toInt64(cpu.value(QLatin1String("system_cpu_usage")))) -
                               double(toInt64(precpu.value(QLatin1String("system_cpu_usage"))));
    s.onlineCpus = cpu.value(QLatin1String("online_cpus")).toInt();
    if (s.onlineCpus == 0)
        s.onlineCpus = int(usage.value(QLatin1String("percpu_usage")).toArray().size());
    if (systemDelta > 0.0 && cpuDelta > 0.0)
        s.cpuPercent = cpuDelta / systemDelta * s.onlineCpus * 100.0;

    // docker/cli calculateMemUsageUnixNoCache: cgroup v1 reports total_inactive_file,
    // cgroup v2 inactive_file; either is page cache the kernel can drop.
    const QJsonObject memory = o.value(QLatin1String("memory_stats")).toObject();
    const QJsonObject memStats = memory.value(QLatin1String("stats")).toObject();
    const qint64 used = toInt64(memory.value(QLatin1String("usage")));
    qint64 cache = 0;
    if (memStats.contains(QLatin1String("total_inactive_file")))
        cache = toInt64(memStats.value(QLatin1String("total_inactive_file")));
    else
        cache = toInt64(memStats.value(QLatin1String("inactive_file")));
    s.memoryBytes = cache < used ? used - cache : used;
    s.memoryLimit = toInt64(memory.value(QLatin1String("limit")));
    *out = s;
    return true;
}

DockerLogDecoder::DockerLogDecoder(bool multiplexed, bool timestamps)
    : m_multiplexed(multiplexed)
    , m_timestamps(timestamps)
{}

QList<DockerLogLine> DockerLogDecoder::feed(QByteArrayView chunk)
{
    QList<DockerLogLine> lines;
    if (!m_multiplexed) {
        appendText(DockerLogLine::Stream::Raw, chunk, &lines);
        return lines;
    }
    m_frame.append(chunk.data(), chunk.size());
    qsizetype pos = 0;
    while (m_frame.size() - pos >= 8) {
        const auto *h = reinterpret_cast<const uchar *>(m_frame.constData() + pos);
        if (h[0] > 3 || h[1] != 0 || h[2] != 0 || h[3] != 0) {
            // Not a frame header: treat everything from here on as raw text.
            m_multiplexed = false;
            m_fellBack = true;
            const QByteArray rest = m_frame.mid(pos);
            m_frame.clear();
            appendText(DockerLogLine::Stream::Raw, rest, &lines);
            return lines;
        }
        const quint32 length =
            (quint32(h[4]) << 24) | (quint32(h[5]) << 16) | (quint32(h[6]) << 8) | quint32(h[7]);
        if (m_frame.size() - pos - 8 < qsizetype(length))
            break;                                       // the payload is still on its way
        const auto stream = DockerLogLine::Stream(h[0]); // 0 stdin, 1 stdout, 2 stderr, 3 system
        appendText(stream, QByteArrayView(m_frame.constData() + pos + 8, length), &lines);
        pos += 8 + length;
    }
    m_frame.remove(0, pos);
    return lines;
}

QList<DockerLogLine> DockerLogDecoder::finish()
{
    QList<DockerLogLine> lines;
    if (!m_frame.isEmpty()) {
        // A cut-off frame is dropped; text too short to be a header was a TTY's output.
        const auto *h = reinterpret_cast<const uchar *>(m_frame.constData());
        bool header = h[0] <= 3;
        for (qsizetype i = 1; i < qMin<qsizetype>(4, m_frame.size()); ++i)
            header = header && h[i] == 0;
        if (!header) {
            m_fellBack = true;
            appendText(DockerLogLine::Stream::Raw, m_frame, &lines);
        }
        m_frame.clear();
    }
    for (int i = 0; i < 5; ++i) {
        if (!m_partial[i].isEmpty())
            lines.append(makeLine(DockerLogLine::Stream(i), m_partial[i]));
        m_partial[i].clear();
    }
    return lines;
}

void DockerLogDecoder::appendText(DockerLogLine::Stream stream, QByteArrayView bytes,
                                  QList<DockerLogLine> *out)
{
    QByteArray &partial = m_partial[int(stream)];
    partial.append(bytes.data(), bytes.size());
    qsizetype start = 0;
    for (qsizetype nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n', start)) {
        out->append(makeLine(stream, QByteArrayView(partial.constData() + start, nl - start)));
        start = nl + 1;
    }
    partial.remove(0, start);
}

DockerLogLine DockerLogDecoder::makeLine(DockerLogLine::Stream stream, QByteArrayView bytes) const
{
    if (bytes.endsWith('\r')) // a TTY ends lines with CR LF
        bytes.chop(1);
    DockerLogLine line;
    line.stream = stream;
    if (m_timestamps) {
        // "2024-05-01T10:00:00.123456789Z message"
        const qsizetype space = bytes.indexOf(' ');
        if (space > 0) {
            line.timestamp = parseTime(QString::fromLatin1(bytes.first(space)));
            if (line.timestamp.isValid())
                bytes = bytes.sliced(space + 1);
        }
    }
    line.text = QString::fromUtf8(bytes);
    return line;
}

} // namespace pgdeck
