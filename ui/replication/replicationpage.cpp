#include "replicationpage.h"

#include "charts/lagchartview.h"
#include "common/cleanitemdelegate.h"
#include "common/healthstyle.h"
#include "common/styledlabel.h"
#include "monitor/metrichistory.h"
#include "slotstablemodel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

enum class Measure { Write, Flush, Replay, Sent };
constexpr int kCardMinWidth = 236;
constexpr int kSlotRowsShown = 5;

MetricHistory::Lag lagFor(LagChartView::ValueKind kind, Measure measure)
{
    using L = MetricHistory::Lag;
    const bool bytes = kind == LagChartView::ValueKind::Bytes;
    switch (measure) {
    case Measure::Write:
        return bytes ? L::WriteBytes : L::WriteSeconds;
    case Measure::Flush:
        return bytes ? L::FlushBytes : L::FlushSeconds;
    case Measure::Sent:
        return L::SentBytes; // seconds have no "sent": the selector does not offer it
    case Measure::Replay:
        break;
    }
    return bytes ? L::ReplayBytes : L::ReplaySeconds;
}

QString colorCss(const QColor &c)
{
    return QStringLiteral("rgba(%1,%2,%3,%4)")
        .arg(c.red())
        .arg(c.green())
        .arg(c.blue())
        .arg(c.alphaF(), 0, 'f', 2);
}

} // namespace

