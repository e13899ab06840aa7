#pragma once

#include "ciservice.h"

namespace pgdeck {

// GitHub Actions through the REST API: dispatches a workflow_dispatch workflow and reads
// its runs, jobs and logs. Logs answer with a redirect to short-lived storage, which is
// followed without the token so it never leaves api.github.com.
class GitHubClient : public CiClient {
    Q_OBJECT
public:
    // repository: "owner/repo"; workflowFile: the file name under .github/workflows.
    GitHubClient(const QString &repository, const QString &workflowFile, const QString &token,
                 QObject *parent = nullptr);

    static QUrl defaultBaseUrl() { return QUrl(QStringLiteral("https://api.github.com")); }
    static QString tokenVariable() { return QStringLiteral("GITHUB_TOKEN"); }

    QString serviceName() const override { return QStringLiteral("GitHub"); }

    void trigger(const QString &branch, const QMap<QString, QString> &parameters) override;
    void listRuns(int limit) override;
    void listJobs(const QString &runId) override;
    void fetchLog(const QString &jobId) override;

    // status and conclusion of a run or job as one normalised state.
    static QString normalisedStatus(const QString &status, const QString &conclusion);

protected:
    void authorise(QNetworkRequest &request) const override;
    QString credentialVariables() const override { return tokenVariable(); }
    QString notFoundHint() const override;
    QStringList secrets() const override { return {m_token}; }

private:
    QString repoPath() const;
    void readLogAt(const QString &jobId, const QUrl &location);

    QString m_repository;
    QString m_workflowFile;
    QString m_token;
};

} // namespace pgdeck
