// The first run: the welcome page and its three ways in, the Add a Server dialog against
// a real server (the connection test runs in the background; a wrong port is named by
// libpq; the server joins the inventory and is monitored), every menu action with its own
// shortcut, accessible names, and the window layout coming back after a restart.
#include "common/windowgrabber.h"
#include "mainwindow.h"
#include "nodes/nodestablemodel.h"
#include "sandboxprocess.h"
#include "welcome/addserverdialog.h"
#include "welcome/welcomepage.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace pgdeck;

class TestWelcome : public QObject {
    Q_OBJECT
    test::SandboxProcess m_sandbox;
    QTemporaryDir m_config;

    static void saveShot(QWidget *w, const QString &name)
    {
        const QString dir = qEnvironmentVariable("PGDECK_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        const QImage image = WindowGrabber::grab(w);
        QVERIFY(image.save(QDir(dir).filePath(name)));
    }

    // A primary alone, started by the first test that needs it (the 2x run needs none).
    bool sandboxUp()
    {
        if (m_sandboxUp)
            return true;
        QString error;
        m_sandboxUp = m_sandbox.up(0, &error);
        if (!m_sandboxUp)
            qWarning("%s", qPrintable(error));
        return m_sandboxUp;
    }
    bool m_sandboxUp = false;

private Q_SLOTS:
    void initTestCase()
    {
        // Settings and the inventory go to a scratch config directory, never the user's.
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    }

    void welcomeOffersThreeWaysIn()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        auto *page = w.findChild<WelcomePage *>();
        QVERIFY(page && page->isVisible());
        for (const char *name : {"openInventoryButton", "addServerButton", "startSandboxButton"}) {
            auto *b = page->findChild<QPushButton *>(QLatin1String(name));
            QVERIFY2(b && b->isVisible() && !b->accessibleName().isEmpty(), name);
        }
        QTest::qWait(100);
        // At 1x and, run again with QT_SCALE_FACTOR=2, at 2x: the file says which.
        const qreal dpr = w.devicePixelRatioF();
        QVERIFY(WindowGrabber::grab(&w).width() >= int(1280 * dpr));
        saveShot(&w, dpr > 1.5 ? QStringLiteral("welcome@2x.png") : QStringLiteral("welcome.png"));
    }

    void addServerTestsTheConnectionInTheBackground()
    {
        QVERIFY(sandboxUp());
        AddServerDialog dialog;
        dialog.show();
        auto *ok = dialog.findChild<QDialogButtonBox *>();
        QVERIFY(ok);
        // A closed port: libpq's own words, and the GUI thread never waits on the socket.
        dialog.setServer(QStringLiteral("127.0.0.1"), 1, QStringLiteral("postgres"),
                         QStringLiteral("pgdeck"));
        QSignalSpy finished(&dialog, &AddServerDialog::testFinished);
        dialog.testConnection();
        QVERIFY(dialog.isTesting());
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(dialog.testResult().contains(QLatin1String("127.0.0.1")) &&
                     dialog.testResult().contains(QLatin1String("refused")),
                 qPrintable(dialog.testResult()));

        // The sandbox's primary answers with its version and role.
        dialog.setServer(QStringLiteral("127.0.0.1"), m_sandbox.port(0), QStringLiteral("postgres"),
                         QStringLiteral("postgres"));
        dialog.testConnection();
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.last().first().toBool(), true);
        QVERIFY2(dialog.testResult().contains(QLatin1String("Connected: PostgreSQL 1")) &&
                     dialog.testResult().contains(QLatin1String("primary")),
                 qPrintable(dialog.testResult()));
        saveShot(&dialog, QStringLiteral("add-server.png"));

