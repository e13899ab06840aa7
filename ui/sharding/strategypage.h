#pragma once

#include "sharding/shardingspec.h"

#include <QWizardPage>

class QButtonGroup;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace pgdeck {

class ShardingWizard;

// Page 3: hash, range or geo, the distribution key and the strategy's options. "Check"
// reviews the choice against the servers; warnings are shown, errors block Next.
class StrategyPage : public QWizardPage {
    Q_OBJECT
public:
    explicit StrategyPage(ShardingWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;

    void check(); // blocking, under a busy cursor
    void addRange(const QString &from = {}, const QString &to = {}, const QString &worker = {});

private:
    ShardStrategy strategy() const;
    ShardingSpec specFromWidgets() const;
    void invalidate();

    ShardingWizard *m_wizard;
    QButtonGroup *m_strategies;
    QComboBox *m_key;
    QStackedWidget *m_options;
    QSpinBox *m_shardCount;
    QTableWidget *m_ranges;
    QLabel *m_geoNote;
    QPushButton *m_check;
    QListWidget *m_review;
    bool m_checked = false;
};

} // namespace pgdeck
