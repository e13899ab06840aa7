#pragma once

#include "pipeline/ciservice.h"

#include <QDateTime>
#include <QTimer>
#include <QUrl>
#include <QWidget>

#include <functional>
#include <memory>

class QAbstractItemModel;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QStandardItemModel;
class QTableView;

namespace pgdeck {

class CiRunsModel;
class CiTokenPanel;
class EmptyStateWidget;

// The Pipelines page: the runs of one pipeline on GitHub Actions, GitLab CI, Jenkins or
// CircleCI, refreshed every interval() while started; the jobs of the selected run and
// the log of the selected job; and a button that starts a run on a branch. Credentials
// come from the environment variables the service's client names, else from the OS
// keychain; the page says which and never shows a token. Errors, rate limits included,
// appear in a banner above the table, never in a dialog.
class PipelinesPage : public QWidget {
    Q_OBJECT
public:
    enum class Service { GitHub, GitLab, Jenkins, CircleCi };
    using ClientFactory = std::function<std::unique_ptr<CiClient>()>;

    static constexpr int kDefaultIntervalMs = 10000;
    static constexpr int kRunLimit = 30;
    static constexpr int kMaxLogChars = 200000; // the end of a longer log is shown
    static constexpr int kMaxLogLines = 5000;

    explicit PipelinesPage(QWidget *parent = nullptr);
    ~PipelinesPage() override;

    // Connects to a service with the token from its environment variable, else from the
    // keychain (then the connection completes once the keychain has answered). apiUrl
    // empty: the service's public API (Jenkins has none and needs it). workflowFile:
    // GitHub's workflow file name (default deploy.yml). False when a token or a field is
    // missing; the banner says which.
    bool connectTo(Service service, const QString &repository, const QUrl &apiUrl = {},
                   const QString &workflowFile = {});
    // Any maker of clients, e.g. a test's. It is called once for each kind of request
    // (runs, jobs, logs, triggers) so every answer is known to belong to its request.
    void setClientFactory(const QString &description, const ClientFactory &factory);
    void disconnectService();
    bool isConnected() const { return m_runsCall.client != nullptr; }
    QString connectionDescription() const { return m_description; } // "GitHub octo/app"

    void setInterval(int ms);
    int interval() const { return m_refreshTimer.interval(); }
    void start(); // refreshes at once, then every interval()
    void stop();
    bool isActive() const { return m_refreshTimer.isActive(); }
    void refresh();

    CiRunsModel *runsModel() const { return m_runsModel; }
    QAbstractItemModel *jobsModel() const;
    int jobCount() const;
    void selectRun(const QString &id); // empty: none
    QString selectedRun() const { return m_selectedRun; }
    void selectJob(const QString &id);
    QString selectedJob() const { return m_selectedJob; }
    QString logText() const;

    // Starts a run of the pipeline on branch; the answer shows next to the button.
    void trigger(const QString &branch);
    bool isTriggering() const { return m_triggerCall.busy; }
    QString triggerResultText() const;

    QString errorText() const; // the banner's text, empty when it is hidden
    QString tokenStatusText() const;

    static QString serviceName(Service service); // as shown
    static QString serviceKey(Service service);  // as CredentialStore and pgdeckctl name it
    static QString defaultWorkflow() { return QStringLiteral("deploy.yml"); } // GitHub's
    // The variables the service's credentials are named by, in the order they are asked.
    static QStringList credentialVariables(Service service);
    // apiUrl, or the service's public API when it is empty (none for Jenkins).
    static QUrl apiBase(Service service, const QUrl &apiUrl);

Q_SIGNALS:
    void runsRefreshed(bool ok);
    void jobsShown(const QString &runId);
    void logShown(const QString &jobId);
    void triggerFinished(bool ok);

private:
    // One client per kind of request, with at most one call in flight: asked is what the
    // call in flight is about, wanted what the user wants now.
    struct Channel {
        std::unique_ptr<CiClient> client;
        bool busy = false;
        QString asked;
        QString wanted;
    };

    void buildConnectionBar(QWidget *bar);
    void onServiceChanged();
    void onConnectClicked();
    bool finishConnect(Service service, const QString &repository, const QUrl &apiUrl,
                       const QString &workflowFile);
    void wireChannels();
    void resetView();

    void requestJobs(const QString &runId);
    void requestLog(const QString &jobId);
    void onRunsListed(const QList<CiRun> &runs);
    void onJobsListed(const QString &runId, const QList<CiJob> &jobs);
    void onLogFetched(const QString &jobId, const QString &text);
    void onTriggered(const CiRun &run);
    void onFailed(Channel *channel, const CiError &error);

    void onRunSelectionChanged();
    void onJobSelectionChanged();
    void showBanner(Channel *source, const QString &text);
    void clearBanner(Channel *source);
    void updateStatusLine();
    void updateEmptyState();
    void fitRunColumns();

    Service currentService() const;
    QString selectedRunStatus() const;

    ClientFactory m_factory;
    QString m_description;
    Channel m_runsCall;
    Channel m_jobsCall;
    Channel m_logCall;
    Channel m_triggerCall;
    Channel *m_bannerSource = nullptr;
    QTimer m_refreshTimer;
    QDateTime m_lastRefresh;
    QDateTime m_pausedUntil; // a rate limit's reset time
    bool m_hasRuns = false;
    bool m_updatingSelection = false;
    QString m_selectedRun;
    QString m_selectedJob;
    QString m_triggerBranch;

    QComboBox *m_serviceCombo;
    QLineEdit *m_repoEdit;
    QLineEdit *m_urlEdit;
    QLabel *m_workflowLabel;
    QLineEdit *m_workflowEdit;
    QPushButton *m_connectButton;
    CiTokenPanel *m_tokenPanel;
    std::function<void()> m_pendingConnect; // a Connect waiting for the keychain
    QLabel *m_statusLine;
    QLabel *m_banner;
    QLineEdit *m_branchEdit;
    QPushButton *m_triggerButton;
    QLabel *m_triggerResult;
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    CiRunsModel *m_runsModel;
    QTableView *m_runsTable;
    QStandardItemModel *m_jobsModel;
    QTableView *m_jobsTable;
    QLabel *m_jobsTitle;
    QLabel *m_logTitle;
    QPlainTextEdit *m_log;
};

} // namespace pgdeck
