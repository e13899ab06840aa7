#pragma once

#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace pgdeck {

// What a page shows when it has nothing to show: a title, a hint or an error, and
// optionally the actions that get the user going, centred.
class EmptyStateWidget : public QWidget {
    Q_OBJECT
public:
    explicit EmptyStateWidget(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setMessage(const QString &message, bool isError = false);
    QString message() const;
    // Placed under the message; the widget takes it over. Hidden with setActionsVisible.
    void setActions(QWidget *actions);
    void setActionsVisible(bool visible);

private:
    QLabel *m_title;
    QLabel *m_message;
    QWidget *m_actions = nullptr;
    QVBoxLayout *m_layout;
};

} // namespace pgdeck
