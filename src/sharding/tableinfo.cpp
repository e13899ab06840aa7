#include "tableinfo.h"

#include "pg/pgconnection.h"

namespace pgdeck {

namespace {
constexpr int kTimeoutMs = 15000;
}

const ColumnInfo *TableInfo::column(const QString &columnName) const
{
    for (const ColumnInfo &c : columns)
        if (c.name == columnName)
            return &c;
    return nullptr;
}

namespace inspect {

bool table(PgConnection &conn, const QString &schema, const QString &name, TableInfo *info,
           QString *error)
{
    *info = TableInfo{};
    const PgResult t = conn.execSync(
        QStringLiteral("select c.oid, c.relkind, pg_total_relation_size(c.oid), "
                       "greatest(c.reltuples, 0)::bigint from pg_class c join pg_namespace n on "
                       "n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2"),
        {schema, name}, kTimeoutMs);
    if (!t.ok()) {
        *error = t.errorMessage();
        return false;
    }
    if (t.rowCount() == 0) {
        *error = QStringLiteral("table %1.%2 does not exist").arg(schema, name);
        return false;
    }
    info->schema = schema;
    info->name = name;
    info->oid = t.text(0, 0).toUInt();
    info->kind = t.text(0, 1).isEmpty() ? '?' : t.text(0, 1).at(0).toLatin1();
    info->sizeBytes = t.text(0, 2).toLongLong();
    info->rowEstimate = t.text(0, 3).toLongLong();
    const QVariantList oid = {QString::number(info->oid)};

    const PgResult cols = conn.execSync(
        QStringLiteral(
            "select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "coalesce(pg_get_expr(d.adbin, d.adrelid), ''), "
            "t.typnamespace = 'pg_catalog'::regnamespace, a.attidentity <> '', "
            "a.attgenerated <> '' from pg_attribute a join pg_type t on t.oid = a.atttypid "
            "left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum "
            "where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped "
            "order by a.attnum"),
        oid, kTimeoutMs);
    const PgResult pk = conn.execSync(
        QStringLiteral("select a.attname from pg_index i cross join lateral "
                       "unnest(i.indkey) with ordinality k(attnum, ord) join pg_attribute a on "
                       "a.attrelid = i.indrelid and a.attnum = k.attnum where i.indrelid = $1::oid "
                       "and i.indisprimary order by k.ord"),
        oid, kTimeoutMs);
    const PgResult fks = conn.execSync(
        QStringLiteral("select conname, conrelid::regclass::text, confrelid::regclass::text, "
                       "pg_get_constraintdef(oid), conrelid = $1::oid from pg_constraint "
                       "where contype = 'f' and (conrelid = $1::oid or confrelid = $1::oid) "
                       "order by conname"),
        oid, kTimeoutMs);
    const PgResult views = conn.execSync(
        QStringLiteral("select distinct v.oid::regclass::text from pg_depend d join pg_rewrite r "
                       "on r.oid = d.objid join pg_class v on v.oid = r.ev_class where "
                       "d.refobjid = $1::oid and v.oid <> $1::oid order by 1"),
        oid, kTimeoutMs);
    for (const PgResult *r : {&cols, &pk, &fks, &views}) {
        if (!r->ok()) {
            *error = r->errorMessage();
            return false;
        }
    }
    for (int i = 0; i < cols.rowCount(); ++i) {
        ColumnInfo c;
        c.name = cols.text(i, 0);
        c.type = cols.text(i, 1);
        c.notNull = cols.text(i, 2) == QLatin1String("t");
        c.defaultExpr = cols.text(i, 3);
        c.builtinType = cols.text(i, 4) == QLatin1String("t");
        c.identity = cols.text(i, 5) == QLatin1String("t");
        c.generated = cols.text(i, 6) == QLatin1String("t");
        info->columns << c;
    }
    for (int i = 0; i < pk.rowCount(); ++i)
        info->primaryKey << pk.text(i, 0);
    for (int i = 0; i < fks.rowCount(); ++i) {
        ForeignKeyInfo fk{fks.text(i, 0), fks.text(i, 1), fks.text(i, 2), fks.text(i, 3)};
        if (fks.text(i, 4) == QLatin1String("t"))
            info->referenced << fk;
        else
            info->referencing << fk;
    }
    for (int i = 0; i < views.rowCount(); ++i)
        info->dependentViews << views.text(i, 0);
    return true;
}

KeyStats keyStats(PgConnection &conn, const TableInfo &table, const QString &column)
{
    KeyStats s;
    const PgResult r = conn.execSync(
        QStringLiteral("select n_distinct, null_frac, coalesce(most_common_freqs[1], 0), "
                       "coalesce((most_common_vals::text::text[])[1], '') from pg_stats "
                       "where schemaname = $1 and tablename = $2 and attname = $3"),
        {table.schema, table.name, column}, kTimeoutMs);
    if (!r.ok() || r.rowCount() == 0)
        return s;
    s.known = true;
    const double nd = r.text(0, 0).toDouble();
    // Negative n_distinct is a fraction of the rows: the count grows with the table.
    s.distinct = nd < 0 ? -nd * double(qMax<qint64>(table.rowEstimate, 1)) : nd;
    s.nullFraction = r.text(0, 1).toDouble();
    s.topFraction = r.text(0, 2).toDouble();
    s.topValue = r.text(0, 3);
    return s;
}

QList<TableListing> tables(PgConnection &conn, QString *error)
{
    QList<TableListing> out;
    const PgResult r = conn.execSync(
        QStringLiteral("select n.nspname, c.relname, pg_total_relation_size(c.oid), "
                       "greatest(c.reltuples, 0)::bigint from pg_class c join pg_namespace n "
                       "on n.oid = c.relnamespace where c.relkind in ('r', 'p') and not "
                       "c.relispartition and n.nspname not in ('pg_catalog', "
                       "'information_schema') and n.nspname not like 'pg\\_%' "
                       "order by 3 desc, 1, 2"),
        {}, kTimeoutMs);
    if (!r.ok()) {
        *error = r.errorMessage();
        return out;
    }
    for (int i = 0; i < r.rowCount(); ++i)
        out << TableListing{r.text(i, 0), r.text(i, 1), r.text(i, 2).toLongLong(),
                            r.text(i, 3).toLongLong()};
    return out;
}

} // namespace inspect
} // namespace pgdeck
