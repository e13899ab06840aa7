#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

class QTcpServer;
class QTcpSocket;

namespace pgdeck::test {

// A small HTTP/1.1 server on 127.0.0.1 that answers the endpoints pgdeck's CI clients call,
// the way GitHub, GitLab, Jenkins and CircleCI document them: status codes, auth headers,
// pagination, redirects and error bodies. Each service lives under its own path prefix;
// state is kept so a triggered run shows up in the next list. Every request is recorded.
class FakeCiServer : public QObject {
    Q_OBJECT
public:
    struct Request {
        QByteArray method;
        QByteArray target; // as sent: path and query, still percent-encoded
        QString path;      // the path, percent-encoded as sent
        QUrlQuery query;
        QMap<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;

        QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
        bool hasHeader(const QByteArray &name) const { return headers.contains(name.toLower()); }
    };

    explicit FakeCiServer(QObject *parent = nullptr);
    ~FakeCiServer() override;

    bool start(); // a free port on 127.0.0.1
    quint16 port() const;
    QUrl url(const QString &path) const;

    QUrl gitHubApiUrl() const { return url(QStringLiteral("/github")); }
    QUrl gitLabApiUrl() const { return url(QStringLiteral("/gitlab/api/v4")); }
    QUrl jenkinsUrl() const { return url(QStringLiteral("/jenkins")); }
    QUrl circleCiApiUrl() const { return url(QStringLiteral("/circleci/api/v2")); }

    // What the fake accepts.
    static QString gitHubToken() { return QStringLiteral("ghp_fakeGitHubToken0123456789"); }
    static QString gitHubRepository() { return QStringLiteral("octo/app"); }
    static QString gitHubWorkflow() { return QStringLiteral("deploy.yml"); }
    static QString gitLabToken() { return QStringLiteral("glpat-fakeGitLabToken01234"); }
    static QString gitLabProjectId() { return QStringLiteral("42"); }
    static QString gitLabProjectPath() { return QStringLiteral("group/app"); }
    static QString jenkinsUser() { return QStringLiteral("deployer"); }
    static QString jenkinsToken() { return QStringLiteral("11fakeJenkinsApiToken0123456789"); }
    static QString jenkinsJob() { return QStringLiteral("pgdeck-deploy"); }
    static QByteArray jenkinsCrumbField() { return "Jenkins-Crumb"; }
    QByteArray jenkinsCrumb() const { return m_jenkinsCrumb; }
    static QString circleCiToken() { return QStringLiteral("CCIPAT_fakeCircleToken_0123456789"); }
    static QString circleCiSlug() { return QStringLiteral("gh/octo/app"); }
    static QStringList branches() { return {QStringLiteral("main"), QStringLiteral("develop")}; }
    static int seededRuns() { return 10; } // per service, newest first

    // Largest page a list answers with (the services cap it at 100, CircleCI at 20).
    void setMaxPageSize(int size) { m_maxPageSize = size; }
    // Every API answers "rate limit reached" until switched off.
    void setRateLimited(bool limited) { m_rateLimited = limited; }
    QDateTime rateLimitReset() const { return m_rateLimitReset; }
    // Off: /crumbIssuer answers 404, as on a Jenkins with CSRF protection disabled.
    void setJenkinsCrumbRequired(bool required) { m_jenkinsCrumbRequired = required; }
    // Issues a new crumb, as Jenkins does when the web session the old one belonged to ends.
    void renewJenkinsCrumb();

    QList<Request> requests() const { return m_requests; }
    QList<Request> requestsTo(const QString &pathPrefix) const;
    void clearRequests() { m_requests.clear(); }

private:
    struct Response {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;

        void add(const QByteArray &name, const QByteArray &value) { headers.append({name, value}); }
    };

    void onReadyRead(QTcpSocket *socket);
    Response answer(const Request &request);
    Response answerGitHub(const Request &request, const QStringList &segments);
    Response answerGitHubLogBlob(const Request &request, const QStringList &segments);
    Response answerGitLab(const Request &request, const QStringList &segments);
    Response answerJenkins(const Request &request, const QStringList &segments);
    Response answerCircleCi(const Request &request, const QStringList &segments);

    static Response json(int status, const QJsonValue &value);
    static Response text(int status, const QByteArray &body,
                         const QByteArray &contentType = "text/plain; charset=utf-8");
    static Response jenkinsError(int status, const QString &message);
    static QString iso(const QDateTime &time);
    // Whether a path's segments are the pattern's; "*" stands for any one segment.
    static bool matches(const QStringList &segments, const QStringList &pattern);
    int pageSize(const Request &request, int defaultSize, int serviceCap) const;
    QByteArray linkHeader(const Request &request, int page, int lastPage) const;

    // Each service's handlers and seeding live in fake<service>.cpp. Seeded run `index`
    // (0 is the newest) has the same number, time and commit on every service.
    void seed();
    void seedGitHubRun(int index);
    void seedGitLabRun(int index);
    void seedJenkinsBuild(int index);
    void seedCircleCiPipeline(int index);
    static int seededNumber(int index);
    static QDateTime seededCreated(int number);
    static QString seededSha(int number);
    QJsonArray gitHubJobs(const QJsonObject &run) const;
    QJsonArray gitLabJobs(const QJsonObject &pipeline) const;
    QJsonObject circleCiWorkflow(const QJsonObject &pipeline) const;
    QJsonArray circleCiJobs(const QJsonObject &pipeline) const;

    QTcpServer *m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
    int m_maxPageSize = 100;
    bool m_rateLimited = false;
    QDateTime m_rateLimitReset;
    bool m_jenkinsCrumbRequired = true;
    QByteArray m_jenkinsCrumb = "5f1e0c2d9a8b7c6d5e4f3a2b1c0d9e8f";

    QList<QJsonObject> m_gitHubRuns; // newest first
    QList<QJsonObject> m_gitLabPipelines;
    QList<QJsonObject> m_jenkinsBuilds;
    QMap<int, int> m_jenkinsQueuePolls; // queue item -> polls so far
    QMap<int, QUrlQuery> m_jenkinsQueueParameters;
    int m_nextJenkinsQueueItem = 17;
    QList<QJsonObject> m_circlePipelines;
};

} // namespace pgdeck::test
