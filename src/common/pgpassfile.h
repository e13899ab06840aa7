#pragma once

#include <QList>
#include <QString>

namespace pgdeck {

// One line of a libpq password file: hostname:port:database:username:password.
struct PgPassEntry {
    QString host;
    int port = 5432;
    QString database;
    QString user;
    QString password;

    QString toLine() const; // ':' and '\' escaped as libpq expects
    bool sameTarget(const PgPassEntry &other) const;
};

// The password file libpq reads: $PGPASSFILE, else ~/.pgpass. Written 0600 (libpq ignores a
// file others can read) and atomically, replacing only the lines for the same
// host:port:database:user, so the user's other entries and comments stay as they were.
class PgPassFile {
public:
    static QString defaultPath();
    static bool upsert(const QString &path, const QList<PgPassEntry> &entries, QString *error);
    // Parses a line; false for comments, blank lines and lines libpq would not read.
    static bool parseLine(const QString &line, PgPassEntry *entry);
};

} // namespace pgdeck
