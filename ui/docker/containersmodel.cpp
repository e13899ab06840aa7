#include "containersmodel.h"

#include "common/healthstyle.h"

#include <QSet>

#include <algorithm>
#include <tuple>

namespace pgdeck {

namespace {

const QString kNone = QStringLiteral("—");

bool isNumberColumn(int column)
{
    return column == ContainersModel::CpuColumn || column == ContainersModel::MemoryColumn;
}

// Everything the table shows of a container, to tell whether a row needs repainting.
bool sameRow(const DockerContainer &a, const DockerContainer &b)
{
    return a.name == b.name && a.image == b.image && a.state == b.state && a.status == b.status &&
           a.health == b.health && a.ports == b.ports && a.composeProject == b.composeProject &&
           a.composeService == b.composeService;
}

} // namespace

ContainersModel::ContainersModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

bool ContainersModel::sortsBefore(const DockerContainer &a, const DockerContainer &b)
{
    return std::tie(a.composeProject, a.composeService, a.name, a.id) <
           std::tie(b.composeProject, b.composeService, b.name, b.id);
}

void ContainersModel::setContainers(const QList<DockerContainer> &containers)
{
    QList<DockerContainer> incoming = containers;
    std::sort(incoming.begin(), incoming.end(), &ContainersModel::sortsBefore);

    removeMissing(incoming);

    // What is left is a subset of incoming. If its order still agrees (the usual case:
    // only states and stats change between polls), insert the newcomers in place;
    // otherwise (a rename moved a row) start over.
    QHash<QString, int> position;
    for (int i = 0; i < incoming.size(); ++i)
        position.insert(incoming[i].id, i);
    const bool ordered = std::is_sorted(m_rows.cbegin(), m_rows.cend(),
                                        [&](const DockerContainer &a, const DockerContainer &b) {
                                            return position.value(a.id) < position.value(b.id);
                                        });
    if (!ordered) {
        beginResetModel();
        m_rows = incoming;
        endResetModel();
    } else {
        for (int i = 0; i < incoming.size(); ++i) {
            if (i < m_rows.size() && m_rows[i].id == incoming[i].id) {
                updateRow(i, incoming[i]);
                continue;
            }
            beginInsertRows({}, i, i);
            m_rows.insert(i, incoming[i]);
            endInsertRows();
        }
    }

    // A stopped container has no current usage: its last sample would read as live.
    for (const DockerContainer &c : std::as_const(m_rows))
        if (!c.isRunning())
            m_stats.remove(c.id);
}

void ContainersModel::removeMissing(const QList<DockerContainer> &incoming)
{
    QSet<QString> ids;
    for (const DockerContainer &c : incoming)
        ids.insert(c.id);
    // From the bottom, in contiguous runs, so each removal is one signal.
    for (int end = int(m_rows.size()) - 1; end >= 0;) {
        if (ids.contains(m_rows[end].id)) {
            --end;
            continue;
        }
        int first = end;
        while (first > 0 && !ids.contains(m_rows[first - 1].id))
            --first;
        beginRemoveRows({}, first, end);
        for (int i = first; i <= end; ++i)
            m_stats.remove(m_rows[i].id);
        m_rows.remove(first, end - first + 1);
        endRemoveRows();
        end = first - 1;
    }
}

void ContainersModel::updateRow(int row, const DockerContainer &c)
{
    const bool changed = !sameRow(m_rows[row], c);
    m_rows[row] = c;
    if (changed)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ContainersModel::setStats(const QString &id, const DockerStats &stats)
{
    const int row = rowOf(id);
    if (row < 0 || !m_rows[row].isRunning())
        return;
    m_stats.insert(id, stats);
    Q_EMIT dataChanged(index(row, CpuColumn), index(row, MemoryColumn));
}

void ContainersModel::setStale(bool stale)
{
    if (stale == m_stale)
        return;
    m_stale = stale;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void ContainersModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_stats.clear();
    m_stale = false;
    endResetModel();
}

int ContainersModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return i;
    return -1;
}

int ContainersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ContainersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContainersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DockerContainer &c = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(c, index.column());
    case SortRole:
        return sortValue(c, index.column());
    case IdRole:
        return c.id;
    case HealthRole: {
        NodeStatus::Health health;
        if (index.column() == StateColumn)
            health = stateHealth(c);
        else if (index.column() == HealthColumn && !c.health.isEmpty())
            health = healthCheckHealth(c.health);
        else
            return {}; // no badge: the cell is plain text
        return int(m_stale ? NodeStatus::Health::Stale : health);
    }
    case Qt::ToolTipRole:
        return toolTip(c, index.column());
    case Qt::ForegroundRole:
        if (m_stale || (!c.isRunning() && index.column() != StateColumn))
            return HealthStyle::staleText();
        return {};
    case Qt::TextAlignmentRole:
        if (isNumberColumn(index.column()))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant ContainersModel::display(const DockerContainer &c, int column) const
{
    const auto stats = m_stats.constFind(c.id);
    const bool sampled = stats != m_stats.cend();
    switch (column) {
    case ServiceColumn:
        return c.composeService.isEmpty() ? kNone : c.composeService;
    case NameColumn:
        return c.name;
    case ImageColumn:
        return c.image;
    case StateColumn:
        return c.state;
    case HealthColumn:
        return c.health.isEmpty() ? kNone : c.health;
    case PortsColumn:
        return c.ports.isEmpty() ? kNone : formatPorts(c.ports);
    case CpuColumn:
        return sampled ? QStringLiteral("%1 %").arg(stats->cpuPercent, 0, 'f', 1) : kNone;
    case MemoryColumn:
        return sampled ? formatMemory(*stats) : kNone;
    default:
        return {};
    }
}

QVariant ContainersModel::sortValue(const DockerContainer &c, int column) const
{
    const auto stats = m_stats.constFind(c.id);
    if (column == CpuColumn)
        return stats == m_stats.cend() ? -1.0 : stats->cpuPercent;
    if (column == MemoryColumn)
        return stats == m_stats.cend() ? qint64(-1) : stats->memoryBytes;
    return display(c, column);
}

QVariant ContainersModel::toolTip(const DockerContainer &c, int column) const
{
    if (m_stale)
        return tr("The engine is not answering: this is what it last reported.");
    switch (column) {
    case NameColumn:
        return tr("%1\nid %2").arg(c.name, c.id.left(12));
    case StateColumn:
        return c.status;
    case HealthColumn:
        return c.health.isEmpty() ? tr("The container has no health check.") : c.status;
    case CpuColumn:
        return tr("100 % is one full CPU.");
    case MemoryColumn:
        return tr("Used (without the page cache, as docker stats counts it) / limit.");
    default:
        return {};
    }
}

QVariant ContainersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue((isNumberColumn(section) ? Qt::AlignRight : Qt::AlignLeft) |
                                   Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ServiceColumn:
        return tr("Service");
    case NameColumn:
        return tr("Container");
    case ImageColumn:
        return tr("Image");
    case StateColumn:
        return tr("State");
    case HealthColumn:
        return tr("Health");
    case PortsColumn:
        return tr("Ports");
    case CpuColumn:
        return tr("CPU");
    case MemoryColumn:
        return tr("Memory");
    default:
        return {};
    }
}