ReplicationPage::ReplicationPage(const MetricHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_chart(new LagChartView(this))
    , m_slots(new SlotsTableModel(this))
    , m_slotsView(new QTableView(this))
    , m_noSlots(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_slotsTitle(styledLabel(tr("Replication slots"), this, 1.1, true))
    , m_kindBox(new QComboBox(this))
    , m_measureBox(new QComboBox(this))
    , m_windowBox(new QComboBox(this))
    , m_exportButton(new QPushButton(this))
    , m_cardsArea(new QWidget(this))
    , m_cardsGrid(new QGridLayout(m_cardsArea))
    , m_timer(new QTimer(this))
{
    auto *title = styledLabel(tr("Replication"), this, 1.45, true);
    m_summary->setTextFormat(Qt::RichText);

    m_kindBox->setObjectName(QStringLiteral("lagUnitBox"));
    m_kindBox->addItem(tr("bytes"), int(LagChartView::ValueKind::Bytes));
    m_kindBox->addItem(tr("seconds"), int(LagChartView::ValueKind::Seconds));
    m_kindBox->setToolTip(tr("Lag as WAL bytes behind the upstream, or as time behind"));
    m_measureBox->setObjectName(QStringLiteral("measureBox"));
    m_measureBox->addItem(tr("write"), int(Measure::Write));
    m_measureBox->addItem(tr("flush"), int(Measure::Flush));
    m_measureBox->addItem(tr("replay"), int(Measure::Replay));
    m_measureBox->addItem(tr("sent"), int(Measure::Sent));
    m_measureBox->setCurrentIndex(m_measureBox->findData(int(Measure::Replay)));
    m_measureBox->setToolTip(tr("How far the standby is: WAL sent to it, written, flushed to "
                                "disk, or replayed (visible to queries)"));
    m_windowBox->setObjectName(QStringLiteral("windowBox"));
    const std::pair<const char *, qint64> windows[] = {
        {QT_TR_NOOP("1 min"), 60}, {QT_TR_NOOP("5 min"), 300}, {QT_TR_NOOP("15 min"), 900},
        {QT_TR_NOOP("1 h"), 3600}, {QT_TR_NOOP("6 h"), 21600}, {QT_TR_NOOP("24 h"), 86400}};
    for (const auto &[name, seconds] : windows)
        m_windowBox->addItem(tr(name), seconds * 1000);
    m_windowBox->setCurrentIndex(1);
    m_windowBox->setToolTip(tr("Time shown by the chart"));
    for (QComboBox *box : {m_kindBox, m_measureBox, m_windowBox})
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setText(tr("Export"));
    m_exportButton->setToolTip(tr("Save the chart as an image"));
    auto *exportMenu = new QMenu(m_exportButton);
    exportMenu->addAction(tr("PNG image…"), this,
                          [this] { exportWithDialog(QStringLiteral("png")); });
    exportMenu->addAction(tr("SVG image…"), this,
                          [this] { exportWithDialog(QStringLiteral("svg")); });
    m_exportButton->setMenu(exportMenu);

    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addSpacing(16);
    header->addWidget(m_summary, 0, Qt::AlignBottom);
    header->addStretch(1);
    header->addWidget(new QLabel(tr("Lag in:"), this));
    header->addWidget(m_kindBox);
    header->addSpacing(10);
    header->addWidget(new QLabel(tr("Measure:"), this));
    header->addWidget(m_measureBox);
    header->addSpacing(10);
    header->addWidget(new QLabel(tr("Window:"), this));
    header->addWidget(m_windowBox);
    header->addSpacing(10);
    header->addWidget(m_exportButton);

    m_cardsGrid->setContentsMargins(0, 0, 0, 0);
    m_cardsGrid->setHorizontalSpacing(10);
    m_cardsGrid->setVerticalSpacing(10);
    m_cardsArea->hide();

    m_chart->setMinimumHeight(240);

    m_slotsView->setObjectName(QStringLiteral("slotsView"));
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_slots);
    proxy->setSortRole(SlotsTableModel::SortRole);
    m_slotsView->setModel(proxy);
    m_slotsView->setSortingEnabled(true);
    m_slotsView->sortByColumn(SlotsTableModel::NodeColumn, Qt::AscendingOrder);
    m_slotsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_slotsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_slotsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_slotsView->setAlternatingRowColors(true);
    m_slotsView->setShowGrid(false);
    m_slotsView->setWordWrap(false);
    // The Nodes page's look: padded cells, a quiet header, no focus frame.
    m_slotsView->setStyleSheet(
        QStringLiteral("QTableView { outline: 0; }"
                       "QTableView::item { padding: 0px 8px; border: none; }"
                       "QHeaderView::section { padding: 6px 8px; border: none; "
                       "border-bottom: 1px solid palette(mid);"
                       " background: palette(window); font-weight: 600; }"));
    m_slotsView->verticalHeader()->hide();
    m_slotsView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_slotsView->verticalHeader()->setDefaultSectionSize(m_slotsView->fontMetrics().height() + 14);
    m_slotsView->setItemDelegate(new CleanItemDelegate(m_slotsView));
    m_slotsView->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_slotsView->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    QHeaderView *h = m_slotsView->horizontalHeader();
    h->setHighlightSections(false);
    h->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    h->setMinimumSectionSize(70);
    h->setSectionResizeMode(QHeaderView::ResizeToContents);
    h->setStretchLastSection(true);

    m_noSlots->setText(tr("No replication slots on this cluster."));
    QPalette np = m_noSlots->palette();
    np.setColor(QPalette::WindowText, HealthStyle::staleText());
    m_noSlots->setPalette(np);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(10);
    layout->addLayout(header);
    layout->addWidget(m_cardsArea);
    layout->addWidget(m_chart, 1);
    layout->addSpacing(4);
    layout->addWidget(m_slotsTitle);
    layout->addWidget(m_slotsView);
    layout->addWidget(m_noSlots);

    connect(m_kindBox, &QComboBox::currentIndexChanged, this, &ReplicationPage::onKindChanged);
    connect(m_measureBox, &QComboBox::currentIndexChanged, this, &ReplicationPage::redraw);
    connect(m_windowBox, &QComboBox::currentIndexChanged, this, &ReplicationPage::redraw);
    connect(m_slots, &QAbstractItemModel::modelReset, this, &ReplicationPage::updateSlotsView);
    // Nobody looks at a hidden page: the timer only redraws while it is visible.
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            redraw();
    });
    m_timer->start();

    setCluster({});
}

void ReplicationPage::setCluster(const ClusterSpec &cluster)
{
    if (cluster.name != m_cluster.name)
        m_statuses.clear();
    // Nodes dropped from the inventory take their cards and slots with them.
    for (auto it = m_statuses.begin(); it != m_statuses.end();)
        it = cluster.node(it.key()) ? std::next(it) : m_statuses.erase(it);
    m_cluster = cluster;
    m_chart->setPlaceholderText(
        cluster.name.isEmpty()
            ? tr("Select a cluster to see its replication.")
            : tr("No standby streams from %1 yet.\nLag appears here once a standby connects.")
                  .arg(cluster.name));
    onKindChanged(); // threshold of the current kind, then redraw
    updateStatuses(m_statuses.values());
}

