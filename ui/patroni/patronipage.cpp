#include "patronipage.h"

#include "common/cleanitemdelegate.h"
#include "common/emptystatewidget.h"
#include "common/healthstyle.h"
#include "common/styledlabel.h"
#include "common/tablestyle.h"
#include "patronimembersmodel.h"
#include "plan/auditlog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

// Switchover and restart answer only once done: give Patroni time to finish.
constexpr int kActionTimeoutMs = 90 * 1000;
constexpr int kHistoryRowsShown = 10;

QLabel *banner(const QString &name, const QColor &accent, QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setObjectName(name);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QColor background = accent;
    background.setAlphaF(0.14);
    l->setStyleSheet(QStringLiteral("QLabel#%1 { background: rgba(%2,%3,%4,%5); color: %6; "
                                    "border-left: 4px solid %7; padding: 6px 10px; }")
                         .arg(name)
                         .arg(background.red())
                         .arg(background.green())
                         .arg(background.blue())
                         .arg(background.alphaF(), 0, 'f', 2)
                         .arg(accent.darker(150).name(), accent.name()));
    l->hide();
    return l;
}

QPushButton *actionButton(const QString &text, const QString &name, const QString &toolTip,
                          QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    b->setAccessibleName(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")));
    b->setToolTip(toolTip);
    return b;
}

} // namespace

