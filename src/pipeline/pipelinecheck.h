#pragma once

#include "pipelinegenerator.h"

#include <QString>
#include <QStringList>

namespace pgdeck {

// What a structural check of a pipeline file found: errors that would stop the CI system
// from running it, and the secrets it reads (for the user to create).
struct PipelineCheckResult {
    QStringList errors;
    QStringList secrets;
    QStringList jobs; // in file order

    bool ok() const { return errors.isEmpty(); }
};

// Checks a pipeline file as its CI system reads it: required keys, a job graph whose
// needs/requires name existing jobs without a cycle, steps in every job. For files written
// by hand as much as for generated ones; the real validators run in the tests.
class PipelineCheck {
public:
    static PipelineCheckResult check(CiSystem system, const QString &content);
    // Which system a repository path belongs to, from its name.
    static bool systemForPath(const QString &path, CiSystem *system);
};

} // namespace pgdeck
