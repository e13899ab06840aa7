#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace pgdeck {

// What the console shows with no inventory: a title, a hint or an error, and the
// actions that get the user going.
class EmptyStateWidget : public QWidget {
    Q_OBJECT
public:
    explicit EmptyStateWidget(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setMessage(const QString &message, bool isError = false);
    void setActionsVisible(bool visible);

Q_SIGNALS:
    void openInventoryRequested();
    void startSandboxRequested();

private:
    QLabel *m_title;
    QLabel *m_message;
    QWidget *m_actions;
};

} // namespace pgdeck