        // A bad cluster name is refused before anything is written.
        auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("clusterName"));
        name->setText(QStringLiteral("no spaces please"));
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("testButton"))->isEnabled());
        QVERIFY(dialog.testResult().contains(QLatin1String("cluster name")));
        name->setText(QStringLiteral("mine"));
        QCOMPARE(dialog.testResult(), QString()); // the mended problem is not left on show
        const ClusterSpec c = dialog.cluster();
        QCOMPARE(c.name, QStringLiteral("mine"));
        QCOMPARE(c.nodes.size(), 1);
        QCOMPARE(c.nodes.first().port, m_sandbox.port(0));
        QCOMPARE(c.nodes.first().role, QStringLiteral("primary"));

        // Another server is not the one tested: its role is not taken from that test.
        auto *port = dialog.findChild<QSpinBox *>(QStringLiteral("port"));
        port->setValue(m_sandbox.port(0) + 1);
        QCOMPARE(dialog.cluster().nodes.first().role, QString());
        port->setValue(m_sandbox.port(0)); // until it is tested again
        QCOMPARE(dialog.cluster().nodes.first().role, QString());
        dialog.testConnection();
        QVERIFY(finished.wait(15000));
        QCOMPARE(dialog.cluster().nodes.first().role, QStringLiteral("primary"));
    }

    void anAddedServerJoinsTheInventoryAndIsMonitored()
    {
        QVERIFY(sandboxUp());
        MainWindow w;
        w.show();
        QMetaObject::invokeMethod(
            &w, [&w] { w.findChild<QAction *>(QStringLiteral("addServerAction"))->trigger(); });
        QTRY_VERIFY(w.findChild<AddServerDialog *>());
        auto *dialog = w.findChild<AddServerDialog *>();
        dialog->setServer(QStringLiteral("127.0.0.1"), m_sandbox.port(0),
                          QStringLiteral("postgres"), QStringLiteral("postgres"));
        QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("clusterName"))->text(),
                 QStringLiteral("local"));
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        const QString path =
            QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                .filePath(QStringLiteral("inventory.yaml"));
        QTRY_COMPARE(w.inventoryPath(), path);
        const NodesTableModel *m = w.nodesModel();
        const int row =
            m->rowOf(QStringLiteral("local"), QStringLiteral("server-%1").arg(m_sandbox.port(0)));
        QVERIFY2(row >= 0, qPrintable(QString::number(m->rowCount())));
        QTRY_COMPARE_WITH_TIMEOUT(m->index(row, NodesTableModel::StateColumn).data().toString(),
                                  QStringLiteral("up"), 20000);
        QCOMPARE(MainWindow::userInventoryPath(), path); // what the console opens at start

        // A second server does not replace the first: its name must be free.
        QMetaObject::invokeMethod(
            &w, [&w] { w.findChild<QAction *>(QStringLiteral("addServerAction"))->trigger(); });
        QTRY_VERIFY(w.findChildren<AddServerDialog *>().size() == 1 &&
                    w.findChild<AddServerDialog *>() != dialog);
        dialog = w.findChild<AddServerDialog *>();
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("clusterName"));
        QCOMPARE(name->text(), QStringLiteral("local-2")); // a free name is offered
        name->setText(QStringLiteral("local"));
        QVERIFY(
            !dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
        QVERIFY2(dialog->testResult().contains(QLatin1String("already has a cluster local")),
                 qPrintable(dialog->testResult()));
        dialog->reject();
        QFile::remove(path);
    }

    void everyActionHasItsOwnShortcutAndName()
    {
        MainWindow w;
        QSet<QString> seen;
        int actions = 0;
        for (QMenu *menu : w.menuBar()->findChildren<QMenu *>()) {
            for (QAction *a : menu->actions()) {
                if (a->isSeparator() || a->menu())
                    continue;
                ++actions;
                const QString keys = a->shortcut().toString();
                QVERIFY2(!keys.isEmpty(), qPrintable(a->text()));
                QVERIFY2(!seen.contains(keys), qPrintable(keys + QStringLiteral(" twice")));
                seen << keys;
                QVERIFY2(!a->objectName().isEmpty(), qPrintable(a->text()));
            }
        }
        QVERIFY(actions >= 20);
        // Ctrl+3 goes to the third page.
        w.showPages();
        w.show();
        w.findChild<QAction *>(QStringLiteral("pageAction3"))->trigger();
        QCOMPARE(w.pages()->currentIndex(), 2);
    }

    void everyControlHasAnAccessibleName()
    {
        MainWindow w;
        w.show();
        AddServerDialog dialog;
        dialog.show();
        for (QWidget *top : {static_cast<QWidget *>(w.findChild<WelcomePage *>()),
                             static_cast<QWidget *>(&dialog)}) {
            for (const QWidget *c : top->findChildren<QWidget *>()) {
                if (!(c->focusPolicy() & Qt::TabFocus) || !c->isVisibleTo(top) ||
                    c->parentWidget()->inherits("QAbstractSpinBox"))
                    continue;
                const auto *b = qobject_cast<const QAbstractButton *>(c);
                const QString name =
                    c->accessibleName().isEmpty() && b ? b->text() : c->accessibleName();
                QVERIFY2(!name.isEmpty(), c->metaObject()->className());
            }
        }
    }

    void aDarkSystemPaletteIsFollowed()
    {
        // What a dark desktop theme hands Qt: every colour comes from the palette.
        const QPalette light = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x22, 0x26));
        dark.setColor(QPalette::WindowText, QColor(0xea, 0xea, 0xea));
        dark.setColor(QPalette::Base, QColor(0x16, 0x18, 0x1b));
        dark.setColor(QPalette::Text, QColor(0xea, 0xea, 0xea));
        dark.setColor(QPalette::Button, QColor(0x2c, 0x2f, 0x34));
        dark.setColor(QPalette::ButtonText, QColor(0xea, 0xea, 0xea));
        QApplication::setPalette(dark);
        const auto restore = qScopeGuard([&] { QApplication::setPalette(light); });
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QTest::qWait(100);
        const QImage image = WindowGrabber::grab(&w);
        qint64 sum = 0, n = 0, bright = 0;
        for (int y = 0; y < image.height(); y += 5)
            for (int x = 0; x < image.width(); x += 5, ++n) {
                const int l = QColor(image.pixel(x, y)).lightness();
                sum += l;
                bright += l > 200;
            }
        QVERIFY2(sum / n < 80, qPrintable(QString::number(sum / n))); // dark overall
        QVERIFY(bright > 0);                                          // with light text
        saveShot(&w, QStringLiteral("welcome-dark.png"));
    }

    void layoutComesBackAfterARestart()
    {
        QSize left; // what the window really was: its minimum size may have won over resize()
        {
            MainWindow w;
            w.setLayoutRemembered(true);
            w.resize(1111, 666);
            w.show();
            w.pages()->setCurrentIndex(4);
            QTest::qWait(50);
            left = w.size();
            w.close();
        }
        const QString file = QSettings().fileName();
        QVERIFY2(file.startsWith(m_config.path()), qPrintable(file)); // XDG_CONFIG_HOME
        MainWindow again;
        again.resize(800, 600);
        QVERIFY(again.restoreLayout());
        again.show();
        QTRY_COMPARE(again.size(), left);
        QVERIFY(left != QSize(800, 600));
        QCOMPARE(again.pages()->currentIndex(), 4);
    }
};

QTEST_MAIN(TestWelcome)
#include "tst_welcome.moc"
