#include "keysuggestion.h"

#include <QHash>

#include <algorithm>

namespace pgdeck {

namespace {

// Names people bring from libpq, psql or other tools, mapped to ours.
QString alias(const QString &normalized)
{
    static const QHash<QString, QString> aliases = {
        {QStringLiteral("hostname"), QStringLiteral("host")},
        {QStringLiteral("hostaddr"), QStringLiteral("host")},
        {QStringLiteral("address"), QStringLiteral("host")},
        {QStringLiteral("database"), QStringLiteral("dbname")},
        {QStringLiteral("db"), QStringLiteral("dbname")},
        {QStringLiteral("username"), QStringLiteral("user")},
        {QStringLiteral("datadir"), QStringLiteral("data_dir")},
        {QStringLiteral("pgdata"), QStringLiteral("data_dir")},
        {QStringLiteral("servicename"), QStringLiteral("service")},
        {QStringLiteral("cluster"), QStringLiteral("clusters")},
        {QStringLiteral("node"), QStringLiteral("nodes")},
        {QStringLiteral("servers"), QStringLiteral("nodes")},
        {QStringLiteral("hosts"), QStringLiteral("nodes")},
    };
    return aliases.value(normalized);
}

// Optimal string alignment distance: a swapped pair ("prot") counts as one edit.
int editDistance(const QString &a, const QString &b)
{
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    QList<QList<int>> d(n + 1, QList<int>(m + 1, 0));
    for (qsizetype i = 0; i <= n; ++i)
        d[i][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][j] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

// The closest candidate, or an empty string when nothing is close enough to help.
QString suggestion(const QString &word, const QStringList &candidates)
{
    QString normalized = word.toLower();
    normalized.replace(QLatin1Char('-'), QLatin1Char('_'));
    const QString aliased = alias(QString(normalized).remove(QLatin1Char('_')));
    if (!aliased.isEmpty() && candidates.contains(aliased))
        return aliased;
    const int limit = normalized.size() < 6 ? 1 : 2;
    QString best;
    int bestDistance = limit + 1;
    for (const QString &c : candidates) {
        const int d = editDistance(normalized, c);
        if (d < bestDistance && d < normalized.size()) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

} // namespace

QString didYouMean(const QString &word, const QStringList &candidates)
{
    const QString s = suggestion(word, candidates);
    if (s.isEmpty() || s == word)
        return {};
    return QStringLiteral(" (did you mean \"%1\"?)").arg(s);
}

} // namespace pgdeck
