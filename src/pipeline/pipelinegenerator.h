#pragma once

#include "docker/deploymentgenerator.h" // GeneratedFile
#include "pipelinespec.h"

#include <QList>

namespace pgdeck {

// The CI systems pgdeck writes pipelines for.
enum class CiSystem { GitHub, GitLab, Jenkins, CircleCI };

// One pipeline, four files: each translates PipelineModel's jobs into its system's syntax.
class PipelineGenerator {
public:
    static QList<CiSystem> allSystems();
    static QString systemName(CiSystem system); // github, gitlab, jenkins, circleci
    static bool systemFromName(const QString &name, CiSystem *system);
    static QString displayName(CiSystem system); // "GitHub Actions", …

    static GeneratedFile file(const PipelineSpec &spec, CiSystem system);
    static QString githubActions(const PipelineSpec &spec); // .github/workflows/<name>.yml
    static QString gitlabCi(const PipelineSpec &spec);      // .gitlab-ci.yml
    static QString jenkinsfile(const PipelineSpec &spec);   // Jenkinsfile (declarative)
    static QString circleCi(const PipelineSpec &spec);      // .circleci/config.yml
};

} // namespace pgdeck
