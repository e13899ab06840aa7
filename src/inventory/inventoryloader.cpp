#include "inventoryloader.h"
#include "keysuggestion.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace pgdeck {

namespace {

struct StringField {
    const char *key;
    QString NodeSpec::*member;
};

// Order matters only for suggestions and for the writer's mirror of this table.
constexpr StringField kNodeStringFields[] = {
    {"name", &NodeSpec::name},        {"host", &NodeSpec::host},
    {"dbname", &NodeSpec::dbname},    {"user", &NodeSpec::user},
    {"service", &NodeSpec::service},  {"role", &NodeSpec::role},
    {"ssh", &NodeSpec::ssh},          {"patroni", &NodeSpec::patroni},
    {"region", &NodeSpec::region},    {"upstream", &NodeSpec::upstream},
    {"sslmode", &NodeSpec::sslmode},  {"sslrootcert", &NodeSpec::sslrootcert},
    {"sslcert", &NodeSpec::sslcert},  {"sslkey", &NodeSpec::sslkey},
    {"data_dir", &NodeSpec::dataDir},
};

const QStringList kTopKeys = {QStringLiteral("clusters")};
const QStringList kClusterKeys = {QStringLiteral("name"), QStringLiteral("nodes"),
                                  QStringLiteral("monitor")};
const QStringList kMonitorKeys = {QStringLiteral("interval"), QStringLiteral("lag_warn_bytes"),
                                  QStringLiteral("lag_warn_seconds")};
const QStringList kRoles = {QStringLiteral("primary"), QStringLiteral("standby"),
                            QStringLiteral("coordinator"), QStringLiteral("worker")};
const QStringList kSslModes = {QStringLiteral("disable"),   QStringLiteral("allow"),
                               QStringLiteral("prefer"),    QStringLiteral("require"),
                               QStringLiteral("verify-ca"), QStringLiteral("verify-full")};

QStringList nodeKeys()
{
    QStringList keys;
    for (const StringField &f : kNodeStringFields)
        keys << QString::fromLatin1(f.key);
    keys.insert(2, QStringLiteral("port"));
    return keys;
}

bool isPasswordKey(const QString &key)
{
    const QString k = key.toLower().remove(QLatin1Char('_')).remove(QLatin1Char('-'));
    return k == QLatin1String("password") || k == QLatin1String("passwd") ||
           k == QLatin1String("pgpassword") || k == QLatin1String("sslpassword");
}

QString quoted(const QString &s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString fromYaml(const std::string &s)
{
    return QString::fromStdString(s);
}

QString shapeName(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Sequence:
        return QStringLiteral("a list");
    case YAML::NodeType::Map:
        return QStringLiteral("a map");
    case YAML::NodeType::Null:
        return QStringLiteral("empty");
    case YAML::NodeType::Scalar:
        return quoted(fromYaml(node.Scalar()));
    case YAML::NodeType::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

bool parseDouble(const QString &text, double *value)
{
    const std::string s = text.trimmed().toStdString();
    if (s.empty())
        return false;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
        return false;
    *value = v;
    return true;
}

struct Entry {
    QString key;
    YAML::Node keyNode;
    YAML::Node value;
};

// Walks the YAML tree once, turning it into an Inventory and collecting every
// problem on the way instead of stopping at the first.
class Validator {
public:
    explicit Validator(const QString &file)
        : m_file(file)
    {}

    Inventory run(const YAML::Node &doc);
    QList<InventoryError> takeErrors();
    void error(const YAML::Mark &mark, const QString &message);

private:
    void scanForPasswords(const YAML::Node &node, int depth);
    QList<Entry> entries(const YAML::Node &map, const QStringList &known, const QString &where);
    bool readString(const Entry &e, const QString &where, QString *out);
    ClusterSpec readCluster(const YAML::Node &item, int index);
    NodeSpec readNode(const YAML::Node &item, int index, const QString &clusterLabel);
    MonitorSettings readMonitor(const YAML::Node &map, const QString &clusterLabel);
    void checkNodes(const ClusterSpec &cluster, const QString &clusterLabel);

    QString m_file;
    QList<InventoryError> m_errors;
    // Per node of the current cluster: where its name and upstream were written.
    QList<YAML::Mark> m_nameMarks;
    QList<YAML::Mark> m_upstreamMarks;
    YAML::Mark m_clusterNameMark; // of the cluster readCluster() read last
    int m_scanBudget = 200000;    // aliases can make a small file a huge tree
};

void Validator::error(const YAML::Mark &mark, const QString &message)
{
    InventoryError e;
    e.file = m_file;
    if (!mark.is_null()) {
        e.line = mark.line + 1;
        e.column = mark.column + 1;
    }
    e.message = message;
    m_errors << e;
}

QList<InventoryError> Validator::takeErrors()
{
    // Report in file order, whatever order the checks ran in.
    std::stable_sort(m_errors.begin(), m_errors.end(),
                     [](const InventoryError &a, const InventoryError &b) {
                         return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                     });
    return std::exchange(m_errors, {});
}

// A password is refused wherever it appears, even under an unknown key, so a
// secret never sits in a file that tends to be shared and committed.
void Validator::scanForPasswords(const YAML::Node &node, int depth)
{
    if (depth > 64 || --m_scanBudget < 0)
        return;
    if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (it->first.IsScalar() && isPasswordKey(fromYaml(it->first.Scalar()))) {
                error(it->first.Mark(),
                      QStringLiteral("%1 is refused: passwords belong in ~/.pgpass (or the "
                                     "file PGPASSFILE names) or in the OS keychain, never in "
                                     "the inventory")
                          .arg(quoted(fromYaml(it->first.Scalar()))));
            }
            scanForPasswords(it->second, depth + 1);
        }
    } else if (node.IsSequence()) {
        for (const YAML::Node &child : node)
            scanForPasswords(child, depth + 1);
    }
}

QList<Entry> Validator::entries(const YAML::Node &map, const QStringList &known,
                                const QString &where)
{
    QList<Entry> result;
    QHash<QString, int> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node k = it->first; // a copy: it-> yields a temporary proxy
        if (!k.IsScalar()) {
            error(
                k.Mark(),
                QStringLiteral("keys must be plain words, not %1, in %2").arg(shapeName(k), where));
            continue;
        }
        const QString key = fromYaml(k.Scalar());
        if (isPasswordKey(key))
            continue; // reported by scanForPasswords()
        if (const auto first = seen.constFind(key); first != seen.cend()) {
            error(k.Mark(), QStringLiteral("duplicate key %1 in %2 (first given at line %3)")
                                .arg(quoted(key), where)
                                .arg(first.value()));
            continue;
        }
        seen.insert(key, k.Mark().line + 1);
        if (!known.contains(key)) {
            error(k.Mark(), QStringLiteral("unknown key %1 in %2%3")
                                .arg(quoted(key), where, didYouMean(key, known)));
            continue;
        }
        result << Entry{key, k, it->second};
    }
    return result;
}

