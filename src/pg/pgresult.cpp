#include "pgresult.h"
#include "pgresultbuilder.h"

#include <libpq-fe.h>

namespace pgdeck {

namespace {
// Type oids from pg_type.h; libpq-dev does not ship the server catalog headers.
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;
} // namespace

PgResult PgResult::failure(Status status, const QString &message)
{
    PgResult r;
    r.m_status = status;
    r.m_error = message;
    return r;
}

bool PgResult::isNull(int row, int col) const
{
    if (row < 0 || row >= m_rows.size() || col < 0 || col >= m_columns.size())
        return true;
    return m_nulls[row][col];
}

QString PgResult::text(int row, int col) const
{
    if (isNull(row, col))
        return {};
    return m_rows[row][col];
}

QVariant PgResult::value(int row, int col) const
{
    if (isNull(row, col))
        return {};
    const QString &t = m_rows[row][col];
    switch (m_types[col]) {
    case kBool:
        return t == QLatin1String("t");
    case kInt2:
    case kInt4:
        return t.toInt();
    case kInt8:
    case kOid:
        return t.toLongLong();
    case kFloat4:
    case kFloat8:
    case kNumeric:
        return t.toDouble();
    default:
        return t;
    }
}

PgResult PgResult::Builder::from(const pg_result *res, bool cancelRequested)
{
    PgResult r;
    if (!res)
        return failure(Status::Error, QStringLiteral("no result from server"));
    const ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_PIPELINE_ABORTED)
        return failure(Status::Skipped,
                       QStringLiteral("skipped: an earlier statement in the batch failed"));
    if (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE || st == PGRES_NONFATAL_ERROR) {
        r.m_sqlState = QString::fromUtf8(PQresultErrorField(res, PG_DIAG_SQLSTATE));
        r.m_error = QString::fromUtf8(PQresultErrorMessage(res)).trimmed();
        r.m_status = (cancelRequested && r.m_sqlState == QLatin1String("57014")) ? Status::Cancelled
                                                                                 : Status::Error;
        return r;
    }
    r.m_commandTag = QString::fromUtf8(PQcmdStatus(const_cast<pg_result *>(res)));
    r.m_rowsAffected = QByteArray(PQcmdTuples(const_cast<pg_result *>(res))).toLongLong();
    const int ncols = PQnfields(res);
    const int nrows = PQntuples(res);
    r.m_columns.reserve(ncols);
    r.m_types.reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
        r.m_columns << QString::fromUtf8(PQfname(res, c));
        r.m_types << PQftype(res, c);
    }
    r.m_rows.reserve(nrows);
    r.m_nulls.reserve(nrows);
    for (int row = 0; row < nrows; ++row) {
        QList<QString> values;
        QList<bool> nulls;
        values.reserve(ncols);
        nulls.reserve(ncols);
        for (int c = 0; c < ncols; ++c) {
            const bool null = PQgetisnull(res, row, c);
            nulls << null;
            values << (null ? QString()
                            : QString::fromUtf8(PQgetvalue(res, row, c), PQgetlength(res, row, c)));
        }
        r.m_rows << values;
        r.m_nulls << nulls;
    }
    return r;
}

} // namespace pgdeck
