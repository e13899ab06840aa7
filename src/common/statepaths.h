#pragma once

#include <QString>

namespace pgdeck {

// Where pgdeck keeps what must survive a crash: plan journals and the audit log.
// $PGDECK_STATE_DIR wins (tests use it); else $XDG_STATE_HOME/pgdeck, else
// ~/.local/state/pgdeck, as the XDG base directory spec says.
QString stateDir();
QString planJournalDir(); // stateDir()/plans
QString auditLogPath();   // stateDir()/audit.jsonl
bool ensureDir(const QString &path, QString *error);

// The OS user running pgdeck, for the audit log.
QString currentOsUser();
bool runningAsRoot();

} // namespace pgdeck
