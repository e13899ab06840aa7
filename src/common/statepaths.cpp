#include "statepaths.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <pwd.h>
#include <unistd.h>

namespace pgdeck {

QString stateDir()
{
    const QString override = qEnvironmentVariable("PGDECK_STATE_DIR");
    if (!override.isEmpty())
        return override;
    QString base = qEnvironmentVariable("XDG_STATE_HOME");
    if (base.isEmpty() || !QDir::isAbsolutePath(base))
        base = QDir::homePath() + QStringLiteral("/.local/state");
    return base + QStringLiteral("/pgdeck");
}

QString planJournalDir()
{
    return stateDir() + QStringLiteral("/plans");
}

QString auditLogPath()
{
    return stateDir() + QStringLiteral("/audit.jsonl");
}

bool ensureDir(const QString &path, QString *error)
{
    if (QDir().mkpath(path))
        return true;
    if (error)
        *error = QStringLiteral("cannot create directory %1").arg(path);
    return false;
}

QString currentOsUser()
{
    if (const passwd *pw = getpwuid(geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return QString::number(geteuid());
}

bool runningAsRoot()
{
    return geteuid() == 0;
}

} // namespace pgdeck
