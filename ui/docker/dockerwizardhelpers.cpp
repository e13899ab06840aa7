#include "dockerwizardhelpers.h"

#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace pgdeck::dockerwizard {

QLineEdit *lineEdit(const QString &name, const QString &accessible)
{
    auto *e = new QLineEdit;
    e->setObjectName(name);
    e->setAccessibleName(accessible);
    return e;
}

QSpinBox *spinBox(const QString &name, const QString &accessible, int min, int max, int value)
{
    auto *s = new QSpinBox;
    s->setObjectName(name);
    s->setAccessibleName(accessible);
    s->setRange(min, max);
    s->setValue(value);
    return s;
}

QLabel *noteLabel(const QString &text)
{
    auto *l = new QLabel(text);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    return l;
}

void setColoredText(QLabel *label, const QString &text, const QColor &color)
{
    label->setText(text);
    label->setStyleSheet(color.isValid() ? QStringLiteral("color: %1").arg(color.name())
                                         : QString());
}

void showErrors(QLabel *label, const QStringList &errors)
{
    QStringList lines;
    for (const QString &e : errors)
        lines << QStringLiteral("• ") + e;
    setColoredText(label, lines.join(QLatin1Char('\n')), kRed);
    label->setVisible(!errors.isEmpty());
}

} // namespace pgdeck::dockerwizard
