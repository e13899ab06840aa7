#pragma once

#include <QString>
#include <QStringList>

namespace pgdeck::sql {

// Quoting for SQL built before a connection exists (runbooks, plans).
// With a live connection prefer PgConnection::escapeIdentifier, which uses the
// server's encoding through libpq. Both assume standard_conforming_strings = on
// (the default since PostgreSQL 9.1); literals holding a backslash use the E''
// form so they are read the same either way.

// "my ""odd"" Name" — always quoted, so case and unicode survive.
QString quoteIdent(const QString &identifier);
// schema.table -> "schema"."table"; each part quoted on its own.
QString quoteQualified(const QString &schema, const QString &name);
// 'it''s' or E'back\\slash'
QString quoteLiteral(const QString &value);
// A shell word for bash: 'it'\''s'; bare when it is only safe characters.
QString shellQuote(const QString &word);
QString shellJoin(const QStringList &argv);

} // namespace pgdeck::sql
