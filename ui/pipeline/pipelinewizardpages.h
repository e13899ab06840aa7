#pragma once

#include "docker/deploymentfiles.h"
#include "pipeline/localrun.h"
#include "pipeline/pipelinecheck.h"
#include "pipeline/pipelinegenerator.h"

#include <QMap>
#include <QWizardPage>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProcess;
class QPushButton;
class QSyntaxHighlighter;
class QTreeWidget;

namespace pgdeck {

class PipelineWizard;

// Page 1: the repository, the CI systems to write for, the pipeline's name and branch.
class PipelineRepositoryPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PipelineRepositoryPage(PipelineWizard *wizard);
    bool isComplete() const override;

    QString directory() const;
    void setDirectory(const QString &dir);
    QList<CiSystem> systems() const;
    void setSystemChecked(CiSystem system, bool checked);
    QString pipelineName() const;
    void setPipelineName(const QString &name);
    QString branch() const;
    void setBranch(const QString &branch);
    bool isGitRepository() const { return m_isGit; }
    QString directoryNote() const;

private:
    void inspectDirectory();

    QLineEdit *m_directory;
    QPushButton *m_browse;
    QLabel *m_directoryNote;
    QMap<CiSystem, QCheckBox *> m_systems;
    QLineEdit *m_name;
    QLineEdit *m_branch;
    bool m_isGit = false;
};

// Page 2: how the app is built and deployed; validatePipelineSpec's problems in place.
class PipelineBuildPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PipelineBuildPage(PipelineWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    // This page's fields written into spec.
    void apply(PipelineSpec *spec) const;

    void setNodeVersion(const QString &version);
    void setImage(const QString &image); // the registry follows unless edited
    void setRegistry(const QString &registry);
    void setDeploy(PipelineSpec::Deploy deploy);
    void setDeployHost(const QString &host);
    void setDeployDirectory(const QString &dir);
    QString registry() const;
    QStringList errors() const { return m_errors; }

private:
    void revalidate();

    PipelineWizard *m_wizard;
    QLineEdit *m_node;
    QLineEdit *m_image;
    QLineEdit *m_registry;
    QComboBox *m_deploy;
    QLineEdit *m_host;
    QLineEdit *m_deployDir;
    QLabel *m_errorLabel;
    QStringList m_errors;
    bool m_registryEdited = false;
};

// Page 3: the generated files against the repository, written on request, each checked
// the way its CI system reads it; the secrets to create; an optional commit on a new branch.
class PipelineFilesPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PipelineFilesPage(PipelineWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    void refresh();    // compares again
    bool writeFiles(); // the "Write files" button: writes, compares again, checks
    // The "Commit on a new branch" button; the id of the new commit, or empty.
    QString commitOnNewBranch();

    const QList<FileProposal> &proposals() const { return m_proposals; }
    FileProposal::State stateOf(const QString &path) const;
    bool selectFile(const QString &path);
    bool filesWritten() const;
    bool allChecksPassed() const;
    QMap<QString, PipelineCheckResult> checks() const { return m_checks; }
    QString checkText() const;
    QString commitText() const;
    QString gitBranch() const; // the branch the commit goes to
    QCheckBox *replaceEditedCheck() const { return m_replace; }

private:
    void fillList(const QString &keepSelected);
    void showSelected();
    void checkWrittenFiles();

    PipelineWizard *m_wizard;
    QList<FileProposal> m_proposals;
    QMap<QString, PipelineCheckResult> m_checks; // by path, for files on disk
    QTreeWidget *m_files;
    QLabel *m_caption;
    QPlainTextEdit *m_content;
    QSyntaxHighlighter *m_highlighter;
    QCheckBox *m_replace;
    QPushButton *m_write;
    QLabel *m_writeStatus;
    QLabel *m_check;
    QLabel *m_secrets;
    QLineEdit *m_gitBranch;
    QPushButton *m_commit;
    QLabel *m_commitStatus;
};

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
