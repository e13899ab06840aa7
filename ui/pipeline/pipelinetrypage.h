#pragma once

#include "pipeline/localrun.h"

#include <QWizardPage>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QProcess;
class QPushButton;
class QTreeWidget;

namespace pgdeck {

class PipelineWizard;

// Page 4 (optional): the pipeline's shell steps run here, in containers of each job's
// image when a Docker engine answers, else in a scratch copy with a local PostgreSQL.
class PipelineTryPage : public QWizardPage {
    Q_OBJECT
public:
    enum Column { StepColumn, StateColumn, DurationColumn };

    explicit PipelineTryPage(PipelineWizard *wizard);
    ~PipelineTryPage() override;
    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    // Forces a mode instead of asking `docker version` (tests, or no engine wanted).
    void setUseContainers(bool containers);
    bool usesContainers() const { return m_containers; }
    bool isDetecting() const { return m_probe != nullptr && !m_modeForced; }
    bool runLocally(); // false (and says why) when it cannot start
    void cancel();
    bool isRunning() const;
    bool hasFinished() const { return m_finished; }
    bool succeeded() const { return m_ok; }
    PipelineLocalRun::State stepState(const QString &jobAndId) const; // "test/test"
    QString outputText() const;
    QString summary() const;

Q_SIGNALS:
    void runFinished(bool ok);

private:
    void probeDocker();
    void showMode();
    void fillSteps();
    void updateStep(int index);
    void onFinished(bool ok, const QString &summary);

    PipelineWizard *m_wizard;
    std::unique_ptr<PipelineLocalRun> m_run;
    QProcess *m_probe = nullptr;
    bool m_containers = false;
    bool m_modeForced = false;
    bool m_finished = false;
    bool m_ok = false;
    QString m_summary;
    QLabel *m_mode;
    QPushButton *m_runButton;
    QPushButton *m_cancelButton;
    QTreeWidget *m_steps;
    QPlainTextEdit *m_output;
    QLabel *m_result;
};

} // namespace pgdeck
