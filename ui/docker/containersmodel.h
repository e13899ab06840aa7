#pragma once

#include "docker/dockerstate.h"
#include "monitor/nodestatus.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

namespace pgdeck {

// The containers the engine listed, one row each, with the last resource sample of the
// running ones. A new list is merged by container id (rows are inserted, removed or
// updated in place), so the view keeps its selection and scroll position across polls.
// When the engine stops answering the rows stay, greyed, until it answers again.
class ContainersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ServiceColumn,
        NameColumn,
        ImageColumn,
        StateColumn,
        HealthColumn,
        PortsColumn,
        CpuColumn,
        MemoryColumn,
        ColumnCount
    };
    enum Role {
        HealthRole = Qt::UserRole + 1, // NodeStatus::Health as int, for HealthBadgeDelegate
        IdRole,
        SortRole, // numbers as numbers
    };

    explicit ContainersModel(QObject *parent = nullptr);

    // Rows come out ordered by compose project, service, then name.
    void setContainers(const QList<DockerContainer> &containers);
    void setStats(const QString &id, const DockerStats &stats);
    void setStale(bool stale);
    void clear();

    bool isStale() const { return m_stale; }
    const QList<DockerContainer> &containers() const { return m_rows; }
    const DockerContainer &container(int row) const { return m_rows[row]; }
    int rowOf(const QString &id) const; // -1 when not listed
    bool hasStats(const QString &id) const { return m_stats.contains(id); }
    DockerStats stats(const QString &id) const { return m_stats.value(id); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "127.0.0.1:5432→5432/tcp, 8080/tcp"; IPv4 and IPv6 bindings of one port count once.
    static QString formatPorts(const QList<DockerPort> &ports);
    static QString formatBytes(qint64 bytes);              // "512 B", "3.2 MiB", "7.7 GiB"
    static QString formatMemory(const DockerStats &stats); // "3.2 MiB / 7.7 GiB"
    // How a container's state and health read as colours: running is up, exited and
    // unhealthy are down, anything on its way (starting, restarting, paused) is amber.
    static NodeStatus::Health stateHealth(const DockerContainer &c);
    static NodeStatus::Health healthCheckHealth(const QString &health);

private:
    static bool sortsBefore(const DockerContainer &a, const DockerContainer &b);
    void removeMissing(const QList<DockerContainer> &incoming);
    void updateRow(int row, const DockerContainer &c);
    QVariant display(const DockerContainer &c, int column) const;
    QVariant sortValue(const DockerContainer &c, int column) const;
    QVariant toolTip(const DockerContainer &c, int column) const;

    QList<DockerContainer> m_rows;
    QHash<QString, DockerStats> m_stats; // running containers only
    bool m_stale = false;
};

} // namespace pgdeck
