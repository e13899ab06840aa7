#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pgdeck {

// A plain-text table whose widths ignore the colour codes.
class TextTable {
public:
    struct Cell {
        QString text;
        const char *sgr = nullptr;
    };

    TextTable(const QStringList &headers, const QList<bool> &rightAligned)
        : m_headers(headers)
        , m_right(rightAligned)
    {}
    void add(const QList<Cell> &row) { m_rows << row; }
    bool isEmpty() const { return m_rows.isEmpty(); }

    // Columns padded to their widest cell; ANSI colour only when asked (a terminal).
    QString render(bool colour) const;

private:
    QStringList m_headers;
    QList<bool> m_right;
    QList<QList<Cell>> m_rows;
};

} // namespace pgdeck
