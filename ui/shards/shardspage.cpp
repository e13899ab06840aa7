#include "shardspage.h"

#include "shardtablemodel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QStackedBarSeries>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

namespace pgdeck {

ShardsPage::ShardsPage(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_filter(new QLineEdit(this))
    , m_chart(new QChartView(this))
    , m_table(new QTableView(this))
    , m_model(new ShardTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_timer(new QTimer(this))
{
    auto *title = new QLabel(tr("Shards"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    title->setFont(f);
    m_filter->setPlaceholderText(tr("Filter shards (table, worker, bound…)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(280);
    m_filter->setObjectName(QStringLiteral("shardFilter"));
    auto *head = new QHBoxLayout;
    head->addWidget(title);
    head->addWidget(m_summary, 1);
    head->addWidget(m_filter);

    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);
    m_chart->chart()->legend()->setAlignment(Qt::AlignBottom);
    m_chart->chart()->setMargins(QMargins(4, 4, 4, 4));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(24); // uniform rows: fast with 100k
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(ShardTableModel::Bound, QHeaderView::Stretch);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(m_chart, 2);
    layout->addWidget(m_table, 3);

    m_timer->setInterval(10000);
    connect(m_timer, &QTimer::timeout, this, &ShardsPage::refresh);
}

void ShardsPage::setCluster(const ClusterSpec &cluster)
{
    m_cluster = cluster;
    m_coordinator.clear();
    for (const NodeSpec &n : cluster.nodes)
        if (n.role == QLatin1String("coordinator"))
            m_coordinator = n.name;
    if (m_coordinator.isEmpty()) {
        m_summary->setText(
            tr("No coordinator in cluster %1: nothing is sharded here.").arg(cluster.name));
        m_timer->stop();
        return;
    }
    m_summary->setText(tr("Reading the distribution…"));
    refresh();
    m_timer->start();
}

void ShardsPage::refresh()
{
    if (m_reading || m_coordinator.isEmpty())
        return;
    m_reading = true;
    QPointer<ShardsPage> self(this);
    const ClusterSpec cluster = m_cluster;
    const QString coordinator = m_coordinator;
    QThread *worker = QThread::create([self, cluster, coordinator] {
        ShardDistribution d;
        QString error;
        readShardDistribution(cluster, coordinator, &d, &error);
        QMetaObject::invokeMethod(qApp, [self, d, error] {
            if (self)
                self->present(d, error);
        });
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void ShardsPage::present(const ShardDistribution &d, const QString &error)
{
    m_reading = false;
    if (!error.isEmpty()) {
        m_summary->setText(tr("<span style='color:#c0392b'>%1</span>").arg(error.toHtmlEscaped()));
        Q_EMIT refreshed(false);
        return;
    }
    m_distribution = d;
    m_model->setPlacements(d.placements);
    const QMap<QString, int> counts = d.shardsPerWorker();
    m_summary->setText(tr("%1 shards on %2 workers · skew %3 (largest worker ÷ mean) · %4")
                           .arg(d.placements.size())
                           .arg(counts.size())
                           .arg(d.skew(), 0, 'f', 2)
                           .arg(d.backend));

    // Bytes per worker, stacked by table.
    QChart *chart = m_chart->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *a : chart->axes())
        chart->removeAxis(a);
    const QStringList workers = counts.keys();
    QMap<QString, QMap<QString, qint64>> byTable; // table -> worker -> bytes
    for (const ShardPlacement &p : d.placements)
        byTable[p.table][p.worker] += qMax<qint64>(0, p.bytes);
    auto *series = new QStackedBarSeries;
    double top = 0;
    QMap<QString, double> stack;
    for (auto it = byTable.cbegin(); it != byTable.cend(); ++it) {
        auto *set = new QBarSet(it.key());
        for (const QString &w : workers) {
            const double mb = double(it.value().value(w)) / 1048576.0;
            *set << mb;
            stack[w] += mb;
            top = qMax(top, stack[w]);
        }
        series->append(set);
    }
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    QStringList labels;
    for (const QString &w : workers)
        labels << tr("%1 (%2 shards)").arg(w).arg(counts.value(w));
    x->append(labels);
    auto *y = new QValueAxis;
    y->setRange(0, top > 0 ? top * 1.1 : 1);
    y->setTitleText(tr("MB"));
    y->setLabelFormat(QStringLiteral("%.1f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    m_table->resizeColumnToContents(ShardTableModel::Table);
    m_table->resizeColumnToContents(ShardTableModel::Shard);
    m_table->resizeColumnToContents(ShardTableModel::Worker);
    Q_EMIT refreshed(true);
}

} // namespace pgdeck
