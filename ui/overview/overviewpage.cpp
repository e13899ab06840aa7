#include "overviewpage.h"

#include "common/healthstyle.h"
#include "events/eventsmodel.h"
#include "topology/topologyview.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

constexpr int kRecentEvents = 10;

QString formatBytes(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString formatSeconds(double s)
{
    return s < 10 ? QStringLiteral("%1 s").arg(s, 0, 'f', 1)
                  : QStringLiteral("%1 s").arg(qRound(s));
}

QColor amber()
{
    return HealthStyle::color(NodeStatus::Health::Stale);
}

QString plural(int n, const QString &one, const QString &many)
{
    return n == 1 ? one : many.arg(n);
}

// A white panel with a hairline border: the page's sections sit on the window colour.
QFrame *panel(QWidget *parent)
{
    auto *f = new QFrame(parent);
    f->setObjectName(QStringLiteral("overviewPanel"));
    f->setStyleSheet(
        QStringLiteral("QFrame#overviewPanel { background: palette(base); "
                       "border: 1px solid rgba(127,127,127,60); border-radius: 8px; }"));
    return f;
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    QFont f = l->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.08);
    l->setFont(f);
    return l;
}

} // namespace

OverviewPage::OverviewPage(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(tr("Overview"), this))
    , m_state(new QLabel(this))
    , m_updated(new QLabel(this))
    , m_tileRow(new QWidget(this))
    , m_legend(new QLabel(this))
    , m_topology(new TopologyView(this))
    , m_events(new QTreeWidget(this))
{
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.45);
    tf.setBold(true);
    m_title->setFont(tf);
    QFont sf = m_state->font();
    sf.setBold(true);
    m_state->setFont(sf);
    m_updated->setStyleSheet(QStringLiteral("color: %1;").arg(HealthStyle::staleText().name()));

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addSpacing(14);
    header->addWidget(m_state, 0, Qt::AlignVCenter);
    header->addStretch(1);
    header->addWidget(m_updated, 0, Qt::AlignBottom);

    auto *tiles = new QHBoxLayout(m_tileRow);
    tiles->setContentsMargins(0, 0, 0, 0);
    tiles->setSpacing(10);
    m_nodesTile = addTile(tr("Nodes up"), tr("Nodes answering their probe, of the inventory's"));
    m_lagBytesTile =
        addTile(tr("Max replay lag"), tr("WAL the slowest standby has not replayed yet"));
    m_lagSecondsTile = addTile(tr("Max replay delay"),
                               tr("The slowest standby's replay_lag from pg_stat_replication"));
    m_tpsTile = addTile(tr("Transactions / s"), tr("Commits and rollbacks per second, all nodes"));
    m_connectionsTile = addTile(tr("Connections"), tr("Client backends, all nodes"));

    auto *topoPanel = panel(this);
    auto *topoCaption = new QHBoxLayout;
    topoCaption->addWidget(sectionTitle(tr("Topology"), topoPanel));
    topoCaption->addStretch(1);
    m_legend->setParent(topoPanel);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setStyleSheet(QStringLiteral("color: %1;").arg(HealthStyle::staleText().name()));
    topoCaption->addWidget(m_legend);
    auto *topoLayout = new QVBoxLayout(topoPanel);
    topoLayout->setContentsMargins(14, 10, 14, 8);
    topoLayout->setSpacing(4);
    topoLayout->addLayout(topoCaption);
    m_topology->setParent(topoPanel);
    topoLayout->addWidget(m_topology, 1);

    auto *eventsPanel = panel(this);
    m_events->setParent(eventsPanel);
    m_events->setColumnCount(4);
    m_events->setHeaderLabels({tr("Time"), tr("Severity"), tr("Node"), tr("Message")});
    m_events->setRootIsDecorated(false);
    m_events->setUniformRowHeights(true);
    m_events->setSelectionMode(QAbstractItemView::NoSelection);
    m_events->setFocusPolicy(Qt::NoFocus);
    m_events->setFrameShape(QFrame::NoFrame);
    m_events->setIconSize(QSize(12, 12));
    m_events->setStyleSheet(
        QStringLiteral("QTreeWidget { background: transparent; }"
                       "QTreeWidget::item { padding: 3px 2px; border: none; }"
                       "QHeaderView::section { padding: 4px 6px; border: none; "
                       "border-bottom: 1px solid rgba(127,127,127,60); background: palette(base); "
                       "font-weight: 600; }"));
    QHeaderView *h = m_events->header();
    h->setStretchLastSection(true);
    h->setSectionsMovable(false);
    h->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    const QFontMetrics fm = m_events->fontMetrics();
    h->resizeSection(0, fm.horizontalAdvance(QStringLiteral("88:88:88")) + 34);
    h->resizeSection(1, fm.horizontalAdvance(QStringLiteral("critical")) + 50);
    h->resizeSection(2, fm.horizontalAdvance(QStringLiteral("standby-node")) + 30);
    // Room for all ten rows without a scroll bar; the picture takes what is left.
    m_events->setMinimumHeight(h->sizeHint().height() + kRecentEvents * (fm.height() + 8) + 4);
    auto *eventsLayout = new QVBoxLayout(eventsPanel);
    eventsLayout->setContentsMargins(14, 10, 14, 8);
    eventsLayout->setSpacing(4);
    eventsLayout->addWidget(sectionTitle(tr("Recent events"), eventsPanel));
    eventsLayout->addWidget(m_events, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(12);
    layout->addLayout(header);
    layout->addWidget(m_tileRow);
    layout->addWidget(topoPanel, 1);
    layout->addWidget(eventsPanel, 0);

    resetFigures();
    refreshEvents();
}

