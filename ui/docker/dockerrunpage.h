#pragma once

#include "docker/composefile.h"
#include "docker/composeplanner.h"

#include <QWizardPage>

class QCheckBox;
class QPushButton;

namespace pgdeck {

class DockerWizard;
class PlanRunView;

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