void ReplicationPage::updateStatuses(const QList<NodeStatus> &statuses)
{
    for (const NodeStatus &s : statuses)
        if (!m_cluster.name.isEmpty() && s.cluster == m_cluster.name)
            m_statuses.insert(s.node, s);
    QList<NodeStatus> ordered = m_statuses.values();
    std::sort(ordered.begin(), ordered.end(),
              [](const NodeStatus &a, const NodeStatus &b) { return a.node < b.node; });
    m_slots->setStatuses(ordered);
    updateSlotsView();
    updateCards();
}

bool ReplicationPage::exportChart(const QString &path)
{
    redraw();
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return m_chart->exportPng(path);
    if (suffix == QLatin1String("svg"))
        return m_chart->exportSvg(path);
    return false;
}

void ReplicationPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    redraw(); // do not show a chart that is up to a second old
}

void ReplicationPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutCards();
}

void ReplicationPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    for (Card &c : m_cards)
        c.look.clear(); // the card stylesheets carry palette colours: build them again
    updateCards();
}

qint64 ReplicationPage::windowMs() const
{
    return m_windowBox->currentData().toLongLong();
}

void ReplicationPage::onKindChanged()
{
    const auto kind = LagChartView::ValueKind(m_kindBox->currentData().toInt());
    // Time lags have no "sent": fall back to replay rather than show nothing.
    auto *items = qobject_cast<QStandardItemModel *>(m_measureBox->model());
    const int sent = m_measureBox->findData(int(Measure::Sent));
    if (items)
        items->item(sent)->setEnabled(kind == LagChartView::ValueKind::Bytes);
    if (kind == LagChartView::ValueKind::Seconds && m_measureBox->currentIndex() == sent) {
        const QSignalBlocker block(m_measureBox);
        m_measureBox->setCurrentIndex(m_measureBox->findData(int(Measure::Replay)));
    }
    m_chart->setValueKind(kind);
    m_chart->setThreshold(m_cluster.name.isEmpty() ? 0
                          : kind == LagChartView::ValueKind::Bytes
                              ? double(m_cluster.monitor.lagWarnBytes)
                              : m_cluster.monitor.lagWarnSeconds);
    redraw();
}

void ReplicationPage::redraw()
{
    const auto kind = LagChartView::ValueKind(m_kindBox->currentData().toInt());
    const auto measure = Measure(m_measureBox->currentData().toInt());
    m_chart->setValueTitle(tr("%1 lag").arg(m_measureBox->currentText()));
    QStringList keys, labels;
    if (m_history && !m_cluster.name.isEmpty()) {
        const QStringList streams = m_history->streams(m_cluster.name);
        QSet<QString> upstreams;
        for (const QString &s : streams)
            upstreams.insert(s.section(QLatin1Char('/'), 0, 0));
        for (const QString &s : streams) {
            const QString upstream = s.section(QLatin1Char('/'), 0, 0);
            const QString standby = s.section(QLatin1Char('/'), 1);
            keys << MetricHistory::lagKey(m_cluster.name, upstream, standby, lagFor(kind, measure));
            // Name the upstream only when there is more than one (cascading standbys).
            labels << (upstreams.size() > 1 ? QStringLiteral("%1 → %2").arg(upstream, standby)
                                            : standby);
        }
    }
    static const MetricHistory empty(1);
    m_chart->refresh(m_history ? *m_history : empty, keys, windowMs(),
                     QDateTime::currentMSecsSinceEpoch(), labels);
}

