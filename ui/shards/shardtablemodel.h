#pragma once

#include "sharding/sharddistribution.h"

#include <QAbstractTableModel>

#include <array>
#include <string>
#include <vector>

namespace pgdeck {

// The shard list: one row per placement. The model filters and sorts by itself over data
// prepared once per distribution (a case-folded haystack per row, an index vector), and hands
// rows to the view in chunks through fetchMore(): a proxy over 100,000 rows took a second
// per keystroke.
class ShardTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Table, Shard, Worker, Bound, Rows, Bytes, ColumnCount };
    static constexpr int FetchChunk = 1000;

    using QAbstractTableModel::QAbstractTableModel;

    void setPlacements(const QList<ShardPlacement> &placements);
    // Fixed string, case-insensitive, over table, shard, worker and bound.
    void setFilterText(const QString &text);
    QString filterText() const { return m_filterText; }
    // Rows that pass the filter, fetched by the view or not (rowCount() counts fetched ones).
    int matchingRows() const { return int(m_matching.size()); }
    // The placement shown in a fetched row.
    const ShardPlacement &placementAt(int row) const { return m_placements[m_matching[row]]; }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    void sortIndices(std::vector<int> &indices); // by the current sort column
    // Per placement, the rank of its text in a text column (equal texts, equal ranks).
    const std::vector<int> &textRanks(int column);
    template <typename KeyOf> void sortByKey(std::vector<int> &indices, KeyOf keyOf) const;
    void ensureOrderSorted();
    bool matches(int placement) const;
    // Fills m_matching in sort order; refining scans only the rows that matched before.
    void applyFilter(bool refines);
    int initialFetch() const { return qMin(FetchChunk, matchingRows()); }

    QList<ShardPlacement> m_placements;
    std::string m_haystack;              // case-folded UTF-8, fields and rows joined by separators
    std::vector<size_t> m_haystackStart; // row i is [start[i], start[i + 1])
    std::array<std::vector<int>, Bound + 1> m_textRanks; // computed on first sort by column
    std::vector<int> m_order;    // every placement, in sort order unless stale
    bool m_orderStale = false;   // sort() reordered m_matching only
    std::vector<int> m_matching; // placements passing the filter, in sort order
    int m_fetched = 0;           // rows the view has been told about
    QString m_filterText;
    std::string m_needle; // m_filterText case-folded, UTF-8
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace pgdeck
