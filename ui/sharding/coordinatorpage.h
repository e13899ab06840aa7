#pragma once

#include <QWizardPage>

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace pgdeck {

class ShardingWizard;

// Page 1: the coordinator and the workers, each connected once; the coordinator's
// backend and every server's version are shown. An unreachable node blocks Next. Connecting
// runs on a worker thread; the page stays incomplete until its result arrives.
class CoordinatorPage : public QWizardPage {
    Q_OBJECT
public:
    explicit CoordinatorPage(ShardingWizard *wizard);

    bool isComplete() const override { return m_connected; }
    bool validatePage() override;

    void connectNodes(); // starts the lookup and returns at once
    bool isBusy() const;

private:
    void fillWorkers();
    void invalidate();
    void setBusy(bool busy);
    QStringList checkedWorkers() const;

    ShardingWizard *m_wizard;
    QComboBox *m_coordinator;
    QListWidget *m_workers;
    QPushButton *m_connect;
    QLabel *m_status;
    QProgressBar *m_busy;
    bool m_connected = false;
    quint64 m_generation = 0; // bumps on every change and attempt; older results are dropped
};

} // namespace pgdeck
