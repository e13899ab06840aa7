#include "emptystatewidget.h"

#include "healthstyle.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace pgdeck {

EmptyStateWidget::EmptyStateWidget(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_message(new QLabel(this))
    , m_actions(new QWidget(this))
{
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.6);
    tf.setBold(true);
    m_title->setFont(tf);
    m_title->setAlignment(Qt::AlignCenter);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *open = new QPushButton(tr("Open inventory…"), m_actions);
    auto *sandbox = new QPushButton(tr("Build the sandbox"), m_actions);
    open->setDefault(true);
    sandbox->setToolTip(tr("A primary and two streaming standbys on 127.0.0.1, built with "
                           "the PostgreSQL binaries on this machine"));
    auto *buttons = new QHBoxLayout(m_actions);
    buttons->setContentsMargins(0, 8, 0, 0);
    buttons->addStretch(1);
    buttons->addWidget(open);
    buttons->addWidget(sandbox);
    buttons->addStretch(1);
    connect(open, &QPushButton::clicked, this, &EmptyStateWidget::openInventoryRequested);
    connect(sandbox, &QPushButton::clicked, this, &EmptyStateWidget::startSandboxRequested);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(m_title);
    layout->addSpacing(6);
    // Stretches, not an alignment: an aligned word-wrapping label gets one line's height.
    auto *message = new QHBoxLayout;
    message->addStretch(1);
    message->addWidget(m_message, 3);
    message->addStretch(1);
    layout->addLayout(message);
    layout->addWidget(m_actions);
    layout->addStretch(3);
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

void EmptyStateWidget::setActionsVisible(bool visible)
{
    m_actions->setVisible(visible);
}

} // namespace pgdeck