bool Validator::readString(const Entry &e, const QString &where, QString *out)
{
    if (e.value.IsNull()) {
        out->clear(); // "key:" with nothing after it means "not given"
        return true;
    }
    if (!e.value.IsScalar()) {
        error(e.value.Mark(), QStringLiteral("%1 of %2 must be a single value, not %3")
                                  .arg(quoted(e.key), where, shapeName(e.value)));
        return false;
    }
    *out = fromYaml(e.value.Scalar());
    return true;
}

Inventory Validator::run(const YAML::Node &doc)
{
    Inventory inv;
    scanForPasswords(doc, 0);
    if (!doc.IsDefined() || doc.IsNull())
        return inv; // an empty file is an empty inventory
    if (!doc.IsMap()) {
        error(doc.Mark(), QStringLiteral("the inventory must be a map with a \"clusters\" list, "
                                         "not %1")
                              .arg(shapeName(doc)));
        return inv;
    }
    QHash<QString, int> clusterLines;
    for (const Entry &e : entries(doc, kTopKeys, QStringLiteral("the inventory"))) {
        if (e.value.IsNull())
            continue;
        if (!e.value.IsSequence()) {
            error(e.value.Mark(),
                  QStringLiteral("\"clusters\" must be a list, not %1").arg(shapeName(e.value)));
            continue;
        }
        int index = 0;
        for (const YAML::Node &item : e.value) {
            ++index;
            ClusterSpec cluster = readCluster(item, index);
            if (!cluster.name.isEmpty()) {
                const int line = m_clusterNameMark.line + 1;
                if (const auto first = clusterLines.constFind(cluster.name);
                    first != clusterLines.cend()) {
                    error(m_clusterNameMark,
                          QStringLiteral("duplicate cluster name %1 (first defined at line %2)")
                              .arg(quoted(cluster.name))
                              .arg(first.value()));
                } else {
                    clusterLines.insert(cluster.name, line);
                }
            }
            inv.clusters << cluster;
        }
    }
    return inv;
}

