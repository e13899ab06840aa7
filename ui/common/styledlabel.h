#pragma once

#include <QString>

class QLabel;
class QWidget;

namespace pgdeck {

// A label in the page's font, scaled (headings) and optionally bold.
QLabel *styledLabel(const QString &text, QWidget *parent, qreal scale = 1.0, bool bold = false);

} // namespace pgdeck
