#pragma once

#include "docker/dockerengine.h"
#include "monitor/timeseries.h"

#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QStackedWidget;
class QTableView;

namespace pgdeck {

class ComposeActions;
class ContainerLogView;
class ContainersModel;
class EmptyStateWidget;
class ResourceChartView;

// The Containers page: the containers of one compose project (or all of them) as the
// Docker engine reports them, polled every interval(); CPU and memory of the running
// ones; and, for the selected container, charts of the last minutes and its log, followed
// live or read once. Every call to the engine is asynchronous; answers to requests the
// page no longer waits for are dropped. When the engine does not answer, the page says so
// with the engine's own message and keeps retrying; rows it showed before are greyed and
// a banner says since when they are old.
class ContainersPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kHistoryPoints = 600; // per container and metric
    static constexpr int kDefaultIntervalMs = 2000;

    explicit ContainersPage(QWidget *parent = nullptr);
    ~ContainersPage() override;

    // The engine to watch; the caller keeps ownership. Until one is set the page makes
    // its own from DockerEndpoint::fromEnvironment() on start().
    void setEngine(DockerEngine *engine);
    // Watches the engine at `endpoint` through an engine the page owns.
    void setEndpoint(const DockerEndpoint &endpoint);
    DockerEngine *engine() const { return m_engine; }

    void setProject(const QString &project); // empty: all containers
    QString project() const { return m_project; }
    QStringList projects() const { return m_projects; } // seen in the engine, sorted

    void setInterval(int ms);
    int interval() const { return m_pollTimer.interval(); }
    void start(); // polls at once, then every interval()
    void stop();  // cancels everything in flight, the log follow included
    bool isActive() const { return m_pollTimer.isActive(); }

    void selectContainer(const QString &id); // empty: none
    QString selectedContainer() const { return m_selectedId; }
    void setFollow(bool follow);
    bool isFollowing() const;

    ContainersModel *model() const { return m_model; }
    ComposeActions *actions() const { return m_actions; }
    bool hasData() const { return m_hasData; } // a list was shown for this engine
    bool isEngineReachable() const { return m_error.isEmpty() && m_hasData; }
    QString engineError() const { return m_error; } // the last failure, empty after success
    bool isShowingEmptyState() const;               // the unreachable engine's message
    bool isStaleBannerVisible() const;
    QString staleBannerText() const;
    QString engineLine() const; // "Docker 20.10.24, API 1.41 on …"
    QString logText() const;
    int cpuPointCount() const; // points plotted now
    int memoryPointCount() const;
    int historySize(const QString &id) const; // samples kept for a container

Q_SIGNALS:
    void containerSelected(const QString &id);
    void projectsChanged(const QStringList &projects);
    void polled(bool ok); // after each answer to a list request

private:
    struct History {
        TimeSeries cpu{kHistoryPoints};
        TimeSeries memory{kHistoryPoints}; // bytes
    };

    void connectEngine();
    void resetForEngine();
    void cancelRequests();
    void poll();
    void onVersion(int requestId, const DockerResult &result, const DockerVersion &version);
    void onListed(int requestId, const DockerResult &result,
                  const QList<DockerContainer> &containers);
    void onStats(int requestId, const DockerResult &result, const DockerStats &stats);

    void showEngineAnswer();
    void showEngineFailure(const QString &message);
    void updateProjects();
    void updateTable();
    void updateActions();
    void sampleStats();
    void pruneHistories();
    void onSelectionChanged();
    void showDetails();
    void refreshCharts();
    void updateEngineLine();
    void fitColumns();

    std::unique_ptr<DockerEngine> m_ownedEngine;
    QPointer<DockerEngine> m_engine;
    QTimer m_pollTimer;

    QString m_project;
    QStringList m_projects;
    QList<DockerContainer> m_all; // the last list, every project
    QHash<QString, History> m_history;
    DockerVersion m_version;
    bool m_hasData = false;
    QString m_error;
    QDateTime m_failingSince; // local time of the first failed poll after data was shown

    int m_listRequest = 0;
    int m_versionRequest = 0;
    QHash<int, QString> m_statsRequests; // request id -> container id
    QString m_selectedId;
    bool m_updatingTable = false;

    QComboBox *m_projectCombo;
    ComposeActions *m_actions;
    QLabel *m_engineLabel;
    QLabel *m_staleBanner;
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    ContainersModel *m_model;
    QTableView *m_table;
    QLabel *m_detailsTitle;
    ResourceChartView *m_cpuChart;
    ResourceChartView *m_memoryChart;
    ContainerLogView *m_log;
};

} // namespace pgdeck
