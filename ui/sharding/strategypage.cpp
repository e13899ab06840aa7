#include "strategypage.h"

#include "asynclookup.h"
#include "sharding/shardingbackend.h"
#include "sharding/shardingreview.h"
#include "shardingwizard.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {
const QColor kWarning(0xb3, 0x6b, 0x00); // amber, readable on white
const QColor kError(0xc6, 0x28, 0x28);
} // namespace

StrategyPage::StrategyPage(ShardingWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("strategyPage"));
    setTitle(tr("Strategy and key"));
    setSubTitle(tr("How rows are spread over the workers, and by which column."));

    m_strategies = new QButtonGroup(this);
    auto *strategyRow = new QHBoxLayout;
    const struct {
        ShardStrategy strategy;
        const char *name;
        QString text;
    } choices[] = {{ShardStrategy::Hash, "hashRadio", tr("&Hash")},
                   {ShardStrategy::Range, "rangeRadio", tr("&Range")},
                   {ShardStrategy::Geo, "geoRadio", tr("&Geo (by region)")}};
    for (const auto &c : choices) {
        auto *radio = new QRadioButton(c.text);
        radio->setObjectName(QLatin1String(c.name));
        m_strategies->addButton(radio, int(c.strategy));
        strategyRow->addWidget(radio);
    }
    strategyRow->addStretch();
    m_strategies->button(int(ShardStrategy::Hash))->setChecked(true);

    m_key = new QComboBox;
    m_key->setObjectName(QStringLiteral("keyCombo"));

    // Hash: the shard count.
    m_shardCount = new QSpinBox;
    m_shardCount->setObjectName(QStringLiteral("shardCountSpin"));
    m_shardCount->setRange(0, 1024);
    m_shardCount->setSpecialValueText(tr("one per worker"));
    auto *hashPage = new QWidget;
    auto *hashForm = new QFormLayout(hashPage);
    hashForm->setContentsMargins(0, 0, 0, 0);
    hashForm->addRow(tr("Shards:"), m_shardCount);

    // Range: [from, to) on a worker; an empty bound is open.
    m_ranges = new QTableWidget(0, 3);
    m_ranges->setObjectName(QStringLiteral("rangeTable"));
    m_ranges->setHorizontalHeaderLabels(
        {tr("From (inclusive)"), tr("To (exclusive)"), tr("Worker")});
    m_ranges->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_ranges->verticalHeader()->hide();
    auto *add = new QPushButton(tr("Add"));
    add->setObjectName(QStringLiteral("addRangeButton"));
    auto *remove = new QPushButton(tr("Remove"));
    remove->setObjectName(QStringLiteral("removeRangeButton"));
    auto *rangeButtons = new QVBoxLayout;
    rangeButtons->addWidget(add);
    rangeButtons->addWidget(remove);
    rangeButtons->addStretch();
    auto *rangePage = new QWidget;
    auto *rangeLayout = new QVBoxLayout(rangePage);
    rangeLayout->setContentsMargins(0, 0, 0, 0);
    auto *rangeNote =
        new QLabel(tr("An empty bound is open-ended. Ranges must not overlap or leave gaps."));
    rangeLayout->addWidget(rangeNote);
    auto *rangeRow = new QHBoxLayout;
    rangeRow->addWidget(m_ranges, 1);
    rangeRow->addLayout(rangeButtons);
    rangeLayout->addLayout(rangeRow);

    // Geo: one partition per region value.
    m_geoNote = new QLabel;
    m_geoNote->setObjectName(QStringLiteral("geoNote"));
    m_geoNote->setWordWrap(true);
    m_geoNote->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    m_options = new QStackedWidget;
    m_options->setObjectName(QStringLiteral("strategyOptions"));
    m_options->insertWidget(int(ShardStrategy::Hash), hashPage);
    m_options->insertWidget(int(ShardStrategy::Range), rangePage);
    m_options->insertWidget(int(ShardStrategy::Geo), m_geoNote);

    m_check = new QPushButton(tr("Chec&k"));
    m_check->setObjectName(QStringLiteral("checkButton"));
    m_busy = new QProgressBar;
    m_busy->setObjectName(QStringLiteral("checkBusy"));
    m_busy->setRange(0, 0); // indeterminate
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(200);
    m_busy->hide();
    auto *checkRow = new QHBoxLayout;
    checkRow->addWidget(m_check);
    checkRow->addWidget(m_busy);
    checkRow->addStretch();
    m_review = new QListWidget;
    m_review->setObjectName(QStringLiteral("reviewList"));
    m_review->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Strategy:"), strategyRow);
    form->addRow(tr("Key column:"), m_key);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_options, 2);
    layout->addLayout(checkRow);
    layout->addWidget(m_review, 1);

    connect(m_strategies, &QButtonGroup::idToggled, this, [this](int id, bool on) {
        if (!on)
            return;
        m_options->setCurrentIndex(id);
        invalidate();
    });
    connect(m_key, &QComboBox::currentIndexChanged, this, &StrategyPage::invalidate);
    connect(m_shardCount, &QSpinBox::valueChanged, this, &StrategyPage::invalidate);
    connect(m_ranges, &QTableWidget::itemChanged, this, &StrategyPage::invalidate);
    connect(add, &QPushButton::clicked, this, [this] { addRange(); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_ranges->currentRow();
        m_ranges->removeRow(row >= 0 ? row : m_ranges->rowCount() - 1);
        invalidate();
    });
    connect(m_check, &QPushButton::clicked, this, &StrategyPage::check);
}

