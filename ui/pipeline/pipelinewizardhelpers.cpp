#include "pipelinewizardhelpers.h"

#include <QLabel>
#include <QLineEdit>

namespace pgdeck::pipelinewizard {

QLineEdit *lineEdit(const QString &objectName, const QString &accessibleName, const QString &text)
{
    auto *e = new QLineEdit(text);
    e->setObjectName(objectName);
    e->setAccessibleName(accessibleName);
    return e;
}

QLabel *noteLabel(const QString &objectName, const QString &accessibleName)
{
    auto *l = new QLabel;
    l->setObjectName(objectName);
    l->setAccessibleName(accessibleName);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

void setColoredText(QLabel *label, const QString &text, const QColor &color)
{
    label->setText(text);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(color.name()));
    label->setVisible(!text.isEmpty());
}

} // namespace pgdeck::pipelinewizard
