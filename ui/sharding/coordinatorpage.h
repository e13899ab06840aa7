#pragma once

#include <QWizardPage>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace pgdeck {

class ShardingWizard;

// Page 1: the coordinator and the workers, each connected once; the coordinator's
// backend and every server's version are shown. An unreachable node blocks Next.
class CoordinatorPage : public QWizardPage {
    Q_OBJECT
public:
    explicit CoordinatorPage(ShardingWizard *wizard);

    bool isComplete() const override { return m_connected; }
    bool validatePage() override;

    void connectNodes(); // blocking, under a busy cursor

private:
    void fillWorkers();
    void invalidate();
    QStringList checkedWorkers() const;

    ShardingWizard *m_wizard;
    QComboBox *m_coordinator;
    QListWidget *m_workers;
    QPushButton *m_connect;
    QLabel *m_status;
    bool m_connected = false;
};

} // namespace pgdeck
