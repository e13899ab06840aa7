#include "welcomepage.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace pgdeck {

WelcomePage::WelcomePage(QWidget *parent)
    : EmptyStateWidget(parent)
{
    setObjectName(QStringLiteral("welcomePage"));
    auto *open = new QPushButton(tr("Open Inventory…"));
    open->setObjectName(QStringLiteral("openInventoryButton"));
    open->setDefault(true);
    auto *add = new QPushButton(tr("Add a Server…"));
    add->setObjectName(QStringLiteral("addServerButton"));
    auto *sandbox = new QPushButton(tr("Build the Sandbox"));
    sandbox->setObjectName(QStringLiteral("startSandboxButton"));
    connect(open, &QPushButton::clicked, this, &WelcomePage::openInventoryRequested);
    connect(add, &QPushButton::clicked, this, &WelcomePage::addServerRequested);
    connect(sandbox, &QPushButton::clicked, this, &WelcomePage::startSandboxRequested);

    auto *actions = new QWidget;
    auto *cards = new QHBoxLayout(actions);
    cards->setContentsMargins(0, 12, 0, 0);
    cards->setSpacing(16);
    cards->addStretch(1);
    cards->addWidget(card(tr("Open an inventory"),
                          tr("A YAML file that lists your clusters and their nodes: what "
                             "pgdeck monitors, shards and deploys."),
                          open));
    cards->addWidget(card(tr("Add a server"),
                          tr("A PostgreSQL server you already run. The connection is tested "
                             "before it is added; its standbys are found for you."),
                          add));
    cards->addWidget(card(tr("Try the sandbox"),
                          tr("A primary and two streaming standbys on 127.0.0.1, built with "
                             "this machine's PostgreSQL in a minute."),
                          sandbox));
    cards->addStretch(1);

    setActions(actions);
}

QWidget *WelcomePage::card(const QString &title, const QString &text, QPushButton *button)
{
    auto *frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setFixedWidth(fontMetrics().averageCharWidth() * 34);
    auto *heading = new QLabel(title);
    QFont hf = heading->font();
    hf.setBold(true);
    hf.setPointSizeF(hf.pointSizeF() * 1.15);
    heading->setFont(hf);
    auto *body = new QLabel(text);
    body->setWordWrap(true);
    body->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    button->setAccessibleName(title);
    button->setAccessibleDescription(text);
    auto *layout = new QVBoxLayout(frame);
    layout->setContentsMargins(14, 12, 14, 12);
    layout->addWidget(heading);
    layout->addWidget(body, 1);
    layout->addSpacing(6);
    layout->addWidget(button, 0, Qt::AlignLeft);
    return frame;
}

} // namespace pgdeck
