#include "historystore.h"

#include "metrichistory.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <atomic>
#include <cmath>

namespace pgdeck {

namespace {

constexpr int kSchemaVersion = 1;
constexpr qint64 kPruneEveryMs = 60 * 1000;

QString sqlErrorText(const QSqlError &e)
{
    const QString db = e.databaseText().trimmed();
    return db.isEmpty() ? e.text().trimmed() : db;
}

struct Row {
    QString key;
    qint64 t;
    double v;
};

} // namespace

QString HistoryStore::defaultPath()
{
    QString dir = qEnvironmentVariable("PGDECK_DATA_DIR");
    if (dir.isEmpty()) {
        QString base = qEnvironmentVariable("XDG_DATA_HOME");
        if (base.isEmpty() || !QDir::isAbsolutePath(base))
            base = QDir::homePath() + QStringLiteral("/.local/share");
        dir = base + QStringLiteral("/pgdeck");
    }
    return dir + QStringLiteral("/history.sqlite");
}

HistoryStore::HistoryStore(const QString &path)
    : m_path(path)
{
    static std::atomic<quint64> counter{0};
    m_connection = QStringLiteral("pgdeck-history-%1").arg(++counter);
}

HistoryStore::~HistoryStore()
{
    closeConnection();
}

void HistoryStore::closeConnection()
{
    m_insertPoint.reset();
    m_seriesIds.clear();
    if (m_db.isValid())
        m_db.close();
    // removeDatabase() warns while any QSqlDatabase copy of the connection is alive.
    m_db = QSqlDatabase();
    if (QSqlDatabase::contains(m_connection))
        QSqlDatabase::removeDatabase(m_connection);
}

bool HistoryStore::isOpen() const
{
    return m_db.isOpen() && m_insertPoint;
}

bool HistoryStore::fail(const QString &what, const QString &detail, QString *error) const
{
    if (error)
        *error = QStringLiteral("history store %1: %2: %3").arg(m_path, what, detail);
    return false;
}

bool HistoryStore::exec(const QString &sql, QString *error)
{
    QSqlQuery q(m_db);
    if (q.exec(sql))
        return true;
    return fail(sql, sqlErrorText(q.lastError()), error);
}

bool HistoryStore::open(QString *error)
{
    if (isOpen())
        return true;
    closeConnection();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return fail(QStringLiteral("cannot open"),
                    QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed "
                                   "(Debian: libqt6sql6-sqlite)"),
                    error);
    const QFileInfo info(m_path);
    if (info.isDir())
        return fail(QStringLiteral("cannot open"), QStringLiteral("is a directory"), error);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(QStringLiteral("cannot open"),
                    QStringLiteral("cannot create directory %1").arg(info.absolutePath()), error);

    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(m_path);
    // A second console on the same file waits briefly for a lock instead of failing.
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=1000"));
    if (!m_db.open()) {
        fail(QStringLiteral("cannot open"), sqlErrorText(m_db.lastError()), error);
        closeConnection();
        return false;
    }

    // SQLite opens anything lazily: the first statement is where a corrupt file shows.
    int schemaVersion = 0;
    QString readError;
    {
        QSqlQuery q(m_db);
        if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
            schemaVersion = q.value(0).toInt();
        else
            readError = sqlErrorText(q.lastError());
        if (readError.isEmpty() && !q.isValid())
            readError = QStringLiteral("no answer to PRAGMA user_version");
    }
    if (!readError.isEmpty()) {
        fail(QStringLiteral("not a usable SQLite database"), readError, error);
        closeConnection();
        return false;
    }
    if (schemaVersion > kSchemaVersion) {
        fail(QStringLiteral("cannot open"),
             QStringLiteral("schema version %1 was written by a newer pgdeck").arg(schemaVersion),
             error);
        closeConnection();
        return false;
    }

