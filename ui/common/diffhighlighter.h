#pragma once

#include <QSyntaxHighlighter>

namespace pgdeck {

// Colours a unified diff in a text view: additions green, removals red, hunk headers blue,
// file headers bold. The wizards show generated files against the user's this way.
class DiffHighlighter : public QSyntaxHighlighter {
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString &text) override;
};

} // namespace pgdeck
