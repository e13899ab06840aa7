#pragma once

#include "connectionparams.h"
#include "pgresult.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QVariantList>
#include <deque>
#include <functional>
#include <memory>

class QTimer;
struct pg_conn;
struct pg_result;

namespace pgdeck {

class SocketPoller;

// One statement. Values travel as parameters ($1, $2 ...), never spliced into SQL.
// QVariant() is SQL NULL; bool becomes t/f; everything else its text form.
// With prepareAs set, the statement is prepared once per connection under that name
// and then executed prepared: much cheaper for the server on repeated sampling.
struct PgQuery {
    QString sql;
    QVariantList params;
    QString prepareAs;
};

// A PostgreSQL connection driven by the Qt event loop: it never blocks the thread it
// lives in. Host names are resolved with QHostInfo before libpq sees them, connect and
// I/O are non-blocking (PQconnectPoll, PQsendQuery*, PQflush, QSocketNotifier), batches
// go in one round trip through pipeline mode. Work queued before the connection is up
// runs once it is; when the connection fails, queued work fails with the reason.
class PgConnection : public QObject {
    Q_OBJECT
public:
    enum class State { Disconnected, Resolving, Connecting, Ready, WaitingToReconnect };
    Q_ENUM(State)

    using Callback = std::function<void(const PgResult &)>;
    using BatchCallback = std::function<void(const QList<PgResult> &)>;

    explicit PgConnection(QObject *parent = nullptr);
    ~PgConnection() override;

    void setParams(const ConnectionParams &params) { m_params = params; }
    const ConnectionParams &params() const { return m_params; }
    // A name for messages: the inventory node name if known, else host:port/db.
    void setDisplayName(const QString &name) { m_displayName = name; }
    QString displayName() const;
    void setConnectTimeout(int ms) { m_connectTimeoutMs = ms; }
    // 0 = none. Sent as options='-c statement_timeout=...' so the server enforces it.
    void setStatementTimeout(int ms) { m_statementTimeoutMs = ms; }
    // Reconnect after a failure or loss, waiting initialMs, doubling up to maxMs.
    void setAutoReconnect(bool on, int initialMs = 500, int maxMs = 30000);
    void setApplicationName(const QString &name) { m_applicationName = name; }

    void open();
    void close();
    State state() const { return m_state; }
    bool isReady() const { return m_state == State::Ready; }
    QString lastError() const { return m_lastError; }
    int serverVersion() const; // e.g. 150018; 0 when not connected
    int backendPid() const;

    void exec(const QString &sql, const QVariantList &params, QObject *context, Callback done);
    void exec(const PgQuery &query, QObject *context, Callback done);
    // All queries in one round trip (pipeline mode). After an error the rest come back
    // with Status::Skipped.
    void execBatch(const QList<PgQuery> &queries, QObject *context, BatchCallback done);
    // Asks the server to cancel the running statement. PQcancel blocks, so it runs on
    // a short-lived worker thread; the statement then ends with Status::Cancelled.
    void cancel();

    // Need a live connection (they follow its client encoding).
    QString escapeIdentifier(const QString &ident) const;
    QString escapeLiteral(const QString &value) const;

    // For the CLI and tests only: spin a local event loop until done or timeoutMs.
    bool waitForReady(int timeoutMs);
    PgResult execSync(const QString &sql, const QVariantList &params = {}, int timeoutMs = -1);
    QList<PgResult> execBatchSync(const QList<PgQuery> &queries, int timeoutMs = -1);

Q_SIGNALS:
    void stateChanged(pgdeck::PgConnection::State state);
    void connected();
    void connectFailed(const QString &error);
    void connectionLost(const QString &error);
    void notice(const QString &message);

private:
    struct Job;
    void setState(State s);
    void startConnect();
    void startLibpq(const QStringList &hostaddrs);
    void pollConnect();
    void onConnectTimeout();
    void fail(const QString &error, bool wasReady);
    void scheduleReconnect();
    void armNotifiers(bool read, bool write);
    void clearNotifiers();
    void onReadable();
    void onWritable();
    void flushOutput();
    void startNextJob();
    bool sendJob(Job &job);
    void drainResults();
    void finishJob();
    void failAllJobs(PgResult::Status status, const QString &error);
    static void noticeReceiver(void *arg, const pg_result *res);

    ConnectionParams m_params;
    QString m_displayName;
    QString m_applicationName = QStringLiteral("pgdeck");
    int m_connectTimeoutMs = 10000;
    int m_statementTimeoutMs = 0;
    bool m_autoReconnect = false;
    int m_backoffInitialMs = 500;
    int m_backoffMaxMs = 30000;
    int m_backoffMs = 500;

    State m_state = State::Disconnected;
    QString m_lastError;
    pg_conn *m_conn = nullptr;
    int m_socket = -1;
    std::shared_ptr<SocketPoller> m_poller; // this thread's, while a socket is watched
    QTimer *m_connectTimer = nullptr;
    QTimer *m_reconnectTimer = nullptr;
    int m_lookupId = -1;
    quint64 m_generation = 0; // bumps on every (re)connect; stale lookups are dropped
    QSet<QString> m_prepared;
    std::deque<std::unique_ptr<Job>> m_jobs; // front() is in flight when m_busy
    bool m_busy = false;
    bool m_cancelRequested = false;
};

} // namespace pgdeck
