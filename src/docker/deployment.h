#pragma once

#include <QString>
#include <QStringList>

namespace pgdeck {

// One container deployment as the Docker wizard and `pgdeckctl docker init` describe it:
// an application image and PostgreSQL beside it. Every generated file comes from this.
struct Deployment {
    enum class App { Node, Python, Binary, None };
    enum class Database { Single, Replicated, Citus };

    QString project = QStringLiteral("app"); // compose project name
    App app = App::Node;
    QString appService = QStringLiteral("app");
    int appPort = 3000;     // the port the application listens on inside its container
    int appHostPort = 3000; // where it is published on the host
    QString healthPath = QStringLiteral("/healthz");
    QString nodeImage = QStringLiteral("node:18");
    QString pythonImage = QStringLiteral("python:3.11-slim");
    QString binaryImage = QStringLiteral("debian:bookworm-slim");
    QString entry = QStringLiteral("server.js"); // Node: main script; Python: module; Binary: file

    Database database = Database::Single;
    int replicas = 1;     // Replicated
    int citusWorkers = 2; // Citus
    QString postgresImage = QStringLiteral("postgres:15");
    QString citusImage = QStringLiteral("citusdata/citus:12.1");
    QString dbName = QStringLiteral("app");
    QString dbUser = QStringLiteral("app");
    int dbHostPort = 5432;  // the primary (or coordinator) on the host; replicas follow it
    bool openPorts = false; // publish on every interface instead of 127.0.0.1

    QString primaryService() const;
    QString replicaService(int index) const; // 1-based
    QString workerService(int index) const;  // 1-based
    QString bindAddress() const { return openPorts ? QString() : QStringLiteral("127.0.0.1"); }
    static QString appName(App app);
    static bool appFromName(const QString &name, App *app);
    static QString databaseName(Database db);
    static bool databaseFromName(const QString &name, Database *db);
};

// Problems with the model itself, each naming the field and what is allowed.
QStringList validateDeployment(const Deployment &d);

} // namespace pgdeck
