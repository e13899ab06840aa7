#pragma once

#include <QColor>

class QLabel;
class QLineEdit;

// What the pipeline wizard's pages share: their colours and how they build their fields and
// notes.
namespace pgdeck::pipelinewizard {

inline const QColor kGreen(0x1f, 0x9d, 0x55);
inline const QColor kRed(0xd1, 0x24, 0x2f);
inline const QColor kOrange(0xc7, 0x84, 0x00);
inline const QColor kGrey(0x6a, 0x73, 0x7d);

QLineEdit *lineEdit(const QString &objectName, const QString &accessibleName,
                    const QString &text = {});
QLabel *noteLabel(const QString &objectName, const QString &accessibleName);
// Hidden while empty.
void setColoredText(QLabel *label, const QString &text, const QColor &color);

} // namespace pgdeck::pipelinewizard