void StrategyPage::initializePage()
{
    const ShardingSpec &spec = m_wizard->spec();
    const TableInfo &table = m_wizard->table();
    {
        const QSignalBlocker block(m_key);
        m_key->clear();
        for (const ColumnInfo &c : table.columns)
            m_key->addItem(QStringLiteral("%1 (%2)").arg(c.name, c.type), c.name);
        QString key = spec.key;
        if (key.isEmpty() && !table.primaryKey.isEmpty())
            key = table.primaryKey.first();
        m_key->setCurrentIndex(qMax(0, m_key->findData(key)));
    }
    // The geo note names the workers chosen on page 1 and their regions.
    QStringList regions;
    for (const QString &w : spec.workers) {
        const NodeSpec *n = m_wizard->cluster().node(w);
        regions << QStringLiteral("%1 → %2")
                       .arg(n && !n->region.isEmpty() ? n->region : tr("(no region)"), w)
                       .toHtmlEscaped();
    }
    m_geoNote->setText(
        tr("One partition per value of the key. Each region value goes to the worker whose "
           "inventory <code>region</code> matches; a value without such a worker is an "
           "error.<br><br><b>Workers:</b><br>%1")
            .arg(regions.join(QStringLiteral("<br>"))));
    // Worker combos of the range rows follow the chosen workers.
    if (m_ranges->rowCount() == 0) {
        for (const QString &w : spec.workers)
            addRange({}, {}, w);
    } else {
        for (int r = 0; r < m_ranges->rowCount(); ++r) {
            auto *combo = qobject_cast<QComboBox *>(m_ranges->cellWidget(r, 2));
            const QString current = combo->currentText();
            const QSignalBlocker block(combo);
            combo->clear();
            combo->addItems(spec.workers);
            combo->setCurrentIndex(qMax(0, combo->findText(current)));
        }
    }
    invalidate();
}

void StrategyPage::addRange(const QString &from, const QString &to, const QString &worker)
{
    const int row = m_ranges->rowCount();
    {
        const QSignalBlocker block(m_ranges);
        m_ranges->insertRow(row);
        m_ranges->setItem(row, 0, new QTableWidgetItem(from));
        m_ranges->setItem(row, 1, new QTableWidgetItem(to));
    }
    auto *combo = new QComboBox;
    combo->addItems(m_wizard->spec().workers);
    combo->setCurrentIndex(qMax(0, combo->findText(worker)));
    connect(combo, &QComboBox::currentIndexChanged, this, &StrategyPage::invalidate);
    m_ranges->setCellWidget(row, 2, combo);
    invalidate();
}

ShardStrategy StrategyPage::strategy() const
{
    return ShardStrategy(m_strategies->checkedId());
}

ShardingSpec StrategyPage::specFromWidgets() const
{
    ShardingSpec spec = m_wizard->spec();
    spec.strategy = strategy();
    spec.key = m_key->currentData().toString();
    spec.shardCount = spec.strategy == ShardStrategy::Hash ? m_shardCount->value() : 0;
    spec.ranges.clear();
    if (spec.strategy == ShardStrategy::Range) {
        for (int r = 0; r < m_ranges->rowCount(); ++r) {
            RangeShard shard;
            shard.from = m_ranges->item(r, 0) ? m_ranges->item(r, 0)->text().trimmed() : QString();
            shard.to = m_ranges->item(r, 1) ? m_ranges->item(r, 1)->text().trimmed() : QString();
            if (auto *combo = qobject_cast<QComboBox *>(m_ranges->cellWidget(r, 2)))
                shard.worker = combo->currentText();
            spec.ranges << shard;
        }
    }
    return spec;
}

