#pragma once

#include "patronistate.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace pgdeck {

// How one REST call ended. ok means an HTTP 2xx answer; a refused connection or a
// timeout has httpStatus 0 and a message naming the URL.
struct PatroniResult {
    bool ok = false;
    int httpStatus = 0;
    QString message; // Patroni's own text ("candidate does not exists"), or the network error
    QByteArray body;
    QString method;
    QUrl url;
};

struct PatroniRestartOptions {
    QDateTime scheduledAt;      // empty: restart now
    bool onlyIfPending = false; // "restart_pending": skip members that need no restart
};

// Patroni's REST API over QNetworkAccessManager, never blocking. Every call returns a
// request id (> 0) that the matching signal carries back, so a caller can drop answers
// it no longer waits for. Credentials (restapi.authentication) go only with the unsafe
// methods (POST, PATCH, DELETE), which are the ones Patroni checks.
class PatroniClient : public QObject {
    Q_OBJECT
public:
    explicit PatroniClient(const QUrl &baseUrl, QObject *parent = nullptr);
    PatroniClient(const QUrl &baseUrl, const QString &user, const QString &password,
                  QObject *parent = nullptr);
    ~PatroniClient() override;

    QUrl baseUrl() const { return m_baseUrl; }
    void setCredentials(const QString &user, const QString &password);
    void setTimeout(int ms) { m_timeoutMs = ms; }
    int timeout() const { return m_timeoutMs; }

    int fetchCluster(); // GET /cluster -> clusterReceived
    int fetchStatus();  // GET /patroni -> statusReceived
    int fetchHistory(); // GET /history -> historyReceived

    // The rest answer with actionFinished.
    int switchover(const QString &leader, const QString &candidate,
                   const QDateTime &scheduledAt = {});
    int cancelScheduledSwitchover(); // DELETE /switchover
    int failover(const QString &candidate, const QString &leader = {});
    // Restart and reinitialize act on the member that answers: pass its apiBaseUrl(), or
    // leave it empty for this client's own base URL.
    int restart(const QUrl &memberApi = {}, const PatroniRestartOptions &options = {});
    int reinitialize(const QUrl &memberApi = {}, bool force = false);
    int setPaused(bool paused); // PATCH /config {"pause": ...}

    // Aborts every request in flight; each still reports, with "cancelled".
    void abortAll();
    int pendingCount() const { return m_pending.size(); }

Q_SIGNALS:
    void clusterReceived(int requestId, const pgdeck::PatroniResult &result,
                         const pgdeck::PatroniClusterState &state);
    void statusReceived(int requestId, const pgdeck::PatroniResult &result,
                        const pgdeck::PatroniNodeStatus &status);
    void historyReceived(int requestId, const pgdeck::PatroniResult &result,
                         const QList<pgdeck::PatroniHistoryEntry> &history);
    void actionFinished(int requestId, const pgdeck::PatroniResult &result);

private:
    enum class Kind { Cluster, Status, History, Action };

    QUrl endpoint(const QString &path, const QUrl &base = {}) const;
    int send(Kind kind, const QByteArray &method, const QUrl &url, const QByteArray &body = {});
    void onFinished(QNetworkReply *reply, int id, Kind kind);
    PatroniResult resultOf(QNetworkReply *reply) const;
    void deliver(int id, Kind kind, PatroniResult result);

    QNetworkAccessManager *m_network;
    QUrl m_baseUrl;
    QString m_user;
    QString m_password;
    int m_timeoutMs = 5000;
    int m_nextId = 1;
    QList<QNetworkReply *> m_pending;
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::PatroniResult)
