#pragma once

#include "planstep.h"

#include <QObject>
#include <QPointer>
#include <functional>

class QProcess;
class QTimer;

namespace pgdeck {

// Runs one command on a HostTarget without blocking the event loop: directly, as another
// local user (runuser when root, else sudo -n), or through the system ssh client in
// BatchMode so a missing key fails at once instead of prompting.
class CommandRunner : public QObject {
    Q_OBJECT
public:
    struct Result {
        bool started = false;
        bool timedOut = false;
        bool cancelled = false;
        int exitCode = -1;
        QString output; // stdout and stderr interleaved, the last 64 KiB
        QString error;  // why it did not run or did not finish
        bool ok() const { return started && !timedOut && !cancelled && exitCode == 0; }
    };
    using Done = std::function<void(const Result &)>;

    explicit CommandRunner(QObject *parent = nullptr);
    ~CommandRunner() override;

    // Extra ssh arguments (e.g. -F config). Defaults to -F $PGDECK_SSH_CONFIG when set.
    void setSshOptions(const QStringList &options) { m_sshOptions = options; }
    QStringList sshOptions() const { return m_sshOptions; }

    // The full argv that runs `argv` on `host`.
    static QStringList commandLine(const HostTarget &host, const QStringList &argv,
                                   const QStringList &sshOptions);
    static QStringList defaultSshOptions();

    void run(const HostTarget &host, const QStringList &argv, const QByteArray &input,
             int timeoutMs, Done done);
    bool isRunning() const { return m_process != nullptr; }
    void cancel();

Q_SIGNALS:
    void outputLine(const QString &line);

private:
    void finish(Result result);

    QStringList m_sshOptions;
    QProcess *m_process = nullptr;
    QTimer *m_timer = nullptr;
    Done m_done;
    Result m_result;
    QByteArray m_partialLine;
};

} // namespace pgdeck
