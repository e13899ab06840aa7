#pragma once

class QTableView;

namespace pgdeck {

// The console's one look for read-only tables: whole-row single selection, alternating
// rows, no grid or focus frame, padded cells, a quiet bold header, fixed row height.
// Pages change what differs afterwards (multi-selection, a wider minimum column).
class TableStyle {
public:
    static void apply(QTableView *table, int rowPadding = 14);
    // The style sheet alone, for views that are not tables (trees share it).
    static const char *styleSheet();
};

} // namespace pgdeck
