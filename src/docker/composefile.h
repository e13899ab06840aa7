#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pgdeck {

// A port a service publishes on the host.
struct ComposePort {
    QString hostIp; // empty: every interface
    int hostPort = 0;
    int containerPort = 0;
    QString protocol = QStringLiteral("tcp");
};

struct ComposeService {
    QString name;
    QString image;
    QString buildContext;     // absolute once Compose resolved it; empty without build:
    QString dockerfile;       // relative to the context; empty: Dockerfile
    bool healthcheck = false; // the compose file declares one (not disabled)
    QList<ComposePort> ports;
    QMap<QString, QString> environment;
    QMap<QString, QString> labels;
    QStringList dependsOn;

    bool builds() const { return !buildContext.isEmpty(); }
    // The service's own health check, or a HEALTHCHECK in the Dockerfile it builds from:
    // either way Docker reports health, so "up" means healthy.
    bool reportsHealth() const;
    // The host port that reaches containerPort, 0 when it is not published.
    int publishedPort(int containerPort) const;
};

// The services of a compose project as `docker compose config` prints them: variables from
// .env filled in, paths absolute. Both Compose versions' shapes are read (v1 prints ports as
// "127.0.0.1:5432:5432/tcp", v2 as maps with host_ip/published/target).
class ComposeFile {
public:
    static bool parse(const QByteArray &yaml, ComposeFile *out, QString *error);

    const QList<ComposeService> &services() const { return m_services; }
    const ComposeService *service(const QString &name) const;
    QStringList serviceNames() const;
    // Services in start order: each after those it depends on (ties by name).
    QList<ComposeService> startOrder() const;

private:
    QList<ComposeService> m_services;
};

} // namespace pgdeck
