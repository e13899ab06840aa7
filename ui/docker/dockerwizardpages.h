#pragma once

#include "docker/composefile.h"
#include "docker/composeplanner.h"
#include "docker/deployment.h"
#include "docker/deploymentfiles.h"

#include <QWizardPage>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTreeWidget;

namespace pgdeck {

class DiffHighlighter;
class DockerWizard;
class PlanRunView;

// Page 1: where the project is, what Compose calls it, and the application beside the
// database.
class DockerProjectPage : public QWizardPage {
    Q_OBJECT
public:
    explicit DockerProjectPage(DockerWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    void setDirectory(const QString &dir);
    QString directory() const;
    void apply(Deployment *d) const;
    // The application kind the directory's files suggest (package.json: Node.js;
    // requirements.txt or pyproject.toml: Python); false when they suggest none.
    static bool detectApp(const QString &dir, Deployment::App *app);
    static QString defaultEntry(Deployment::App app, const QString &dir);

    QLineEdit *directoryEdit() const { return m_directory; }
    QLineEdit *projectEdit() const { return m_project; }
    QComboBox *appCombo() const { return m_app; }
    QLineEdit *entryEdit() const { return m_entry; }
    QSpinBox *appPortSpin() const { return m_appPort; }
    QLabel *errorsLabel() const { return m_errors; }
    QStringList errors() const { return m_errorList; }

public Q_SLOTS:
    void updateErrors();

private:
    void browse();
    void directoryChanged();
    void appChanged();
    Deployment::App app() const;

    DockerWizard *m_wizard;
    QLineEdit *m_directory, *m_project, *m_entry;
    QLabel *m_entryLabel;
    QPushButton *m_browse;
    QComboBox *m_app;
    QSpinBox *m_appPort;
    QLabel *m_appNote, *m_errors;
    QStringList m_errorList;
    bool m_projectEdited = false; // the name follows the directory until the user types one
    bool m_entryEdited = false;   // likewise the entry follows the application kind
};

// Page 2: one server, a primary with streaming replicas, or Citus; and where they listen.
class DockerDatabasePage : public QWizardPage {
    Q_OBJECT
public:
    explicit DockerDatabasePage(DockerWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    void apply(Deployment *d) const;
    void setDatabase(Deployment::Database db);
    Deployment::Database database() const;

    QRadioButton *singleRadio() const { return m_single; }
    QRadioButton *replicatedRadio() const { return m_replicated; }
    QRadioButton *citusRadio() const { return m_citus; }
    QSpinBox *replicasSpin() const { return m_replicas; }
    QSpinBox *workersSpin() const { return m_workers; }
    QSpinBox *portSpin() const { return m_port; }
    QCheckBox *openPortsCheck() const { return m_openPorts; }
    QLabel *openPortsWarning() const { return m_openWarning; }
    QLabel *errorsLabel() const { return m_errors; }
    QStringList errors() const { return m_errorList; }

public Q_SLOTS:
    void updateErrors();

private:
    void updateEnabled();

    DockerWizard *m_wizard;
    QRadioButton *m_single, *m_replicated, *m_citus;
    QSpinBox *m_replicas, *m_workers, *m_port;
    QCheckBox *m_openPorts;
    QLabel *m_portsNote, *m_openWarning, *m_errors;
    QStringList m_errorList;
};

// Page 3: the generated files against the directory, written on request and checked by
// Docker Compose (off the GUI thread). Next only once they are written and valid.
class DockerFilesPage : public QWizardPage {
    Q_OBJECT
public:
    enum Column { PathColumn, StateColumn };

    explicit DockerFilesPage(DockerWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    // Compares again (the user may have edited a file meanwhile); checks the files with
    // Compose when they are all on disk.
    void refresh();
    // The "Write files" button: writes, compares again, then checks.
    bool writeFiles();

    const QList<FileProposal> &proposals() const { return m_proposals; }
    FileProposal::State stateOf(const QString &path) const;
    bool selectFile(const QString &path);
    bool filesWritten() const;
    bool isChecking() const { return m_checking; }
    bool isValid() const { return m_valid; }
    QString checkMessage() const; // what the check label says

    QTreeWidget *fileList() const { return m_files; }
    QPlainTextEdit *contentView() const { return m_content; }
    QCheckBox *replaceEditedCheck() const { return m_replace; }
    QPushButton *writeButton() const { return m_write; }
    QLabel *writeStatusLabel() const { return m_writeStatus; }
    QLabel *checkLabel() const { return m_check; }

private:
    struct Check;
    void fillList(const QString &keepSelected);
    void showSelected();
    void startCheck();
    void showCheck(const Check &check);
    void setCheckText(const QString &text, const QColor &color);

    DockerWizard *m_wizard;
    QList<FileProposal> m_proposals;
    QTreeWidget *m_files;
    QLabel *m_caption;
    QPlainTextEdit *m_content;
    DiffHighlighter *m_highlighter;
    QCheckBox *m_replace;
    QLabel *m_replaceNote;
    QPushButton *m_write;
    QLabel *m_writeStatus, *m_check;
    quint64 m_checkToken = 0; // a later compare or write makes a running check stale
    bool m_checking = false;
    bool m_valid = false;
};

// Page 4: Compose's resolved configuration as the `up` Plan, run step by step; on success the
// PostgreSQL services join the inventory and their passwords the libpq password file.
class DockerRunPage : public QWizardPage {
    Q_OBJECT
public:
    explicit DockerRunPage(DockerWizard *wizard);
    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    bool isReady() const { return m_ready; } // the plan is built and can start
    bool isRunning() const;
    bool hasSucceeded() const;
    bool hasFailed() const;
    void start();
    void cancel();
    void resume();
    const ComposeFile &composeFile() const { return m_file; }

    PlanRunView *runView() const { return m_run; }
    QCheckBox *inventoryCheck() const { return m_inventory; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *resumeButton() const { return m_resume; }

private:
    struct Config;
    void loadConfig();
    void configLoaded(const Config &config);
    void finished(bool ok);
    QString summary() const;
    void updateButtons();

    DockerWizard *m_wizard;
    PlanRunView *m_run;
    QCheckBox *m_inventory;
    QPushButton *m_start, *m_cancel, *m_resume;
    ComposeProject m_composeProject; // the one the plan was built for
    ComposeFile m_file;
    quint64 m_configToken = 0;
    bool m_ready = false;
};

} // namespace pgdeck