    // WAL + synchronous=NORMAL: a commit is an append to the WAL without fsync; losing
    // the last seconds of chart history in a power cut is acceptable.
    const QStringList setup = {
        QStringLiteral("PRAGMA journal_mode=WAL"),
        QStringLiteral("PRAGMA synchronous=NORMAL"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS series("
                       "id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)"),
        // Keyed (series, t) without rowid: range reads and prunes per series use the
        // primary key directly, and no second index is written on every insert.
        QStringLiteral("CREATE TABLE IF NOT EXISTS point("
                       "series_id INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL, "
                       "PRIMARY KEY(series_id, t)) WITHOUT ROWID"),
        QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion),
        // A read-only file or directory would otherwise only fail at the first append.
        QStringLiteral("BEGIN IMMEDIATE"),
        QStringLiteral("ROLLBACK"),
    };
    for (const QString &sql : setup) {
        if (!exec(sql, error)) {
            closeConnection();
            return false;
        }
    }

    m_insertPoint = std::make_unique<QSqlQuery>(m_db);
    // The same (series, t) twice, e.g. two consoles on one file, keeps one point.
    if (!m_insertPoint->prepare(
            QStringLiteral("INSERT OR REPLACE INTO point(series_id, t, v) VALUES(?, ?, ?)"))) {
        fail(QStringLiteral("cannot prepare insert"), sqlErrorText(m_insertPoint->lastError()),
             error);
        closeConnection();
        return false;
    }
    m_lastPruneMs = 0;
    return true;
}

void HistoryStore::setRetention(qint64 ms)
{
    m_retentionMs = qMax<qint64>(0, ms);
    m_lastPruneMs = 0; // a shorter retention applies at the next append
}

qint64 HistoryStore::seriesId(const QString &key, QString *error)
{
    const auto it = m_seriesIds.constFind(key);
    if (it != m_seriesIds.constEnd())
        return it.value();
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral("INSERT OR IGNORE INTO series(key) VALUES(?)"));
    insert.addBindValue(key);
    if (!insert.exec()) {
        fail(QStringLiteral("cannot add series %1").arg(key), sqlErrorText(insert.lastError()),
             error);
        return -1;
    }
    // Select rather than lastInsertId(): the row may already exist (ignored insert).
    QSqlQuery select(m_db);
    select.prepare(QStringLiteral("SELECT id FROM series WHERE key = ?"));
    select.addBindValue(key);
    if (!select.exec() || !select.next()) {
        fail(QStringLiteral("cannot find series %1").arg(key), sqlErrorText(select.lastError()),
             error);
        return -1;
    }
    const qint64 id = select.value(0).toLongLong();
    m_seriesIds.insert(key, id);
    return id;
}

bool HistoryStore::append(const QList<NodeStatus> &statuses, QString *error)
{
    if (!isOpen())
        return fail(QStringLiteral("cannot append"), QStringLiteral("not open"), error);

    QList<Row> rows;
    rows.reserve(statuses.size() * 8);
    for (const NodeStatus &s : statuses)
        for (const MetricHistory::KeyedPoint &p : MetricHistory::points(s))
            if (std::isfinite(p.v)) // SQLite would store NaN as NULL
                rows.append({p.key, p.t, p.v});

    if (!rows.isEmpty()) {
        if (!m_db.transaction())
            return fail(QStringLiteral("cannot begin transaction"), sqlErrorText(m_db.lastError()),
                        error);
        bool ok = true;
        for (const Row &r : std::as_const(rows)) {
            const qint64 id = seriesId(r.key, error);
            if (id < 0) {
                ok = false;
                break;
            }
            m_insertPoint->bindValue(0, id);
            m_insertPoint->bindValue(1, r.t);
            m_insertPoint->bindValue(2, r.v);
            if (!m_insertPoint->exec()) {
                ok = fail(QStringLiteral("cannot insert into %1").arg(r.key),
                          sqlErrorText(m_insertPoint->lastError()), error);
                break;
            }
        }
        if (ok && !m_db.commit())
            ok = fail(QStringLiteral("cannot commit"), sqlErrorText(m_db.lastError()), error);
        if (!ok) {
            m_db.rollback();
            m_seriesIds.clear(); // ids added in the rolled-back transaction are gone
            return false;
        }
    }

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_lastPruneMs >= kPruneEveryMs) {
        m_lastPruneMs = now;
        if (prune(error) < 0)
            return false;
    }
    return true;
}

