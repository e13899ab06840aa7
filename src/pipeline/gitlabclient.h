#pragma once

#include "ciservice.h"

namespace pgdeck {

// GitLab CI through API v4: creates pipelines for a ref and reads pipelines, their jobs
// and the jobs' traces.
class GitLabClient : public CiClient {
    Q_OBJECT
public:
    // project: the numeric id ("42") or the path ("group/app"), which is URL-encoded here.
    GitLabClient(const QString &project, const QString &token, QObject *parent = nullptr);

    static QUrl defaultBaseUrl() { return QUrl(QStringLiteral("https://gitlab.com/api/v4")); }
    static QString tokenVariable() { return QStringLiteral("GITLAB_TOKEN"); }

    QString serviceName() const override { return QStringLiteral("GitLab"); }

    void trigger(const QString &branch, const QMap<QString, QString> &parameters) override;
    void listRuns(int limit) override;
    void listJobs(const QString &runId) override;
    void fetchLog(const QString &jobId) override;

    static QString normalisedStatus(const QString &status);

protected:
    void authorise(QNetworkRequest &request) const override;
    QString credentialVariables() const override { return tokenVariable(); }
    QString notFoundHint() const override;
    QStringList secrets() const override { return {m_token}; }

private:
    QString projectPath() const;

    QString m_project;
    QString m_token;
};

} // namespace pgdeck
