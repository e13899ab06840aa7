#include "patronimembersmodel.h"

#include "common/healthstyle.h"

#include <QFont>
#include <QJsonValue>
#include <QLocale>

namespace pgdeck {

namespace {

bool isHealthyState(const QString &state)
{
    return state == QLatin1String("running") || state == QLatin1String("streaming");
}

} // namespace

PatroniMembersModel::PatroniMembersModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void PatroniMembersModel::resetData(const PatroniSnapshot &snapshot)
{
    beginResetModel();
    if (snapshot.cluster != m_cluster)
        m_dataFrom = {};
    m_cluster = snapshot.cluster;
    m_state = snapshot.state;
    m_stale = !snapshot.reachable;
    // The watcher stamps failed polls too: the data is as old as the last answer.
    if (snapshot.reachable)
        m_dataFrom = snapshot.sampledAt.toLocalTime();
    endResetModel();
}

void PatroniMembersModel::clear()
{
    beginResetModel();
    m_cluster.clear();
    m_state = {};
    m_stale = false;
    m_dataFrom = {};
    endResetModel();
}

int PatroniMembersModel::rowOf(const QString &member) const
{
    for (int i = 0; i < m_state.members.size(); ++i)
        if (m_state.members[i].name == member)
            return i;
    return -1;
}

int PatroniMembersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_state.members.size());
}

int PatroniMembersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PatroniMembersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PatroniMember &m = m_state.members[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(m, index.column());
    case SortRole:
        return sortValue(m, index.column());
    case MemberNameRole:
        return m.name;
    case LeaderRole:
        return m.isLeader();
    case Qt::ToolTipRole:
        return toolTip(m, index.column());
    case Qt::ForegroundRole:
        if (m_stale)
            return HealthStyle::staleText();
        if (index.column() == StateColumn && !isHealthyState(m.state))
            return HealthStyle::color(NodeStatus::Health::Stale).darker(130);
        if (index.column() == PendingRestartColumn && m.pendingRestart)
            return HealthStyle::color(NodeStatus::Health::Stale).darker(130);
        return {};
    case Qt::FontRole:
        if (m.isLeader() && (index.column() == MemberColumn || index.column() == RoleColumn)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == TimelineColumn || index.column() == LagColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant PatroniMembersModel::display(const PatroniMember &m, int column) const
{
    switch (column) {
    case MemberColumn:
        return m.name;
    case HostColumn:
        return m.port > 0 ? QStringLiteral("%1:%2").arg(m.host).arg(m.port) : m.host;
    case RoleColumn:
        return m.role;
    case StateColumn:
        return m.state;
    case TimelineColumn:
        return m.timeline >= 0 ? QString::number(m.timeline) : QStringLiteral("—");
    case LagColumn:
        // The leader is the reference point: it has no lag of its own.
        return m.isLeader() ? QStringLiteral("—") : formatLag(m.lagBytes);
    case PendingRestartColumn:
        return m.pendingRestart ? tr("yes") : QString();
    case TagsColumn:
        return formatTags(m.tags);
    default:
        return {};
    }
}

QVariant PatroniMembersModel::sortValue(const PatroniMember &m, int column) const
{
    switch (column) {
    case TimelineColumn:
        return m.timeline;
    case LagColumn:
        return m.isLeader() ? qint64(-2) : m.lagBytes;
    case PendingRestartColumn:
        return m.pendingRestart;
    default:
        return display(m, column);
    }
}

QString PatroniMembersModel::toolTip(const PatroniMember &m, int column) const
{
    if (m_stale) {
        return m_dataFrom.isValid()
                   ? tr("Patroni is not answering: this is what it reported at %1.")
                         .arg(QLocale().toString(m_dataFrom, QLocale::LongFormat))
                   : tr("Patroni is not answering: these values may be out of date.");
    }
    switch (column) {
    case LagColumn:
        if (!m.isLeader() && m.lagBytes >= 0)
            return tr("%1 bytes of WAL behind the leader").arg(QLocale().toString(m.lagBytes));
        return {};
    case PendingRestartColumn:
        return m.pendingRestart ? tr("A changed setting takes effect only after a restart.")
                                : QString();
    case HostColumn:
        return m.apiUrl.isEmpty() ? QString() : tr("REST API: %1").arg(m.apiUrl);
    default:
        return {};
    }
}

QVariant PatroniMembersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    // Numbers sit on the right, their headers with them.
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(
            (section == TimelineColumn || section == LagColumn ? Qt::AlignRight : Qt::AlignLeft) |
            Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case MemberColumn:
        return tr("Member");
    case HostColumn:
        return tr("Host");
    case RoleColumn:
        return tr("Role");
    case StateColumn:
        return tr("State");
    case TimelineColumn:
        return tr("Timeline");
    case LagColumn:
        return tr("Lag");
    case PendingRestartColumn:
        return tr("Pending restart");
    case TagsColumn:
        return tr("Tags");
    default:
        return {};
    }
}

QString PatroniMembersModel::formatLag(qint64 bytes)
{
    if (bytes < 0)
        return tr("unknown");
    if (bytes == 0)
        return QStringLiteral("0 B");
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString PatroniMembersModel::formatTags(const QJsonObject &tags)
{
    QStringList out;
    for (auto it = tags.begin(); it != tags.end(); ++it) {
        const QJsonValue v = it.value();
        if (v.isBool()) {
            if (v.toBool()) // "nofailover: false" says nothing worth a column
                out << it.key();
        } else if (v.isDouble()) {
            out << QStringLiteral("%1=%2").arg(it.key()).arg(v.toDouble());
        } else if (v.isString()) {
            out << QStringLiteral("%1=%2").arg(it.key(), v.toString());
        }
    }
    return out.join(QStringLiteral(", "));
}

} // namespace pgdeck
