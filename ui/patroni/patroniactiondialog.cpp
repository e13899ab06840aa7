#include "patroniactiondialog.h"

#include "common/healthstyle.h"
#include "patronimembersmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

bool isHealthyState(const QString &state)
{
    return state == QLatin1String("running") || state == QLatin1String("streaming");
}

QLabel *wrapped(const QString &html, QWidget *parent)
{
    auto *l = new QLabel(html, parent);
    l->setWordWrap(true);
    l->setTextFormat(Qt::RichText);
    return l;
}

} // namespace

PatroniActionDialog::PatroniActionDialog(Action action, const PatroniClusterState &state,
                                         const QString &member, QWidget *parent)
    : QDialog(parent)
    , m_action(action)
    , m_member(member)
{
    setObjectName(QStringLiteral("patroniActionDialog"));
    const QString scope = state.scope.isEmpty() ? QString() : QStringLiteral(" — ") + state.scope;
    const QString leader = state.leader();
    const QString who = member.toHtmlEscaped();

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_warning = wrapped(QString(), this);
    m_warning->setObjectName(QStringLiteral("actionWarning"));
    const QString warnStyle =
        QStringLiteral("color: %1;").arg(HealthStyle::color(NodeStatus::Health::Down).name());

    QString intro;
    QString confirmText;
    switch (action) {
    case Action::Switchover:
        setWindowTitle(tr("Switchover%1").arg(scope));
        intro = leader.isEmpty()
                    ? tr("No member holds the leader key, so there is nothing to switch over "
                         "from. Use Failover to promote a replica.")
                    : tr("<b>%1</b> hands the leader role to the replica you choose. Patroni "
                         "stops writes on %1 first, so no committed transaction is lost; "
                         "clients have to reconnect.")
                          .arg(leader.toHtmlEscaped());
        confirmText = tr("&Switch over");
        buildCandidates(state, false);
        form->addRow(tr("New leader:"), m_candidate);
        m_scheduleCheck = new QCheckBox(tr("Not now, at:"), this);
        m_scheduleCheck->setObjectName(QStringLiteral("scheduleCheck"));
        m_scheduleEdit = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(15 * 60), this);
        m_scheduleEdit->setObjectName(QStringLiteral("scheduleEdit"));
        m_scheduleEdit->setCalendarPopup(true);
        m_scheduleEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        m_scheduleEdit->setMinimumDateTime(QDateTime::currentDateTime());
        m_scheduleEdit->setEnabled(false);
        m_scheduleEdit->setAccessibleName(tr("Scheduled switchover time"));
        connect(m_scheduleCheck, &QCheckBox::toggled, m_scheduleEdit, &QWidget::setEnabled);
        form->addRow(m_scheduleCheck, m_scheduleEdit);
        break;
    case Action::Failover:
        setWindowTitle(tr("Failover%1").arg(scope));
        intro = tr("Patroni promotes the replica you choose without waiting for the leader.");
        m_warning->setText(
            tr("Transactions the candidate has not received yet are lost. While the leader "
               "is healthy, use Switchover instead."));
        m_warning->setStyleSheet(warnStyle);
        confirmText = tr("&Fail over");
        buildCandidates(state, true);
        form->addRow(tr("New leader:"), m_candidate);
        break;
    case Action::Restart:
        setWindowTitle(tr("Restart %1").arg(member));
        intro = tr("Restart PostgreSQL on <b>%1</b>? Its connections are dropped; Patroni brings "
                   "it back with the same role.")
                    .arg(who);
        if (member == leader)
            m_warning->setText(tr("%1 is the leader: writes fail until it is back.").arg(who));
        confirmText = tr("&Restart");
        break;
    case Action::Reinitialize:
        setWindowTitle(tr("Reinitialize %1").arg(member));
        intro = tr("Reinitialize <b>%1</b> from the leader?").arg(who);
        m_warning->setText(
            member == leader
                ? tr("%1 is the leader: Patroni only reinitializes replicas.").arg(who)
                : tr("This <b>wipes the data directory of %1</b> and copies it again from the "
                     "leader. Anything in it that the leader does not have is lost, and %1 "
                     "serves no queries until the copy is done.")
                      .arg(who));
        m_warning->setStyleSheet(warnStyle);
        m_force = new QCheckBox(tr("Force, even while Patroni is busy restarting a failed "
                                   "PostgreSQL on %1")
                                    .arg(member),
                                this);
        m_force->setObjectName(QStringLiteral("forceCheck"));
        confirmText = tr("&Reinitialize");
        break;
    case Action::Pause:
        setWindowTitle(tr("Pause%1").arg(scope));
        intro = tr("Put the cluster in maintenance mode? Patroni stops managing PostgreSQL: "
                   "no automatic failover and no restarts until you resume.");
        confirmText = tr("&Pause");
        break;
    case Action::Resume:
        setWindowTitle(tr("Resume%1").arg(scope));
        intro = tr("Leave maintenance mode? Patroni manages PostgreSQL again and may restart "
                   "or fail over members that look unhealthy.");
        confirmText = tr("&Resume");
        break;
    }

    auto *introLabel = wrapped(intro, this);
    introLabel->setObjectName(QStringLiteral("actionIntro"));
    layout->addWidget(introLabel);
    if (form->rowCount() > 0)
        layout->addLayout(form);
    else
        delete form;
    layout->addWidget(m_warning);
    m_warning->setVisible(!m_warning->text().isEmpty());
    if (m_force)
        layout->addWidget(m_force);
    layout->addStretch(1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_confirm = buttons->addButton(confirmText, QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("confirmButton"));
    m_confirm->setAccessibleName(QString(confirmText).remove(QLatin1Char('&')));
    // Losing data should take a deliberate click, not an Enter.
    const bool risky = action == Action::Failover || action == Action::Reinitialize;
    m_confirm->setAutoDefault(!risky);
    m_confirm->setDefault(!risky);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(risky);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // Patroni would refuse these anyway; say so here instead of after the click.
    m_blocked = (action == Action::Switchover && leader.isEmpty()) ||
                (action == Action::Reinitialize && member == leader);
    if (m_candidate)
        connect(m_candidate, &QComboBox::currentIndexChanged, this,
                &PatroniActionDialog::updateConfirm);
    updateConfirm();
    setMinimumWidth(480);
}

