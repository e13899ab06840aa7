#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace pgdeck {

struct NodeSpec;

// libpq connection keywords in order, as PQconnectStartParams takes them.
// Keywords that are absent are left to libpq, so PGPASSFILE/.pgpass, PGSERVICE and the
// other PG* variables apply exactly as they do for psql.
class ConnectionParams {
public:
    ConnectionParams() = default;

    // Parses "host=... port=..." or "postgresql://..." with PQconninfoParse.
    // On failure returns nullopt-like empty params and sets *error to libpq's message.
    static ConnectionParams parse(const QString &conninfo, QString *error = nullptr);
    static ConnectionParams fromNode(const NodeSpec &node);

    QString value(const QString &keyword) const;
    bool has(const QString &keyword) const;
    void set(const QString &keyword, const QString &value); // empty value removes
    void remove(const QString &keyword);
    bool isEmpty() const { return m_items.isEmpty(); }
    const QList<QPair<QString, QString>> &items() const { return m_items; }

    // "host=127.0.0.1 port=5432 ..." with values quoted for libpq; secrets masked when asked.
    QString toConninfo(bool maskSecrets = true) const;
    // What to call this server in messages: "host:port/db", or "service=x".
    QString displayName() const;

    // Same keywords and values, in any order.
    bool operator==(const ConnectionParams &other) const;

private:
    QList<QPair<QString, QString>> m_items;
};

// Keywords whose values never reach logs, journals or runbooks.
bool isSecretKeyword(const QString &keyword);

} // namespace pgdeck
