#pragma once

#include <QWizardPage>

class QLabel;
class QProgressBar;
class QTableWidget;

namespace pgdeck {

class ShardingWizard;
struct TableInfo;

// Page 2: the coordinator's tables, largest first; the selected one's columns, primary key
// and foreign keys, read from the catalogs on a worker thread while the page shows it is busy.
class TablePage : public QWizardPage {
    Q_OBJECT
public:
    explicit TablePage(ShardingWizard *wizard);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override { return m_inspected; }
    bool isBusy() const;

private:
    void inspectSelected();
    void showTable(const QString &schema, const QString &name, const TableInfo &info);
    void setBusy(const QString &what); // empty: idle
    void showError(const QString &error);

    ShardingWizard *m_wizard;
    QTableWidget *m_tables;
    QTableWidget *m_columns;
    QLabel *m_details;
    QLabel *m_error;
    QLabel *m_status;
    QProgressBar *m_busy;
    bool m_inspected = false;
    quint64 m_generation = 0; // bumps on every lookup and page change; older results are dropped
};

} // namespace pgdeck