void ReplicationPage::exportWithDialog(const QString &suffix)
{
    const QString name =
        QStringLiteral("replication-%1-%2.%3")
            .arg(m_cluster.name.isEmpty() ? QStringLiteral("chart") : m_cluster.name,
                 QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")), suffix);
    const QString filter =
        suffix == QLatin1String("svg") ? tr("SVG image (*.svg)") : tr("PNG image (*.png)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), name, filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + suffix;
    if (!exportChart(path))
        QMessageBox::warning(this, tr("Export chart"),
                             tr("Could not write %1.").arg(QDir::toNativeSeparators(path)));
}

QList<ReplicationPage::Stream> ReplicationPage::currentStreams() const
{
    QList<Stream> out;
    QStringList nodes = m_statuses.keys();
    nodes.sort();
    for (const QString &node : nodes) {
        const NodeStatus &s = m_statuses[node];
        for (const StandbyLag &lag : s.standbyLags)
            out.append({node, lag.name, lag, true, s.health() != NodeStatus::Health::Up});
    }
    // Standbys the inventory expects but no upstream lists: the most important card.
    QString primary;
    for (const NodeSpec &n : m_cluster.nodes)
        if (m_statuses.contains(n.name) && m_statuses[n.name].hasSample() &&
            !m_statuses[n.name].inRecovery)
            primary = n.name;
    for (const NodeSpec &n : m_cluster.nodes)
        if (primary.isEmpty() && n.role == QLatin1String("primary"))
            primary = n.name;
    for (const NodeSpec &n : m_cluster.nodes) {
        if (n.role != QLatin1String("standby"))
            continue;
        const bool listed = std::any_of(out.cbegin(), out.cend(),
                                        [&](const Stream &s) { return s.standby == n.name; });
        if (listed)
            continue;
        Stream missing;
        missing.upstream = n.upstream.isEmpty() ? primary : n.upstream;
        missing.standby = n.name;
        const auto up = m_statuses.constFind(missing.upstream);
        missing.stale = up == m_statuses.constEnd() || up->health() != NodeStatus::Health::Up;
        out.append(missing);
    }
    return out;
}

ReplicationPage::Card ReplicationPage::makeCard()
{
    Card c;
    c.frame = new QFrame(m_cardsArea);
    c.frame->setObjectName(QStringLiteral("standbyCard"));
    c.frame->setMinimumWidth(kCardMinWidth);
    c.frame->setMaximumWidth(kCardMinWidth + 120);
    c.frame->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    c.stripe = new QFrame(c.frame);
    c.stripe->setFixedWidth(4);
    c.name = styledLabel(QString(), c.frame, 1.1, true);
    c.badge = new QLabel(c.frame);
    c.badge->setObjectName(QStringLiteral("badge"));
    c.route = new QLabel(c.frame);
    c.route->setObjectName(QStringLiteral("route"));
    c.bytes = styledLabel(QString(), c.frame, 1.5, true);
    c.bytes->setObjectName(QStringLiteral("lagBytes"));
    c.seconds = styledLabel(QString(), c.frame, 1.5, true);
    c.seconds->setObjectName(QStringLiteral("lagSeconds"));
    auto *bytesCaption = new QLabel(tr("replay lag, bytes"), c.frame);
    auto *secondsCaption = new QLabel(tr("replay lag, time"), c.frame);
    for (QLabel *l : {c.route, bytesCaption, secondsCaption}) {
        QFont f = l->font();
        f.setPointSizeF(f.pointSizeF() * 0.92);
        l->setFont(f);
        l->setProperty("muted", true);
    }

    auto *top = new QHBoxLayout;
    top->setSpacing(8);
    top->addWidget(c.name);
    top->addStretch(1);
    top->addWidget(c.badge);
    auto *values = new QGridLayout;
    values->setHorizontalSpacing(18);
    values->setVerticalSpacing(0);
    values->addWidget(c.bytes, 0, 0);
    values->addWidget(c.seconds, 0, 1);
    values->addWidget(bytesCaption, 1, 0);
    values->addWidget(secondsCaption, 1, 1);
    values->setColumnStretch(2, 1);
    auto *body = new QVBoxLayout;
    body->setContentsMargins(10, 8, 12, 9);
    body->setSpacing(2);
    body->addLayout(top);
    body->addWidget(c.route);
    body->addSpacing(6);
    body->addLayout(values);
    auto *row = new QHBoxLayout(c.frame);
    row->setContentsMargins(1, 1, 1, 1);
    row->setSpacing(0);
    row->addWidget(c.stripe);
    row->addLayout(body, 1);
    return c;
}

void ReplicationPage::fillCard(Card &card, const Stream &s)
{
    const StandbyLag &lag = s.lag;
    const bool overBytes = s.present && lag.replayLagBytes >= 0 &&
                           lag.replayLagBytes >= m_cluster.monitor.lagWarnBytes;
    const bool overSeconds = s.present && lag.replayLagSeconds >= 0 &&
                             lag.replayLagSeconds >= m_cluster.monitor.lagWarnSeconds;
    const bool streaming = s.present && lag.state == QLatin1String("streaming");

    QString look;
    QColor stripe;
    if (s.stale) {
        look = QStringLiteral("stale");
        stripe = HealthStyle::staleText();
    } else if (!s.present) {
        look = QStringLiteral("missing");
        stripe = HealthStyle::color(NodeStatus::Health::Down);
    } else if (overBytes || overSeconds || !streaming) {
        look = QStringLiteral("warn");
        stripe = HealthStyle::color(NodeStatus::Health::Stale);
    } else {
        look = QStringLiteral("ok");
        stripe = HealthStyle::color(NodeStatus::Health::Up);
    }

    card.frame->setProperty("stream", QStringLiteral("%1/%2").arg(s.upstream, s.standby));
    card.frame->setProperty("stale", s.stale);
    card.frame->setProperty("present", s.present);
    card.name->setText(s.standby);
    const QString state = s.present ? lag.state : tr("not streaming");
    card.route->setText(s.upstream.isEmpty() ? state : tr("from %1 · %2").arg(s.upstream, state));
    card.badge->setText(s.stale ? tr("stale") : s.present ? lag.syncState : QString());
    card.badge->setVisible(!card.badge->text().isEmpty());
    card.bytes->setText(s.present ? LagChartView::formatBytes(double(lag.replayLagBytes))
                                  : QStringLiteral("—"));
    card.seconds->setText(s.present ? LagChartView::formatSeconds(lag.replayLagSeconds)
                                    : QStringLiteral("—"));
    card.frame->setToolTip(
        s.stale ? tr("Last known values: %1 is not answering, so these may be out of date.")
                      .arg(s.upstream)
        : !s.present
            ? tr("%1 does not list %2 in pg_stat_replication.").arg(s.upstream, s.standby)
            : tr("%1 → %2 (%3)\nsent %4 · write %5 · flush %6 behind\nwrite %7 · flush %8 · "
                 "replay %9")
                  .arg(s.upstream, s.standby, lag.clientAddr,
                       LagChartView::formatBytes(double(lag.sentLagBytes)),
                       LagChartView::formatBytes(double(lag.writeLagBytes)),
                       LagChartView::formatBytes(double(lag.flushLagBytes)),
                       LagChartView::formatSeconds(lag.writeLagSeconds),
                       LagChartView::formatSeconds(lag.flushLagSeconds),
                       LagChartView::formatSeconds(lag.replayLagSeconds)));

    const QString warnCss =
        QStringLiteral("color: %1;")
            .arg(HealthStyle::color(NodeStatus::Health::Stale).darker(115).name());
    card.bytes->setStyleSheet(!s.stale && overBytes ? warnCss : QString());
    card.seconds->setStyleSheet(!s.stale && overSeconds ? warnCss : QString());

    const QString styleKey = look + stripe.name();
    if (card.look == styleKey)
        return;
    card.look = styleKey;
    // Stylesheets are costly to apply: only when the card changes colour.
    const QPalette pal = palette();
    QColor muted = pal.color(QPalette::WindowText);
    muted.setAlphaF(0.62);
    const QString text =
        s.stale ? HealthStyle::staleText().name() : pal.color(QPalette::WindowText).name();
    QColor badgeBg = s.stale ? HealthStyle::staleText() : pal.color(QPalette::WindowText);
    badgeBg.setAlphaF(0.09);
    card.frame->setStyleSheet(
        QStringLiteral("QFrame#standbyCard { background: palette(base); border: 1px solid "
                       "palette(mid); border-radius: 6px; }"
                       "QFrame#standbyCard QLabel { color: %1; }"
                       "QFrame#standbyCard QLabel[muted=\"true\"] { color: %2; }"
                       "QLabel#badge { background: %3; border-radius: 8px; padding: 1px 8px; "
                       "color: %2; }")
            .arg(text, s.stale ? HealthStyle::staleText().name() : colorCss(muted),
                 colorCss(badgeBg)));
    card.stripe->setStyleSheet(
        QStringLiteral("background: %1; border: none; border-top-left-radius: 5px; "
                       "border-bottom-left-radius: 5px;")
            .arg(stripe.name()));
}

void ReplicationPage::updateCards()
{
    const QList<Stream> streams = currentStreams();
    bool relayout = false;
    while (m_cards.size() < streams.size()) {
        m_cards.append(makeCard());
        relayout = true;
    }
    while (m_cards.size() > streams.size()) {
        delete m_cards.takeLast().frame;
        relayout = true;
    }
    for (int i = 0; i < streams.size(); ++i)
        fillCard(m_cards[i], streams[i]);
    m_cardsArea->setVisible(!m_cards.isEmpty());
    if (relayout) {
        m_cardColumns = 0;
        layoutCards();
    }
    updateSummary(streams);
}

void ReplicationPage::layoutCards()
{
    // As many cards per row as fit, wrapping into further rows: no horizontal scrolling.
    const int usable =
        qMax(kCardMinWidth, m_cardsArea->width() > 0 ? m_cardsArea->width() : width() - 32);
    const int columns = qMax(1, qMin(int(m_cards.size()), (usable + 10) / (kCardMinWidth + 10)));
    if (columns == m_cardColumns)
        return;
    m_cardColumns = columns;
    for (const Card &c : std::as_const(m_cards))
        m_cardsGrid->removeWidget(c.frame);
    for (int i = 0; i < m_cards.size(); ++i)
        m_cardsGrid->addWidget(m_cards[i].frame, i / columns, i % columns);
    for (int c = 0; c <= columns; ++c)
        m_cardsGrid->setColumnStretch(c, c == columns ? 1 : 0);
}

void ReplicationPage::updateSummary(const QList<Stream> &streams)
{
    if (m_cluster.name.isEmpty()) {
        m_summary->clear();
        return;
    }
    int ok = 0, warn = 0, missing = 0, stale = 0;
    for (const Stream &s : streams) {
        if (s.stale)
            ++stale;
        else if (!s.present)
            ++missing;
        else if (s.lag.state != QLatin1String("streaming") ||
                 s.lag.replayLagBytes >= m_cluster.monitor.lagWarnBytes ||
                 s.lag.replayLagSeconds >= m_cluster.monitor.lagWarnSeconds)
            ++warn;
        else
            ++ok;
    }
    auto part = [](const QColor &c, int n, const QString &what) {
        return QStringLiteral("<span style='color:%1'>&#9679;</span>&nbsp;%2 %3")
            .arg(c.name())
            .arg(n)
            .arg(what);
    };
    QStringList parts{streams.size() == 1 ? tr("1 standby")
                                          : tr("%1 standbys").arg(streams.size())};
    parts << part(HealthStyle::color(NodeStatus::Health::Up), ok, tr("streaming"));
    if (warn)
        parts << part(HealthStyle::color(NodeStatus::Health::Stale), warn, tr("lagging"));
    if (missing)
        parts << part(HealthStyle::color(NodeStatus::Health::Down), missing, tr("not streaming"));
    if (stale)
        parts << part(HealthStyle::staleText(), stale, tr("stale"));
    m_summary->setText(parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
}

void ReplicationPage::updateSlotsView()
{
    const int rows = m_slots->rowCount();
    const bool any = rows > 0;
    m_slotsView->setVisible(any);
    m_noSlots->setVisible(!any && !m_cluster.name.isEmpty());
    m_slotsTitle->setVisible(!m_cluster.name.isEmpty());
    m_slotsTitle->setText(any ? tr("Replication slots (%1)").arg(rows) : tr("Replication slots"));
    if (!any)
        return;
    // Tall enough for the rows (up to a few, then it scrolls): the chart gets the rest.
    const int shown = qMin(rows, kSlotRowsShown);
    const int height = m_slotsView->horizontalHeader()->sizeHint().height() +
                       shown * m_slotsView->verticalHeader()->defaultSectionSize() +
                       2 * m_slotsView->frameWidth();
    if (m_slotsView->height() != height)
        m_slotsView->setFixedHeight(height);
}

} // namespace pgdeck
