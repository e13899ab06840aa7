#pragma once

#include <QString>
#include <QStringList>

namespace pgdeck {

// " (did you mean \"port\"?)" for a mistyped key, matched by edit distance (a swapped pair
// counts as one edit) and by names other tools use ("hostname" -> "host"); empty when
// nothing is close enough to help.
QString didYouMean(const QString &word, const QStringList &candidates);

} // namespace pgdeck
