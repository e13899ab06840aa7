#pragma once

#include "common/emptystatewidget.h"

class QPushButton;

namespace pgdeck {

// What the console shows with no inventory open: the three ways to get going (open an
// inventory, add a server, build the sandbox) as cards, and a message above them — a
// hint, or an error that says why nothing is shown.
class WelcomePage : public EmptyStateWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);

Q_SIGNALS:
    void openInventoryRequested();
    void addServerRequested();
    void startSandboxRequested();

private:
    QWidget *card(const QString &title, const QString &text, QPushButton *button);
};

} // namespace pgdeck
