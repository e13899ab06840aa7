#pragma once

#include <QWizardPage>

class QLabel;
class QTableWidget;

namespace pgdeck {

class ShardingWizard;

// Page 2: the coordinator's tables, largest first; the selected one's columns, primary key
// and foreign keys, read from the catalogs.
class TablePage : public QWizardPage {
    Q_OBJECT
public:
    explicit TablePage(ShardingWizard *wizard);

    void initializePage() override;
    bool isComplete() const override { return m_inspected; }

private:
    void inspectSelected();

    ShardingWizard *m_wizard;
    QTableWidget *m_tables;
    QTableWidget *m_columns;
    QLabel *m_details;
    QLabel *m_error;
    bool m_inspected = false;
};

} // namespace pgdeck
