#pragma once

#include "inventory/inventory.h"
#include "replication/promoteplanner.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace pgdeck {

class PlanExecutor;

// Promote a standby: pick it, see whether it is a switchover or a failover and what runs
// (read off the GUI thread), confirm, watch the steps. The same as `pgdeckctl promote`.
class PromoteDialog : public QDialog {
    Q_OBJECT
public:
    PromoteDialog(const Inventory &inventory, const QString &inventoryPath, const QString &cluster,
                  QWidget *parent = nullptr);

    void review();  // reads the servers for the chosen standby
    void promote(); // runs the reviewed Plan
    bool isReviewing() const { return m_reviewing; }
    bool isRunning() const;
    bool hasSucceeded() const { return m_succeeded; }
    QComboBox *candidate() const { return m_candidate; }

    void reject() override;

Q_SIGNALS:
    void inventoryChanged();

private:
    Plan planWithInventory() const;

    Inventory m_inventory;
    QString m_inventoryPath;
    int m_clusterIndex = 0;
    PromoteSpec m_spec;
    PromoteReview m_review;
    QComboBox *m_candidate;
    QLineEdit *m_runAs;
    QCheckBox *m_rewind;
    QLabel *m_summary;
    QPlainTextEdit *m_plan;
    QProgressBar *m_progress;
    QPushButton *m_promote;
    PlanExecutor *m_executor = nullptr;
    bool m_reviewing = false;
    bool m_succeeded = false;
    int m_generation = 0;
};

} // namespace pgdeck
