#pragma once

#include "patroni/patroniwatcher.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace pgdeck {

// The members of one Patroni cluster as GET /cluster lists them, one row each. A new
// snapshot replaces everything; when Patroni did not answer, the last known rows stay,
// greyed, with a tooltip saying how old they are.
class PatroniMembersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        MemberColumn,
        HostColumn,
        RoleColumn,
        StateColumn,
        TimelineColumn,
        LagColumn,
        PendingRestartColumn,
        TagsColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers as numbers
        MemberNameRole,
        LeaderRole, // bool
    };

    explicit PatroniMembersModel(QObject *parent = nullptr);

    void resetData(const PatroniSnapshot &snapshot);
    void clear();
    const PatroniClusterState &state() const { return m_state; }
    const PatroniMember &member(int row) const { return m_state.members[row]; }
    int rowOf(const QString &member) const; // -1 when not listed
    bool isStale() const { return m_stale; }
    QDateTime dataFrom() const { return m_dataFrom; } // when Patroni last answered (local time)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString formatLag(qint64 bytes); // "unknown" for -1
    static QString formatTags(const QJsonObject &tags);

private:
    QVariant display(const PatroniMember &m, int column) const;
    QVariant sortValue(const PatroniMember &m, int column) const;
    QString toolTip(const PatroniMember &m, int column) const;

    QString m_cluster;
    PatroniClusterState m_state;
    bool m_stale = false;
    QDateTime m_dataFrom;
};

} // namespace pgdeck
