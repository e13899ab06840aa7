#pragma once

#include "sharding/shardingspec.h"

#include <QWizardPage>

class QButtonGroup;
class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace pgdeck {

class ShardingWizard;
struct ShardingReview;

// Page 3: hash, range or geo, the distribution key and the strategy's options. "Check"
// reviews the choice against the servers on a worker thread; warnings are shown, errors
// block Next, and so does a check still running.
class StrategyPage : public QWizardPage {
    Q_OBJECT
public:
    explicit StrategyPage(ShardingWizard *wizard);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    void check(); // starts the review and returns at once
    bool isBusy() const;
    void addRange(const QString &from = {}, const QString &to = {}, const QString &worker = {});

private:
    ShardStrategy strategy() const;
    ShardingSpec specFromWidgets() const;
    void invalidate();
    void setBusy(bool busy);
    void showReview(const ShardingSpec &spec, const ShardingReview &review);

    ShardingWizard *m_wizard;
    QButtonGroup *m_strategies;
    QComboBox *m_key;
    QStackedWidget *m_options;
    QSpinBox *m_shardCount;
    QTableWidget *m_ranges;
    QLabel *m_geoNote;
    QPushButton *m_check;
    QListWidget *m_review;
    QProgressBar *m_busy;
    bool m_checked = false;
    quint64 m_generation = 0; // bumps on every change and check; older reviews are dropped
};

} // namespace pgdeck
