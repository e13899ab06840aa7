#include "tablestyle.h"

#include "cleanitemdelegate.h"

#include <QHeaderView>
#include <QTableView>

namespace pgdeck {

const char *TableStyle::styleSheet()
{
    return "QTableView, QTreeView { outline: 0; }"
           "QTableView::item, QTreeView::item { padding: 0px 8px; border: none; }"
           "QHeaderView::section { padding: 6px 8px; border: none; "
           "border-bottom: 1px solid palette(mid);"
           " background: palette(window); font-weight: 600; }";
}

void TableStyle::apply(QTableView *table, int rowPadding)
{
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->setShowGrid(false);
    table->setWordWrap(false);
    table->setStyleSheet(QString::fromLatin1(styleSheet()));
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + rowPadding);
    table->setItemDelegate(new CleanItemDelegate(table));
    QHeaderView *h = table->horizontalHeader();
    h->setHighlightSections(false);
    h->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    h->setMinimumSectionSize(60);
}

} // namespace pgdeck