// The value of a map's "name" key if it is a plain scalar, for labelling messages
// about the map's other keys before they have been read.
QString peekName(const YAML::Node &map)
{
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == "name" && it->second.IsScalar())
            return fromYaml(it->second.Scalar());
    }
    return {};
}

ClusterSpec Validator::readCluster(const YAML::Node &item, int index)
{
    ClusterSpec cluster;
    m_clusterNameMark = item.Mark();
    if (!item.IsMap()) {
        error(item.Mark(),
              QStringLiteral("cluster #%1 must be a map, not %2").arg(index).arg(shapeName(item)));
        return cluster;
    }
    const QString peeked = peekName(item);
    const QString label = peeked.isEmpty() ? QStringLiteral("cluster #%1").arg(index)
                                           : QStringLiteral("cluster %1").arg(quoted(peeked));
    YAML::Node nodes;
    YAML::Node monitor;
    bool nameReadable = true; // a malformed name is reported as such, not also as missing
    for (const Entry &e : entries(item, kClusterKeys, label)) {
        if (e.key == QLatin1String("name")) {
            nameReadable = readString(e, label, &cluster.name);
            m_clusterNameMark = e.value.Mark();
        } else if (e.key == QLatin1String("nodes")) {
            nodes = e.value;
        } else if (e.key == QLatin1String("monitor")) {
            monitor = e.value;
        }
    }
    if (cluster.name.isEmpty() && nameReadable)
        error(item.Mark(), QStringLiteral("%1 has no name").arg(label));

    m_nameMarks.clear();
    m_upstreamMarks.clear();
    if (nodes.IsDefined() && !nodes.IsNull()) {
        if (!nodes.IsSequence()) {
            error(nodes.Mark(), QStringLiteral("\"nodes\" of %1 must be a list, not %2")
                                    .arg(label, shapeName(nodes)));
        } else {
            int nodeIndex = 0;
            for (const YAML::Node &n : nodes)
                cluster.nodes << readNode(n, ++nodeIndex, label);
            checkNodes(cluster, label);
        }
    }
    if (monitor.IsDefined() && !monitor.IsNull()) {
        if (!monitor.IsMap()) {
            error(monitor.Mark(), QStringLiteral("\"monitor\" of %1 must be a map, not %2")
                                      .arg(label, shapeName(monitor)));
        } else {
            cluster.monitor = readMonitor(monitor, label);
        }
    }
    return cluster;
}