QString PatroniActionDialog::candidateLabel(const PatroniMember &m)
{
    QStringList why{m.role, m.state};
    if (isHealthyState(m.state) && m.lagBytes != 0)
        why << tr("lag %1").arg(PatroniMembersModel::formatLag(m.lagBytes));
    if (m.tags.value(QLatin1String("nofailover")).toBool())
        why << QStringLiteral("nofailover");
    return QStringLiteral("%1 (%2)").arg(m.name, why.join(QStringLiteral(", ")));
}

void PatroniActionDialog::buildCandidates(const PatroniClusterState &state, bool failover)
{
    m_candidate = new QComboBox(this);
    m_candidate->setObjectName(QStringLiteral("candidateCombo"));
    m_candidate->setAccessibleName(tr("Candidate"));
    m_candidate->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    const QString leader = state.leader();
    for (const PatroniMember &m : state.members) {
        // A failover may also be asked for while the leader key is held by nobody.
        if (m.name == leader || (!failover && m.isLeader()))
            continue;
        m_candidate->addItem(candidateLabel(m), m.name);
        // Patroni refuses a candidate that is down, lagging or tagged nofailover: say why.
        if (!isHealthyState(m.state) || m.lagBytes != 0 ||
            m.tags.value(QLatin1String("nofailover")).toBool())
            m_candidate->setItemData(m_candidate->count() - 1,
                                     HealthStyle::color(NodeStatus::Health::Stale).darker(130),
                                     Qt::ForegroundRole);
    }
}

void PatroniActionDialog::updateConfirm()
{
    m_confirm->setEnabled(!m_blocked && (!m_candidate || m_candidate->count() > 0));
}

QString PatroniActionDialog::candidate() const
{
    return m_candidate ? m_candidate->currentData().toString() : QString();
}

QDateTime PatroniActionDialog::scheduledAt() const
{
    if (!m_scheduleCheck || !m_scheduleCheck->isChecked())
        return {};
    // Patroni refuses a time without a zone: pin the local offset.
    const QDateTime local = m_scheduleEdit->dateTime();
    return local.toOffsetFromUtc(local.offsetFromUtc());
}

bool PatroniActionDialog::force() const
{
    return m_force && m_force->isChecked();
}

} // namespace pgdeck
