#pragma once

#include "monitor/monitorevent.h"

#include <QAbstractTableModel>
#include <QList>

namespace pgdeck {

// Every event the monitor reported, oldest first, bounded so a console left running for
// weeks keeps its memory: past the capacity the oldest rows go.
class EventsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        SeverityColumn,
        ClusterColumn,
        NodeColumn,
        SubjectColumn,
        KindColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role {
        SeverityRole = Qt::UserRole + 1, // int(MonitorEvent::Severity)
        SortRole,                        // time as msecs since epoch for the time column
        EventTimeRole,                   // the QDateTime
    };
    static constexpr int kDefaultCapacity = 10000;

    explicit EventsModel(QObject *parent = nullptr);

    // Appends in the order given; drops the oldest rows past the capacity.
    void addEvents(const QList<MonitorEvent> &events);
    void clear();
    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }
    const MonitorEvent &eventAt(int row) const { return m_events.at(row); }
    const QList<MonitorEvent> &events() const { return m_events; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Blue for info, amber for warnings, red for critical: the health palette's tones.
    static QColor severityColor(MonitorEvent::Severity severity);
    // The text of one cell as shown (and as exported).
    static QString cellText(const MonitorEvent &event, int column);

private:
    void trimTo(int keep);

    QList<MonitorEvent> m_events;
    int m_capacity = kDefaultCapacity;
};

} // namespace pgdeck
