#pragma once

#include "monitor/nodestatus.h"
#include "pipeline/ciservice.h"

#include <QAbstractTableModel>
#include <QList>

namespace pgdeck {

// The runs a CI service listed, newest first, one row each. A list with the same runs in
// the same order updates the rows in place, so the view keeps its selection across
// refreshes; anything else resets the model. When the service stops answering the rows
// stay, greyed, until it answers again.
class CiRunsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NumberColumn,
        StatusColumn,
        BranchColumn,
        CommitColumn,
        StartedColumn,
        DurationColumn,
        ColumnCount
    };
    enum Role {
        HealthRole = Qt::UserRole + 1, // NodeStatus::Health as int, for HealthBadgeDelegate
        IdRole,
    };

    explicit CiRunsModel(QObject *parent = nullptr);

    void setRuns(const QList<CiRun> &runs);
    void setStale(bool stale);
    void clear();

    bool isStale() const { return m_stale; }
    const QList<CiRun> &runs() const { return m_runs; }
    const CiRun &run(int row) const { return m_runs[row]; }
    int rowOf(const QString &id) const; // -1 when not listed

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // How a normalised CI status reads as a colour: success green, failed red, queued and
    // running amber, cancelled, skipped and unknown grey.
    static NodeStatus::Health statusHealth(const QString &status);
    static QString formatDuration(qint64 seconds); // "42s", "1m 35s", "2h 03m"; "" when < 0
    static QString runLabel(const CiRun &run);     // "#12", or the id when unnumbered

private:
    QVariant display(const CiRun &run, int column) const;

    QList<CiRun> m_runs;
    bool m_stale = false;
};

} // namespace pgdeck
