#pragma once

#include "inventory.h"

#include <QByteArray>
#include <QString>

namespace pgdeck {

// Turns an Inventory back into YAML that InventoryLoader reads to the same value.
// Only keys that are set are written; there is no password to write.
class InventoryWriter {
public:
    static QByteArray toYaml(const Inventory &inv);

    // Writes atomically (QSaveFile): a crash or a full disk leaves the old file whole.
    // On failure returns false and sets *error (may be null) to "path: reason".
    static bool save(const Inventory &inv, const QString &path, QString *error);

    // The forms toYaml() uses, exposed so the GUI shows values the way the file does.
    static QString formatDuration(int ms);            // "500ms", "1s", "2min", "1h"
    static QString formatSize(qint64 bytes);          // "16MB", "1536kB", "1000"
    static QString formatSeconds(double seconds);     // shortest text that reads back exactly
    static QString quoteScalar(const QString &value); // plain when safe, else "double quoted"
};

} // namespace pgdeck
