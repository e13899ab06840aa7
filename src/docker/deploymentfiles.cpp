#include "deploymentfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSaveFile>

namespace pgdeck {

namespace {

// diff(1) from diffutils, which every Debian system has: no need to hand-write one.
QString unifiedDiff(const QString &existingPath, const QString &path, const QString &generated)
{
    QProcess diff;
    diff.start(QStringLiteral("diff"),
               {QStringLiteral("-u"), QStringLiteral("--label"), QStringLiteral("a/") + path,
                QStringLiteral("--label"), QStringLiteral("b/") + path, existingPath,
                QStringLiteral("-")});
    diff.write(generated.toUtf8());
    diff.closeWriteChannel();
    diff.waitForFinished(10000);
    return QString::fromUtf8(diff.readAllStandardOutput());
}

QFile::Permissions permissions(int mode)
{
    QFile::Permissions p;
    if (mode & 0400)
        p |= QFile::ReadOwner | QFile::ReadUser;
    if (mode & 0200)
        p |= QFile::WriteOwner | QFile::WriteUser;
    if (mode & 0100)
        p |= QFile::ExeOwner | QFile::ExeUser;
    if (mode & 0040)
        p |= QFile::ReadGroup;
    if (mode & 0010)
        p |= QFile::ExeGroup;
    if (mode & 0004)
        p |= QFile::ReadOther;
    if (mode & 0001)
        p |= QFile::ExeOther;
    return p;
}

} // namespace

QString FileProposal::stateName(State state)
{
    switch (state) {
    case State::New:
        return QStringLiteral("new");
    case State::Same:
        return QStringLiteral("unchanged");
    case State::Changed:
        return QStringLiteral("changed");
    case State::Kept:
        return QStringLiteral("kept");
    }
    return {};
}

QList<FileProposal> DeploymentFiles::compare(const QString &dir, const QList<GeneratedFile> &files)
{
    QList<FileProposal> out;
    for (const GeneratedFile &f : files) {
        FileProposal p;
        p.file = f;
        const QString path = QDir(dir).filePath(f.path);
        QFile existing(path);
        if (!existing.exists()) {
            p.state = FileProposal::State::New;
        } else if (f.keepExisting) {
            p.state = FileProposal::State::Kept;
        } else if (existing.open(QIODevice::ReadOnly) && existing.readAll() == f.content.toUtf8()) {
            p.state = FileProposal::State::Same;
        } else {
            p.state = FileProposal::State::Changed;
            p.diff = unifiedDiff(path, f.path, f.content);
        }
        out << p;
    }
    return out;
}

bool DeploymentFiles::write(const QString &dir, const QList<FileProposal> &proposals,
                            bool overwrite, QStringList *written, QString *error)
{
    for (const FileProposal &p : proposals) {
        if (p.state == FileProposal::State::Same || p.state == FileProposal::State::Kept ||
            (p.state == FileProposal::State::Changed && !overwrite))
            continue;
        const QString path = QDir(dir).filePath(p.file.path);
        if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
            *error = QStringLiteral("%1: cannot create its directory").arg(path);
            return false;
        }
        // The mode first (an empty file), so a secret is never readable by others even briefly;
        // QSaveFile keeps the target's permissions when it replaces it.
        QFile target(path);
        if (!target.exists() && (!target.open(QIODevice::WriteOnly) ||
                                 !target.setPermissions(permissions(p.file.mode)))) {
            *error = QStringLiteral("%1: %2").arg(path, target.errorString());
            return false;
        }
        target.close();
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(p.file.content.toUtf8()) < 0 ||
            !out.commit()) {
            *error = QStringLiteral("%1: %2").arg(path, out.errorString());
            return false;
        }
        *written << p.file.path;
    }
    return true;
}

} // namespace pgdeck