void StrategyPage::invalidate()
{
    ++m_generation; // a review still running answers for the old choice
    setBusy(false);
    m_checked = false;
    m_review->clear();
    auto *hint =
        new QListWidgetItem(tr("Press Check to review this choice against the servers."), m_review);
    hint->setForeground(palette().color(QPalette::PlaceholderText));
    Q_EMIT completeChanged();
}

void StrategyPage::cleanupPage()
{
    ++m_generation; // Back: a running review is no longer wanted
    setBusy(false);
    QWizardPage::cleanupPage();
}

bool StrategyPage::isBusy() const
{
    return !m_busy->isHidden();
}

void StrategyPage::setBusy(bool busy)
{
    m_busy->setVisible(busy);
}

void StrategyPage::check()
{
    if (!m_wizard->hasCoordinator() || !m_wizard->backend())
        return;
    const quint64 generation = ++m_generation;
    m_checked = false;
    const ShardingSpec spec = specFromWidgets();
    // Copies: the worker must not read the wizard, which may be gone before it finishes.
    const TableInfo table = m_wizard->table();
    const ClusterSpec cluster = m_wizard->cluster();
    const ConnectionParams params = m_wizard->coordinatorParams();
    const QString node = m_wizard->coordinatorName();
    m_review->clear();
    auto *pending = new QListWidgetItem(tr("Checking against the servers…"), m_review);
    pending->setForeground(palette().color(QPalette::PlaceholderText));
    setBusy(true);
    Q_EMIT completeChanged();

    runLookup(
        this,
        [spec, table, cluster, params, node] {
            QString error;
            auto conn = openLookupConnection(params, node, &error);
            if (!conn) {
                ShardingReview review;
                review.errors << tr("Could not connect to %1: %2").arg(node, error);
                return review;
            }
            return reviewSharding(*conn, spec, table, cluster);
        },
        [this, generation, spec](const ShardingReview &result) {
            if (generation != m_generation)
                return; // the choice changed while the servers were asked
            setBusy(false);
            ShardingReview review = result;
            // The backend's own checks read nothing from the servers: cheap, on this thread.
            if (const ShardingBackend *backend = m_wizard->backend())
                backend->review(spec, m_wizard->table(), &review);
            showReview(spec, review);
        });
}

void StrategyPage::showReview(const ShardingSpec &spec, const ShardingReview &review)
{
    m_review->clear();
    for (const QString &e : std::as_const(review.errors)) {
        auto *i = new QListWidgetItem(e, m_review);
        i->setForeground(kError);
        i->setIcon(style()->standardIcon(QStyle::SP_MessageBoxCritical));
        i->setData(Qt::UserRole, QStringLiteral("error"));
    }
    for (const QString &w : std::as_const(review.warnings)) {
        auto *i = new QListWidgetItem(w, m_review);
        i->setForeground(kWarning);
        i->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
        i->setData(Qt::UserRole, QStringLiteral("warning"));
    }
    if (review.ok()) {
        QString text = tr("No errors: %1 rows to move.").arg(review.rows);
        if (review.keyStats.known)
            text += tr(" The key has about %1 distinct values.")
                        .arg(review.keyStats.distinct < 0
                                 ? QStringLiteral("%1%").arg(-review.keyStats.distinct * 100)
                                 : QString::number(qint64(review.keyStats.distinct)));
        if (!review.regionValues.isEmpty())
            text += tr(" Regions: %1.").arg(review.regionValues.join(QStringLiteral(", ")));
        auto *i = new QListWidgetItem(text, m_review);
        i->setIcon(style()->standardIcon(QStyle::SP_DialogApplyButton));
        i->setData(Qt::UserRole, QStringLiteral("ok"));
    }
    m_wizard->spec() = spec;
    m_wizard->review() = review;
    m_checked = true;
    Q_EMIT completeChanged();
}

bool StrategyPage::isComplete() const
{
    return m_checked && m_wizard->review().ok();
}

} // namespace pgdeck
