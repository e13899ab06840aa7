#pragma once

#include <QString>
#include <QStringList>

namespace pgdeck::secrets {

// Plans hold ${secret:NAME} placeholders, never the secret itself. At run time the
// executor fills them from $PGDECK_SECRET_NAME; everything written down (journal, audit
// log, runbook, messages) keeps the placeholder. ${secret-json:NAME} gives the value as a
// quoted string literal, for JSON and YAML files where a bare value could break the syntax;
// ${secret-scram:NAME} gives its SCRAM-SHA-256 verifier, for CREATE ROLE … PASSWORD, so the
// password itself never reaches the server (or its statement log).
QStringList placeholders(const QString &text);
// Returns false and names the missing variable in *error when a secret is not set.
bool fill(const QString &text, QString *out, QString *error);
QString envName(const QString &secretName);
// The verifier PostgreSQL stores for a SCRAM-SHA-256 password (a random salt unless given).
QString scramVerifier(const QString &password, const QByteArray &fixedSalt = {});

// Masks password=..., PGPASSWORD=... and postgresql://user:pass@ in free text
// (server messages, command output) before it is logged.
QString mask(const QString &text);

} // namespace pgdeck::secrets
