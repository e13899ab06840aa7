#include "containerspage.h"

#include "charts/resourcechartview.h"
#include "common/cleanitemdelegate.h"
#include "common/emptystatewidget.h"
#include "common/healthbadgedelegate.h"
#include "common/healthstyle.h"
#include "common/styledlabel.h"
#include "common/tablestyle.h"
#include "composeactions.h"
#include "containerlogview.h"
#include "containersmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSet>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace pgdeck {

namespace {

// A health badge where the model gives a health, plain text where it does not (a
// container without a health check has nothing to colour).
class OptionalBadgeDelegate : public HealthBadgeDelegate {
public:
    using HealthBadgeDelegate::HealthBadgeDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        if (index.data(ContainersModel::HealthRole).isValid())
            HealthBadgeDelegate::paint(painter, option, index);
        else
            CleanItemDelegate::paint(painter, option, index);
    }
};

QLabel *staleBanner(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setObjectName(QStringLiteral("staleBanner"));
    l->setAccessibleName(QObject::tr("Engine not answering"));
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QColor accent = HealthStyle::color(NodeStatus::Health::Down);
    l->setStyleSheet(QStringLiteral("QLabel#staleBanner { background: rgba(%1,%2,%3,0.14); "
                                    "color: %4; border-left: 4px solid %5; padding: 6px 10px; }")
                         .arg(accent.red())
                         .arg(accent.green())
                         .arg(accent.blue())
                         .arg(accent.darker(150).name(), accent.name()));
    l->hide();
    return l;
}

QString shortVersion(const QString &version)
{
    // "20.10.24+dfsg1": the distribution's suffix says nothing to the user.
    return version.section(QLatin1Char('+'), 0, 0);
}

} // namespace

// ---------------------------------------------------------------------------------------
// ContainersPage