QString ContainersModel::formatPorts(const QList<DockerPort> &ports)
{
    // The engine lists a port published on all addresses twice, for 0.0.0.0 and for ::.
    auto isIpv6Twin = [&](const DockerPort &p) {
        return p.ip == QLatin1String("::") &&
               std::any_of(ports.cbegin(), ports.cend(), [&](const DockerPort &q) {
                   return q.ip == QLatin1String("0.0.0.0") && q.publicPort == p.publicPort &&
                          q.privatePort == p.privatePort && q.type == p.type;
               });
    };
    QStringList parts;
    for (const DockerPort &p : ports) {
        if (isIpv6Twin(p))
            continue;
        const QString target = QStringLiteral("%1/%2").arg(p.privatePort).arg(p.type);
        const QString ip = p.ip.contains(QLatin1Char(':')) ? '[' + p.ip + ']' : p.ip;
        const QString text = p.publicPort > 0
                                 ? QStringLiteral("%1:%2→%3").arg(ip).arg(p.publicPort).arg(target)
                                 : target;
        if (!parts.contains(text))
            parts << text;
    }
    return parts.join(QStringLiteral(", "));
}

QString ContainersModel::formatBytes(qint64 bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    const int decimals = unit == 0 || value >= 100 ? 0 : 1;
    return QStringLiteral("%1 %2").arg(value, 0, 'f', decimals).arg(QLatin1String(units[unit]));
}

QString ContainersModel::formatMemory(const DockerStats &stats)
{
    if (stats.memoryLimit <= 0)
        return formatBytes(stats.memoryBytes);
    return QStringLiteral("%1 / %2").arg(formatBytes(stats.memoryBytes),
                                         formatBytes(stats.memoryLimit));
}

NodeStatus::Health ContainersModel::stateHealth(const DockerContainer &c)
{
    if (c.state == QLatin1String("running"))
        return c.health == QLatin1String("unhealthy") ? NodeStatus::Health::Stale
                                                      : NodeStatus::Health::Up;
    if (c.state == QLatin1String("exited") || c.state == QLatin1String("dead"))
        return NodeStatus::Health::Down;
    if (c.state.isEmpty())
        return NodeStatus::Health::Unknown;
    return NodeStatus::Health::Stale; // created, paused, restarting, removing
}

NodeStatus::Health ContainersModel::healthCheckHealth(const QString &health)
{
    if (health == QLatin1String("healthy"))
        return NodeStatus::Health::Up;
    if (health == QLatin1String("unhealthy"))
        return NodeStatus::Health::Down;
    return NodeStatus::Health::Stale; // starting
}

} // namespace pgdeck
