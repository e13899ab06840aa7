#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkRequest;

namespace pgdeck {

// One pipeline run as any CI service reports it. status is normalised to one of
// queued, running, success, failed, cancelled, skipped, unknown; rawStatus keeps the
// service's own words (GitHub's "completed/failure", Jenkins' "ABORTED").
struct CiRun {
    QString id;
    QString number;
    QString name;
    QString status;
    QString rawStatus;
    QString branch;
    QString commit;
    QDateTime created;
    QDateTime updated;
    QString url;
    qint64 durationSeconds = -1; // -1: the service did not say
};

// One job of a run (a Jenkins stage, a CircleCI job of any of the pipeline's workflows).
struct CiJob {
    QString id;
    QString name;
    QString status; // normalised like CiRun::status
    QString rawStatus;
    QDateTime started;
    QDateTime finished;
    QString url;
};

struct CiError {
    int httpStatus = 0; // 0: no HTTP answer (refused, timed out, unreadable)
    QString message;    // the service's own text, never a token
    bool rateLimited = false;
    QDateTime retryAt;
    QString service; // "GitHub"
    QString hint;    // what the user can do, e.g. "check the token (GITHUB_TOKEN)"

    // "GitHub: 401 Bad credentials — check the token (GITHUB_TOKEN)"
    QString toString() const;
};

// An HTTP answer as the clients read it.
struct CiResponse {
    int httpStatus = 0;
    QString networkError; // set when there is no HTTP status
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QUrl url;

    bool ok() const { return httpStatus >= 200 && httpStatus < 300; }
    QByteArray header(const QByteArray &name) const; // case-insensitive, empty if absent
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
};

// Triggers and watches pipeline runs on one CI service. Every call is asynchronous and
// answers with exactly one signal: its result, or failed(). One QNetworkAccessManager per
// client; tokens travel only in request headers, never in errors or logs.
class CiClient : public QObject {
    Q_OBJECT
public:
    explicit CiClient(const QUrl &baseUrl, QObject *parent = nullptr);
    ~CiClient() override;

    virtual QString serviceName() const = 0;

    // The API root, e.g. https://api.github.com; tests point it at 127.0.0.1.
    void setBaseUrl(const QUrl &baseUrl) { m_baseUrl = baseUrl; }
    QUrl baseUrl() const { return m_baseUrl; }
    // Longest wait without a byte from the service before a request fails.
    void setTransferTimeout(int ms) { m_timeoutMs = ms; }
    int transferTimeout() const { return m_timeoutMs; }

    virtual void trigger(const QString &branch, const QMap<QString, QString> &parameters) = 0;
    virtual void listRuns(int limit) = 0; // newest first
    virtual void listJobs(const QString &runId) = 0;
    virtual void fetchLog(const QString &jobId) = 0;

    // The value of an environment variable holding a credential, trimmed; empty if unset.
    static QString tokenFromEnvironment(const QString &variable);
    // The service states mapped onto CiRun::status.
    static QStringList normalisedStatuses();

Q_SIGNALS:
    void triggered(const pgdeck::CiRun &run);
    void runsListed(const QList<pgdeck::CiRun> &runs);
    void jobsListed(const QString &runId, const QList<pgdeck::CiJob> &jobs);
    void logFetched(const QString &jobId, const QString &text);
    void failed(const pgdeck::CiError &error);

protected:
    using ResponseHandler = std::function<void(const CiResponse &)>;
    using ItemsHandler = std::function<void(const QJsonArray &)>;

    // How to read one page of a list and where the next one is (empty URL: last page).
    struct PageReader {
        std::function<QJsonArray(const QJsonDocument &)> items;
        std::function<QUrl(const CiResponse &, const QJsonDocument &)> next;
    };

    // Adds the service's credentials and headers; called for every authorised request.
    virtual void authorise(QNetworkRequest &request) const = 0;
    // What to tell the user about a failed answer with this HTTP status.
    virtual QString hintFor(int httpStatus) const;
    // The environment variables that hold this service's credentials, for hints.
    virtual QString credentialVariables() const = 0;
    // What a 404 most likely means here ("check the repository and workflow file").
    virtual QString notFoundHint() const { return {}; }
    // The service's own message in an error body.
    virtual QString messageOf(const CiResponse &response) const;
    // Secrets to scrub from any text that reaches an error.
    virtual QStringList secrets() const = 0;

    QUrl endpoint(const QString &path, const QList<QPair<QString, QString>> &query = {}) const;
    void send(const QByteArray &method, const QUrl &url, const QByteArray &body,
              const QByteArray &contentType, const ResponseHandler &done,
              bool withCredentials = true);
    void get(const QUrl &url, const ResponseHandler &done, bool withCredentials = true)
    {
        send("GET", url, {}, {}, done, withCredentials);
    }
    void postJson(const QUrl &url, const QJsonDocument &body, const ResponseHandler &done);

    // Follows pages until limit items are collected or there is no next page.
    void collectPages(const QUrl &first, int limit, const PageReader &reader,
                      const ItemsHandler &done, const QJsonArray &soFar = {});
    // The rel="next" target of an RFC 8288 Link header (GitHub, GitLab).
    static QUrl nextFromLinkHeader(const CiResponse &response);

    CiError errorFrom(const CiResponse &response) const;
    void fail(const CiResponse &response) { Q_EMIT failed(errorFrom(response)); }
    void failWith(const QString &message, int httpStatus = 0);
    QString redact(QString text) const;

    static QDateTime isoTime(const QJsonValue &value);

private:
    QNetworkAccessManager *m_network;
    QUrl m_baseUrl;
    int m_timeoutMs = 30000;
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::CiRun)
Q_DECLARE_METATYPE(pgdeck::CiJob)
Q_DECLARE_METATYPE(pgdeck::CiError)
