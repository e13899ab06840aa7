#include "styledlabel.h"

#include <QLabel>

namespace pgdeck {

QLabel *styledLabel(const QString &text, QWidget *parent, qreal scale, bool bold)
{
    auto *l = new QLabel(text, parent);
    QFont f = l->font();
    if (scale != 1.0)
        f.setPointSizeF(f.pointSizeF() * scale);
    f.setBold(bold);
    l->setFont(f);
    return l;
}

} // namespace pgdeck
