#include "gitrepo.h"

#include <QProcess>

namespace pgdeck {

GitRepo::GitRepo(const QString &dir)
    : m_dir(dir)
{}

bool GitRepo::git(const QStringList &args, QString *output, QString *error) const
{
    QProcess p;
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("-C"), m_dir} + args);
    if (!p.waitForStarted(5000)) {
        if (error)
            *error = QStringLiteral("git cannot be started (apt-get install git): %1")
                         .arg(p.errorString());
        return false;
    }
    p.waitForFinished(60000);
    if (output)
        *output = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    const bool ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!ok && error)
        *error = QStringLiteral("git %1: %2")
                     .arg(args.first(), QString::fromUtf8(p.readAllStandardError()).trimmed());
    return ok;
}

bool GitRepo::isRepository(QString *error) const
{
    QString out;
    if (git({QStringLiteral("rev-parse"), QStringLiteral("--is-inside-work-tree")}, &out) &&
        out == QLatin1String("true"))
        return true;
    *error = QStringLiteral("%1 is not inside a git working tree").arg(m_dir);
    return false;
}

QString GitRepo::currentBranch() const
{
    QString out;
    return git({QStringLiteral("symbolic-ref"), QStringLiteral("--quiet"),
                QStringLiteral("--short"), QStringLiteral("HEAD")},
               &out)
               ? out
               : QString();
}

bool GitRepo::branchExists(const QString &branch) const
{
    return git({QStringLiteral("show-ref"), QStringLiteral("--verify"), QStringLiteral("--quiet"),
                QStringLiteral("refs/heads/") + branch},
               nullptr);
}

bool GitRepo::commitOnNewBranch(const QString &branch, const QStringList &paths,
                                const QString &message, QString *commit, QString *error)
{
    if (!isRepository(error))
        return false;
    if (!git({QStringLiteral("check-ref-format"), QStringLiteral("--branch"), branch}, nullptr)) {
        *error = QStringLiteral("\"%1\" is not a valid branch name").arg(branch);
        return false;
    }
    if (branchExists(branch)) {
        *error = QStringLiteral("branch %1 exists already: choose another name").arg(branch);
        return false;
    }
    QString out, head;
    const QString original = currentBranch();
    git({QStringLiteral("rev-parse"), QStringLiteral("HEAD")}, &head);
    if (!git({QStringLiteral("switch"), QStringLiteral("-c"), branch}, &out, error))
        return false;
    // --only: exactly these paths, whatever else the index holds. Untracked paths need
    // adding first (intent-to-add keeps the rest of the index as it was).
    if (!git(QStringList{QStringLiteral("add"), QStringLiteral("--intent-to-add"),
                         QStringLiteral("--")} +
                 paths,
             &out, error) ||
        !git(QStringList{QStringLiteral("commit"), QStringLiteral("--quiet"),
                         QStringLiteral("--only"), QStringLiteral("-m"), message,
                         QStringLiteral("--")} +
                 paths,
             &out, error)) {
        // Back to where the user was, without the empty branch.
        git(original.isEmpty()
                ? QStringList{QStringLiteral("switch"), QStringLiteral("--detach"), head}
                : QStringList{QStringLiteral("switch"), original},
            &out);
        git({QStringLiteral("branch"), QStringLiteral("-D"), branch}, &out);
        return false;
    }
    return git({QStringLiteral("rev-parse"), QStringLiteral("--short"), QStringLiteral("HEAD")},
               commit, error);
}

} // namespace pgdeck
