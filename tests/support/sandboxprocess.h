#pragma once

#include <QString>
#include <QTemporaryDir>

namespace pgdeck::test {

// A throw-away sandbox cluster for GUI and monitor tests, built and removed by the real
// `pgdeckctl sandbox up/down` (path from $PGDECKCTL, which CTest sets) in a temp dir on
// free ports outside the developer's default range. No pgbench load: tests want quiet servers.
class SandboxProcess {
public:
    SandboxProcess() = default;
    ~SandboxProcess();

    SandboxProcess(const SandboxProcess &) = delete;
    SandboxProcess &operator=(const SandboxProcess &) = delete;

    // Returns once every server is up and streaming; *error has pgdeckctl's output otherwise.
    bool up(int standbys, QString *error);
    // Stops the servers and removes the directory. Idempotent.
    void down();

    QString dir() const { return m_dir; }
    QString inventoryPath() const { return m_dir + QStringLiteral("/inventory.yaml"); }
    int port(int index) const { return m_port + index; }

    // Runs the real pgdeckctl ($PGDECKCTL) and collects its output; false on a failure.
    static bool runCtl(const QStringList &args, int timeoutMs, QString *output);

private:
    QTemporaryDir m_tmp;
    QString m_dir;
    int m_port = 0;
    bool m_started = false;
};

} // namespace pgdeck::test
