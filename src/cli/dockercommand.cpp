// pgdeckctl docker init|validate: a container deployment's files, generated from one model,
// shown as a diff against the project directory, written only when asked, and checked by
// Docker Compose itself.
#include "ctlcommand.h"

#include "docker/composeplanner.h"
#include "docker/composetool.h"
#include "docker/deployment.h"
#include "docker/deploymentfiles.h"
#include "docker/deploymentgenerator.h"

#include <QDir>
#include <QFileInfo>

namespace pgdeck {

QString CtlCommand::dockerProjectDir() const
{
    const QString dir = m_parser.value(QStringLiteral("dir"));
    return QDir(dir.isEmpty() ? QDir::currentPath() : dir).absolutePath();
}

QString CtlCommand::dockerProjectName() const
{
    const QString name = m_parser.value(QStringLiteral("project"));
    // Compose's own default: the directory's name, made valid
    return name.isEmpty() ? ComposeProject::normalizedName(QFileInfo(dockerProjectDir()).fileName())
                          : name;
}

bool CtlCommand::dockerDeployment(Deployment *d)
{
    const auto number = [&](const char *option, int *value) {
        if (!m_parser.isSet(QLatin1String(option)))
            return true;
        bool ok = false;
        *value = m_parser.value(QLatin1String(option)).toInt(&ok);
        if (!ok)
            usage(QStringLiteral("--%1 takes a number").arg(QLatin1String(option)));
        return ok;
    };
    d->project = dockerProjectName();
    if (m_parser.isSet(QStringLiteral("app")) &&
        !Deployment::appFromName(m_parser.value(QStringLiteral("app")), &d->app)) {
        usage(QStringLiteral("--app takes node, python, binary or none"));
        return false;
    }
    if (m_parser.isSet(QStringLiteral("db")) &&
        !Deployment::databaseFromName(m_parser.value(QStringLiteral("db")), &d->database)) {
        usage(QStringLiteral("--db takes single, replicated or citus"));
        return false;
    }
    if (m_parser.isSet(QStringLiteral("entry")))
        d->entry = m_parser.value(QStringLiteral("entry"));
    d->openPorts = m_parser.isSet(QStringLiteral("open-ports"));
    if (!number("replicas", &d->replicas) || !number("workers", &d->citusWorkers) ||
        !number("app-port", &d->appPort) || !number("port", &d->dbHostPort))
        return false;
    d->appHostPort = d->appPort;
    return noErrors(validateDeployment(*d));
}

bool CtlCommand::noErrors(const QStringList &errors)
{
    for (const QString &e : errors)
        m_err << "error: " << e << "\n";
    if (errors.isEmpty())
        return true;
    m_err << "pgdeckctl: nothing written\n";
    m_err.flush();
    return false;
}

int CtlCommand::docker(const QStringList &args)
{
    const QString action = args.value(0);
    const QString dir = dockerProjectDir();
    if (action == QLatin1String("validate") && args.size() == 1) {
        QString version, error;
        const QStringList compose = ComposeTool::detect(&version, &error);
        if (compose.isEmpty()) {
            m_err << "pgdeckctl: " << error << "\n";
            return 1;
        }
        QString message;
        const bool ok = ComposeTool::validate(compose, dir, &message);
        (ok ? m_out : m_err) << (ok ? "valid" : "invalid") << " (" << compose.join(QLatin1Char(' '))
                             << ", " << version << ")" << (message.isEmpty() ? "" : ":\n")
                             << message << "\n";
        return ok ? 0 : 1;
    }
    if (action == QLatin1String("ps") && args.size() == 1)
        return dockerPs();
    if (action == QLatin1String("pgpass") && args.size() == 1)
        return dockerPgPass();
    static const QStringList actions{QStringLiteral("up"),      QStringLiteral("down"),
                                     QStringLiteral("restart"), QStringLiteral("build"),
                                     QStringLiteral("pull"),    QStringLiteral("logs")};
    if (actions.contains(action))
        return dockerAction(action, args.mid(1));
    if (action != QLatin1String("init") || args.size() != 1)
        return usage(QStringLiteral(
            "docker takes init, validate, up, down, restart, build, pull, logs, ps or pgpass"));

    Deployment d;
    if (!dockerDeployment(&d))
        return 2;
    return proposeFiles(dir, DeploymentGenerator::files(d));
}

int CtlCommand::proposeFiles(const QString &dir, const QList<GeneratedFile> &files,
                             const QString &note, QStringList *committable)
{
    const QList<FileProposal> proposals = DeploymentFiles::compare(dir, files);
    bool changed = false;
    for (const FileProposal &p : proposals) {
        m_out << QStringLiteral("%1  %2\n")
                     .arg(FileProposal::stateName(p.state), -9)
                     .arg(p.file.path);
        if (p.state == FileProposal::State::Changed) {
            m_out << p.diff;
            changed = true;
        }
    }
    if (!note.isEmpty())
        m_out << "\n" << note << "\n";
    if (!m_parser.isSet(QStringLiteral("write"))) {
        m_out << "\nnothing written: run again with --write"
              << (changed ? " (--force to replace the changed files above)" : "") << "\n";
        return 0;
    }
    QStringList written;
    QString error;
    if (!DeploymentFiles::write(dir, proposals, m_parser.isSet(QStringLiteral("force")), &written,
                                &error)) {
        m_err << "pgdeckctl: " << error << "\n";
        return 1;
    }
    m_out << "\nwrote "
          << (written.isEmpty() ? QStringLiteral("nothing") : written.join(QStringLiteral(", ")))
          << " in " << dir << "\n";
    if (committable) // what the directory now holds as generated: not an edit that was kept
        for (const FileProposal &p : proposals)
            if (p.state != FileProposal::State::Changed || m_parser.isSet(QStringLiteral("force")))
                *committable << p.file.path;
    if (changed && !m_parser.isSet(QStringLiteral("force")))
        m_out << "kept your edited files; --force replaces them\n";
    return 0;
}

} // namespace pgdeck
