#include "inventorywriter.h"

#include <QSaveFile>

#include <charconv>
#include <cmath>
#include <string>

namespace pgdeck {

namespace {

struct Field {
    const char *key;
    QString NodeSpec::*member;
};

// Write order: identity, then how to connect, then topology, then operations.
constexpr Field kNameField = {"name", &NodeSpec::name};
constexpr Field kAfterPort[] = {
    {"dbname", &NodeSpec::dbname},     {"user", &NodeSpec::user},
    {"service", &NodeSpec::service},   {"role", &NodeSpec::role},
    {"upstream", &NodeSpec::upstream}, {"region", &NodeSpec::region},
    {"ssh", &NodeSpec::ssh},           {"patroni", &NodeSpec::patroni},
    {"sslmode", &NodeSpec::sslmode},   {"sslrootcert", &NodeSpec::sslrootcert},
    {"sslcert", &NodeSpec::sslcert},   {"sslkey", &NodeSpec::sslkey},
    {"data_dir", &NodeSpec::dataDir},
};

constexpr int kColumnLimit = 100;

bool isPlainChar(QChar c)
{
    if (c.unicode() < 128) {
        return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('.') ||
               c == QLatin1Char('/') || c == QLatin1Char('-') || c == QLatin1Char('+') ||
               c == QLatin1Char('@') || c == QLatin1Char('~');
    }
    return c.isLetterOrNumber();
}

// Would a YAML reader take this word for something other than a string?
bool looksTyped(const QString &s)
{
    static const QStringList reserved = {
        QStringLiteral("null"),  QStringLiteral("~"),    QStringLiteral("true"),
        QStringLiteral("false"), QStringLiteral("yes"),  QStringLiteral("no"),
        QStringLiteral("on"),    QStringLiteral("off"),  QStringLiteral("y"),
        QStringLiteral("n"),     QStringLiteral(".inf"), QStringLiteral("-.inf"),
        QStringLiteral("+.inf"), QStringLiteral(".nan")};
    if (reserved.contains(s.toLower()))
        return true;
    // Numbers (and numbers with YAML 1.1 digit separators) stay quoted for other tools.
    const std::string t = QString(s).remove(QLatin1Char('_')).toStdString();
    double v = 0;
    const char *b = t.data();
    if (!t.empty() && (t.front() == '+' || t.front() == '-'))
        ++b;
    const auto [end, ec] = std::from_chars(b, t.data() + t.size(), v);
    if (ec == std::errc() && end == t.data() + t.size())
        return true;
    return s.startsWith(QLatin1String("0x")) || s.startsWith(QLatin1String("0o"));
}

QString escaped(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (const char32_t cp : s.toUcs4()) {
        switch (cp) {
        case U'"':
            out += QLatin1String("\\\"");
            continue;
        case U'\\':
            out += QLatin1String("\\\\");
            continue;
        case U'\n':
            out += QLatin1String("\\n");
            continue;
        case U'\t':
            out += QLatin1String("\\t");
            continue;
        case U'\r':
            out += QLatin1String("\\r");
            continue;
        default:
            break;
        }
        if (cp < 0x20 || cp == 0x7f) {
            out += QStringLiteral("\\x%1").arg(uint(cp), 2, 16, QLatin1Char('0'));
        } else if (cp == 0x85 || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff) {
            // Line breaks and the BOM would not survive a reader untouched.
            out += QStringLiteral("\\u%1").arg(uint(cp), 4, 16, QLatin1Char('0'));
        } else {
            out += QString::fromUcs4(&cp, 1);
        }
    }
    out += QLatin1Char('"');
    return out;
}

// Appends "key: value" items to a flow map, wrapping before the column limit
// with continuation lines aligned under the first item.
class FlowMap {
public:
    FlowMap(QString *out, const QString &opening)
        : m_out(out)
        , m_indent(opening.size())
    {
        m_line = opening;
    }

    void add(const QString &key, const QString &value)
    {
        const QString item = key + QLatin1String(": ") + value;
        if (m_count > 0) {
            m_line += QLatin1Char(',');
            if (m_line.size() + 1 + item.size() + 2 > kColumnLimit) {
                *m_out += m_line + QLatin1Char('\n');
                m_line = QString(m_indent, QLatin1Char(' '));
            } else {
                m_line += QLatin1Char(' ');
            }
        }
        m_line += item;
        ++m_count;
    }

