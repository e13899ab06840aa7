#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pgdeck {

class PgConnection;

struct ColumnInfo {
    QString name;
    QString type; // format_type(): "bigint", "character varying(40)"
    bool notNull = false;
    QString defaultExpr;
    bool builtinType = true; // from pg_catalog: exists on every server
    bool identity = false;
    bool generated = false;
};

struct ForeignKeyInfo {
    QString name;
    QString table;      // the referencing table
    QString references; // the referenced table
    QString definition; // pg_get_constraintdef()
};

// What pg_stats knows about a column (after ANALYZE).
struct KeyStats {
    bool known = false;
    double distinct = 0; // estimated number of distinct values
    double nullFraction = 0;
    double topFraction = 0; // share of rows holding the most common value
    QString topValue;
};

// A table as the sharding planners need it, read from the coordinator's catalogs.
struct TableInfo {
    QString schema;
    QString name;
    quint32 oid = 0;
    char kind = 'r'; // pg_class.relkind
    qint64 sizeBytes = 0;
    qint64 rowEstimate = 0;
    QList<ColumnInfo> columns;
    QStringList primaryKey;
    QList<ForeignKeyInfo> referencing; // other tables pointing at this one
    QList<ForeignKeyInfo> referenced;  // this table pointing at others
    QStringList dependentViews;

    const ColumnInfo *column(const QString &name) const;
};

// Reads a table's shape from a live server (blocking: for pgdeckctl and for wizard pages
// that show a busy cursor for a few catalog look-ups).
namespace inspect {
bool table(PgConnection &conn, const QString &schema, const QString &name, TableInfo *info,
           QString *error);
KeyStats keyStats(PgConnection &conn, const TableInfo &table, const QString &column);
// Ordinary tables outside the system schemas, "schema.table" with size, largest first.
struct TableListing {
    QString schema;
    QString name;
    qint64 sizeBytes = 0;
    qint64 rowEstimate = 0;
};
QList<TableListing> tables(PgConnection &conn, QString *error);
} // namespace inspect

} // namespace pgdeck
