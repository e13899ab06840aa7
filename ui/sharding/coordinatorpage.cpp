#include "coordinatorpage.h"

#include "asynclookup.h"
#include "sharding/shardingbackend.h"
#include "shardingwizard.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <vector>

namespace pgdeck {

namespace {

constexpr int kConnectTimeoutMs = 10000;

struct NodeReport {
    QString name;
    int version = 0;
    QString error;
};

// What the worker found; plain values only, handed to the GUI thread.
struct ConnectReport {
    QList<NodeReport> nodes;
    std::shared_ptr<const ShardingBackend> backend; // detected on the first node
    QString backendError;
};

// Worker thread: connects to every node (the coordinator first) and detects the backend.
ConnectReport connectAll(const QList<std::pair<QString, ConnectionParams>> &targets)
{
    // All connections start at once and progress together on this thread's event loop, so
    // the wait is the slowest node's rather than the sum.
    std::vector<std::unique_ptr<PgConnection>> conns;
    for (const auto &[name, params] : targets) {
        auto conn = std::make_unique<PgConnection>();
        conn->setParams(params);
        conn->setDisplayName(name);
        conn->setConnectTimeout(kConnectTimeoutMs);
        conn->open();
        conns.push_back(std::move(conn));
    }
    ConnectReport report;
    for (size_t i = 0; i < conns.size(); ++i) {
        PgConnection &conn = *conns[i];
        NodeReport node{targets[int(i)].first, 0, {}};
        // Disconnected here means it already failed while we waited for another node;
        // waitForReady() would start it over.
        const bool failed = conn.state() == PgConnection::State::Disconnected;
        if (failed || !conn.waitForReady(kConnectTimeoutMs)) {
            node.error = conn.lastError().trimmed();
            if (node.error.isEmpty())
                node.error =
                    QStringLiteral("no connection within %1 s").arg(kConnectTimeoutMs / 1000);
        } else {
            node.version = conn.serverVersion();
            if (i == 0)
                report.backend = detectBackend(conn, &report.backendError);
        }
        report.nodes << node;
    }
    return report;
}

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

    m_busy = new QProgressBar;
    m_busy->setObjectName(QStringLiteral("connectBusy"));
    m_busy->setRange(0, 0); // indeterminate
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(200);
    m_busy->hide();

    auto *connectRow = new QHBoxLayout;
    connectRow->addWidget(m_connect);
    connectRow->addWidget(m_busy);
    connectRow->addStretch();

    auto *form = new QFormLayout;
    form->addRow(tr("Coordinator:"), m_coordinator);
    form->addRow(tr("Workers:"), m_workers);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(connectRow);
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
    const bool wasBusy = isBusy();
    ++m_generation; // a lookup still running answers for the old choice
    setBusy(false);
    if (!m_connected && !wasBusy)
        return;
    m_connected = false;
    m_wizard->clearCoordinator();
    m_status->setText(tr("The choice changed: connect again."));
    Q_EMIT completeChanged();
}

bool CoordinatorPage::isBusy() const
{
    return !m_busy->isHidden();
}

void CoordinatorPage::setBusy(bool busy)
{
    m_busy->setVisible(busy);
}

void CoordinatorPage::connectNodes()
{
    const quint64 generation = ++m_generation;
    m_connected = false;
    m_wizard->clearCoordinator();
    Q_EMIT completeChanged();
    const ClusterSpec &cluster = m_wizard->cluster();
    const QString coordinatorName = m_coordinator->currentData().toString();
    const QStringList workers = checkedWorkers();
    QList<std::pair<QString, ConnectionParams>> targets;
    for (const QString &name : QStringList{coordinatorName} + workers)
        if (const NodeSpec *n = cluster.node(name))
            targets.append({name, ConnectionParams::fromNode(*n)});
    m_status->setText(tr("Connecting…"));
    setBusy(true);

    runLookup(
        this, [targets] { return connectAll(targets); },
        [this, generation, coordinatorName, workers, targets](const ConnectReport &report) {
            if (generation != m_generation)
                return; // the user changed the choice or connected again meanwhile
            setBusy(false);
            QStringList lines;
            bool ok = true;
            if (workers.isEmpty()) {
                lines << QStringLiteral("<span style='color:#c62828'>%1</span>")
                             .arg(tr("Choose at least one worker."));
                ok = false;
            }
            for (const NodeReport &node : report.nodes) {
                if (!node.error.isEmpty()) {
                    ok = false;
                    lines << QStringLiteral("<b>%1</b>: <span style='color:#c62828'>%2</span>")
                                 .arg(node.name.toHtmlEscaped(), node.error.toHtmlEscaped());
                    continue;
                }
                QString line = QStringLiteral("<b>%1</b>: PostgreSQL %2")
                                   .arg(node.name.toHtmlEscaped(), versionText(node.version));
                if (node.name == coordinatorName) {
                    if (!report.backend) {
                        ok = false;
                        line += QStringLiteral(" — <span style='color:#c62828'>%1</span>")
                                    .arg(report.backendError.toHtmlEscaped());
                    } else {
                        line += QStringLiteral(" — backend: <b>%1</b>")
                                    .arg(report.backend->name().toHtmlEscaped());
                    }
                }
                lines << line;
            }
            m_status->setText(lines.join(QStringLiteral("<br>")));
            if (ok && report.backend && !targets.isEmpty() &&
                targets.first().first == coordinatorName) {
                m_wizard->setCoordinator(coordinatorName, targets.first().second, report.backend);
                m_wizard->spec().coordinator = coordinatorName;
                m_wizard->spec().workers = workers;
                m_connected = true;
            }
            Q_EMIT completeChanged();
        });
}

bool CoordinatorPage::validatePage()
{
    return m_connected && m_wizard->hasCoordinator();
}

} // namespace pgdeck
