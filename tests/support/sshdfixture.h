#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace pgdeck::test {

// A real OpenSSH server on 127.0.0.1 with its own keys, config and known_hosts in a temp
// dir: a remote host for integration tests of anything that runs commands through the
// system `ssh` client. Callers run `ssh -F <configFile()> <alias()> -- cmd` (or pass
// sshArgs() and destination(), which the client config matches too).
//
// Running as root, the server logs in as root; as a normal user it can only log in as
// that same user. Everything listens on and connects to 127.0.0.1 only.
class SshdFixture {
public:
    SshdFixture();
    ~SshdFixture();

    SshdFixture(const SshdFixture &) = delete;
    SshdFixture &operator=(const SshdFixture &) = delete;

    // Absolute path of sshd, or empty when openssh-server is not installed.
    static QString sshdPath();
    // True when sshd, ssh and ssh-keygen are all there.
    static bool isAvailable(QString *missing = nullptr);

    // Generates keys and configs, starts sshd and returns once a real `ssh … true` has
    // succeeded (about 15 s at most). On failure *error holds the reason and sshd's log.
    bool start(QString *error);
    // Ends sshd and every process it forked, then removes the temp dir. Idempotent.
    void stop();

    bool isRunning() const;
    int port() const { return m_port; }
    QString user() const { return m_user; }
    QString alias() const { return QStringLiteral("pgdeck-test-host"); }
    QString destination() const { return m_user + QStringLiteral("@127.0.0.1"); }
    QString configFile() const { return m_configFile; }
    QString identityFile() const { return m_identityFile; }
    QString knownHostsFile() const { return m_knownHostsFile; }
    QStringList sshArgs() const { return {QStringLiteral("-F"), m_configFile}; }
    // sshd's own log (-e output at LogLevel VERBOSE), read fresh each call.
    QString logText() const;

private:
    bool writeFiles(QString *error);
    bool launch(QString *error);
    bool waitUntilReady(int timeoutMs, QString *error);
    void terminateProcessTree();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    int m_port = 0;
    QString m_user;
    QString m_sshd;
    QString m_configFile;
    QString m_sshdConfigFile;
    QString m_identityFile;
    QString m_knownHostsFile;
    QString m_logFile;
    QString m_logSnapshot; // kept after stop() so a failing test can still print it
};

} // namespace pgdeck::test
