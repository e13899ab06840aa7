#include "quoting.h"

#include <QRegularExpression>

namespace pgdeck::sql {

QString quoteIdent(const QString &identifier)
{
    QString s = identifier;
    s.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString quoteQualified(const QString &schema, const QString &name)
{
    if (schema.isEmpty())
        return quoteIdent(name);
    return quoteIdent(schema) + QLatin1Char('.') + quoteIdent(name);
}

QString quoteLiteral(const QString &value)
{
    QString s = value;
    s.replace(QLatin1Char('\''), QLatin1String("''"));
    if (s.contains(QLatin1Char('\\'))) {
        s.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        return QLatin1String("E'") + s + QLatin1Char('\'');
    }
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

QString shellQuote(const QString &word)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    if (!word.isEmpty() && safe.match(word).hasMatch())
        return word;
    QString s = word;
    s.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

QString shellJoin(const QStringList &argv)
{
    QStringList quoted;
    quoted.reserve(argv.size());
    for (const QString &a : argv)
        quoted << shellQuote(a);
    return quoted.join(QLatin1Char(' '));
}

} // namespace pgdeck::sql
