#pragma once

#include "inventory.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace pgdeck {

// Reads and validates inventory YAML (see resources/inventories/example.yaml).
// Validation does not stop at the first problem: every error found is appended
// to *errors, each with file, line and column, so one edit can fix them all.
class InventoryLoader {
public:
    // Reads the file at path. On success replaces *out and returns true; on any
    // error leaves *out untouched, appends to *errors (may be null) and returns false.
    static bool load(const QString &path, Inventory *out, QList<InventoryError> *errors);

    // Same as load() for YAML already in memory; fileNameForMessages is only
    // used to label errors.
    static bool parse(const QByteArray &yaml, const QString &fileNameForMessages, Inventory *out,
                      QList<InventoryError> *errors);

    // Value syntaxes of the monitor section, public so the GUI can validate input.
    // A duration is "500ms", "1.5s", "2m"/"2min", "1h" or a bare number of seconds.
    static bool parseDurationMs(const QString &text, double *ms);
    // A size is bare bytes or a number with kB/MB/GB/TB/PB (1024 multiples, as
    // PostgreSQL writes them; case-insensitive) or KiB/MiB/GiB/TiB/PiB.
    static bool parseSize(const QString &text, qint64 *bytes);
};

} // namespace pgdeck
