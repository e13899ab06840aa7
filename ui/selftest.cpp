#include "selftest.h"

#include "common/windowgrabber.h"
#include "docker/dockerwizard.h"
#include "mainwindow.h"
#include "pipeline/pipelinewizard.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QTabWidget>
#include <QTextStream>

#include <memory>

namespace pgdeck {

namespace {

// Long enough for layouts, timers of zero and the first paint to run.
void settle()
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 150)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

// A rendered screen has content: not empty, and not a single flat colour.
bool looksDrawn(const QImage &image)
{
    if (image.isNull() || image.width() < 50 || image.height() < 50)
        return false;
    const QRgb first = image.pixel(0, 0);
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            if (image.pixel(x, y) != first)
                return true;
    return false;
}

} // namespace

QString SelfTest::check(const QString &name, QWidget *widget, QTextStream &out)
{
    settle();
    const QImage image = WindowGrabber::grab(widget);
    const bool ok = looksDrawn(image);
    out << (ok ? "ok    " : "FAIL  ") << name << " (" << image.width() << "x" << image.height()
        << ")" << (ok ? "" : ": nothing was drawn") << Qt::endl;
    return ok ? QString() : name;
}

int SelfTest::run(MainWindow *window, QTextStream &out)
{
    QStringList failed;
    out << "pgdeck " << QCoreApplication::applicationVersion() << " self-test on the \""
        << QGuiApplication::platformName() << "\" platform, device pixel ratio "
        << window->devicePixelRatioF() << Qt::endl;
    // The built-in catalogue turns "%n shard(s)" into proper plural forms.
    const QString plural = QCoreApplication::translate("QObject", "%n shard(s)", nullptr, 2);
    const bool catalogue = plural == QLatin1String("2 shards");
    out << (catalogue ? "ok    " : "FAIL  ") << "translation catalogue (\"" << plural << "\")"
        << Qt::endl;
    if (!catalogue)
        failed << QStringLiteral("translation catalogue");
    window->show();
    if (QString f = check(QStringLiteral("welcome"), window, out); !f.isEmpty())
        failed << f;

    window->showPages();
    QTabWidget *pages = window->pages();
    for (int i = 0; i < pages->count(); ++i) {
        pages->setCurrentIndex(i);
        if (QString f = check(pages->tabText(i).remove(QLatin1Char('&')), window, out);
            !f.isEmpty())
            failed << f;
    }
    pages->setCurrentIndex(0);

    const auto wizard = [&](const QString &name, QWidget *w) {
        std::unique_ptr<QWidget> owned(w);
        w->show();
        if (QString f = check(name, w, out); !f.isEmpty())
            failed << f;
        w->close();
    };
    wizard(QStringLiteral("container deployment wizard"), new DockerWizard(window));
    wizard(QStringLiteral("CI/CD pipeline wizard"), new PipelineWizard(window));

    out << (failed.isEmpty()
                ? QStringLiteral("self-test passed")
                : QStringLiteral("self-test FAILED: ") + failed.join(QStringLiteral(", ")))
        << Qt::endl;
    return int(failed.size());
}

} // namespace pgdeck
