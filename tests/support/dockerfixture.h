#pragma once

#include <QString>
#include <QStringList>

namespace pgdeck::test {

// The Docker engine on the local socket, with the images pgdeck's generated files name
// (postgres:15, node:18). No registry is reachable in tests, so the images are built
// from Debian packages by tests/support/docker/build-images.sh, which also starts dockerd
// when it is not running. Built images stay in the engine between runs.
class DockerFixture {
public:
    // Runs build-images.sh once per process (a first build takes minutes, later runs a
    // second). On failure *error holds the script's output.
    static bool ensureImages(QString *error);
    // True when `docker version` reaches a server; otherwise *why says what stands in
    // the way (no client, no daemon, no permission on the socket).
    static bool engineAvailable(QString *why);
    // Both images are in the engine already (no build needed).
    static bool imagesPresent();
    // Why the tests that run postgres:15 and node:18 cannot, or empty when they can: no
    // engine, or the images absent without PGDECK_TEST_DOCKER_IMAGES=1 to build them.
    static QString whyNoImages();
    // Whether containers here can publish a port on 127.0.0.1 and use the host's network
    // (what compose deployments and local pipeline runs need): empty when they can, else
    // what went wrong. Probed once per process with the busybox image.
    static QString networkingProblem();
    // Copies tests/docker/sample-node-app (a Node.js app without dependencies) into dir.
    static bool copySampleApp(const QString &dir);
    // The engine's Unix socket: $DOCKER_HOST when it is unix://, else /var/run/docker.sock.
    static QString socketPath();
    // Path of build-images.sh, from $PGDECK_SOURCE_DIR or this file's own location.
    static QString scriptPath();

    // pgdeck-test/busybox:latest: busybox-static and its applet links imported as an image,
    // for tests that need a small running container. Built when the engine lacks it.
    static QString busyboxImage();
    static bool ensureBusyboxImage(QString *error);

    // Runs `docker args...`, stdout and stderr merged into *output. False on a non-zero
    // exit, a crash or timeoutMs passing (the client is then killed).
    static bool docker(const QStringList &args, QString *output = nullptr, int timeoutMs = 120000);
};

} // namespace pgdeck::test
