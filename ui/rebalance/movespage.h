#pragma once

#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace pgdeck {

class RebalanceWizard;

// Page 2: the moves, each worker's load before and after, and the Plan that will run,
// compiled off the GUI thread from what the servers hold now. Nothing has changed yet.
class MovesPage : public QWizardPage {
    Q_OBJECT
public:
    explicit MovesPage(RebalanceWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;

    bool isPreparing() const { return m_preparing; }
    QTableWidget *movesTable() const { return m_moves; }

private:
    void present();
    void saveRunbook();

    RebalanceWizard *m_wizard;
    QLabel *m_summary;
    QTableWidget *m_moves;
    QTableWidget *m_load;
    QPlainTextEdit *m_plan;
    QPushButton *m_save;
    bool m_preparing = false;
    int m_generation = 0;
};

} // namespace pgdeck