    void finish() { *m_out += m_line + QLatin1String(" }\n"); }

private:
    QString *m_out;
    qsizetype m_indent;
    QString m_line;
    int m_count = 0;
};

void writeNode(QString *out, const NodeSpec &n)
{
    FlowMap map(out, QStringLiteral("      - { "));
    auto add = [&](const Field &f) {
        const QString &value = n.*f.member;
        if (!value.isEmpty())
            map.add(QString::fromLatin1(f.key), InventoryWriter::quoteScalar(value));
    };
    add(kNameField);
    add({"host", &NodeSpec::host});
    if (n.port != 0)
        map.add(QStringLiteral("port"), QString::number(n.port));
    for (const Field &f : kAfterPort)
        add(f);
    map.finish();
}

void writeMonitor(QString *out, const MonitorSettings &m)
{
    const MonitorSettings defaults;
    if (m == defaults)
        return;
    FlowMap map(out, QStringLiteral("    monitor: { "));
    if (m.intervalMs != defaults.intervalMs)
        map.add(QStringLiteral("interval"), InventoryWriter::formatDuration(m.intervalMs));
    if (m.lagWarnBytes != defaults.lagWarnBytes)
        map.add(QStringLiteral("lag_warn_bytes"), InventoryWriter::formatSize(m.lagWarnBytes));
    if (m.lagWarnSeconds != defaults.lagWarnSeconds)
        map.add(QStringLiteral("lag_warn_seconds"),
                InventoryWriter::formatSeconds(m.lagWarnSeconds));
    map.finish();
}

} // namespace

QString InventoryWriter::quoteScalar(const QString &value)
{
    bool plain = !value.isEmpty() && !looksTyped(value);
    for (qsizetype i = 0; plain && i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c == QLatin1Char(':')) {
            // "http://h:8008" is fine; a trailing ":" or "::" (IPv6) would be read
            // as a key separator or trips up flow maps.
            plain = i > 0 && i + 1 < value.size() && isPlainChar(value.at(i + 1)) &&
                    value.at(i + 1) != QLatin1Char('~');
        } else {
            plain = isPlainChar(c);
        }
    }
    // Characters YAML reserves as indicators cannot start a plain scalar.
    if (plain) {
        const QChar first = value.front();
        if (first == QLatin1Char('-') || first == QLatin1Char('@') || first == QLatin1Char('~') ||
            first == QLatin1Char('+') || first == QLatin1Char('.'))
            plain = false;
    }
    return plain ? value : escaped(value);
}

QString InventoryWriter::formatDuration(int ms)
{
    if (ms != 0 && ms % 3600000 == 0)
        return QStringLiteral("%1h").arg(ms / 3600000);
    if (ms != 0 && ms % 60000 == 0)
        return QStringLiteral("%1min").arg(ms / 60000);
    if (ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1ms").arg(ms);
}

QString InventoryWriter::formatSize(qint64 bytes)
{
    static const struct {
        qint64 factor;
        const char *unit;
    } units[] = {{Q_INT64_C(1) << 40, "TB"},
                 {Q_INT64_C(1) << 30, "GB"},
                 {Q_INT64_C(1) << 20, "MB"},
                 {Q_INT64_C(1) << 10, "kB"}};
    if (bytes > 0) {
        for (const auto &u : units) {
            if (bytes % u.factor == 0)
                return QString::number(bytes / u.factor) + QLatin1String(u.unit);
        }
    }
    return QString::number(bytes);
}

QString InventoryWriter::formatSeconds(double seconds)
{
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, seconds);
    if (ec != std::errc())
        return QString::number(seconds, 'g', 17);
    return QString::fromLatin1(buf, end - buf);
}

QByteArray InventoryWriter::toYaml(const Inventory &inv)
{
    QString out = QStringLiteral(
        "# pgdeck inventory. Passwords never go here: libpq reads them from ~/.pgpass\n"
        "# (or PGPASSFILE), and pgdeck keeps the ones you type in the OS keychain.\n");
    if (inv.clusters.isEmpty()) {
        out += QLatin1String("clusters: []\n");
        return out.toUtf8();
    }
    out += QLatin1String("clusters:\n");
    for (const ClusterSpec &c : inv.clusters) {
        out += QLatin1String("  - name: ") + quoteScalar(c.name) + QLatin1Char('\n');
        if (c.nodes.isEmpty()) {
            out += QLatin1String("    nodes: []\n");
        } else {
            out += QLatin1String("    nodes:\n");
            for (const NodeSpec &n : c.nodes)
                writeNode(&out, n);
        }
        writeMonitor(&out, c.monitor);
    }
    return out.toUtf8();
}

bool InventoryWriter::save(const Inventory &inv, const QString &path, QString *error)
{
    QSaveFile file(path);
    const QByteArray data = toYaml(inv);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace pgdeck
