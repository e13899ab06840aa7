#include "deployment.h"

#include <QRegularExpression>

namespace pgdeck {

namespace {
const char *const kApps[] = {"node", "python", "binary", "none"};
const char *const kDatabases[] = {"single", "replicated", "citus"};

template <typename E, std::size_t N>
bool fromName(const char *const (&names)[N], const QString &name, E *out)
{
    for (std::size_t i = 0; i < N; ++i)
        if (name == QLatin1String(names[i])) {
            *out = E(i);
            return true;
        }
    return false;
}
} // namespace

QString Deployment::appName(App app)
{
    return QLatin1String(kApps[int(app)]);
}

bool Deployment::appFromName(const QString &name, App *app)
{
    return fromName(kApps, name, app);
}

QString Deployment::databaseName(Database db)
{
    return QLatin1String(kDatabases[int(db)]);
}

bool Deployment::databaseFromName(const QString &name, Database *db)
{
    return fromName(kDatabases, name, db);
}

QStringList validateDeployment(const Deployment &d)
{
    QStringList errors;
    // Compose project names: lowercase letters, digits, dashes and underscores.
    static const QRegularExpression project(QStringLiteral("^[a-z0-9][a-z0-9_-]*$"));
    if (!project.match(d.project).hasMatch())
        errors << QStringLiteral("project \"%1\" must be lowercase letters, digits, '-' or '_'")
                      .arg(d.project);
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!identifier.match(d.dbName).hasMatch())
        errors << QStringLiteral("database name \"%1\" must be a plain identifier").arg(d.dbName);
    if (!identifier.match(d.dbUser).hasMatch())
        errors << QStringLiteral("database user \"%1\" must be a plain identifier").arg(d.dbUser);
    const auto port = [&](int p, const char *what) {
        if (p < 1 || p > 65535)
            errors << QStringLiteral("%1 %2 is out of range (1-65535)")
                          .arg(QLatin1String(what))
                          .arg(p);
    };
    port(d.dbHostPort, "database port");
    if (d.app != Deployment::App::None) {
        port(d.appPort, "application port");
        port(d.appHostPort, "published application port");
        if (d.entry.trimmed().isEmpty())
            errors << QStringLiteral("the application's entry (script, module or binary) is empty");
        if (!d.healthPath.startsWith(QLatin1Char('/')))
            errors << QStringLiteral("health path \"%1\" must start with /").arg(d.healthPath);
    }
    if (d.database == Deployment::Database::Replicated && (d.replicas < 1 || d.replicas > 9))
        errors << QStringLiteral("replicas must be 1 to 9, not %1").arg(d.replicas);
    if (d.database == Deployment::Database::Citus && (d.citusWorkers < 1 || d.citusWorkers > 16))
        errors << QStringLiteral("Citus workers must be 1 to 16, not %1").arg(d.citusWorkers);
    if (d.database == Deployment::Database::Replicated && d.app != Deployment::App::None) {
        for (int i = 1; i <= d.replicas; ++i)
            if (d.dbHostPort + i == d.appHostPort)
                errors << QStringLiteral("replica %1 would be published on %2, the application's "
                                         "port")
                              .arg(i)
                              .arg(d.appHostPort);
    }
    if (d.app != Deployment::App::None && d.dbHostPort == d.appHostPort)
        errors << QStringLiteral("the database and the application are both published on %1")
                      .arg(d.dbHostPort);
    return errors;
}

} // namespace pgdeck
