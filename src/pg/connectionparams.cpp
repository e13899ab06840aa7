#include "connectionparams.h"

#include "inventory/inventory.h"

#include <libpq-fe.h>

namespace pgdeck {

bool isSecretKeyword(const QString &keyword)
{
    return keyword == QLatin1String("password") || keyword == QLatin1String("sslpassword");
}

ConnectionParams ConnectionParams::parse(const QString &conninfo, QString *error)
{
    ConnectionParams params;
    char *err = nullptr;
    PQconninfoOption *opts = PQconninfoParse(conninfo.toUtf8().constData(), &err);
    if (!opts) {
        if (error)
            *error = err ? QString::fromUtf8(err).trimmed()
                         : QStringLiteral("out of memory parsing connection string");
        PQfreemem(err);
        return params;
    }
    for (PQconninfoOption *o = opts; o->keyword; ++o)
        if (o->val && *o->val)
            params.m_items.append({QString::fromUtf8(o->keyword), QString::fromUtf8(o->val)});
    PQconninfoFree(opts);
    if (error)
        error->clear();
    return params;
}

ConnectionParams ConnectionParams::fromNode(const NodeSpec &node)
{
    ConnectionParams p;
    // service first: explicit keys given beside it override the service file's values.
    p.set(QStringLiteral("service"), node.service);
    p.set(QStringLiteral("host"), node.host);
    if (node.port > 0)
        p.set(QStringLiteral("port"), QString::number(node.port));
    p.set(QStringLiteral("dbname"), node.dbname);
    p.set(QStringLiteral("user"), node.user);
    p.set(QStringLiteral("sslmode"), node.sslmode);
    p.set(QStringLiteral("sslrootcert"), node.sslrootcert);
    p.set(QStringLiteral("sslcert"), node.sslcert);
    p.set(QStringLiteral("sslkey"), node.sslkey);
    return p;
}

bool ConnectionParams::operator==(const ConnectionParams &other) const
{
    if (m_items.size() != other.m_items.size())
        return false;
    for (const auto &item : m_items)
        if (!other.has(item.first) || other.value(item.first) != item.second)
            return false;
    return true;
}

QString ConnectionParams::value(const QString &keyword) const
{
    for (const auto &item : m_items)
        if (item.first == keyword)
            return item.second;
    return {};
}

bool ConnectionParams::has(const QString &keyword) const
{
    for (const auto &item : m_items)
        if (item.first == keyword)
            return true;
    return false;
}

void ConnectionParams::set(const QString &keyword, const QString &value)
{
    if (value.isEmpty()) {
        remove(keyword);
        return;
    }
    for (auto &item : m_items)
        if (item.first == keyword) {
            item.second = value;
            return;
        }
    m_items.append({keyword, value});
}

void ConnectionParams::remove(const QString &keyword)
{
    m_items.removeIf([&](const auto &item) { return item.first == keyword; });
}

static QString conninfoValue(const QString &v)
{
    bool plain = !v.isEmpty();
    for (QChar c : v)
        if (c.isSpace() || c == QLatin1Char('\'') || c == QLatin1Char('\\'))
            plain = false;
    if (plain)
        return v;
    QString s = v;
    s.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    s.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

QString ConnectionParams::toConninfo(bool maskSecrets) const
{
    QStringList parts;
    for (const auto &item : m_items) {
        const QString v =
            (maskSecrets && isSecretKeyword(item.first)) ? QStringLiteral("********") : item.second;
        parts << item.first + QLatin1Char('=') + conninfoValue(v);
    }
    return parts.join(QLatin1Char(' '));
}

QString ConnectionParams::displayName() const
{
    if (!has(QStringLiteral("host")) && has(QStringLiteral("service")))
        return QStringLiteral("service=") + value(QStringLiteral("service"));
    QString host = value(QStringLiteral("host"));
    if (host.isEmpty())
        host = QStringLiteral("local socket");
    QString s = host;
    if (has(QStringLiteral("port")))
        s += QLatin1Char(':') + value(QStringLiteral("port"));
    if (has(QStringLiteral("dbname")))
        s += QLatin1Char('/') + value(QStringLiteral("dbname"));
    return s;
}

} // namespace pgdeck