int HistoryStore::loadInto(MetricHistory *history, qint64 windowMs, QString *error)
{
    if (!isOpen()) {
        fail(QStringLiteral("cannot load"), QStringLiteral("not open"), error);
        return -1;
    }
    if (!history)
        return 0;
    const qint64 from = QDateTime::currentMSecsSinceEpoch() - qMax<qint64>(0, windowMs);

    // One read transaction: a consistent snapshot even if another console writes.
    if (!m_db.transaction()) {
        fail(QStringLiteral("cannot begin transaction"), sqlErrorText(m_db.lastError()), error);
        return -1;
    }
    QList<QPair<qint64, QString>> series;
    {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT id, key FROM series ORDER BY key"))) {
            fail(QStringLiteral("cannot list series"), sqlErrorText(q.lastError()), error);
            m_db.rollback();
            return -1;
        }
        while (q.next())
            series.append({q.value(0).toLongLong(), q.value(1).toString()});
    }

    int loaded = 0;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // Only the newest `capacity` points: older ones would fall out of the ring anyway.
    q.prepare(QStringLiteral("SELECT t, v FROM (SELECT t, v FROM point "
                             "WHERE series_id = ? AND t >= ? ORDER BY t DESC LIMIT ?) "
                             "ORDER BY t"));
    for (const auto &[id, key] : std::as_const(series)) {
        q.bindValue(0, id);
        q.bindValue(1, from);
        q.bindValue(2, history->capacity());
        if (!q.exec()) {
            fail(QStringLiteral("cannot read %1").arg(key), sqlErrorText(q.lastError()), error);
            q.finish();
            m_db.rollback();
            return -1;
        }
        while (q.next()) {
            history->addPoint(key, q.value(0).toLongLong(), q.value(1).toDouble());
            ++loaded;
        }
        q.finish();
    }
    m_db.commit();
    return loaded;
}

int HistoryStore::prune(QString *error)
{
    if (!isOpen()) {
        fail(QStringLiteral("cannot prune"), QStringLiteral("not open"), error);
        return -1;
    }
    const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - m_retentionMs;
    if (!m_db.transaction()) {
        fail(QStringLiteral("cannot begin transaction"), sqlErrorText(m_db.lastError()), error);
        return -1;
    }
    QList<qint64> ids;
    {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT id FROM series"))) {
            fail(QStringLiteral("cannot list series"), sqlErrorText(q.lastError()), error);
            m_db.rollback();
            return -1;
        }
        while (q.next())
            ids.append(q.value(0).toLongLong());
    }
    // Per series, so each delete is a range on the primary key, not a table scan.
    int deleted = 0;
    QSqlQuery del(m_db);
    del.prepare(QStringLiteral("DELETE FROM point WHERE series_id = ? AND t < ?"));
    for (qint64 id : std::as_const(ids)) {
        del.bindValue(0, id);
        del.bindValue(1, cutoff);
        if (!del.exec()) {
            fail(QStringLiteral("cannot prune"), sqlErrorText(del.lastError()), error);
            m_db.rollback();
            return -1;
        }
        deleted += del.numRowsAffected();
    }
    if (!m_db.commit()) {
        fail(QStringLiteral("cannot commit prune"), sqlErrorText(m_db.lastError()), error);
        m_db.rollback();
        return -1;
    }
    return deleted;
}

qint64 HistoryStore::pointCount() const
{
    if (!isOpen())
        return -1;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM point")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace pgdeck
