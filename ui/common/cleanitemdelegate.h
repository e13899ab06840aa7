#pragma once

#include <QStyledItemDelegate>

namespace pgdeck {

// The standard delegate without the focus frame around the current cell: the row
// selection already shows where the user is, and the frame reads as an edit box.
class CleanItemDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace pgdeck
