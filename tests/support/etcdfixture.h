#pragma once

#include <QList>
#include <QProcess>
#include <QString>

#include <memory>

class QTemporaryDir;

namespace pgdeck::test {

// A real single-member etcd (v3 API) on 127.0.0.1 for Patroni's integration tests. Client,
// peer and metrics URLs all listen on 127.0.0.1 at free ports; the data dir lives in a
// temp dir. Running as root, etcd runs as the unprivileged servers' user (the sandbox's
// default, "pgdeck"), the same user Patroni and PostgreSQL run as.
class EtcdFixture {
public:
    EtcdFixture();
    ~EtcdFixture();

    EtcdFixture(const EtcdFixture &) = delete;
    EtcdFixture &operator=(const EtcdFixture &) = delete;

    // Absolute path of etcd, or empty when etcd-server is not installed.
    static QString etcdPath();
    // A port that is free on 127.0.0.1 right now and not one of `taken`: the kernel's
    // pick, so two fixtures started side by side do not race for the same range.
    static int freePort(const QList<int> &taken = {});
    // The OS user servers run as: "pgdeck" when root (created if missing), else ourselves.
    static QString serverUser(QString *error = nullptr);

    // Starts etcd and returns once GET /health answers {"health":"true"} (15 s at most).
    // On failure *error holds the reason and etcd's log.
    bool start(QString *error);
    // SIGTERM to etcd's process group, SIGKILL after a grace period. Idempotent.
    void stop();

    bool isRunning() const;
    int clientPort() const { return m_clientPort; }
    QString clientUrl() const;
    QString hostPort() const; // "127.0.0.1:PORT", what Patroni's etcd3.hosts takes
    QString dataDir() const { return m_dataDir; }
    QString logText() const;

private:
    bool launch(QString *error);
    bool waitUntilHealthy(int timeoutMs, QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    int m_clientPort = 0;
    int m_peerPort = 0;
    int m_metricsPort = 0;
    QString m_dataDir;
    QString m_logFile;
    QString m_logSnapshot; // kept after stop() so a failing test can still print it
};

} // namespace pgdeck::test