NodeSpec Validator::readNode(const YAML::Node &item, int index, const QString &clusterLabel)
{
    NodeSpec node;
    const YAML::Mark mark = item.Mark();
    if (!mark.is_null()) {
        node.line = mark.line + 1;
        node.column = mark.column + 1;
    }
    m_nameMarks << mark;
    m_upstreamMarks << mark;
    if (!item.IsMap()) {
        error(mark, QStringLiteral("node #%1 of %2 must be a map, not %3")
                        .arg(index)
                        .arg(clusterLabel, shapeName(item)));
        return node;
    }
    const QString peeked = peekName(item);
    const QString label = peeked.isEmpty()
                              ? QStringLiteral("node #%1 of %2").arg(index).arg(clusterLabel)
                              : QStringLiteral("node %1").arg(quoted(peeked));
    static const QStringList known = nodeKeys();
    // A malformed name or host is reported as such, not also as missing.
    bool gaveAddress = false;
    bool nameReadable = true;
    for (const Entry &e : entries(item, known, label)) {
        if (e.key == QLatin1String("host") || e.key == QLatin1String("service"))
            gaveAddress = gaveAddress || !e.value.IsScalar() || !e.value.Scalar().empty();
        if (e.key == QLatin1String("name"))
            nameReadable = e.value.IsNull() || e.value.IsScalar();
        if (e.key == QLatin1String("port")) {
            if (e.value.IsNull())
                continue;
            bool ok = false;
            const int port = e.value.IsScalar() ? fromYaml(e.value.Scalar()).toInt(&ok) : 0;
            if (!ok || port < 1 || port > 65535) {
                error(e.value.Mark(),
                      QStringLiteral("port of %1 must be an integer from 1 to 65535, not %2")
                          .arg(label, shapeName(e.value)));
                continue;
            }
            node.port = port;
            continue;
        }
        for (const StringField &f : kNodeStringFields) {
            if (e.key != QLatin1String(f.key))
                continue;
            QString value;
            if (!readString(e, label, &value))
                break;
            node.*f.member = value;
            if (e.key == QLatin1String("name"))
                m_nameMarks.last() = e.value.Mark();
            else if (e.key == QLatin1String("upstream"))
                m_upstreamMarks.last() = e.value.Mark();

            if (e.key == QLatin1String("role") && !value.isEmpty() && !kRoles.contains(value)) {
                error(e.value.Mark(),
                      QStringLiteral("role of %1 must be primary, standby, coordinator or "
                                     "worker, not %2%3")
                          .arg(label, quoted(value), didYouMean(value, kRoles)));
            } else if (e.key == QLatin1String("sslmode") && !value.isEmpty() &&
                       !kSslModes.contains(value)) {
                error(e.value.Mark(), QStringLiteral("sslmode of %1 must be one of %2, not %3%4")
                                          .arg(label, kSslModes.join(QLatin1String(", ")),
                                               quoted(value), didYouMean(value, kSslModes)));
            } else if (e.key == QLatin1String("patroni") && !value.isEmpty() &&
                       !value.startsWith(QLatin1String("http://")) &&
                       !value.startsWith(QLatin1String("https://"))) {
                error(e.value.Mark(),
                      QStringLiteral("patroni of %1 must be an http:// or https:// URL, not %2")
                          .arg(label, quoted(value)));
            }
            break;
        }
    }
    if (node.name.isEmpty() && nameReadable)
        error(mark, QStringLiteral("%1 has no name").arg(label));
    if (node.host.isEmpty() && node.service.isEmpty() && !gaveAddress)
        error(mark, QStringLiteral("%1 has neither host nor service: give one so pgdeck knows "
                                   "where to connect")
                        .arg(label));
    return node;
}

