// pgdeck: the desktop console. A thin main: options, then the main window.
#include "common/windowgrabber.h"
#include "inventory/inventoryloader.h"
#include "mainwindow.h"
#include "monitor/historystore.h"
#include "sandbox/sandbox.h"
#include "selftest.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

using namespace pgdeck;

namespace {

void warn(const QString &message)
{
    std::fprintf(stderr, "pgdeck: %s\n", qPrintable(message));
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pgdeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("pgdeck"));
    QApplication::setApplicationVersion(QStringLiteral(PGDECK_VERSION));
    QApplication::setOrganizationName(QStringLiteral("pgdeck"));
    QApplication::setOrganizationDomain(QStringLiteral("pgdeck.github.io"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.pgdeck.pgdeck"));

    // Qt's own strings in the user's language, then pgdeck's catalogue: the user's
    // language when there is one, else English (whose catalogue holds the plural forms).
    QTranslator qtCatalogue;
    if (qtCatalogue.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                         QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&qtCatalogue);
    QTranslator catalogue;
    if (catalogue.load(QLocale(), QStringLiteral("pgdeck"), QStringLiteral("_"),
                       QStringLiteral(":/i18n")) ||
        catalogue.load(QStringLiteral(":/i18n/pgdeck_en.qm")))
        QCoreApplication::installTranslator(&catalogue);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Desktop console for scaling and deploying PostgreSQL."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption inventoryOpt(
        {QStringLiteral("i"), QStringLiteral("inventory")},
        QStringLiteral("Open this inventory file (default: ~/.config/pgdeck/inventory.yaml, "
                       "else the sandbox's, if either exists)."),
        QStringLiteral("file"));
    const QCommandLineOption sandboxOpt(
        QStringLiteral("sandbox"),
        QStringLiteral("Build (or finish building) the local sandbox, then open on it."));
    const QCommandLineOption sandboxDirOpt(
        QStringLiteral("sandbox-dir"),
        QStringLiteral("Sandbox directory (default %1).").arg(Sandbox::defaultDir()),
        QStringLiteral("dir"));
    const QCommandLineOption sandboxPortOpt(
        QStringLiteral("sandbox-port"),
        QStringLiteral("First port of a new sandbox (default: the first free from %1).")
            .arg(Sandbox::kDefaultPort),
        QStringLiteral("port"));
    const QCommandLineOption screenshotOpt(
        QStringLiteral("screenshot"),
        QStringLiteral("Save the window as PNG after the delay, then quit."),
        QStringLiteral("file"));
    const QCommandLineOption delayOpt(
        QStringLiteral("screenshot-delay"),
        QStringLiteral("Seconds before --screenshot is taken (default 3)."),
        QStringLiteral("seconds"), QStringLiteral("3"));
    const QCommandLineOption dashboardOpt(
        QStringLiteral("dashboard"),
        QStringLiteral("Ops-screen mode: full screen, dark, large type, rotating pages."));
    const QCommandLineOption rotateOpt(
        QStringLiteral("rotate"), QStringLiteral("Dashboard page rotation, e.g. 20s (default)."),
        QStringLiteral("duration"), QStringLiteral("20s"));
    const QCommandLineOption pageOpt(
        QStringLiteral("page"),
        QStringLiteral("Start on this page: overview, replication, nodes, events."),
        QStringLiteral("page"));
    const QCommandLineOption noHistoryOpt(
        QStringLiteral("no-history"),
        QStringLiteral("Do not read or write the local sample history."));
    const QCommandLineOption selfTestOpt(
        QStringLiteral("self-test"),
        QStringLiteral("Open the welcome page, every page and the wizards, render each, report "
                       "and exit: 0 when all rendered. Reads no history; opens --inventory "
                       "if given, nothing else."));
    parser.addOptions({inventoryOpt, sandboxOpt, sandboxDirOpt, sandboxPortOpt, screenshotOpt,
                       delayOpt, dashboardOpt, rotateOpt, pageOpt, noHistoryOpt, selfTestOpt});
    parser.process(app); // --help, --version and bad options end here

    bool delayOk = false;
    const double delay = parser.value(delayOpt).toDouble(&delayOk);
    if (!delayOk || delay < 0 || delay > 3600) {
        warn(QStringLiteral("--screenshot-delay must be a number of seconds from 0 to 3600"));
        return 2;
    }
    if (parser.isSet(sandboxOpt) && parser.isSet(inventoryOpt)) {
        warn(QStringLiteral("--sandbox and --inventory exclude each other"));
        return 2;
    }

    SandboxConfig wanted;
    wanted.dir = parser.isSet(sandboxDirOpt)
                     ? QFileInfo(parser.value(sandboxDirOpt)).absoluteFilePath()
                     : Sandbox::defaultDir();
    if (parser.isSet(sandboxPortOpt)) {
        bool ok = false;
        wanted.basePort = parser.value(sandboxPortOpt).toInt(&ok);
        if (!ok || wanted.basePort < 1024 || wanted.basePort > 65500) {
            warn(QStringLiteral("--sandbox-port must be a number from 1024 to 65500"));
            return 2;
        }
    }

    double rotateMs = 0;
    if (!InventoryLoader::parseDurationMs(parser.value(rotateOpt), &rotateMs) || rotateMs < 1000) {
        warn(QStringLiteral("--rotate must be a duration of at least 1s, like 20s or 1min"));
        return 2;
    }
    const QStringList pageNames{QStringLiteral("overview"), QStringLiteral("replication"),
                                QStringLiteral("nodes"), QStringLiteral("events"),
                                QStringLiteral("shards")};
    const int page = parser.isSet(pageOpt) ? int(pageNames.indexOf(parser.value(pageOpt))) : 0;
    if (page < 0) {
        warn(QStringLiteral("--page must be one of: %1").arg(pageNames.join(QStringLiteral(", "))));
        return 2;
    }
    if (parser.isSet(selfTestOpt)) {
        if (parser.isSet(sandboxOpt) || parser.isSet(dashboardOpt) || parser.isSet(screenshotOpt)) {
            warn(QStringLiteral("--self-test goes alone, or with --inventory"));
            return 2;
        }
        MainWindow window;
        window.resize(1280, 800);
        QString error;
        if (parser.isSet(inventoryOpt) &&
            !window.openInventory(parser.value(inventoryOpt), &error)) {
            warn(error);
            return 2;
        }
        QTextStream out(stdout);
        return SelfTest::run(&window, out) == 0 ? 0 : 1;
    }

    if (parser.isSet(dashboardOpt))
        MainWindow::applyDashboardLook();
    MainWindow window;
    if (!parser.isSet(noHistoryOpt))
        window.setHistoryStorePath(HistoryStore::defaultPath());
    window.resize(1280, 800);
    // Screenshots are taken at the size above; a user's window comes back as it was left.
    const bool remember = !parser.isSet(dashboardOpt) && !parser.isSet(screenshotOpt);
    window.setLayoutRemembered(remember);
    const bool restored = remember && window.restoreLayout();
    if (parser.isSet(dashboardOpt))
        window.setDashboardMode(int(rotateMs));
    else
        window.show();
    if (parser.isSet(pageOpt) || !restored)
        window.pages()->setCurrentIndex(page); // tab order matches pageNames

    if (parser.isSet(sandboxOpt)) {
        SandboxConfig config;
        QString error;
        if (Sandbox::resolveConfig(wanted, &config, &error)) {
            window.startSandbox(config);
        } else {
            warn(error);
            window.showEmptyState(error, true);
        }
    } else {
        // The servers the user added, else the sandbox's.
        QString path = parser.value(inventoryOpt);
        for (const QString &fallback : {MainWindow::userInventoryPath(), wanted.inventoryPath()})
            if (path.isEmpty() && QFileInfo::exists(fallback))
                path = fallback;
        QString error;
        if (!path.isEmpty() && !window.openInventory(path, &error)) {
            warn(error);
            window.showEmptyState(error, true);
        }
    }

    if (parser.isSet(screenshotOpt)) {
        const QString file = parser.value(screenshotOpt);
        QTimer::singleShot(int(delay * 1000), &window, [&window, file] {
            QString error;
            const bool ok = WindowGrabber::save(&window, file, &error);
            if (!ok)
                warn(error);
            QCoreApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
