#pragma once

#include "ciservice.h"

namespace pgdeck {

// A Jenkins Pipeline job through Jenkins' remote access API, with basic auth (user and API
// token). A build is queued first; trigger() waits for the queue item to become a build and
// reports that build. Stages (Pipeline Stage View plugin) stand in for jobs; a log is the
// whole build's console text.
class JenkinsClient : public CiClient {
    Q_OBJECT
public:
    // jobName may name a job inside folders: "team/app" is /job/team/job/app.
    JenkinsClient(const QUrl &baseUrl, const QString &jobName, const QString &user,
                  const QString &apiToken, QObject *parent = nullptr);

    static QString userVariable() { return QStringLiteral("JENKINS_USER"); }
    static QString tokenVariable() { return QStringLiteral("JENKINS_TOKEN"); }

    QString serviceName() const override { return QStringLiteral("Jenkins"); }

    // The build parameter that carries trigger()'s branch (empty: the branch is not sent).
    void setBranchParameter(const QString &name) { m_branchParameter = name; }
    // How often the queue item is asked whether its build started, and for how long.
    void setQueuePolling(int intervalMs, int timeoutMs);

    void trigger(const QString &branch, const QMap<QString, QString> &parameters) override;
    void listRuns(int limit) override;
    // runId: a build number; each job's id is "<build>:<stage id>".
    void listJobs(const QString &runId) override;
    // jobId: a build number or a "<build>:<stage id>" from listJobs; the build's console.
    void fetchLog(const QString &jobId) override;

    static QString normalisedBuildStatus(bool building, const QString &result);
    static QString normalisedStageStatus(const QString &status);

protected:
    void authorise(QNetworkRequest &request) const override;
    QString credentialVariables() const override;
    QString notFoundHint() const override;
    QString messageOf(const CiResponse &response) const override;
    QStringList secrets() const override;

private:
    enum class CrumbState { Unknown, Issued, NotNeeded };

    QString jobPath() const;
    void withCrumb(const std::function<void()> &then);
    void postBuild(const QUrl &url, const QString &branch, bool mayRenewCrumb);
    void pollQueueItem(const QString &itemPath, const QString &branch, int attemptsLeft);

    QString m_jobName;
    QString m_user;
    QString m_token;
    QString m_branchParameter = QStringLiteral("BRANCH");
    int m_pollIntervalMs = 2000;
    int m_queueTimeoutMs = 10 * 60 * 1000;
    CrumbState m_crumbState = CrumbState::Unknown;
    QByteArray m_crumbField;
    QByteArray m_crumb;
};

} // namespace pgdeck