void Validator::checkNodes(const ClusterSpec &cluster, const QString &clusterLabel)
{
    QHash<QString, int> firstLine;
    for (qsizetype i = 0; i < cluster.nodes.size(); ++i) {
        const NodeSpec &n = cluster.nodes.at(i);
        if (n.name.isEmpty())
            continue;
        if (const auto first = firstLine.constFind(n.name); first != firstLine.cend()) {
            error(m_nameMarks.at(i),
                  QStringLiteral("duplicate node name %1 in %2 (first defined at line %3)")
                      .arg(quoted(n.name), clusterLabel)
                      .arg(first.value()));
        } else {
            firstLine.insert(n.name, n.line);
        }
    }
    QStringList names;
    for (const NodeSpec &n : cluster.nodes)
        names << n.name;
    for (qsizetype i = 0; i < cluster.nodes.size(); ++i) {
        const NodeSpec &n = cluster.nodes.at(i);
        if (n.upstream.isEmpty())
            continue;
        const QString label = n.name.isEmpty() ? QStringLiteral("node #%1").arg(i + 1)
                                               : QStringLiteral("node %1").arg(quoted(n.name));
        if (n.upstream == n.name) {
            error(m_upstreamMarks.at(i),
                  QStringLiteral("%1 names itself as its upstream").arg(label));
        } else if (!names.contains(n.upstream)) {
            error(m_upstreamMarks.at(i),
                  QStringLiteral("upstream %1 of %2 is not a node of %3%4")
                      .arg(quoted(n.upstream), label, clusterLabel, didYouMean(n.upstream, names)));
        }
    }
}

MonitorSettings Validator::readMonitor(const YAML::Node &map, const QString &clusterLabel)
{
    MonitorSettings m;
    const QString where = QStringLiteral("the monitor settings of %1").arg(clusterLabel);
    for (const Entry &e : entries(map, kMonitorKeys, where)) {
        QString text;
        if (!readString(e, where, &text) || text.isEmpty())
            continue;
        if (e.key == QLatin1String("interval")) {
            double ms = 0;
            if (!InventoryLoader::parseDurationMs(text, &ms) || std::llround(ms) < 1 ||
                ms > std::numeric_limits<int>::max()) {
                error(e.value.Mark(), QStringLiteral("interval in %1 must be a positive duration "
                                                     "such as 500ms, 1s or 2m, not %2")
                                          .arg(where, quoted(text)));
                continue;
            }
            m.intervalMs = int(std::llround(ms));
        } else if (e.key == QLatin1String("lag_warn_bytes")) {
            qint64 bytes = 0;
            if (!InventoryLoader::parseSize(text, &bytes)) {
                error(e.value.Mark(), QStringLiteral("lag_warn_bytes in %1 must be a size such as "
                                                     "16MB or 1048576, not %2")
                                          .arg(where, quoted(text)));
                continue;
            }
            m.lagWarnBytes = bytes;
        } else if (e.key == QLatin1String("lag_warn_seconds")) {
            // A bare number is read exactly, so the writer's output comes back bit for bit.
            double seconds = 0;
            double ms = 0;
            if (parseDouble(text, &seconds) && seconds >= 0) {
                m.lagWarnSeconds = seconds;
            } else if (InventoryLoader::parseDurationMs(text, &ms)) {
                m.lagWarnSeconds = ms / 1000.0;
            } else {
                error(e.value.Mark(), QStringLiteral("lag_warn_seconds in %1 must be a number of "
                                                     "seconds or a duration such as 5s, not %2")
                                          .arg(where, quoted(text)));
            }
        }
    }
    return m;
}

} // namespace

bool InventoryLoader::parseDurationMs(const QString &text, double *ms)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*([A-Za-z]*)\\s*$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch()) {
        // Bare seconds in any form a YAML number takes, such as 1e-3.
        double seconds = 0;
        if (!parseDouble(text, &seconds) || seconds < 0)
            return false;
        *ms = seconds * 1000.0;
        return true;
    }
    double value = 0;
    if (!parseDouble(m.captured(1), &value))
        return false;
    static const QHash<QString, double> units = {
        {QString(), 1000.0},
        {QStringLiteral("us"), 0.001},
        {QStringLiteral("ms"), 1.0},
        {QStringLiteral("s"), 1000.0},
        {QStringLiteral("sec"), 1000.0},
        {QStringLiteral("secs"), 1000.0},
        {QStringLiteral("second"), 1000.0},
        {QStringLiteral("seconds"), 1000.0},
        {QStringLiteral("m"), 60000.0},
        {QStringLiteral("min"), 60000.0},
        {QStringLiteral("mins"), 60000.0},
        {QStringLiteral("minute"), 60000.0},
        {QStringLiteral("minutes"), 60000.0},
        {QStringLiteral("h"), 3600000.0},
        {QStringLiteral("hour"), 3600000.0},
        {QStringLiteral("hours"), 3600000.0},
        {QStringLiteral("d"), 86400000.0},
        {QStringLiteral("day"), 86400000.0},
        {QStringLiteral("days"), 86400000.0},
    };
    const auto unit = units.constFind(m.captured(2).toLower());
    if (unit == units.cend())
        return false;
    *ms = value * unit.value();
    return std::isfinite(*ms);
}

