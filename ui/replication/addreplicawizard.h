#pragma once

#include "inventory/inventory.h"
#include "plan/plan.h"
#include "replication/replicaspec.h"

#include <QWizard>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace pgdeck {

class PlanExecutor;
class BasebackupWatcher;

// Adds a streaming replica to a primary: where it goes, the primary's checks with their
// fixes and the Plan, then the run with pg_basebackup's progress as the primary reports it.
// The same flow as `pgdeckctl replica add`, over src/replication/replicaplanner. On success
// the inventory file holds the new node; `inventoryChanged` asks the console to reload it.
class AddReplicaWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { TargetPageId, CheckPageId, RunPageId };

    AddReplicaWizard(const Inventory &inventory, const QString &inventoryPath,
                     const QString &cluster, QWidget *parent = nullptr);

    const ClusterSpec &cluster() const { return m_inventory.clusters[m_clusterIndex]; }
    ReplicaSpec &spec() { return m_spec; }
    Plan &plan() { return m_plan; }
    // The plan plus the inventory write, with the new node added.
    Plan planWithInventory() const;
    QString password; // typed on the first page; handed to the run as a secret, never stored

    void reject() override;

Q_SIGNALS:
    void inventoryChanged(const QString &path);

private:
    Inventory m_inventory;
    QString m_inventoryPath;
    int m_clusterIndex = 0;
    ReplicaSpec m_spec;
    Plan m_plan;
};

// Page 1: the primary and where the replica goes.
class ReplicaTargetPage : public QWizardPage {
    Q_OBJECT
public:
    explicit ReplicaTargetPage(AddReplicaWizard *wizard);
    bool isComplete() const override;
    bool validatePage() override;
    QLineEdit *field(const QString &name) const;

private:
    AddReplicaWizard *m_wizard;
    QComboBox *m_primary;
    QLineEdit *m_name, *m_host, *m_runAs, *m_address, *m_dataDir, *m_slot, *m_user, *m_password,
        *m_binDir;
    QSpinBox *m_port;
    QCheckBox *m_allowRestart;
    QLabel *m_errors;
};

// Page 2: what the primary lacks and how it gets fixed, read off the GUI thread, then the
// Plan.
class ReplicaCheckPage : public QWizardPage {
    Q_OBJECT
public:
    explicit ReplicaCheckPage(AddReplicaWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool isChecking() const { return m_checking; }
    QTreeWidget *findings() const { return m_findings; }

private:
    void present(const PrimaryReadiness &r);

    AddReplicaWizard *m_wizard;
    QLabel *m_summary;
    QTreeWidget *m_findings;
    QPlainTextEdit *m_plan;
    bool m_checking = false;
    bool m_ok = false;
    int m_generation = 0;
};

// Page 3: the run, with pg_basebackup's bytes as the primary reports them.
class ReplicaRunPage : public QWizardPage {
    Q_OBJECT
public:
    explicit ReplicaRunPage(AddReplicaWizard *wizard);
    void initializePage() override;
    bool isComplete() const override { return !isRunning(); }
    void run();
    void cancel();
    bool isRunning() const;
    bool hasSucceeded() const { return m_succeeded; }
    int copyPercent() const;
    int progressEvents() const { return m_progressEvents; }
    QString logText() const; // every step's output, as shown

private:
    AddReplicaWizard *m_wizard;
    QLabel *m_status;
    QProgressBar *m_steps;
    QLabel *m_copyLabel;
    QProgressBar *m_copy;
    QPlainTextEdit *m_log;
    QPushButton *m_run;
    PlanExecutor *m_executor = nullptr;
    BasebackupWatcher *m_watcher = nullptr;
    bool m_succeeded = false;
    int m_progressEvents = 0;
};

} // namespace pgdeck
