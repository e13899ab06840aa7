#include "cirunsmodel.h"

#include "common/healthstyle.h"

#include <QFont>

namespace pgdeck {

CiRunsModel::CiRunsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void CiRunsModel::setRuns(const QList<CiRun> &runs)
{
    bool sameRows = runs.size() == m_runs.size();
    for (int i = 0; sameRows && i < runs.size(); ++i)
        sameRows = runs.at(i).id == m_runs.at(i).id;
    if (!sameRows) {
        beginResetModel();
        m_runs = runs;
        endResetModel();
        return;
    }
    m_runs = runs;
    if (!m_runs.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void CiRunsModel::setStale(bool stale)
{
    if (stale == m_stale)
        return;
    m_stale = stale;
    if (!m_runs.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                           {Qt::ForegroundRole});
}

void CiRunsModel::clear()
{
    beginResetModel();
    m_runs.clear();
    m_stale = false;
    endResetModel();
}

int CiRunsModel::rowOf(const QString &id) const
{
    if (id.isEmpty())
        return -1;
    for (int i = 0; i < m_runs.size(); ++i)
        if (m_runs.at(i).id == id)
            return i;
    return -1;
}

int CiRunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int CiRunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CiRunsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CiRun &r = m_runs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(r, index.column());
    case HealthRole:
        return index.column() == StatusColumn ? QVariant(int(statusHealth(r.status))) : QVariant();
    case IdRole:
        return r.id;
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn)
            return tr("Reported as \"%1\"").arg(r.rawStatus);
        if (index.column() == CommitColumn)
            return r.commit;
        if (index.column() == NumberColumn)
            return r.url;
        return {};
    case Qt::ForegroundRole:
        return m_stale ? QVariant(HealthStyle::staleText()) : QVariant();
    case Qt::FontRole:
        if (index.column() == CommitColumn) {
            QFont mono(QStringLiteral("monospace"));
            mono.setStyleHint(QFont::Monospace);
            return mono;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == NumberColumn || index.column() == DurationColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant CiRunsModel::display(const CiRun &r, int column) const
{
    switch (column) {
    case NumberColumn:
        return runLabel(r);
    case StatusColumn:
        return r.status;
    case BranchColumn:
        return r.branch;
    case CommitColumn:
        return r.commit.left(8);
    case StartedColumn:
        return r.created.isValid()
                   ? r.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                   : QString();
    case DurationColumn:
        return formatDuration(r.durationSeconds);
    default:
        return {};
    }
}

QVariant CiRunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NumberColumn:
        return tr("Run");
    case StatusColumn:
        return tr("Status");
    case BranchColumn:
        return tr("Branch");
    case CommitColumn:
        return tr("Commit");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    default:
        return {};
    }
}

NodeStatus::Health CiRunsModel::statusHealth(const QString &status)
{
    if (status == QLatin1String("success"))
        return NodeStatus::Health::Up;
    if (status == QLatin1String("failed"))
        return NodeStatus::Health::Down;
    if (status == QLatin1String("running") || status == QLatin1String("queued"))
        return NodeStatus::Health::Stale;
    return NodeStatus::Health::Unknown;
}

QString CiRunsModel::formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1m %2s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1h %2m")
        .arg(seconds / 3600)
        .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString CiRunsModel::runLabel(const CiRun &run)
{
    return run.number.isEmpty() ? run.id : QStringLiteral("#") + run.number;
}

} // namespace pgdeck