PatroniPage::PatroniPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(this))
    , m_summary(new QLabel(this))
    , m_pausedBanner(banner(QStringLiteral("pausedBanner"),
                            HealthStyle::color(NodeStatus::Health::Stale), this))
    , m_staleBanner(
          banner(QStringLiteral("staleBanner"), HealthStyle::color(NodeStatus::Health::Down), this))
    , m_model(new PatroniMembersModel(this))
    , m_table(new QTableView(this))
    , m_history(new QTreeWidget(this))
    , m_noHistory(new QLabel(this))
    , m_result(new QLabel(this))
    , m_switchover(actionButton(tr("Switchover…"), QStringLiteral("switchoverButton"),
                                tr("Hand the leader role to a healthy replica"), this))
    , m_failover(actionButton(tr("Failover…"), QStringLiteral("failoverButton"),
                              tr("Promote a replica without waiting for the leader"), this))
    , m_restart(actionButton(tr("Restart member"), QStringLiteral("restartButton"),
                             tr("Restart PostgreSQL on the selected member"), this))
    , m_reinit(actionButton(tr("Reinitialize member"), QStringLiteral("reinitButton"),
                            tr("Wipe the selected replica and copy it again from the leader"),
                            this))
    , m_pause(actionButton(tr("Pause"), QStringLiteral("pauseButton"),
                           tr("Maintenance mode: Patroni stops failing over and restarting"), this))
{
    setObjectName(QStringLiteral("patroniPage"));

    auto *content = new QWidget(this);
    auto *title = styledLabel(tr("Patroni"), content, 1.45, true);
    m_summary->setObjectName(QStringLiteral("patroniSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addSpacing(16);
    header->addWidget(m_summary, 1, Qt::AlignBottom);

    auto *actions = new QHBoxLayout;
    actions->addWidget(styledLabel(tr("Members"), content, 1.1, true));
    actions->addStretch(1);
    for (QPushButton *b : {m_switchover, m_failover, m_restart, m_reinit})
        actions->addWidget(b);
    actions->addSpacing(12);
    actions->addWidget(m_pause);

    m_table->setObjectName(QStringLiteral("membersView"));
    m_table->setModel(m_model);
    TableStyle::apply(m_table);
    const QString tableCss = QString::fromLatin1(TableStyle::styleSheet());
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    QHeaderView *h = m_table->horizontalHeader();
    h->setHighlightSections(false);
    h->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    h->setMinimumSectionSize(80);
    h->setSectionResizeMode(QHeaderView::ResizeToContents);
    h->setStretchLastSection(true);

    m_result->setObjectName(QStringLiteral("actionResult"));
    m_result->setTextFormat(Qt::RichText);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();

    m_history->setObjectName(QStringLiteral("historyView"));
    m_history->setHeaderLabels(
        {tr("Timeline"), tr("LSN"), tr("Reason"), tr("Time"), tr("New leader")});
    m_history->setRootIsDecorated(false);
    m_history->setAlternatingRowColors(true);
    m_history->setSelectionMode(QAbstractItemView::NoSelection);
    m_history->setUniformRowHeights(true);
    // A tree has no fixed section size: padding gives its rows the table's height.
    m_history->setStyleSheet(tableCss + QStringLiteral("QTreeView::item { padding: 6px 8px; }"));
    m_history->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_history->setItemDelegate(new CleanItemDelegate(m_history));
    m_history->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_history->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_history->header()->setStretchLastSection(true);
    m_noHistory->setText(tr("No timeline switch yet: the first leader still leads."));
    QPalette np = m_noHistory->palette();
    np.setColor(QPalette::WindowText, HealthStyle::staleText());
    m_noHistory->setPalette(np);

    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(10);
    layout->addLayout(header);
    layout->addWidget(m_staleBanner);
    layout->addWidget(m_pausedBanner);
    layout->addSpacing(4);
    layout->addLayout(actions);
    layout->addWidget(m_table);
    layout->addWidget(m_result);
    layout->addSpacing(4);
    layout->addWidget(styledLabel(tr("Timeline history"), content, 1.1, true));
    layout->addWidget(m_history);
    layout->addWidget(m_noHistory);
    layout->addStretch(1);

    m_stack->addWidget(content);
    m_stack->addWidget(m_empty);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    using A = PatroniActionDialog::Action;
    connect(m_switchover, &QPushButton::clicked, this, [this] { openDialog(A::Switchover); });
    connect(m_failover, &QPushButton::clicked, this, [this] { openDialog(A::Failover); });
    connect(m_restart, &QPushButton::clicked, this, [this] { openDialog(A::Restart); });
    connect(m_reinit, &QPushButton::clicked, this, [this] { openDialog(A::Reinitialize); });
    connect(m_pause, &QPushButton::clicked, this,
            [this] { openDialog(m_snapshot.state.paused ? A::Resume : A::Pause); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PatroniPage::updateButtons);

    setCluster({});
}

void PatroniPage::setCluster(const ClusterSpec &cluster)
{
    if (cluster.name != m_cluster.name) {
        ++m_generation;
        m_snapshot = {};
        m_hasSnapshot = false;
        m_model->clear();
        m_result->hide();
        m_lastMessage.clear();
        if (m_dialog)
            m_dialog->reject(); // it asked about the other cluster
    }
    m_cluster = cluster;
    m_restUrls.clear();
    for (const NodeSpec &n : cluster.nodes)
        if (!n.patroni.isEmpty())
            m_restUrls << QUrl(n.patroni);

    if (cluster.name.isEmpty()) {
        m_empty->setTitle(tr("No cluster selected"));
        m_empty->setMessage(tr("Select a cluster to see its Patroni members."));
        m_stack->setCurrentWidget(m_empty);
    } else if (m_restUrls.isEmpty()) {
        m_empty->setTitle(tr("%1 is not managed by Patroni").arg(cluster.name));
        m_empty->setMessage(
            tr("None of its nodes names a Patroni REST API (<tt>patroni:</tt> in the "
               "inventory).<br>To create a highly available cluster that Patroni manages, use "
               "<b>File › Create Patroni Cluster…</b>"));
        m_stack->setCurrentIndex(1);
    } else {
        m_stack->setCurrentIndex(0);
    }
    updateHeader();
    updateHistory();
    updateButtons();
    fitTable();
}

void PatroniPage::updateSnapshot(const PatroniSnapshot &snapshot)
{
    if (m_cluster.name.isEmpty() || snapshot.cluster != m_cluster.name)
        return;
    const QString selected = selectedMember();
    m_snapshot = snapshot;
    m_hasSnapshot = true;
    m_model->resetData(snapshot);
    if (!selected.isEmpty())
        selectMember(selected); // a reset drops the selection: keep the user's choice
    updateHeader();
    updateHistory();
    updateButtons();
    fitTable();
}

QString PatroniPage::selectedMember() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString()
                          : rows.first().data(PatroniMembersModel::MemberNameRole).toString();
}

void PatroniPage::selectMember(const QString &member)
{
    const int row = m_model->rowOf(member);
    if (row < 0) {
        m_table->clearSelection();
        return;
    }
    m_table->selectionModel()->select(m_model->index(row, 0), QItemSelectionModel::ClearAndSelect |
                                                                  QItemSelectionModel::Rows);
}

QString PatroniPage::formatLsn(qint64 lsn)
{
    if (lsn < 0)
        return QStringLiteral("—");
    const auto value = quint64(lsn);
    return QStringLiteral("%1/%2")
        .arg(value >> 32, 0, 16)
        .arg(value & 0xffffffffu, 0, 16)
        .toUpper();
}

const PatroniMember *PatroniPage::memberNamed(const QString &name) const
{
    return m_snapshot.state.member(name);
}

void PatroniPage::updateHeader()
{
    const PatroniClusterState &s = m_snapshot.state;
    if (!m_hasSnapshot) {
        m_summary->setText(m_restUrls.isEmpty()
                               ? QString()
                               : tr("Waiting for Patroni at %1…")
                                     .arg(m_restUrls.first().toString().toHtmlEscaped()));
        m_pausedBanner->hide();
        m_staleBanner->hide();
        return;
    }
    const QString leader = s.leader();
    int timeline = -1;
    for (const PatroniMember &m : s.members)
        if (m.name == leader || (leader.isEmpty() && m.timeline > timeline))
            timeline = m.timeline;
    QStringList parts;
    // Older Patroni versions do not report the scope: the inventory's name stands in.
    parts << (s.scope.isEmpty() ? tr("cluster <b>%1</b>").arg(m_cluster.name.toHtmlEscaped())
                                : tr("scope <b>%1</b>").arg(s.scope.toHtmlEscaped()));
    parts << (leader.isEmpty() ? tr("<span style='color:%1'>no leader</span>")
                                     .arg(HealthStyle::color(NodeStatus::Health::Down).name())
                               : tr("leader <b>%1</b>").arg(leader.toHtmlEscaped()));
    if (timeline >= 0)
        parts << tr("timeline <b>%1</b>").arg(timeline);
    parts << (s.members.size() == 1 ? tr("1 member") : tr("%1 members").arg(s.members.size()));
    const PatroniScheduledSwitchover &planned = s.scheduledSwitchover;
    if (planned.isValid())
        parts << tr("switchover scheduled at %1%2")
                     .arg(planned.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                          planned.to.isEmpty() ? QString() : tr(" to %1").arg(planned.to));
    m_summary->setText(parts.join(QStringLiteral("&nbsp;&nbsp;·&nbsp;&nbsp;")));

    m_pausedBanner->setText(tr("Maintenance mode: paused. Patroni does not fail over or "
                               "restart members until the cluster is resumed."));
    m_pausedBanner->setVisible(s.paused);
    if (!m_snapshot.reachable) {
        const QDateTime from = m_model->dataFrom();
        m_staleBanner->setText(
            from.isValid() ? tr("Patroni not answering: %1 — showing data from %2")
                                 .arg(m_snapshot.error, from.toString(QStringLiteral("HH:mm:ss")))
                           : tr("Patroni not answering: %1").arg(m_snapshot.error));
    }
    m_staleBanner->setVisible(!m_snapshot.reachable);
}

void PatroniPage::updateHistory()
{
    m_history->clear();
    // Newest first: the switch that just happened is the one the user looks for.
    for (auto it = m_snapshot.history.crbegin(); it != m_snapshot.history.crend(); ++it) {
        const PatroniHistoryEntry &e = *it;
        auto *item = new QTreeWidgetItem(m_history);
        item->setText(0, QString::number(e.timeline));
        item->setText(1, formatLsn(e.lsn));
        item->setText(2, e.reason);
        item->setToolTip(2, e.reason);
        item->setText(3, e.timestamp.isValid() ? e.timestamp.toLocalTime().toString(
                                                     QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                               : QString());
        item->setText(4, e.newLeader);
    }
    const bool any = !m_snapshot.history.isEmpty();
    m_history->setVisible(any);
    m_noHistory->setVisible(!any && m_hasSnapshot);
    if (!any)
        return;
    // As tall as its rows, up to a screenful; older switches scroll.
    const int rows = qMin(int(m_snapshot.history.size()), kHistoryRowsShown);
    const int rowHeight = m_history->sizeHintForRow(0) > 0 ? m_history->sizeHintForRow(0)
                                                           : fontMetrics().height() + 14;
    m_history->setFixedHeight(m_history->header()->sizeHint().height() + rows * rowHeight +
                              2 * m_history->frameWidth() + 2);
}

void PatroniPage::updateButtons()
{
    const bool live = m_hasSnapshot && m_snapshot.reachable && m_running == 0;
    const PatroniClusterState &s = m_snapshot.state;
    const QString selected = selectedMember();
    const PatroniMember *member = selected.isEmpty() ? nullptr : memberNamed(selected);
    m_switchover->setEnabled(live && !s.leader().isEmpty() && s.members.size() > 1);
    m_failover->setEnabled(live && s.members.size() > 1);
    m_restart->setEnabled(live && member);
    m_reinit->setEnabled(live && member && !member->isLeader());
    m_pause->setEnabled(live);
    m_pause->setText(s.paused ? tr("Resume") : tr("Pause"));
    m_pause->setAccessibleName(m_pause->text());
    m_pause->setToolTip(s.paused
                            ? tr("Leave maintenance mode: Patroni manages PostgreSQL again")
                            : tr("Maintenance mode: Patroni stops failing over and restarting"));
    const QString pick = tr("Select a member in the table first");
    m_restart->setToolTip(member ? tr("Restart PostgreSQL on %1").arg(selected) : pick);
    m_reinit->setToolTip(
        !member ? pick
        : member->isLeader()
            ? tr("%1 is the leader: only replicas can be reinitialized").arg(selected)
            : tr("Wipe %1 and copy it again from the leader").arg(selected));
}

void PatroniPage::fitTable()
{
    // Tall enough for every member: the history below takes what is left.
    const int rows = qMax(1, m_model->rowCount());
    const int height = m_table->horizontalHeader()->sizeHint().height() +
                       rows * m_table->verticalHeader()->defaultSectionSize() +
                       2 * m_table->frameWidth();
    if (m_table->height() != height)
        m_table->setFixedHeight(height);
}

void PatroniPage::openDialog(PatroniActionDialog::Action action)
{
    if (m_dialog)
        m_dialog->reject();
    const QString member = selectedMember();
    auto *dialog = new PatroniActionDialog(action, m_snapshot.state, member, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] { onDialogAccepted(dialog); });
    dialog->open(); // window-modal, and the event loop keeps running
}

void PatroniPage::onDialogAccepted(PatroniActionDialog *dialog)
{
    using A = PatroniActionDialog::Action;
    switch (dialog->action()) {
    case A::Switchover:
        runSwitchover(dialog->candidate(), dialog->scheduledAt());
        break;
    case A::Failover:
        runFailover(dialog->candidate());
        break;
    case A::Restart:
        runRestart(dialog->member());
        break;
    case A::Reinitialize:
        runReinitialize(dialog->member(), dialog->force());
        break;
    case A::Pause:
        runSetPaused(true);
        break;
    case A::Resume:
        runSetPaused(false);
        break;
    }
}

QUrl PatroniPage::actionBaseUrl() const
{
    // The member that answered last is the one most likely to answer again.
    if (m_snapshot.reachable && m_snapshot.source.isValid())
        return m_snapshot.source;
    return m_restUrls.isEmpty() ? QUrl() : m_restUrls.first();
}

PatroniClient *PatroniPage::newClient()
{
    // One client per action: its answer cannot be confused with another's, and it goes
    // away once that answer is in.
    auto *client = new PatroniClient(actionBaseUrl(), this);
    client->setTimeout(kActionTimeoutMs);
    return client;
}

PatroniPage::Pending PatroniPage::pending(const QString &step, const QString &node,
                                          const QString &details, const QString &title,
                                          const QString &done) const
{
    Pending p;
    p.cluster = m_cluster.name;
    p.step = QStringLiteral("patroni ") + step;
    p.node = node;
    p.details = details;
    p.title = title;
    p.done = done;
    p.generation = m_generation;
    return p;
}

void PatroniPage::runSwitchover(const QString &candidate, const QDateTime &scheduledAt)
{
    const QString leader = m_snapshot.state.leader();
    QString details = QStringLiteral("leader=%1 candidate=%2").arg(leader, candidate);
    QString title = tr("Switchover from %1 to %2").arg(leader, candidate);
    if (scheduledAt.isValid()) {
        details += QStringLiteral(" scheduled_at=") + scheduledAt.toString(Qt::ISODate);
        title = tr("Switchover to %1 at %2")
                    .arg(candidate, scheduledAt.toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    }
    PatroniClient *client = newClient();
    track(client, client->switchover(leader, candidate, scheduledAt),
          pending(QStringLiteral("switchover"), candidate, details, title,
                  tr("%1 is the new leader.").arg(candidate)));
}

void PatroniPage::runFailover(const QString &candidate)
{
    PatroniClient *client = newClient();
    track(client, client->failover(candidate),
          pending(QStringLiteral("failover"), candidate,
                  QStringLiteral("candidate=%1").arg(candidate),
                  tr("Failover to %1").arg(candidate), tr("%1 is the new leader.").arg(candidate)));
}

void PatroniPage::runRestart(const QString &member)
{
    const PatroniMember *m = memberNamed(member);
    PatroniClient *client = newClient();
    // Restart acts on the member that receives it: send it to that member's own API.
    track(client, client->restart(m ? m->apiBaseUrl() : QUrl()),
          pending(QStringLiteral("restart"), member, QString(), tr("Restart of %1").arg(member),
                  tr("PostgreSQL on %1 restarted.").arg(member)));
}

void PatroniPage::runReinitialize(const QString &member, bool force)
{
    const PatroniMember *m = memberNamed(member);
    PatroniClient *client = newClient();
    track(client, client->reinitialize(m ? m->apiBaseUrl() : QUrl(), force),
          pending(QStringLiteral("reinitialize"), member,
                  force ? QStringLiteral("force=true") : QString(),
                  tr("Reinitialization of %1").arg(member),
                  tr("%1 is being copied again from the leader.").arg(member)));
}

void PatroniPage::runSetPaused(bool paused)
{
    PatroniClient *client = newClient();
    track(
        client, client->setPaused(paused),
        pending(
            paused ? QStringLiteral("pause") : QStringLiteral("resume"),
            actionBaseUrl().authority(),
            QStringLiteral("pause=%1").arg(paused ? QLatin1String("true") : QLatin1String("false")),
            paused ? tr("Pause") : tr("Resume"),
            paused ? tr("Cluster paused: Patroni will not fail over until it is resumed.")
                   : tr("Cluster resumed: Patroni manages PostgreSQL again.")));
}

void PatroniPage::track(PatroniClient *client, int requestId, const Pending &pending)
{
    ++m_running;
    showRunning(tr("%1: waiting for Patroni…").arg(pending.title));
    updateButtons();
    connect(client, &PatroniClient::actionFinished, this,
            [this, client, requestId, pending](int id, const PatroniResult &result) {
                if (id != requestId)
                    return;
                client->deleteLater();
                --m_running;
                finish(pending, result);
            });
}

void PatroniPage::showRunning(const QString &text)
{
    m_result->setText(text.toHtmlEscaped());
    m_result->setStyleSheet(QString());
    m_result->show();
}

void PatroniPage::finish(const Pending &p, const PatroniResult &result)
{
    // The audit log records what was asked and Patroni's answer, whatever the page shows.
    AuditRecord record;
    record.cluster = p.cluster;
    record.step = p.step;
    record.node = p.node;
    record.kind = QStringLiteral("patroni");
    record.what = QStringLiteral("%1 %2").arg(result.method, result.url.toString());
    if (!p.details.isEmpty())
        record.what += QLatin1Char(' ') + p.details;
    record.outcome = result.ok ? QStringLiteral("ok") : QStringLiteral("failed");
    record.message = result.message;
    QString auditError;
    const bool audited = AuditLog::append(record, &auditError);

    updateButtons();
    if (p.generation != m_generation)
        return; // the user moved to another cluster meanwhile

    QString html;
    if (result.ok) {
        m_lastMessage =
            result.message.isEmpty() ? p.done : tr("%1: %2").arg(p.title, result.message);
        html = QStringLiteral("<span style='color:%1'>&#10003;</span> %2")
                   .arg(HealthStyle::color(NodeStatus::Health::Up).name(),
                        m_lastMessage.toHtmlEscaped());
    } else {
        // Patroni's own words, untouched: they say why it refused.
        m_lastMessage = result.message;
        const QString status =
            result.httpStatus > 0 ? tr(" (HTTP %1)").arg(result.httpStatus) : QString();
        html = QStringLiteral("<b>%1</b> <span style='color:%2'>%3</span>")
                   .arg(tr("%1 failed%2:").arg(p.title, status).toHtmlEscaped(),
                        HealthStyle::color(NodeStatus::Health::Down).name(),
                        result.message.toHtmlEscaped().replace(QLatin1Char('\n'),
                                                               QStringLiteral("<br>")));
    }
    if (!audited)
        html += QStringLiteral("<br><span style='color:%1'>%2</span>")
                    .arg(HealthStyle::color(NodeStatus::Health::Stale).darker(130).name(),
                         tr("Not recorded in the audit log: %1").arg(auditError).toHtmlEscaped());
    m_lastOk = result.ok;
    m_result->setText(html);
    m_result->setToolTip(QStringLiteral("%1 %2").arg(result.method, result.url.toString()));
    m_result->show();
    Q_EMIT actionFinished(result.ok, m_lastMessage);
    Q_EMIT refreshRequested();
}

} // namespace pgdeck
