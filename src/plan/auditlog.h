#pragma once

#include <QString>

namespace pgdeck {

// Append-only record of every executed step: who, when, which cluster and node, what ran,
// and how it ended. One JSON object per line in auditLogPath(). Text is passed through
// secrets::mask and plans only ever hold secret placeholders, so no password lands here.
struct AuditRecord {
    QString cluster;
    QString planId;
    QString step;
    QString node;    // node or host the step ran on
    QString kind;    // sql, command, write-file, ...
    QString what;    // the statement or command line
    QString outcome; // ok, skipped, failed, cancelled
    QString message;
};

class AuditLog {
public:
    static bool append(const AuditRecord &record, QString *error = nullptr);
    static QString path();
};

} // namespace pgdeck
