#include "shardingspec.h"

#include "pg/quoting.h"

namespace pgdeck {

QString strategyName(ShardStrategy s)
{
    switch (s) {
    case ShardStrategy::Hash:
        return QStringLiteral("hash");
    case ShardStrategy::Range:
        return QStringLiteral("range");
    case ShardStrategy::Geo:
        return QStringLiteral("geo");
    }
    return {};
}

bool strategyFromName(const QString &name, ShardStrategy *s)
{
    for (ShardStrategy c : {ShardStrategy::Hash, ShardStrategy::Range, ShardStrategy::Geo}) {
        if (strategyName(c) == name.trimmed().toLower()) {
            *s = c;
            return true;
        }
    }
    return false;
}

QString ShardingSpec::qualifiedTable() const
{
    return sql::quoteQualified(schema, table);
}

bool parseRanges(const QString &text, QList<RangeShard> *ranges, QString *error)
{
    ranges->clear();
    const QStringList items = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &raw : items) {
        const QString item = raw.trimmed();
        const qsizetype eq = item.lastIndexOf(QLatin1Char('='));
        const qsizetype colon = eq < 0 ? -1 : item.left(eq).indexOf(QLatin1Char(':'));
        if (eq < 0 || colon < 0) {
            *error = QStringLiteral("range \"%1\" is not FROM:TO=WORKER").arg(item);
            return false;
        }
        RangeShard r{item.left(colon).trimmed(), item.mid(colon + 1, eq - colon - 1).trimmed(),
                     item.mid(eq + 1).trimmed()};
        if (r.worker.isEmpty()) {
            *error = QStringLiteral("range \"%1\" names no worker").arg(item);
            return false;
        }
        *ranges << r;
    }
    if (ranges->isEmpty()) {
        *error = QStringLiteral("no ranges given");
        return false;
    }
    return true;
}

QString formatRanges(const QList<RangeShard> &ranges)
{
    QStringList out;
    for (const RangeShard &r : ranges)
        out << QStringLiteral("%1:%2=%3").arg(r.from, r.to, r.worker);
    return out.join(QLatin1Char(','));
}

} // namespace pgdeck
