#pragma once

#include "sharding/sharddistribution.h"

#include <QWizardPage>

class QComboBox;
class QLabel;
class QTableWidget;

namespace pgdeck {

class RebalanceWizard;

// Page 1: every node that can hold shards, what it holds now (read off the GUI thread) and
// what happens to it: keep, add, drain or leave out.
class WorkersPage : public QWizardPage {
    Q_OBJECT
public:
    enum Choice { Keep, Add, Drain, LeaveOut };
    enum Column { WorkerColumn, RegionColumn, ShardsColumn, SizeColumn, ChoiceColumn };

    explicit WorkersPage(RebalanceWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    bool isReading() const { return m_reading; }
    QComboBox *choiceFor(const QString &worker) const;

private:
    void present(const ShardDistribution &d, const QString &error);

    RebalanceWizard *m_wizard;
    QString m_coordinator;
    QLabel *m_status;
    QTableWidget *m_table;
    bool m_reading = false;
    bool m_read = false;
    int m_generation = 0;
};

} // namespace pgdeck
