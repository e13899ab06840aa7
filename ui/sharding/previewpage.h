#pragma once

#include <QWizardPage>

class QLabel;
class QPushButton;
class QTabWidget;

namespace pgdeck {

class ShardingWizard;

// Page 4: the Plan that will run, as text: every step, then the steps of each node. Nothing
// has changed yet; the runbook can be saved as a shell script to run by hand.
class PreviewPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PreviewPage(ShardingWizard *wizard);

    void initializePage() override;
    bool isComplete() const override { return m_valid; }

    bool saveRunbook(const QString &path, QString *error) const;

private:
    void saveRunbookDialog();

    ShardingWizard *m_wizard;
    QLabel *m_summary;
    QTabWidget *m_tabs;
    QPushButton *m_save;
    bool m_valid = false;
};

} // namespace pgdeck
