#pragma once

#include "ciservice.h"

namespace pgdeck {

// CircleCI through API v2: triggers pipelines and reads them with the status of their
// workflows. Pipelines stand in for runs and the jobs of all a pipeline's workflows for
// jobs. API v2 has no endpoint for job logs, so fetchLog() says where to read them.
class CircleCiClient : public CiClient {
    Q_OBJECT
public:
    // projectSlug: "gh/owner/repo", "bb/owner/repo" or "circleci/<org id>/<project id>".
    CircleCiClient(const QString &projectSlug, const QString &token, QObject *parent = nullptr);

    static QUrl defaultBaseUrl() { return QUrl(QStringLiteral("https://circleci.com/api/v2")); }
    static QString tokenVariable() { return QStringLiteral("CIRCLECI_TOKEN"); }

    QString serviceName() const override { return QStringLiteral("CircleCI"); }

    // Lists only this branch's pipelines (empty: every branch).
    void setBranchFilter(const QString &branch) { m_branchFilter = branch; }

    void trigger(const QString &branch, const QMap<QString, QString> &parameters) override;
    void listRuns(int limit) override;
    // runId: a pipeline id.
    void listJobs(const QString &runId) override;
    // jobId: a job number; answers with where the log can be read, not the log itself.
    void fetchLog(const QString &jobId) override;

    static QString normalisedWorkflowStatus(const QString &status);
    static QString normalisedJobStatus(const QString &status);

protected:
    void authorise(QNetworkRequest &request) const override;
    QString credentialVariables() const override { return tokenVariable(); }
    QString notFoundHint() const override;
    QStringList secrets() const override { return {m_token}; }

private:
    QString projectPath() const;
    QString webAppProjectUrl() const;
    void addWorkflowStatuses(const QJsonArray &pipelines);
    void listWorkflowJobs(const QString &pipelineId, const QJsonArray &workflows);

    QString m_slug;
    QString m_token;
    QString m_branchFilter;
};

} // namespace pgdeck
