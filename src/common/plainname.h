#pragma once

#include <QString>

namespace pgdeck {

// A name that is safe as a cluster, scope, member or pipeline name everywhere it ends up
// (file names, YAML keys, systemd units, URLs): a letter or digit, then letters, digits,
// '.', '_' and '-'.
bool isPlainName(const QString &name);

} // namespace pgdeck
