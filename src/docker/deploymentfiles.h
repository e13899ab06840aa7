#pragma once

#include "deploymentgenerator.h"

#include <QList>
#include <QString>

namespace pgdeck {

// The generated files against what the project directory holds: new, the same, or changed
// (with a unified diff), and writing them without ever clobbering an edit silently.
struct FileProposal {
    enum class State { New, Same, Changed, Kept };
    GeneratedFile file;
    State state = State::New;
    QString diff; // unified diff, existing → generated (Changed only)

    static QString stateName(State state);
};

class DeploymentFiles {
public:
    static QList<FileProposal> compare(const QString &dir, const QList<GeneratedFile> &files);
    // Writes New files, and Changed ones only when overwrite is true; Kept files (.env that
    // exists) never. Atomic per file. Returns false and names the file on an error.
    static bool write(const QString &dir, const QList<FileProposal> &proposals, bool overwrite,
                      QStringList *written, QString *error);
};

} // namespace pgdeck
