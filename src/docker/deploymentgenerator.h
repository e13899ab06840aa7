#pragma once

#include "deployment.h"

#include <QList>
#include <QString>

namespace pgdeck {

// A file the generator proposes, relative to the project directory.
struct GeneratedFile {
    QString path;
    QString content;
    int mode = 0644;
    bool keepExisting = false; // .env: holds the user's secrets once written; never replaced
};

// The files of a deployment: the application's Dockerfile and .dockerignore (unless the
// deployment has no application), docker-compose.yml, the .env its secrets live in, and the
// init script a replicated primary runs once.
class DeploymentGenerator {
public:
    static QList<GeneratedFile> files(const Deployment &d);

    static QString dockerfile(const Deployment &d);
    static QString dockerignore(const Deployment &d);
    static QString compose(const Deployment &d);
    // Fresh random passwords each call: written once, then kept (keepExisting).
    static QString envFile(const Deployment &d);
    static QString replicationInitScript();
};

} // namespace pgdeck
