#include "nodestablemodel.h"

#include "common/healthstyle.h"

#include <QFont>

namespace pgdeck {

namespace {

bool isNumeric(int column)
{
    return column == NodesTableModel::UptimeColumn ||
           column == NodesTableModel::ConnectionsColumn ||
           column == NodesTableModel::StandbysColumn || column == NodesTableModel::TpsColumn ||
           column == NodesTableModel::CacheHitColumn;
}

QString firstLine(const QString &text)
{
    return text.section(QLatin1Char('\n'), 0, 0).trimmed();
}

} // namespace

NodesTableModel::NodesTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

QString NodesTableModel::key(const QString &cluster, const QString &node)
{
    return cluster + QLatin1Char('\n') + node;
}

void NodesTableModel::setInventory(const Inventory &inventory)
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    for (const ClusterSpec &c : inventory.clusters)
        for (const NodeSpec &n : c.nodes) {
            Row row;
            row.spec = n;
            row.status.cluster = c.name;
            row.status.node = n.name;
            m_index.insert(key(c.name, n.name), int(m_rows.size()));
            m_rows << row;
        }
    endResetModel();
}

void NodesTableModel::updateStatus(const NodeStatus &status)
{
    const int row = rowOf(status.cluster, status.node);
    if (row < 0)
        return; // a probe of an inventory that was replaced meanwhile
    m_rows[row].status = status;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int NodesTableModel::rowOf(const QString &cluster, const QString &node) const
{
    return m_index.value(key(cluster, node), -1);
}

NodeStatus NodesTableModel::status(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].status : NodeStatus();
}

int NodesTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int NodesTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString NodesTableModel::formatUptime(qint64 s)
{
    if (s < 0)
        return {};
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s < 86400)
        return QStringLiteral("%1 h %2 min")
            .arg(s / 3600)
            .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString NodesTableModel::address(const NodeSpec &spec)
{
    if (!spec.host.isEmpty())
        return spec.port > 0 ? QStringLiteral("%1:%2").arg(spec.host).arg(spec.port) : spec.host;
    if (!spec.service.isEmpty())
        return QStringLiteral("service=%1").arg(spec.service);
    return spec.port > 0 ? QStringLiteral("local:%1").arg(spec.port)
                         : QStringLiteral("libpq defaults");
}

QString NodesTableModel::shortVersion(const QString &serverVersion)
{
    return serverVersion.section(QLatin1Char(' '), 0, 0);
}

QVariant NodesTableModel::display(const Row &row, int column) const
{
    const NodeStatus &s = row.status;
    const bool down = s.health() == NodeStatus::Health::Down;
    switch (column) {
    case NodeColumn:
        return row.spec.name;
    case ClusterColumn:
        return s.cluster;
    case AddressColumn:
        return address(row.spec);
    case RoleColumn:
        return s.hasSample() ? s.roleName() : row.spec.role;
    case StateColumn:
        return HealthStyle::label(s.health());
    case VersionColumn:
        return shortVersion(s.version);
    case UptimeColumn:
        return s.hasSample() && !down ? formatUptime(s.uptimeSeconds) : QString();
    case ConnectionsColumn:
        if (!s.hasSample() || down)
            return QString();
        return s.activeConnections
                   ? QStringLiteral("%1  (%2 active)").arg(s.connections).arg(s.activeConnections)
                   : QString::number(s.connections);
    case StandbysColumn:
        return s.hasSample() && !down ? QString::number(s.standbys) : QString();
    case TpsColumn:
        return s.hasSample() && !down && s.tps >= 0
                   ? QString::number(s.tps, 'f', s.tps < 10 ? 1 : 0)
                   : QString();
    case CacheHitColumn:
        return s.hasSample() && !down && s.cacheHitRatio >= 0
                   ? QStringLiteral("%1 %").arg(s.cacheHitRatio * 100, 0, 'f', 2)
                   : QString();
    case ErrorColumn:
        return firstLine(s.lastError);
    }
    return {};
}

QVariant NodesTableModel::sortValue(const Row &row, int column) const
{
    const NodeStatus &s = row.status;
    switch (column) {
    case StateColumn:
        return HealthStyle::severity(s.health());
    case UptimeColumn:
        return s.hasSample() ? s.uptimeSeconds : qint64(-1);
    case ConnectionsColumn:
        return s.hasSample() ? s.connections : -1;
    case StandbysColumn:
        return s.hasSample() ? s.standbys : -1;
    case TpsColumn:
        return s.hasSample() ? s.tps : -1.0;
    case CacheHitColumn:
        return s.hasSample() ? s.cacheHitRatio : -1.0;
    case AddressColumn:
        // host, then port as a number: db2:5433 before db10:5432 is not worth the cost
        return QStringLiteral("%1:%2")
            .arg(row.spec.host)
            .arg(row.spec.port, 5, 10, QLatin1Char('0'));
    default:
        return display(row, column);
    }
}

QVariant NodesTableModel::toolTip(const Row &row, int column) const
{
    const NodeStatus &s = row.status;
    switch (column) {
    case RoleColumn:
        if (s.hasSample() && !row.spec.role.isEmpty() && row.spec.role != s.roleName() &&
            (row.spec.role == QLatin1String("primary") ||
             row.spec.role == QLatin1String("standby")))
            return QStringLiteral("The inventory says %1; the server says %2.")
                .arg(row.spec.role, s.roleName());
        return s.hasSample() ? QStringLiteral("From pg_is_in_recovery()")
                             : QStringLiteral("From the inventory; not sampled yet");
    case StateColumn:
        return s.hasSample()
                   ? QStringLiteral("Last sample %1")
                         .arg(s.sampledAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")))
                   : QStringLiteral("No sample yet");
    case VersionColumn:
        return s.version;
    case ErrorColumn:
        return s.lastError;
    default:
        return {};
    }
}

QVariant NodesTableModel::foreground(const Row &row, int column) const
{
    const auto health = row.status.health();
    if (column == ErrorColumn)
        return health == NodeStatus::Health::Down
                   ? HealthStyle::color(health).darker(110)
                   : HealthStyle::color(NodeStatus::Health::Stale).darker(120);
    if (column == RoleColumn && !row.status.hasSample())
        return HealthStyle::staleText(); // the inventory's claim, not the server's
    // Values that are not from this interval must not look current.
    if (health != NodeStatus::Health::Up && column != NodeColumn && column != ClusterColumn &&
        column != AddressColumn && column != StateColumn)
        return HealthStyle::staleText();
    return {};
}

QVariant NodesTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case SortRole:
        return sortValue(row, column);
    case ClusterRole:
        return row.status.cluster;
    case NodeRole:
        return row.spec.name;
    case HealthRole:
        return int(row.status.health());
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::ForegroundRole:
        return foreground(row, column);
    case Qt::DecorationRole:
        return column == NodeColumn ? QVariant(HealthStyle::icon(row.status.health())) : QVariant();
    case Qt::FontRole:
        if (column == NodeColumn) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        return isNumeric(column) ? int(Qt::AlignRight | Qt::AlignVCenter)
                                 : int(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant NodesTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return isNumeric(section) ? int(Qt::AlignRight | Qt::AlignVCenter)
                                  : int(Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Node",     "Cluster", "Address",   "Role",
                                        "State",    "Version", "Uptime",    "Connections",
                                        "Standbys", "TPS",     "Cache hit", "Last error"};
    return QString::fromLatin1(names[section]);
}

} // namespace pgdeck
