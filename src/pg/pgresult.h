#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace pgdeck {

// An immutable copy of one libpq result: safe to pass between threads and keep.
class PgResult {
public:
    enum class Status { Ok, Error, Skipped, ConnectionLost, Cancelled };

    PgResult() = default;
    static PgResult failure(Status status, const QString &message);

    Status status() const { return m_status; }
    bool ok() const { return m_status == Status::Ok; }
    // The server's own text ("ERROR:  relation \"x\" does not exist") or libpq's.
    QString errorMessage() const { return m_error; }
    QString sqlState() const { return m_sqlState; }
    QString commandTag() const { return m_commandTag; }
    qint64 rowsAffected() const { return m_rowsAffected; }

    int rowCount() const { return int(m_rows.size()); }
    int columnCount() const { return int(m_columns.size()); }
    QStringList columns() const { return m_columns; }
    int column(const QString &name) const { return int(m_columns.indexOf(name)); }

    bool isNull(int row, int col) const;
    QString text(int row, int col) const; // the server's text form; empty for NULL
    QString text(int row, const QString &col) const { return text(row, column(col)); }
    // Typed by the column's type oid: bool, int2/4/8, float4/8, numeric -> double,
    // everything else QString; NULL -> invalid QVariant.
    QVariant value(int row, int col) const;
    QVariant value(int row, const QString &col) const { return value(row, column(col)); }
    // First column of the first row, the common case for guards and waits.
    QVariant scalar() const { return rowCount() && columnCount() ? value(0, 0) : QVariant(); }

    // Filled by PgConnection from a PGresult.
    struct Builder;

private:
    friend struct Builder;
    Status m_status = Status::Ok;
    QString m_error;
    QString m_sqlState;
    QString m_commandTag;
    qint64 m_rowsAffected = 0;
    QStringList m_columns;
    QList<unsigned int> m_types;
    QList<QList<QString>> m_rows;
    QList<QList<bool>> m_nulls;
};

} // namespace pgdeck

Q_DECLARE_METATYPE(pgdeck::PgResult)
