#include "workerspage.h"

#include "rebalancewizard.h"
#include "sharding/asynclookup.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

struct DistributionRead {
    ShardDistribution distribution;
    QString error;
};

} // namespace

WorkersPage::WorkersPage(RebalanceWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("workersPage"));
    const bool adding = wizard->intent() == RebalanceWizard::Intent::AddWorkers;
    setTitle(adding ? tr("Add workers") : tr("Rebalance shards"));
    setSubTitle(adding ? tr("New workers join the cluster, then shards move onto them until "
                            "every worker holds about the same number of bytes.")
                       : tr("Shards move between the workers kept until each holds about the "
                            "same number of bytes; drained workers end empty."));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("workersStatus"));
    m_status->setWordWrap(true);
    m_table = new QTableWidget(0, 5);
    m_table->setObjectName(QStringLiteral("workersTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Worker"), tr("Region"), tr("Shards"), tr("Size"), tr("In this run")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(WorkerColumn, QHeaderView::Stretch);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
}

void WorkersPage::initializePage()
{
    m_coordinator.clear();
    for (const NodeSpec &n : m_wizard->cluster().nodes)
        if (m_coordinator.isEmpty() && n.role == QLatin1String("coordinator"))
            m_coordinator = n.name;
    m_table->setRowCount(0);
    m_read = false;
    if (m_coordinator.isEmpty()) {
        m_status->setText(tr("<span style='color:#c62828'>Cluster %1 has no coordinator: "
                             "nothing is sharded here.</span>")
                              .arg(m_wizard->cluster().name.toHtmlEscaped()));
        return;
    }
    m_reading = true;
    m_status->setText(tr("Reading where the shards are from %1…").arg(m_coordinator));
    Q_EMIT completeChanged();
    const int generation = ++m_generation;
    const ClusterSpec cluster = m_wizard->cluster();
    const QString coordinator = m_coordinator;
    runLookup(
        this,
        [cluster, coordinator] {
            DistributionRead r;
            readShardDistribution(cluster, coordinator, &r.distribution, &r.error);
            return r;
        },
        [this, generation](const DistributionRead &r) {
            if (generation == m_generation)
                present(r.distribution, r.error);
        });
}

void WorkersPage::present(const ShardDistribution &d, const QString &error)
{
    m_reading = false;
    if (!error.isEmpty()) {
        m_status->setText(tr("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
        Q_EMIT completeChanged();
        return;
    }
    m_read = true;
    const QMap<QString, int> shards = d.shardsPerWorker();
    const QMap<QString, qint64> bytes = d.bytesPerWorker();
    const bool adding = m_wizard->intent() == RebalanceWizard::Intent::AddWorkers;
    for (const NodeSpec &n : m_wizard->cluster().nodes) {
        if (n.name == m_coordinator || n.role == QLatin1String("primary") ||
            n.role == QLatin1String("standby"))
            continue;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, WorkerColumn, new QTableWidgetItem(n.name));
        m_table->setItem(row, RegionColumn, new QTableWidgetItem(n.region));
        auto *count = new QTableWidgetItem(QString::number(shards.value(n.name)));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, ShardsColumn, count);
        auto *size = new QTableWidgetItem(QLocale().formattedDataSize(bytes.value(n.name)));
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, SizeColumn, size);
        auto *choice = new QComboBox;
        choice->setObjectName(QStringLiteral("choice-") + n.name);
        const bool holds = shards.contains(n.name);
        if (holds) {
            choice->addItem(tr("Keep"), Keep);
            choice->addItem(tr("Drain (move every shard off)"), Drain);
        } else {
            choice->addItem(tr("Add"), Add);
            choice->addItem(tr("Leave out"), LeaveOut);
            choice->setCurrentIndex(adding ? 0 : 1);
        }
        connect(choice, &QComboBox::currentIndexChanged, this, &WorkersPage::completeChanged);
        m_table->setCellWidget(row, ChoiceColumn, choice);
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(WorkerColumn, QHeaderView::Stretch);
    m_status->setText(tr("%1 shards on %2 workers, skew %3 (largest worker ÷ mean) — %4 backend.")
                          .arg(d.placements.size())
                          .arg(shards.size())
                          .arg(d.skew(), 0, 'f', 2)
                          .arg(d.backend));
    if (!d.moves.isEmpty())
        m_status->setText(m_status->text() +
                          tr("<br><span style='color:#c62828'>%1 shard move(s) of an earlier "
                             "rebalance are unfinished.</span>")
                              .arg(d.moves.size()));
    Q_EMIT completeChanged();
}

QComboBox *WorkersPage::choiceFor(const QString &worker) const
{
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, WorkerColumn)->text() == worker)
            return qobject_cast<QComboBox *>(m_table->cellWidget(row, ChoiceColumn));
    return nullptr;
}

bool WorkersPage::isComplete() const
{
    if (!m_read)
        return false;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const auto *c = qobject_cast<QComboBox *>(m_table->cellWidget(row, ChoiceColumn));
        const int choice = c->currentData().toInt();
        if (choice == Keep || choice == Add)
            return true;
    }
    return false;
}

bool WorkersPage::validatePage()
{
    RebalanceRequest &r = m_wizard->request();
    r = RebalanceRequest{};
    r.coordinator = m_coordinator;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString worker = m_table->item(row, WorkerColumn)->text();
        const auto *c = qobject_cast<QComboBox *>(m_table->cellWidget(row, ChoiceColumn));
        switch (c->currentData().toInt()) {
        case Keep:
            r.workers << worker;
            break;
        case Add:
            r.workers << worker;
            r.newWorkers << worker;
            break;
        case Drain:
            r.drain << worker;
            break;
        default:
            break;
        }
    }
    return true;
}

} // namespace pgdeck
