#pragma once

#include <QImage>
#include <QString>

class QWidget;

namespace pgdeck {

// Renders a window as the user would see it, dialogs it owns painted on top at their
// positions; for --screenshot, which runs offscreen where no compositor does that.
class WindowGrabber {
public:
    static QImage grab(QWidget *window);
    static bool save(QWidget *window, const QString &path, QString *error);
};

} // namespace pgdeck