OverviewPage::Tile OverviewPage::addTile(const QString &caption, const QString &tooltip)
{
    Tile t;
    t.frame = new QFrame(m_tileRow);
    t.frame->setObjectName(QStringLiteral("kpiTile"));
    t.frame->setStyleSheet(QStringLiteral("QFrame#kpiTile { background: palette(base); "
                                          "border: 1px solid rgba(127,127,127,60); "
                                          "border-radius: 8px; }"));
    t.frame->setToolTip(tooltip);
    auto *cap = new QLabel(caption.toUpper(), t.frame);
    QFont cf = cap->font();
    cf.setPointSizeF(cf.pointSizeF() * 0.8);
    cf.setBold(true);
    cf.setLetterSpacing(QFont::AbsoluteSpacing, 0.8);
    cap->setFont(cf);
    cap->setStyleSheet(QStringLiteral("color: %1;").arg(HealthStyle::staleText().name()));
    t.value = new QLabel(t.frame);
    QFont vf = t.value->font();
    vf.setPointSizeF(vf.pointSizeF() * 1.9);
    vf.setBold(true);
    t.value->setFont(vf);
    t.detail = new QLabel(t.frame);
    t.detail->setStyleSheet(QStringLiteral("color: %1;").arg(HealthStyle::staleText().name()));
    auto *l = new QVBoxLayout(t.frame);
    l->setContentsMargins(14, 10, 14, 10);
    l->setSpacing(2);
    l->addWidget(cap);
    l->addWidget(t.value);
    l->addWidget(t.detail);
    static_cast<QHBoxLayout *>(m_tileRow->layout())->addWidget(t.frame, 1);
    return t;
}

void OverviewPage::setTile(const Tile &tile, const QString &value, const QString &detail, Tone tone)
{
    QColor c;
    switch (tone) {
    case Tone::Good:
        c = HealthStyle::color(NodeStatus::Health::Up);
        break;
    case Tone::Warn:
        c = amber();
        break;
    case Tone::Bad:
        c = HealthStyle::color(NodeStatus::Health::Down);
        break;
    case Tone::Muted:
        c = HealthStyle::staleText();
        break;
    case Tone::Normal:
        break;
    }
    tile.value->setText(value);
    tile.value->setStyleSheet(c.isValid() ? QStringLiteral("color: %1;").arg(c.name()) : QString());
    tile.detail->setText(detail);
}

void OverviewPage::setState(const QString &text, Tone tone)
{
    QColor c = HealthStyle::staleText();
    if (tone == Tone::Good)
        c = HealthStyle::color(NodeStatus::Health::Up);
    else if (tone == Tone::Warn)
        c = amber();
    else if (tone == Tone::Bad)
        c = HealthStyle::color(NodeStatus::Health::Down);
    m_state->setText(text);
    m_state->setStyleSheet(
        QStringLiteral("QLabel { color: white; background: %1; border-radius: 9px; "
                       "padding: 2px 12px; }")
            .arg(c.name()));
}

