#pragma once

#include "nodestatus.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <memory>

class QSqlQuery;

namespace pgdeck {

class MetricHistory;

// The charts' time series on disk (SQLite through Qt SQL), so a console reopened after a
// restart shows the last hours instead of an empty chart. Series keys are exactly
// MetricHistory's; times are ms since the epoch. Bounded by a retention window that
// append() enforces at most once a minute. One instance per thread: a QSqlDatabase
// connection must stay on the thread that opened it.
class HistoryStore {
public:
    // $PGDECK_DATA_DIR, else $XDG_DATA_HOME/pgdeck, else ~/.local/share/pgdeck; plus
    // "/history.sqlite".
    static QString defaultPath();

    explicit HistoryStore(const QString &path = defaultPath());
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    // Creates the directory and the schema; WAL journal, synchronous=NORMAL. The error
    // names the path (corrupt file, unwritable directory, missing QSQLITE driver).
    bool open(QString *error);
    bool isOpen() const;
    QString path() const { return m_path; }

    void setRetention(qint64 ms);
    qint64 retention() const { return m_retentionMs; }

    // The points MetricHistory::add would make of these statuses, in one transaction.
    bool append(const QList<NodeStatus> &statuses, QString *error = nullptr);
    // Points newer than now - windowMs, per series in time order, via addPoint. Returns
    // the number of points loaded, or -1 on error.
    int loadInto(MetricHistory *history, qint64 windowMs, QString *error = nullptr);
    // Deletes points older than now - retention; returns the rows deleted, -1 on error.
    int prune(QString *error = nullptr);
    qint64 pointCount() const; // -1 when not open

private:
    bool exec(const QString &sql, QString *error);
    bool fail(const QString &what, const QString &detail, QString *error) const;
    qint64 seriesId(const QString &key, QString *error);
    void closeConnection();

    QString m_path;
    QString m_connection; // unique per instance: Qt SQL keys connections by name
    QSqlDatabase m_db;
    std::unique_ptr<QSqlQuery> m_insertPoint; // prepared once, reused by every append
    QHash<QString, qint64> m_seriesIds;
    qint64 m_retentionMs = 24LL * 3600 * 1000;
    qint64 m_lastPruneMs = 0;
};

} // namespace pgdeck