ContainersPage::ContainersPage(QWidget *parent)
    : QWidget(parent)
    , m_projectCombo(new QComboBox(this))
    , m_actions(new ComposeActions(this))
    , m_engineLabel(new QLabel(this))
    , m_staleBanner(staleBanner(this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(this))
    , m_model(new ContainersModel(this))
    , m_table(new QTableView(this))
    , m_detailsTitle(new QLabel(this))
    , m_cpuChart(new ResourceChartView(ResourceChartView::Kind::Percent, tr("CPU"), this))
    , m_memoryChart(new ResourceChartView(ResourceChartView::Kind::Bytes, tr("Memory"), this))
    , m_log(new ContainerLogView(this))
{
    setObjectName(QStringLiteral("containersPage"));
    setAccessibleName(tr("Containers"));
    m_pollTimer.setInterval(kDefaultIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &ContainersPage::poll);

    // Top: which project, which engine.
    m_projectCombo->setObjectName(QStringLiteral("projectCombo"));
    m_projectCombo->setAccessibleName(tr("Compose project"));
    m_projectCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_projectCombo->setMinimumContentsLength(18);
    m_projectCombo->addItem(tr("All containers"), QString());
    m_engineLabel->setObjectName(QStringLiteral("engineLabel"));
    m_engineLabel->setAccessibleName(tr("Docker engine"));
    m_engineLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette muted = m_engineLabel->palette();
    muted.setColor(QPalette::WindowText, HealthStyle::staleText().darker(130));
    m_engineLabel->setPalette(muted);
    auto *projectLabel = new QLabel(tr("&Project:"), this);
    projectLabel->setBuddy(m_projectCombo);
    auto *header = new QHBoxLayout;
    header->addWidget(styledLabel(tr("Containers"), this, 1.45, true));
    header->addSpacing(16);
    header->addWidget(projectLabel);
    header->addWidget(m_projectCombo);
    header->addSpacing(8);
    header->addWidget(m_actions);
    header->addStretch(1);
    header->addWidget(m_engineLabel);

    // Middle: the table.
    m_table->setObjectName(QStringLiteral("containersTable"));
    m_table->setAccessibleName(tr("Containers"));
    m_table->setModel(m_model);
    TableStyle::apply(m_table);
    for (int column : {int(ContainersModel::StateColumn), int(ContainersModel::HealthColumn)})
        m_table->setItemDelegateForColumn(
            column, new OptionalBadgeDelegate(ContainersModel::HealthRole, m_table));
    QHeaderView *h = m_table->horizontalHeader();
    h->setMinimumSectionSize(70);
    h->setStretchLastSection(false);
    h->setSectionResizeMode(ContainersModel::PortsColumn, QHeaderView::Stretch);

    // Bottom: the selected container's charts and log.
    m_detailsTitle->setObjectName(QStringLiteral("detailsTitle"));
    QFont detailsFont = m_detailsTitle->font();
    detailsFont.setBold(true);
    detailsFont.setPointSizeF(detailsFont.pointSizeF() * 1.1);
    m_detailsTitle->setFont(detailsFont);
    m_cpuChart->setObjectName(QStringLiteral("cpuChart"));
    m_cpuChart->setAccessibleName(tr("CPU usage chart"));
    m_memoryChart->setObjectName(QStringLiteral("memoryChart"));
    m_memoryChart->setAccessibleName(tr("Memory usage chart"));
    auto *charts = new QWidget(this);
    auto *chartsLayout = new QVBoxLayout(charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addWidget(m_cpuChart);
    chartsLayout->addWidget(m_memoryChart);
    auto *detailsSplit = new QSplitter(Qt::Horizontal, this);
    detailsSplit->setObjectName(QStringLiteral("detailsSplitter"));
    detailsSplit->setChildrenCollapsible(false);
    detailsSplit->addWidget(charts);
    detailsSplit->addWidget(m_log);
    // Wide enough for the time axis' labels; the log takes what is left.
    charts->setMinimumWidth(360);
    detailsSplit->setSizes({440, 660});
    auto *details = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 6, 0, 0);
    detailsLayout->addWidget(m_detailsTitle);
    detailsLayout->addWidget(detailsSplit, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("containersSplitter"));
    split->setChildrenCollapsible(false);
    split->addWidget(m_table);
    split->addWidget(details);
    split->setSizes({240, 500});

    m_empty->setObjectName(QStringLiteral("engineEmptyState"));
    m_empty->setAccessibleName(tr("Docker engine not reachable"));
    m_stack->addWidget(split);
    m_stack->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(10);
    layout->addLayout(header);
    layout->addWidget(m_staleBanner);
    layout->addWidget(m_stack, 1);

    connect(m_projectCombo, &QComboBox::activated, this,
            [this](int index) { setProject(m_projectCombo->itemData(index).toString()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ContainersPage::onSelectionChanged);

    showDetails();
    updateEngineLine();
}

ContainersPage::~ContainersPage()
{
    cancelRequests();
}

void ContainersPage::setEngine(DockerEngine *engine)
{
    if (engine == m_engine)
        return;
    cancelRequests();
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    m_log->setEngine(engine);
    if (m_ownedEngine.get() != engine)
        m_ownedEngine.reset();
    connectEngine();
    resetForEngine();
}

void ContainersPage::setEndpoint(const DockerEndpoint &endpoint)
{
    auto engine = std::make_unique<DockerEngine>(endpoint);
    setEngine(engine.get());
    m_ownedEngine = std::move(engine);
}

void ContainersPage::connectEngine()
{
    if (!m_engine)
        return;
    connect(m_engine, &DockerEngine::versionReceived, this, &ContainersPage::onVersion);
    connect(m_engine, &DockerEngine::containersListed, this, &ContainersPage::onListed);
    connect(m_engine, &DockerEngine::statsReceived, this, &ContainersPage::onStats);
}

// Nothing known about one engine holds for another.
void ContainersPage::resetForEngine()
{
    m_all.clear();
    m_history.clear();
    m_version = {};
    m_hasData = false;
    m_error.clear();
    m_failingSince = {};
    m_staleBanner->hide();
    m_updatingTable = true;
    m_model->clear();
    m_updatingTable = false;
    m_selectedId.clear();
    m_stack->setCurrentIndex(0);
    updateProjects();
    showDetails();
    updateEngineLine();
    if (isActive())
        poll();
}

void ContainersPage::cancelRequests()
{
    if (m_engine) {
        for (int id : {m_listRequest, m_versionRequest})
            if (id > 0)
                m_engine->cancel(id);
        for (auto it = m_statsRequests.cbegin(); it != m_statsRequests.cend(); ++it)
            m_engine->cancel(it.key());
    }
    m_listRequest = 0;
    m_versionRequest = 0;
    m_statsRequests.clear();
    m_log->cancel();
}

void ContainersPage::setProject(const QString &project)
{
    if (project != m_project) {
        m_project = project;
        updateProjects(); // the selector lists it even before the engine does
        updateTable();
        sampleStats();
    }
    const int index = m_projectCombo->findData(project);
    if (index >= 0 && index != m_projectCombo->currentIndex())
        m_projectCombo->setCurrentIndex(index);
}

void ContainersPage::setInterval(int ms)
{
    m_pollTimer.setInterval(std::max(100, ms));
    updateEngineLine();
}

void ContainersPage::start()
{
    if (!m_engine) {
        setEndpoint(DockerEndpoint::fromEnvironment());
    }
    m_pollTimer.start();
    poll();
    if (!m_log->isReading())
        m_log->restart();
}

void ContainersPage::stop()
{
    m_pollTimer.stop();
    cancelRequests();
}

void ContainersPage::poll()
{
    if (!m_engine)
        return;
    // One list in flight at a time: a slow engine is not asked again before it answers.
    if (m_listRequest == 0)
        m_listRequest = m_engine->listContainers();
    if (m_versionRequest == 0 && m_version.version.isEmpty())
        m_versionRequest = m_engine->version();
}

void ContainersPage::onVersion(int requestId, const DockerResult &result,
                               const DockerVersion &version)
{
    if (requestId != m_versionRequest)
        return;
    m_versionRequest = 0;
    if (result.ok)
        m_version = version;
    updateEngineLine();
}

void ContainersPage::onListed(int requestId, const DockerResult &result,
                              const QList<DockerContainer> &containers)
{
    if (requestId != m_listRequest)
        return;
    m_listRequest = 0;
    if (!result.ok) {
        showEngineFailure(result.message);
        Q_EMIT polled(false);
        return;
    }
    m_all = containers;
    showEngineAnswer();
    updateProjects();
    updateTable();
    pruneHistories();
    sampleStats();
    refreshCharts();
    Q_EMIT polled(true);
}

void ContainersPage::showEngineAnswer()
{
    m_hasData = true;
    m_error.clear();
    m_failingSince = {};
    m_staleBanner->hide();
    m_model->setStale(false);
    m_stack->setCurrentIndex(0);
    updateEngineLine();
}

void ContainersPage::showEngineFailure(const QString &message)
{
    m_error = message;
    m_version = {}; // it may come back as another version
    if (m_hasData) {
        // Keep the rows, but never let them pass for current.
        if (!m_failingSince.isValid())
            m_failingSince = QDateTime::currentDateTime();
        m_staleBanner->setText(
            tr("Engine not answering since %1: %2")
                .arg(m_failingSince.toString(QStringLiteral("HH:mm:ss")), message));
        m_staleBanner->show();
        m_model->setStale(true);
    } else {
        m_empty->setTitle(tr("Docker engine not reachable"));
        m_empty->setMessage(
            tr("%1\n\nRetrying every %2 s.").arg(message).arg(interval() / 1000.0, 0, 'g', 3),
            true);
        m_stack->setCurrentWidget(m_empty);
    }
    updateEngineLine();
}

void ContainersPage::updateProjects()
{
    QStringList seen;
    for (const DockerContainer &c : std::as_const(m_all))
        if (!c.composeProject.isEmpty() && !seen.contains(c.composeProject))
            seen << c.composeProject;
    seen.sort();
    if (seen != m_projects) {
        m_projects = seen;
        Q_EMIT projectsChanged(m_projects);
    }
    QStringList listed = seen;
    if (!m_project.isEmpty() && !listed.contains(m_project))
        listed << m_project; // chosen before the engine listed it, or gone since

    QStringList inCombo;
    for (int i = 1; i < m_projectCombo->count(); ++i)
        inCombo << m_projectCombo->itemData(i).toString();
    if (inCombo != listed) {
        const QSignalBlocker blocker(m_projectCombo);
        while (m_projectCombo->count() > 1)
            m_projectCombo->removeItem(1);
        for (const QString &p : std::as_const(listed))
            m_projectCombo->addItem(p, p);
    }
    for (int i = 1; i < m_projectCombo->count(); ++i) {
        const bool present = seen.contains(m_projectCombo->itemData(i).toString());
        m_projectCombo->setItemData(i, present ? QVariant() : QVariant(tr("No containers now")),
                                    Qt::ToolTipRole);
    }
    const QSignalBlocker blocker(m_projectCombo);
    m_projectCombo->setCurrentIndex(std::max(0, m_projectCombo->findData(m_project)));
}

void ContainersPage::updateTable()
{
    QList<DockerContainer> shown;
    for (const DockerContainer &c : std::as_const(m_all))
        if (m_project.isEmpty() || c.composeProject == m_project)
            shown << c;
    // The model keeps rows in place, but a reordering resets it: the selection is the
    // user's, so it is put back rather than lost.
    m_updatingTable = true;
    m_model->setContainers(shown);
    updateActions();
    const int row = m_model->rowOf(m_selectedId);
    if (row >= 0 && m_table->selectionModel()->selectedRows().value(0).row() != row)
        m_table->selectRow(row);
    m_updatingTable = false;
    if (row < 0 && !m_selectedId.isEmpty())
        onSelectionChanged(); // the selected container is gone
    else if (row >= 0)
        showDetails(); // its state may have changed
    fitColumns();
}

void ContainersPage::sampleStats()
{
    if (!m_engine || !m_hasData || !m_error.isEmpty())
        return;
    QSet<QString> inFlight;
    for (const QString &id : std::as_const(m_statsRequests))
        inFlight.insert(id);
    for (const DockerContainer &c : m_model->containers())
        if (c.isRunning() && !inFlight.contains(c.id))
            m_statsRequests.insert(m_engine->stats(c.id), c.id);
}

void ContainersPage::onStats(int requestId, const DockerResult &result, const DockerStats &stats)
{
    const auto it = m_statsRequests.constFind(requestId);
    if (it == m_statsRequests.cend())
        return;
    const QString id = *it;
    m_statsRequests.erase(it);
    if (!result.ok)
        return; // stopped meanwhile, or the engine went away: the next list says which
    const qint64 t = stats.sampledAt.isValid() ? stats.sampledAt.toMSecsSinceEpoch()
                                               : QDateTime::currentMSecsSinceEpoch();
    History &history = m_history[id];
    history.cpu.append(t, stats.cpuPercent);
    history.memory.append(t, double(stats.memoryBytes));
    m_model->setStats(id, stats);
    if (id == m_selectedId)
        refreshCharts();
}

// Only containers the engine still lists keep a history.
void ContainersPage::pruneHistories()
{
    QSet<QString> listed;
    for (const DockerContainer &c : std::as_const(m_all))
        listed.insert(c.id);
    for (auto it = m_history.begin(); it != m_history.end();)
        it = listed.contains(it.key()) ? std::next(it) : m_history.erase(it);
}

void ContainersPage::selectContainer(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        m_table->clearSelection();
    else
        m_table->selectRow(row);
}

void ContainersPage::updateActions()
{
    QString service;
    for (const DockerContainer &c : std::as_const(m_all))
        if (c.id == m_selectedId)
            service = c.composeService;
    m_actions->setProject(m_project, m_all, service);
}

void ContainersPage::onSelectionChanged()
{
    if (m_updatingTable)
        return;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const QString id = rows.isEmpty() ? QString() : m_model->container(rows.first().row()).id;
    if (id == m_selectedId)
        return;
    m_selectedId = id;
    updateActions();
    showDetails();
    refreshCharts();
    m_log->showContainer(id);
    Q_EMIT containerSelected(id);
}

void ContainersPage::showDetails()
{
    const int row = m_model->rowOf(m_selectedId);
    if (row < 0) {
        m_detailsTitle->setText(tr("Select a container to see its CPU, memory and log."));
        return;
    }
    const DockerContainer &c = m_model->container(row);
    m_detailsTitle->setText(c.status.isEmpty() ? c.name
                                               : QStringLiteral("%1 — %2").arg(c.name, c.status));
}

void ContainersPage::refreshCharts()
{
    const auto it = m_history.constFind(m_selectedId);
    if (m_selectedId.isEmpty() || it == m_history.cend()) {
        m_cpuChart->clear();
        m_memoryChart->clear();
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_cpuChart->plot(it->cpu, now);
    m_memoryChart->plot(it->memory, now);
}

void ContainersPage::setFollow(bool follow)
{
    m_log->setFollow(follow);
}

bool ContainersPage::isFollowing() const
{
    return m_log->isFollowing();
}

void ContainersPage::updateEngineLine()
{
    m_engineLabel->setText(engineLine());
    m_engineLabel->setToolTip(m_error);
}

QString ContainersPage::engineLine() const
{
    if (!m_engine)
        return tr("No Docker engine");
    const QString where = m_engine->endpoint().toString();
    if (!m_error.isEmpty())
        return tr("Docker on %1 not answering").arg(where);
    if (m_version.version.isEmpty())
        return tr("Docker on %1").arg(where);
    const QString api =
        m_engine->apiVersion().isEmpty() ? m_version.apiVersion : m_engine->apiVersion();
    return tr("Docker %1, API %2 on %3").arg(shortVersion(m_version.version), api, where);
}

void ContainersPage::fitColumns()
{
    // Every column fits its contents but the ports, which take the rest of the width.
    if (m_model->rowCount() == 0)
        return;
    for (int c = 0; c < ContainersModel::ColumnCount; ++c)
        if (c != ContainersModel::PortsColumn)
            m_table->resizeColumnToContents(c);
}

bool ContainersPage::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

bool ContainersPage::isStaleBannerVisible() const
{
    return !m_staleBanner->isHidden();
}

QString ContainersPage::staleBannerText() const
{
    return m_staleBanner->text();
}

QString ContainersPage::logText() const
{
    return m_log->text();
}

int ContainersPage::cpuPointCount() const
{
    return m_cpuChart->pointCount();
}

int ContainersPage::memoryPointCount() const
{
    return m_memoryChart->pointCount();
}

int ContainersPage::historySize(const QString &id) const
{
    const auto it = m_history.constFind(id);
    return it == m_history.cend() ? 0 : it->cpu.size();
}

} // namespace pgdeck
