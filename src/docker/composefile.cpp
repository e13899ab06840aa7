#include "composefile.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace pgdeck {

namespace {

QString text(const YAML::Node &node)
{
    return node && node.IsScalar() ? QString::fromStdString(node.as<std::string>()) : QString();
}

// "127.0.0.1:5432:5432/tcp", "5432:5432", "5432" (exposed only: not published).
bool parseShortPort(const QString &spec, ComposePort *port)
{
    QString rest = spec;
    const int slash = rest.indexOf(QLatin1Char('/'));
    if (slash >= 0) {
        port->protocol = rest.mid(slash + 1);
        rest.truncate(slash);
    }
    const QStringList parts = rest.split(QLatin1Char(':'));
    if (parts.size() == 3) {
        port->hostIp = parts[0];
        port->hostPort = parts[1].toInt();
        port->containerPort = parts[2].toInt();
    } else if (parts.size() == 2) {
        port->hostPort = parts[0].toInt();
        port->containerPort = parts[1].toInt();
    } else {
        port->containerPort = parts.value(0).toInt();
    }
    return port->containerPort > 0;
}

ComposePort parseLongPort(const YAML::Node &node)
{
    ComposePort port;
    port.hostIp = text(node["host_ip"]);
    port.hostPort = text(node["published"]).toInt();
    port.containerPort = text(node["target"]).toInt();
    if (node["protocol"])
        port.protocol = text(node["protocol"]);
    return port;
}

// environment: and labels: come as a map or as a list of KEY=value.
QMap<QString, QString> keyValues(const YAML::Node &node)
{
    QMap<QString, QString> out;
    if (!node)
        return out;
    if (node.IsMap()) {
        for (const auto &kv : node)
            out.insert(text(kv.first), text(kv.second));
    } else if (node.IsSequence()) {
        for (const auto &item : node) {
            const QString entry = text(item);
            const int eq = entry.indexOf(QLatin1Char('='));
            out.insert(eq < 0 ? entry : entry.left(eq), eq < 0 ? QString() : entry.mid(eq + 1));
        }
    }
    return out;
}

bool healthcheckEnabled(const YAML::Node &node)
{
    if (!node || !node.IsMap())
        return false;
    if (node["disable"] && node["disable"].as<bool>(false))
        return false;
    const YAML::Node test = node["test"];
    const QString first = test.IsSequence() && test.size() ? text(test[0]) : text(test);
    return first != QLatin1String("NONE");
}

} // namespace

bool ComposeService::reportsHealth() const
{
    if (healthcheck)
        return true;
    if (!builds())
        return false;
    QFile file(QDir(buildContext)
                   .filePath(dockerfile.isEmpty() ? QStringLiteral("Dockerfile") : dockerfile));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    static const QRegularExpression instruction(QStringLiteral("^\\s*HEALTHCHECK\\s+(\\S+)"),
                                                QRegularExpression::MultilineOption |
                                                    QRegularExpression::CaseInsensitiveOption);
    bool reports = false; // the last HEALTHCHECK wins, and NONE turns the base image's off
    auto it = instruction.globalMatch(QString::fromUtf8(file.readAll()));
    while (it.hasNext())
        reports = it.next().captured(1).compare(QLatin1String("NONE"), Qt::CaseInsensitive) != 0;
    return reports;
}

int ComposeService::publishedPort(int containerPort) const
{
    for (const ComposePort &p : ports)
        if (p.containerPort == containerPort && p.hostPort > 0)
            return p.hostPort;
    return 0;
}

bool ComposeFile::parse(const QByteArray &yaml, ComposeFile *out, QString *error)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        *error = QStringLiteral("compose configuration is not YAML: %1")
                     .arg(QString::fromStdString(e.what()));
        return false;
    }
    const YAML::Node services = root["services"];
    if (!services || !services.IsMap()) {
        *error = QStringLiteral("compose configuration has no services");
        return false;
    }
    out->m_services.clear();
    try {
        for (const auto &entry : services) {
            ComposeService s;
            s.name = text(entry.first);
            const YAML::Node def = entry.second;
            s.image = text(def["image"]);
            if (const YAML::Node build = def["build"]) {
                s.buildContext = build.IsScalar() ? text(build) : text(build["context"]);
                if (build.IsMap())
                    s.dockerfile = text(build["dockerfile"]);
                if (s.buildContext.isEmpty())
                    s.buildContext = QStringLiteral(".");
            }
            s.healthcheck = healthcheckEnabled(def["healthcheck"]);
            const YAML::Node ports = def["ports"];
            for (const auto &p : ports ? ports : YAML::Node(YAML::NodeType::Sequence)) {
                ComposePort port;
                if (p.IsMap())
                    port = parseLongPort(p);
                else if (!parseShortPort(text(p), &port))
                    continue;
                s.ports << port;
            }
            s.environment = keyValues(def["environment"]);
            s.labels = keyValues(def["labels"]);
            // depends_on: a list of names, or a map of name → condition
            if (const YAML::Node deps = def["depends_on"]) {
                for (const auto &d : deps)
                    s.dependsOn << text(deps.IsMap() ? d.first : d);
            }
            out->m_services << s;
        }
    } catch (const YAML::Exception &e) {
        *error = QStringLiteral("compose configuration: %1").arg(QString::fromStdString(e.what()));
        return false;
    }
    return true;
}

const ComposeService *ComposeFile::service(const QString &name) const
{
    for (const ComposeService &s : m_services)
        if (s.name == name)
            return &s;
    return nullptr;
}

QList<ComposeService> ComposeFile::startOrder() const
{
    QList<ComposeService> ordered;
    QStringList placed;
    QList<ComposeService> left = m_services;
    while (!left.isEmpty()) {
        const qsizetype before = left.size();
        for (auto it = left.begin(); it != left.end();) {
            const bool ready =
                std::all_of(it->dependsOn.begin(), it->dependsOn.end(),
                            [&](const QString &d) { return placed.contains(d) || !service(d); });
            if (ready) {
                placed << it->name;
                ordered << *it;
                it = left.erase(it);
            } else {
                ++it;
            }
        }
        if (left.size() == before) { // a cycle Compose itself would refuse: keep file order
            ordered += left;
            break;
        }
    }
    return ordered;
}

QStringList ComposeFile::serviceNames() const
{
    QStringList names;
    for (const ComposeService &s : m_services)
        names << s.name;
    return names;
}

} // namespace pgdeck