bool InventoryLoader::parseSize(const QString &text, qint64 *bytes)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*([0-9]+)(?:\\.([0-9]+))?\\s*([A-Za-z]*)\\s*$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return false;
    static const QHash<QString, qint64> units = {
        {QString(), 1},
        {QStringLiteral("b"), 1},
        {QStringLiteral("byte"), 1},
        {QStringLiteral("bytes"), 1},
        {QStringLiteral("kb"), Q_INT64_C(1) << 10},
        {QStringLiteral("kib"), Q_INT64_C(1) << 10},
        {QStringLiteral("mb"), Q_INT64_C(1) << 20},
        {QStringLiteral("mib"), Q_INT64_C(1) << 20},
        {QStringLiteral("gb"), Q_INT64_C(1) << 30},
        {QStringLiteral("gib"), Q_INT64_C(1) << 30},
        {QStringLiteral("tb"), Q_INT64_C(1) << 40},
        {QStringLiteral("tib"), Q_INT64_C(1) << 40},
        {QStringLiteral("pb"), Q_INT64_C(1) << 50},
        {QStringLiteral("pib"), Q_INT64_C(1) << 50},
    };
    const auto unit = units.constFind(m.captured(3).toLower());
    if (unit == units.cend())
        return false;
    const qint64 max = std::numeric_limits<qint64>::max();
    if (m.captured(2).isEmpty()) {
        // Whole numbers stay in integer arithmetic so large byte counts are exact.
        bool ok = false;
        const qint64 n = m.captured(1).toLongLong(&ok);
        if (!ok || n > max / unit.value())
            return false;
        *bytes = n * unit.value();
        return true;
    }
    double value = 0;
    if (!parseDouble(m.captured(1) + QLatin1Char('.') + m.captured(2), &value))
        return false;
    const double scaled = value * double(unit.value());
    if (scaled >= 9.2e18)
        return false;
    *bytes = std::llround(scaled);
    return true;
}

bool InventoryLoader::parse(const QByteArray &yaml, const QString &fileNameForMessages,
                            Inventory *out, QList<InventoryError> *errors)
{
    Validator validator(fileNameForMessages);
    Inventory inv;
    try {
        const std::vector<YAML::Node> docs = YAML::LoadAll(yaml.toStdString());
        if (!docs.empty())
            inv = validator.run(docs.front());
        if (docs.size() > 1) {
            validator.error(docs.at(1).Mark(),
                            QStringLiteral("the inventory must be a single YAML document; "
                                           "remove the \"---\" and what follows or merge it "
                                           "into the first"));
        }
    } catch (const YAML::Exception &e) {
        validator.error(e.mark, QStringLiteral("YAML syntax error: %1").arg(fromYaml(e.msg)));
    }
    const QList<InventoryError> found = validator.takeErrors();
    if (errors)
        errors->append(found);
    if (!found.isEmpty())
        return false;
    if (out)
        *out = inv;
    return true;
}

bool InventoryLoader::load(const QString &path, Inventory *out, QList<InventoryError> *errors)
{
    auto fail = [&](const QString &reason) {
        if (errors) {
            InventoryError e;
            e.file = path;
            e.message = QStringLiteral("cannot read the inventory: %1").arg(reason);
            errors->append(e);
        }
        return false;
    };
    if (QFileInfo(path).isDir())
        return fail(QStringLiteral("it is a directory"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return fail(file.errorString());
    return parse(data, path, out, errors);
}

} // namespace pgdeck
