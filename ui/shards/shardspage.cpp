#include "shardspage.h"

#include "rebalance/moveprogressview.h"
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
    , m_timer(new QTimer(this))
    , m_filterDelay(new QTimer(this))
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

    // The model filters, sorts and hands out rows in chunks itself: no proxy in between.
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Fixed, uniform rows: the view never measures rows one by one.
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(24);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(ShardTableModel::Bound, QHeaderView::Stretch);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(120);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this,
            [this] { m_model->setFilterText(m_filter->text()); });

    // Live rebalance progress, from the servers: moves started here, by pgdeckctl or by Citus.
    m_movesPanel = new QWidget(this);
    m_movesPanel->setObjectName(QStringLiteral("movesPanel"));
    m_movesTitle = new QLabel(m_movesPanel);
    m_movesTitle->setObjectName(QStringLiteral("movesTitle"));
    m_moves = new MoveProgressView(m_movesPanel);
    auto *movesLayout = new QVBoxLayout(m_movesPanel);
    movesLayout->setContentsMargins(0, 0, 0, 0);
    movesLayout->addWidget(m_movesTitle);
    movesLayout->addWidget(m_moves);
    m_movesPanel->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(m_movesPanel);
    layout->addWidget(m_chart, 2);
    layout->addWidget(m_table, 3);

    m_timer->setInterval(10000);
    connect(m_timer, &QTimer::timeout, this, &ShardsPage::refresh);
}

bool ShardsPage::movesShown() const
{
    return !m_movesPanel->isHidden();
}

void ShardsPage::presentMoves(const QList<ShardMoveProgress> &moves)
{
    // Every second while shards move, every ten otherwise.
    m_timer->setInterval(moves.isEmpty() ? 10000 : 1000);
    if (moves.isEmpty()) {
        m_moves->clear();
        m_movesPanel->hide();
        return;
    }
    m_moves->markMissingDone(moves);
    m_moves->applyProgress(moves);
    // As tall as its rows, up to six.
    const int rows = qMin(6, m_moves->topLevelItemCount());
    m_moves->setFixedHeight(m_moves->header()->sizeHint().height() + rows * 24 + 6);
    m_movesTitle->setText(tr("<b>Rebalance under way</b> — %n shard move(s) in progress; writes "
                             "to a moving shard are refused until it switches.",
                             nullptr, int(moves.size())));
    m_movesPanel->show();
}

void ShardsPage::setFilterText(const QString &text)
{
    m_filter->setText(text); // restarts the delay through textChanged: stop it
    m_filterDelay->stop();
    m_model->setFilterText(text);
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
    presentMoves(d.moves);
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
