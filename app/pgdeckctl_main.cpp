// pgdeckctl: the command-line face of pgdeck. QtCore only, so it runs over ssh on a
// server with no display.
#include "cli/ctlcommand.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pgdeckctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PGDECK_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("pgdeck"));
    pgdeck::CtlCommand command;
    return command.run(app.arguments());
}
