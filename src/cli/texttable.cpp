#include "texttable.h"

namespace pgdeck {

QString TextTable::render(bool colour) const
{
    QList<qsizetype> widths;
    for (const QString &h : m_headers)
        widths << h.size();
    for (const auto &row : m_rows)
        for (qsizetype c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = qMax(widths[c], row[c].text.size());
    QString out;
    auto line = [&](const QList<Cell> &cells) {
        QString l;
        for (qsizetype c = 0; c < cells.size() && c < widths.size(); ++c) {
            const Cell &cell = cells[c];
            const QString pad(widths[c] - cell.text.size(), QLatin1Char(' '));
            const QString text =
                colour && cell.sgr
                    ? QStringLiteral("\x1b[%1m%2\x1b[0m").arg(QLatin1String(cell.sgr), cell.text)
                    : cell.text;
            const bool last = c == cells.size() - 1;
            if (c > 0)
                l += QStringLiteral("  ");
            if (m_right.value(c))
                l += pad + text;
            else
                l += last ? text : text + pad;
        }
        out += l + QLatin1Char('\n');
    };
    QList<Cell> header;
    for (const QString &h : m_headers)
        header << Cell{h, "1"}; // headers in bold
    line(header);
    for (const auto &row : m_rows)
        line(row);
    return out;
}

} // namespace pgdeck
