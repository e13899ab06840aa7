#pragma once

#include <QString>
#include <QStringList>

namespace pgdeck {

// The user's git repository, through the git command line: pgdeck commits what it wrote on
// a branch of its own and never pushes.
class GitRepo {
public:
    explicit GitRepo(const QString &dir);

    bool isRepository(QString *error) const;
    QString currentBranch() const; // empty when HEAD is detached
    bool branchExists(const QString &branch) const;
    // Switches to a new branch from HEAD and commits exactly `paths` there (git commit --only):
    // other changes, staged or not, stay as they were, uncommitted. *commit: the new id.
    bool commitOnNewBranch(const QString &branch, const QStringList &paths, const QString &message,
                           QString *commit, QString *error);

private:
    bool git(const QStringList &args, QString *output, QString *error = nullptr) const;

    QString m_dir;
};

} // namespace pgdeck
