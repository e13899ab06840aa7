#include "nodespage.h"

#include "common/healthbadgedelegate.h"
#include "common/healthstyle.h"
#include "common/tablestyle.h"
#include "nodestablemodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace pgdeck {

NodesPage::NodesPage(NodesTableModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_clusterBox(new QComboBox(this))
    , m_summary(new QLabel(this))
{
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(NodesTableModel::SortRole);
    m_proxy->setFilterRole(NodesTableModel::ClusterRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    auto *title = new QLabel(tr("Nodes"), this);
    QFont tf = title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.45);
    tf.setBold(true);
    title->setFont(tf);
    m_summary->setTextFormat(Qt::RichText);
    m_clusterBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_clusterBox->setToolTip(tr("Show the nodes of one cluster"));

    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addSpacing(16);
    header->addWidget(m_summary, 0, Qt::AlignBottom);
    header->addStretch(1);
    header->addWidget(new QLabel(tr("Cluster:"), this));
    header->addWidget(m_clusterBox);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(NodesTableModel::NodeColumn, Qt::AscendingOrder);
    TableStyle::apply(m_view, 16);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setIconSize(QSize(14, 14));
    m_view->setItemDelegateForColumn(NodesTableModel::StateColumn,
                                     new HealthBadgeDelegate(NodesTableModel::HealthRole, m_view));
    QHeaderView *h = m_view->horizontalHeader();
    // A handful of rows: fitting the contents costs nothing and keeps every column readable.
    h->setSectionResizeMode(QHeaderView::ResizeToContents);
    h->setSectionResizeMode(NodesTableModel::ErrorColumn, QHeaderView::Stretch);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(10);
    layout->addLayout(header);
    layout->addWidget(m_view, 1);

    connect(m_clusterBox, &QComboBox::currentIndexChanged, this, &NodesPage::applyClusterFilter);
    connect(model, &QAbstractItemModel::dataChanged, this, &NodesPage::updateSummary);
    connect(model, &QAbstractItemModel::modelReset, this, &NodesPage::updateSummary);
    updateSummary();
}

void NodesPage::setClusters(const QStringList &clusters)
{
    m_clusterBox->blockSignals(true);
    m_clusterBox->clear();
    m_clusterBox->addItem(tr("All clusters"), QString());
    for (const QString &c : clusters)
        m_clusterBox->addItem(c, c);
    m_clusterBox->setCurrentIndex(0);
    m_clusterBox->blockSignals(false);
    m_clusterBox->setEnabled(clusters.size() > 1);
    // One cluster: the column would repeat its name on every row.
    m_view->setColumnHidden(NodesTableModel::ClusterColumn, clusters.size() <= 1);
    applyClusterFilter();
}

void NodesPage::showCluster(const QString &cluster)
{
    const int i = m_clusterBox->findData(cluster);
    m_clusterBox->setCurrentIndex(i < 0 ? 0 : i);
}

void NodesPage::selectNode(const QString &cluster, const QString &node)
{
    const int row = m_model->rowOf(cluster, node);
    if (row < 0)
        return;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!idx.isValid())
        return;
    m_view->selectRow(idx.row());
    m_view->scrollTo(idx);
}

void NodesPage::applyClusterFilter()
{
    const QString c = m_clusterBox->currentData().toString();
    m_proxy->setFilterRegularExpression(
        c.isEmpty() ? QRegularExpression()
                    : QRegularExpression(QLatin1Char('^') + QRegularExpression::escape(c) +
                                         QLatin1Char('$')));
    updateSummary();
}

void NodesPage::updateSummary()
{
    int counts[4] = {0, 0, 0, 0};
    const QString cluster = m_clusterBox->currentData().toString();
    int total = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const NodeStatus s = m_model->status(r);
        if (!cluster.isEmpty() && s.cluster != cluster)
            continue;
        ++counts[int(s.health())];
        ++total;
    }
    QStringList parts{total == 1 ? tr("1 node") : tr("%1 nodes").arg(total)};
    for (auto h : {NodeStatus::Health::Up, NodeStatus::Health::Down, NodeStatus::Health::Stale,
                   NodeStatus::Health::Unknown})
        if (counts[int(h)] || h == NodeStatus::Health::Up)
            parts << QStringLiteral("<span style='color:%1'>&#9679;</span>&nbsp;%2 %3")
                         .arg(HealthStyle::color(h).name())
                         .arg(counts[int(h)])
                         .arg(HealthStyle::label(h).toLower());
    m_summary->setText(parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
}

} // namespace pgdeck
