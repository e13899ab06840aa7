#include "eventsmodel.h"

#include "common/healthstyle.h"

#include <QColor>
#include <QFont>

namespace pgdeck {

EventsModel::EventsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void EventsModel::addEvents(const QList<MonitorEvent> &events)
{
    if (events.isEmpty())
        return;
    // More new events than fit: only the newest of them matter.
    const qsizetype skip = qMax<qsizetype>(0, events.size() - m_capacity);
    const int incoming = int(events.size() - skip);
    trimTo(m_capacity - incoming);
    const int first = int(m_events.size());
    beginInsertRows({}, first, first + incoming - 1);
    m_events.append(events.mid(skip));
    endInsertRows();
}

void EventsModel::clear()
{
    if (m_events.isEmpty())
        return;
    beginResetModel();
    m_events.clear();
    endResetModel();
}

void EventsModel::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    trimTo(m_capacity);
}

void EventsModel::trimTo(int keep)
{
    const int drop = int(m_events.size()) - qMax(0, keep);
    if (drop <= 0)
        return;
    beginRemoveRows({}, 0, drop - 1);
    // QList erases at the front without moving the rest.
    m_events.remove(0, drop);
    endRemoveRows();
}

int EventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor EventsModel::severityColor(MonitorEvent::Severity severity)
{
    switch (severity) {
    case MonitorEvent::Severity::Critical:
        return HealthStyle::color(NodeStatus::Health::Down);
    case MonitorEvent::Severity::Warning:
        return HealthStyle::color(NodeStatus::Health::Stale);
    case MonitorEvent::Severity::Info:
        break;
    }
    return QColor(0x2f, 0x6f, 0xb3);
}

QString EventsModel::cellText(const MonitorEvent &e, int column)
{
    switch (column) {
    case TimeColumn:
        return e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case SeverityColumn:
        return MonitorEvent::severityName(e.severity);
    case ClusterColumn:
        return e.cluster;
    case NodeColumn:
        return e.node;
    case SubjectColumn:
        return e.subject;
    case KindColumn:
        return MonitorEvent::kindName(e.kind);
    case MessageColumn:
        return e.message;
    default:
        break;
    }
    return {};
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MonitorEvent &e = m_events.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        // Server messages span lines; one row stays one line (the tooltip and CSV keep all).
        if (index.column() == MessageColumn)
            return e.message.simplified();
        return cellText(e, index.column());
    case Qt::ToolTipRole:
        // Long messages are elided in the table.
        if (index.column() == MessageColumn)
            return e.message;
        break;
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn)
            return severityColor(e.severity);
        break;
    case Qt::FontRole:
        if (index.column() == SeverityColumn) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn)
            return HealthStyle::dot(severityColor(e.severity));
        break;
    case SeverityRole:
        return int(e.severity);
    case EventTimeRole:
        return e.time;
    case SortRole:
        if (index.column() == TimeColumn)
            return e.time.toMSecsSinceEpoch();
        if (index.column() == SeverityColumn)
            return int(e.severity);
        return cellText(e, index.column());
    default:
        break;
    }
    return {};
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case SeverityColumn:
        return tr("Severity");
    case ClusterColumn:
        return tr("Cluster");
    case NodeColumn:
        return tr("Node");
    case SubjectColumn:
        return tr("Subject");
    case KindColumn:
        return tr("Kind");
    case MessageColumn:
        return tr("Message");
    default:
        break;
    }
    return {};
}

} // namespace pgdeck
