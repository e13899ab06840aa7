#include "windowgrabber.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QPainter>
#include <QPixmap>
#include <QWidget>

namespace pgdeck {

QImage WindowGrabber::grab(QWidget *window)
{
    QImage image = window->grab().toImage().convertToFormat(QImage::Format_ARGB32);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    const QPoint origin = window->geometry().topLeft();
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (w == window || !w->isVisible() || w->parentWidget() == nullptr ||
            w->parentWidget()->window() != window)
            continue;
        const QRect r(w->geometry().topLeft() - origin, w->size());
        // A soft shadow so the dialog reads as lifted above the window.
        for (int i = 8; i > 0; --i) {
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(0, 0, 0, 6));
            p.drawRoundedRect(r.adjusted(-i, -i + 3, i, i + 3), i, i);
        }
        p.drawPixmap(r.topLeft(), w->grab());
        p.setPen(QColor(0, 0, 0, 60));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(r).adjusted(-0.5, -0.5, 0.5, 0.5));
    }
    p.end();
    return image;
}

bool WindowGrabber::save(QWidget *window, const QString &path, QString *error)
{
    const QImage image = grab(window);
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (image.isNull() || !image.save(path, "PNG")) {
        *error = QStringLiteral("could not write the screenshot to %1").arg(path);
        return false;
    }
    return true;
}

} // namespace pgdeck