void OverviewPage::resetFigures()
{
    const QString none = QStringLiteral("—");
    const int total = int(m_cluster.nodes.size());
    setTile(m_nodesTile, total ? QStringLiteral("0 / %1").arg(total) : none,
            tr("waiting for the first sample"), Tone::Muted);
    setTile(m_lagBytesTile, none, tr("warn at %1").arg(formatBytes(m_cluster.monitor.lagWarnBytes)),
            Tone::Muted);
    setTile(m_lagSecondsTile, none,
            tr("warn at %1").arg(formatSeconds(m_cluster.monitor.lagWarnSeconds)), Tone::Muted);
    setTile(m_tpsTile, none, tr("commits + rollbacks"), Tone::Muted);
    setTile(m_connectionsTile, none, tr("client backends"), Tone::Muted);
    setState(total ? tr("connecting") : tr("no nodes"), Tone::Muted);
    m_updated->clear();
    m_legend->setText(
        tr("<span style='color:%1'>&#9473;&#9473;</span>&nbsp;streaming &nbsp;&nbsp;&nbsp;"
           "<span style='color:%2'>&#9473;&#9473;</span>&nbsp;lag at %3 or %4 &nbsp;&nbsp;&nbsp;"
           "<span style='color:#b0b8c1'>&#9473; &#9473;</span>&nbsp;not current")
            .arg(QStringLiteral("#5d6b7a"), amber().name(),
                 formatBytes(m_cluster.monitor.lagWarnBytes),
                 formatSeconds(m_cluster.monitor.lagWarnSeconds)));
}

void OverviewPage::setCluster(const ClusterSpec &cluster)
{
    const bool other = cluster.name != m_cluster.name;
    m_cluster = cluster;
    m_title->setText(cluster.name.isEmpty() ? tr("Overview") : cluster.name);
    m_topology->setThresholds(cluster.monitor.lagWarnBytes, cluster.monitor.lagWarnSeconds);
    if (other) {
        m_recent.clear();
        refreshEvents();
    }
    resetFigures();
    // The inventory's nodes and their declared upstreams, until the servers answer.
    m_topology->setTopology(Topology::build(cluster, {}));
}

void OverviewPage::updateStatuses(const QList<NodeStatus> &statuses, const Topology &topology)
{
    m_topology->setTopology(topology);

    int counts[4] = {0, 0, 0, 0};
    int seen = 0;
    double tps = 0;
    bool haveTps = false;
    int connections = 0;
    int active = 0;
    bool haveConnections = false;
    QDateTime latest;
    for (const NodeStatus &s : statuses) {
        if (!m_cluster.name.isEmpty() && s.cluster != m_cluster.name)
            continue;
        ++seen;
        ++counts[int(s.health())];
        if (s.sampledAt.isValid() && (!latest.isValid() || s.sampledAt > latest))
            latest = s.sampledAt;
        if (!s.reachable)
            continue;
        if (s.tps >= 0) {
            tps += s.tps;
            haveTps = true;
        }
        if (s.hasSample()) {
            connections += s.connections;
            active += s.activeConnections;
            haveConnections = true;
        }
    }
    const int total = m_cluster.nodes.isEmpty() ? seen : int(m_cluster.nodes.size());
    const int up = counts[int(NodeStatus::Health::Up)];
    const int down = counts[int(NodeStatus::Health::Down)];
    const int stale = counts[int(NodeStatus::Health::Stale)];
    const int waiting = total - up - down - stale;

    QStringList problems;
    if (down)
        problems << plural(down, tr("1 node down"), tr("%1 nodes down"));
    if (stale)
        problems << plural(stale, tr("1 node stale"), tr("%1 nodes stale"));
    QStringList nodeDetail;
    if (down)
        nodeDetail << tr("%1 down").arg(down);
    if (stale)
        nodeDetail << tr("%1 stale").arg(stale);
    if (waiting > 0)
        nodeDetail << tr("%1 connecting").arg(waiting);
    setTile(m_nodesTile, QStringLiteral("%1 / %2").arg(up).arg(total),
            nodeDetail.isEmpty() ? tr("all reachable") : nodeDetail.join(QStringLiteral(" · ")),
            down                 ? Tone::Bad
            : (stale || waiting) ? Tone::Warn
                                 : Tone::Normal);

    // Lag from the edges: what the upstreams report for each stream.
    qint64 maxBytes = -1;
    double maxSeconds = -1;
    QString bytesOn, secondsOn;
    for (const TopologyEdge &e : topology.edges) {
        if (e.replayLagBytes > maxBytes) {
            maxBytes = e.replayLagBytes;
            bytesOn = e.to;
        }
        if (e.replayLagSeconds > maxSeconds) {
            maxSeconds = e.replayLagSeconds;
            secondsOn = e.to;
        }
    }
    const MonitorSettings &ms = m_cluster.monitor;
    const bool bytesHigh = ms.lagWarnBytes > 0 && maxBytes >= ms.lagWarnBytes;
    const bool secondsHigh = ms.lagWarnSeconds > 0 && maxSeconds >= ms.lagWarnSeconds;
    if (topology.edges.isEmpty()) {
        setTile(m_lagBytesTile, QStringLiteral("—"), tr("no standbys streaming"), Tone::Muted);
        setTile(m_lagSecondsTile, QStringLiteral("—"), tr("no standbys streaming"), Tone::Muted);
    } else {
        setTile(m_lagBytesTile, maxBytes >= 0 ? formatBytes(maxBytes) : QStringLiteral("—"),
                maxBytes > 0 ? tr("on %1 · warn at %2").arg(bytesOn, formatBytes(ms.lagWarnBytes))
                             : tr("warn at %1").arg(formatBytes(ms.lagWarnBytes)),
                bytesHigh ? Tone::Warn : Tone::Normal);
        // replay_lag is NULL on an idle stream: nothing to replay is no delay.
        setTile(m_lagSecondsTile, formatSeconds(qMax(0.0, maxSeconds)),
                maxSeconds > 0
                    ? tr("on %1 · warn at %2").arg(secondsOn, formatSeconds(ms.lagWarnSeconds))
                    : tr("warn at %1").arg(formatSeconds(ms.lagWarnSeconds)),
                secondsHigh ? Tone::Warn : Tone::Normal);
    }
    if (bytesHigh || secondsHigh)
        problems << tr("replication lag high");

    setTile(m_tpsTile,
            haveTps ? QLocale().toString(tps, 'f', tps < 10 ? 1 : 0) : QStringLiteral("—"),
            tr("commits + rollbacks"), haveTps ? Tone::Normal : Tone::Muted);
    setTile(m_connectionsTile,
            haveConnections ? QLocale().toString(connections) : QStringLiteral("—"),
            haveConnections ? tr("%1 active").arg(active) : tr("client backends"),
            haveConnections ? Tone::Normal : Tone::Muted);

    if (total == 0)
        setState(tr("no nodes"), Tone::Muted);
    else if (!problems.isEmpty())
        setState(tr("degraded: %1").arg(problems.join(QStringLiteral(", "))),
                 down ? Tone::Bad : Tone::Warn);
    else if (waiting > 0)
        setState(tr("connecting"), Tone::Muted);
    else
        setState(tr("healthy"), Tone::Good);
    m_updated->setText(
        latest.isValid()
            ? tr("updated %1").arg(latest.toLocalTime().toString(QStringLiteral("HH:mm:ss")))
            : QString());
}

