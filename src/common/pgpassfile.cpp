#include "pgpassfile.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace pgdeck {

namespace {

QString escaped(QString field)
{
    return field.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char(':'), QLatin1String("\\:"));
}

} // namespace

QString PgPassEntry::toLine() const
{
    return QStringList{escaped(host), QString::number(port), escaped(database), escaped(user),
                       escaped(password)}
        .join(QLatin1Char(':'));
}

bool PgPassEntry::sameTarget(const PgPassEntry &o) const
{
    return host == o.host && port == o.port && database == o.database && user == o.user;
}

QString PgPassFile::defaultPath()
{
    const QString env = qEnvironmentVariable("PGPASSFILE");
    return env.isEmpty() ? QDir::home().filePath(QStringLiteral(".pgpass")) : env;
}

bool PgPassFile::parseLine(const QString &line, PgPassEntry *entry)
{
    if (line.trimmed().isEmpty() || line.startsWith(QLatin1Char('#')))
        return false;
    QStringList fields{QString()};
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (c == QLatin1Char('\\') && i + 1 < line.size())
            fields.last() += line[++i];
        else if (c == QLatin1Char(':') && fields.size() < 5)
            fields << QString();
        else
            fields.last() += c;
    }
    if (fields.size() != 5)
        return false;
    entry->host = fields[0];
    entry->port = fields[1].toInt(); // "*" gives 0: never the same target as ours
    entry->database = fields[2];
    entry->user = fields[3];
    entry->password = fields[4];
    return true;
}

bool PgPassFile::upsert(const QString &path, const QList<PgPassEntry> &entries, QString *error)
{
    QStringList lines;
    QFile existing(path);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(path, existing.errorString());
            return false;
        }
        lines = QString::fromUtf8(existing.readAll()).split(QLatin1Char('\n'));
        if (!lines.isEmpty() && lines.last().isEmpty())
            lines.removeLast();
    }
    for (const PgPassEntry &entry : entries) {
        bool replaced = false;
        for (QString &line : lines) {
            PgPassEntry old;
            if (parseLine(line, &old) && old.sameTarget(entry)) {
                line = entry.toLine();
                replaced = true;
            }
        }
        if (!replaced)
            lines << entry.toLine();
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) ||
        !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        out.write((lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()) < 0 ||
        !out.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, out.errorString());
        return false;
    }
    return true;
}

} // namespace pgdeck
