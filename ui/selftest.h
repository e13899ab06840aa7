#pragma once

#include <QString>

class QTextStream;
class QWidget;

namespace pgdeck {

class MainWindow;

// pgdeck --self-test: shows the welcome page, every page of the main window and the
// wizards that need no cluster, renders each, and reports one line per screen. An
// installed package proves with it that its Qt plugins, fonts and libraries are all there.
class SelfTest {
public:
    // 0 when every screen rendered; the number of screens that did not, otherwise.
    static int run(MainWindow *window, QTextStream &out);

private:
    static QString check(const QString &name, QWidget *widget, QTextStream &out);
};

} // namespace pgdeck
