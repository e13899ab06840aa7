#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace pgdeck {

// Where a command runs: this machine, or another one through the system ssh client.
// runAs names the OS user to run as (runuser when root, else sudo -n; over ssh the
// remote side makes the same choice).
struct HostTarget {
    QString ssh;   // empty = local; else an ssh destination: alias, user@host, ssh://user@host:port
    QString runAs; // empty = the current user

    bool isLocal() const { return ssh.isEmpty(); }
    QString describe() const; // "local", "admin@db1", "local as postgres"
    bool operator==(const HostTarget &) const = default;
};

// "Already done?" A step whose guard holds is skipped, so re-running a Plan is safe.
struct StepGuard {
    enum class Kind { None, SqlTrue, CommandSucceeds, FileExists };
    Kind kind = Kind::None;
    QString node;     // SqlTrue: node the query runs on
    QString sql;      // SqlTrue: a query whose first column is true when done
    HostTarget host;  // CommandSucceeds, FileExists
    QStringList argv; // CommandSucceeds: exit status 0 means done
    QString path;     // FileExists

    bool isSet() const { return kind != Kind::None; }
    bool operator==(const StepGuard &) const = default;
};

// One typed step of a Plan. Secrets never live in a step: ${secret:NAME} placeholders
// are filled at run time from the environment (PGDECK_SECRET_NAME) and masked everywhere.
struct PlanStep {
    enum class Kind { Sql, Command, WriteFile, WaitUntil, Verify };

    QString id; // stable within the plan: the journal refers to it
    Kind kind = Kind::Sql;
    QString title;

    // Sql, WaitUntil, Verify
    QString node;
    // WaitUntil: instead of node + sql, wait until GET url answers 200 (a REST health check)
    QString url;
    QString sql;
    QStringList params; // $1, $2 ... as text
    // Verify: the first column of the first row must equal this text
    QString expect;

    // Command, WriteFile
    HostTarget host;
    QStringList argv;
    QString path;
    QString content;
    int fileMode = 0644;

    int timeoutMs = 0;        // 0: the executor's default for the kind
    int pollIntervalMs = 500; // WaitUntil

    StepGuard guard;

    static QString kindName(Kind kind);
    static bool kindFromName(const QString &name, Kind *kind);
    QJsonObject toJson() const;
    static PlanStep fromJson(const QJsonObject &o, QString *error);
    bool operator==(const PlanStep &) const = default;
};

} // namespace pgdeck