void OverviewPage::addEvents(const QList<MonitorEvent> &events)
{
    bool changed = false;
    for (const MonitorEvent &e : events) {
        if (!m_cluster.name.isEmpty() && !e.cluster.isEmpty() && e.cluster != m_cluster.name)
            continue;
        m_recent << e;
        changed = true;
    }
    if (!changed)
        return;
    if (m_recent.size() > kRecentEvents)
        m_recent.remove(0, m_recent.size() - kRecentEvents);
    refreshEvents();
}

void OverviewPage::refreshEvents()
{
    m_events->clear();
    if (m_recent.isEmpty()) {
        auto *item = new QTreeWidgetItem(m_events);
        item->setText(3, tr("No events yet: state changes appear here as they happen"));
        item->setForeground(3, HealthStyle::staleText());
        return;
    }
    // Newest on top.
    for (auto it = m_recent.crbegin(); it != m_recent.crend(); ++it) {
        const MonitorEvent &e = *it;
        auto *item = new QTreeWidgetItem(m_events);
        const QDateTime local = e.time.toLocalTime();
        item->setText(0, local.date() == QDate::currentDate()
                             ? local.toString(QStringLiteral("HH:mm:ss"))
                             : local.toString(QStringLiteral("MMM d HH:mm")));
        item->setToolTip(0, local.toString(Qt::ISODate));
        item->setForeground(0, HealthStyle::staleText());
        const QColor sc = EventsModel::severityColor(e.severity);
        item->setIcon(1, HealthStyle::dot(sc));
        item->setText(1, MonitorEvent::severityName(e.severity));
        item->setForeground(1, sc);
        QFont bold = item->font(1);
        bold.setBold(true);
        item->setFont(1, bold);
        item->setText(2, e.node);
        item->setText(3, e.message);
        item->setToolTip(3, e.message);
    }
}

void OverviewPage::setRecentEventRows(int rows)
{
    // A wall screen wants the picture big and only the latest few events.
    const QFontMetrics fm = m_events->fontMetrics();
    m_events->setMinimumHeight(m_events->header()->sizeHint().height() + rows * (fm.height() + 8) + 4);
    m_events->setMaximumHeight(m_events->minimumHeight());
}

} // namespace pgdeck
