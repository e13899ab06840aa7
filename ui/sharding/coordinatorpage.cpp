#include "coordinatorpage.h"

#include "pg/pgconnection.h"
#include "sharding/shardingbackend.h"
#include "shardingwizard.h"

#include <QApplication>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

QString versionText(int v)
{
    if (v <= 0)
        return QStringLiteral("?");
    return v >= 100000 ? QStringLiteral("%1.%2").arg(v / 10000).arg(v % 10000)
                       : QStringLiteral("%1.%2.%3").arg(v / 10000).arg(v / 100 % 100).arg(v % 100);
}

QString nodeLabel(const NodeSpec &n)
{
    QString text = n.name;
    QStringList extra;
    if (!n.role.isEmpty())
        extra << n.role;
    if (!n.region.isEmpty())
        extra << QStringLiteral("region %1").arg(n.region);
    if (!extra.isEmpty())
        text += QStringLiteral(" (%1)").arg(extra.join(QStringLiteral(", ")));
    return text;
}

} // namespace

CoordinatorPage::CoordinatorPage(ShardingWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("coordinatorPage"));
    setTitle(tr("Coordinator and workers"));
    setSubTitle(tr("The coordinator keeps the table's name and routes queries; the workers hold "
                   "the shards."));

    m_coordinator = new QComboBox;
    m_coordinator->setObjectName(QStringLiteral("coordinatorCombo"));
    const ClusterSpec &cluster = wizard->cluster();
    int coordinatorIndex = -1;
    for (const NodeSpec &n : cluster.nodes) {
        m_coordinator->addItem(nodeLabel(n), n.name);
        if (coordinatorIndex < 0 && n.role == QLatin1String("coordinator"))
            coordinatorIndex = m_coordinator->count() - 1;
    }
    m_coordinator->setCurrentIndex(qMax(0, coordinatorIndex));

    m_workers = new QListWidget;
    m_workers->setObjectName(QStringLiteral("workerList"));
    m_workers->setMaximumHeight(140);

    m_connect = new QPushButton(tr("&Connect"));
    m_connect->setObjectName(QStringLiteral("connectButton"));

    m_status = new QLabel(tr("Not connected yet."));
    m_status->setObjectName(QStringLiteral("connectionStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto *form = new QFormLayout;
    form->addRow(tr("Coordinator:"), m_coordinator);
    form->addRow(tr("Workers:"), m_workers);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_connect, 0, Qt::AlignLeft);
    layout->addWidget(m_status, 1);

    fillWorkers();
    connect(m_coordinator, &QComboBox::currentIndexChanged, this, [this] {
        fillWorkers();
        invalidate();
    });
    connect(m_workers, &QListWidget::itemChanged, this, &CoordinatorPage::invalidate);
    connect(m_connect, &QPushButton::clicked, this, &CoordinatorPage::connectNodes);
}

void CoordinatorPage::fillWorkers()
{
    const QStringList before = checkedWorkers();
    const bool first = m_workers->count() == 0;
    const QSignalBlocker block(m_workers);
    m_workers->clear();
    const QString coordinator = m_coordinator->currentData().toString();
    for (const NodeSpec &n : m_wizard->cluster().nodes) {
        if (n.name == coordinator)
            continue;
        auto *item = new QListWidgetItem(nodeLabel(n), m_workers);
        item->setData(Qt::UserRole, n.name);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        const bool checked = first ? n.role == QLatin1String("worker") : before.contains(n.name);
        item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    }
}

QStringList CoordinatorPage::checkedWorkers() const
{
    QStringList names;
    for (int i = 0; i < m_workers->count(); ++i)
        if (m_workers->item(i)->checkState() == Qt::Checked)
            names << m_workers->item(i)->data(Qt::UserRole).toString();
    return names;
}

void CoordinatorPage::invalidate()
{
    if (!m_connected)
        return;
    m_connected = false;
    m_status->setText(tr("The choice changed: connect again."));
    Q_EMIT completeChanged();
}

void CoordinatorPage::connectNodes()
{
    m_connected = false;
    Q_EMIT completeChanged();
    const ClusterSpec &cluster = m_wizard->cluster();
    const QString coordinatorName = m_coordinator->currentData().toString();
    const QStringList workers = checkedWorkers();
    QStringList lines;
    bool ok = true;
    if (workers.isEmpty()) {
        lines << QStringLiteral("<span style='color:#c62828'>%1</span>")
                     .arg(tr("Choose at least one worker."));
        ok = false;
    }
    QApplication::setOverrideCursor(Qt::WaitCursor);
    std::unique_ptr<PgConnection> coordinator;
    std::unique_ptr<ShardingBackend> backend;
    for (const QString &name : QStringList{coordinatorName} + workers) {
        const NodeSpec *n = cluster.node(name);
        if (!n)
            continue;
        auto conn = std::make_unique<PgConnection>();
        conn->setParams(ConnectionParams::fromNode(*n));
        conn->setDisplayName(name);
        conn->setConnectTimeout(10000);
        if (!conn->waitForReady(10000)) {
            ok = false;
            lines << QStringLiteral("<b>%1</b>: <span style='color:#c62828'>%2</span>")
                         .arg(name.toHtmlEscaped(), conn->lastError().trimmed().toHtmlEscaped());
            continue;
        }
        QString line = QStringLiteral("<b>%1</b>: PostgreSQL %2")
                           .arg(name.toHtmlEscaped(), versionText(conn->serverVersion()));
        if (name == coordinatorName) {
            QString error;
            backend = detectBackend(*conn, &error);
            if (!backend) {
                ok = false;
                line += QStringLiteral(" — <span style='color:#c62828'>%1</span>")
                            .arg(error.toHtmlEscaped());
            } else {
                line +=
                    QStringLiteral(" — backend: <b>%1</b>").arg(backend->name().toHtmlEscaped());
            }
            coordinator = std::move(conn);
        }
        lines << line;
    }
    QApplication::restoreOverrideCursor();
    m_status->setText(lines.join(QStringLiteral("<br>")));
    if (ok && coordinator && backend) {
        m_wizard->setCoordinator(std::move(coordinator), std::move(backend));
        m_wizard->spec().coordinator = coordinatorName;
        m_wizard->spec().workers = workers;
        m_connected = true;
    } else {
        m_wizard->setCoordinator(nullptr, nullptr);
    }
    Q_EMIT completeChanged();
}

bool CoordinatorPage::validatePage()
{
    return m_connected && m_wizard->coordinator();
}

} // namespace pgdeck
