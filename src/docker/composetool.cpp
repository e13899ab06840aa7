#include "composetool.h"

#include <QProcess>

namespace pgdeck {

namespace {

bool run(const QStringList &argv, const QString &dir, QString *output, int timeoutMs = 30000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (!dir.isEmpty())
        p.setWorkingDirectory(dir);
    p.start(argv.first(), argv.mid(1));
    if (!p.waitForStarted(5000)) {
        *output = p.errorString();
        return false;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        *output = QStringLiteral("%1 gave no answer within %2 s")
                      .arg(argv.join(QLatin1Char(' ')))
                      .arg(timeoutMs / 1000);
        return false;
    }
    *output = QString::fromUtf8(p.readAll()).trimmed();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

QStringList ComposeTool::detect(QString *version, QString *error)
{
    QString out;
    for (const QStringList &candidate :
         {QStringList{QStringLiteral("docker"), QStringLiteral("compose")},
          QStringList{QStringLiteral("docker-compose")}}) {
        if (run(candidate + QStringList{QStringLiteral("version")}, {}, &out)) {
            if (version)
                *version = out.section(QLatin1Char('\n'), 0, 0);
            return candidate;
        }
    }
    if (error)
        *error = QStringLiteral("neither `docker compose` nor `docker-compose` works here: install "
                                "Docker Compose (Debian: apt-get install docker-compose)");
    return {};
}

bool ComposeTool::validate(const QStringList &compose, const QString &dir, QString *message)
{
    return run(compose + QStringList{QStringLiteral("config"), QStringLiteral("-q")}, dir, message);
}

bool ComposeTool::config(const QStringList &composeCommand, const QString &dir, QByteArray *yaml,
                         QString *message)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(composeCommand.first(), composeCommand.mid(1) + QStringList{QStringLiteral("config")});
    if (!p.waitForStarted(5000)) {
        *message = p.errorString();
        return false;
    }
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        *message = QStringLiteral("%1 config gave no answer within 30 s")
                       .arg(composeCommand.join(QLatin1Char(' ')));
        return false;
    }
    *yaml = p.readAllStandardOutput();
    *message = QString::fromUtf8(p.readAllStandardError()).trimmed();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace pgdeck
