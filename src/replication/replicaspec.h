#pragma once

#include "plan/planstep.h"

#include <QString>
#include <QStringList>

namespace pgdeck {

// What the user asks for when adding a streaming replica to a primary.
struct ReplicaSpec {
    QString primary; // inventory node to copy from
    QString name;    // the new node; also its application_name on the primary
    HostTarget host; // where it runs (local or ssh); runAs owns the data directory
    QString address; // where the new node listens, as the inventory will name it
    QString dataDir; // must not exist or be empty
    int port = 0;
    QString slot;              // default pgdeck_<name>
    QString replicationUser;   // default "replicator"
    QString passwordSecret;    // ${secret:NAME} holding its password; empty: none (trust, cert)
    QString binDir;            // PostgreSQL's bin directory on the target host
    bool allowRestart = false; // fixes that need a primary restart run only when true

    QString slotName() const;
    QString user() const;
    QString passfile() const { return dataDir + QStringLiteral(".pgpass"); }
};

// One thing about the primary that stops (or would slow) replication, and how to fix it.
struct PrimaryFinding {
    enum class Severity { Ok, Warning, Blocker };
    Severity severity = Severity::Ok;
    QString setting; // wal_level, pg_hba.conf, role, ...
    QString message;
    QString fixSql;  // run on the primary; empty when the fix is not SQL
    QString hbaLine; // a pg_hba.conf line to append (the hba fix)
    bool needsRestart = false;
};

struct PrimaryReadiness {
    int serverVersion = 0;
    QString hbaFile;
    QString dataDirectory;
    QList<PrimaryFinding> findings;
    QString error; // the primary could not be read

    // Blockers whose fix needs a restart the user did not allow, as messages.
    QStringList refusals(bool allowRestart) const;
};

} // namespace pgdeck
