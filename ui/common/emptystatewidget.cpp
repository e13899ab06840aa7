#include "emptystatewidget.h"

#include "healthstyle.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace pgdeck {

EmptyStateWidget::EmptyStateWidget(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_message(new QLabel(this))
    , m_layout(new QVBoxLayout(this))
{
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.6);
    tf.setBold(true);
    m_title->setFont(tf);
    m_title->setAlignment(Qt::AlignCenter);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setAccessibleName(tr("Message"));

    m_layout->addStretch(2);
    m_layout->addWidget(m_title);
    m_layout->addSpacing(6);
    // Stretches, not an alignment: an aligned word-wrapping label gets one line's height.
    auto *message = new QHBoxLayout;
    message->addStretch(1);
    message->addWidget(m_message, 3);
    message->addStretch(1);
    m_layout->addLayout(message);
    m_layout->addStretch(3);
}

void EmptyStateWidget::setTitle(const QString &title)
{
    m_title->setText(title);
}

void EmptyStateWidget::setMessage(const QString &message, bool isError)
{
    // Errors are shown verbatim (they may quote SQL or YAML); hints may carry markup.
    m_message->setTextFormat(isError ? Qt::PlainText : Qt::RichText);
    m_message->setText(message);
    QPalette p = palette();
    if (isError)
        p.setColor(QPalette::WindowText, HealthStyle::color(NodeStatus::Health::Down).darker(110));
    m_message->setPalette(p);
}

QString EmptyStateWidget::message() const
{
    return m_message->text();
}

void EmptyStateWidget::setActions(QWidget *actions)
{
    delete m_actions;
    m_actions = actions;
    // After the message, before the bottom stretch.
    m_layout->insertWidget(m_layout->count() - 1, actions);
}

void EmptyStateWidget::setActionsVisible(bool visible)
{
    if (m_actions)
        m_actions->setVisible(visible);
}

} // namespace pgdeck
