#include "fileproposalview.h"

#include "common/diffhighlighter.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

QColor stateColor(FileProposal::State state)
{
    switch (state) {
    case FileProposal::State::New:
        return QColor(0x15, 0x65, 0xc0); // blue
    case FileProposal::State::Changed:
        return QColor(0xe6, 0x51, 0x00); // orange
    case FileProposal::State::Same:
    case FileProposal::State::Kept:
        break;
    }
    return QColor(0x61, 0x61, 0x61); // grey: nothing for the user to do
}

QString stateExplanation(FileProposal::State state)
{
    switch (state) {
    case FileProposal::State::New:
        return FileProposalView::tr("not on disk yet: Write files creates it as shown");
    case FileProposal::State::Same:
        return FileProposalView::tr("on disk exactly as pgdeck generates it");
    case FileProposal::State::Changed:
        return FileProposalView::tr("− lines are in your file, + lines are pgdeck's; Write files "
                                    "keeps your version unless “Replace files that differ” is "
                                    "checked");
    case FileProposal::State::Kept:
        return FileProposalView::tr("holds secrets such as passwords: once written it is never "
                                    "replaced");
    }
    return {};
}

} // namespace

FileProposalView::FileProposalView(QWidget *parent)
    : QWidget(parent)
{
    m_files = new QTreeWidget;
    m_files->setObjectName(QStringLiteral("filesList"));
    m_files->setAccessibleName(tr("Generated files"));
    m_files->setRootIsDecorated(false);
    m_files->setUniformRowHeights(true);
    m_files->setHeaderLabels({tr("File"), tr("State")});
    m_files->header()->setStretchLastSection(false);
    m_files->header()->setSectionResizeMode(PathColumn, QHeaderView::Stretch);
    m_files->header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("fileCaption"));
    m_caption->setAccessibleName(tr("About the selected file"));
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::PlainText);
    m_content = new QPlainTextEdit;
    m_content->setObjectName(QStringLiteral("fileContent"));
    m_content->setAccessibleName(tr("File content or diff"));
    m_content->setReadOnly(true);
    m_content->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_content->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter = new DiffHighlighter(static_cast<QObject *>(this)); // attached per diff

    m_replace = new QCheckBox(tr("&Replace files that differ"));
    m_replace->setObjectName(QStringLiteral("replaceEditedCheck"));
    m_replace->setAccessibleName(tr("Replace files that differ"));
    m_write = new QPushButton(tr("&Write files"));
    m_write->setObjectName(QStringLiteral("writeFilesButton"));
    m_write->setAccessibleName(tr("Write files"));

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_caption);
    rightLayout->addWidget(m_content, 1);
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_files);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({270, 700});
    auto *writeRow = new QHBoxLayout;
    writeRow->addWidget(m_replace);
    writeRow->addStretch();
    writeRow->addWidget(m_write);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter, 1);
    layout->addLayout(writeRow);

    connect(m_files, &QTreeWidget::currentItemChanged, this, &FileProposalView::showSelected);
}

QString FileProposalView::displayState(FileProposal::State state)
{
    switch (state) {
    case FileProposal::State::New:
        return tr("new");
    case FileProposal::State::Same:
        return tr("up to date");
    case FileProposal::State::Changed:
        return tr("differs");
    case FileProposal::State::Kept:
        return tr("kept");
    }
    return {};
}

void FileProposalView::setProposals(const QList<FileProposal> &proposals)
{
    const QTreeWidgetItem *current = m_files->currentItem();
    const QString keepSelected = current ? current->text(PathColumn) : QString();
    m_proposals = proposals;

    QSignalBlocker block(m_files);
    m_files->clear();
    QTreeWidgetItem *select = nullptr;
    for (const FileProposal &p : std::as_const(m_proposals)) {
        auto *item = new QTreeWidgetItem(m_files);
        item->setText(PathColumn, p.file.path);
        item->setText(StateColumn, displayState(p.state));
        item->setForeground(StateColumn, stateColor(p.state));
        item->setToolTip(PathColumn, stateExplanation(p.state));
        item->setToolTip(StateColumn, stateExplanation(p.state));
        if (p.state == FileProposal::State::Changed) {
            QFont bold = item->font(StateColumn);
            bold.setBold(true);
            item->setFont(StateColumn, bold);
        }
        if (p.file.path == keepSelected ||
            (keepSelected.isEmpty() && !select && p.state == FileProposal::State::Changed))
            select = item;
    }
    if (!select)
        select = m_files->topLevelItem(0);
    m_files->setCurrentItem(select);
    block.unblock();
    showSelected();
}

FileProposal::State FileProposalView::stateOf(const QString &path) const
{
    for (const FileProposal &p : m_proposals)
        if (p.file.path == path)
            return p.state;
    return FileProposal::State::New;
}

bool FileProposalView::selectFile(const QString &path)
{
    for (int i = 0; i < m_files->topLevelItemCount(); ++i)
        if (m_files->topLevelItem(i)->text(PathColumn) == path) {
            m_files->setCurrentItem(m_files->topLevelItem(i));
            return true;
        }
    return false;
}

bool FileProposalView::allOnDisk() const
{
    if (m_proposals.isEmpty())
        return false;
    for (const FileProposal &p : m_proposals)
        if (p.state == FileProposal::State::New)
            return false;
    return true;
}

QStringList FileProposalView::editedFiles() const
{
    QStringList edited;
    for (const FileProposal &p : m_proposals)
        if (p.state == FileProposal::State::Changed)
            edited << p.file.path;
    return edited;
}

bool FileProposalView::replaceEdited() const
{
    return m_replace->isChecked();
}

void FileProposalView::showSelected()
{
    const int index = m_files->indexOfTopLevelItem(m_files->currentItem());
    m_highlighter->setDocument(nullptr); // detaching clears the colours of the last diff
    if (index < 0 || index >= m_proposals.size()) {
        m_content->clear();
        m_caption->clear();
        return;
    }
    const FileProposal &p = m_proposals.at(index);
    m_caption->setText(QStringLiteral("%1 — %2: %3")
                           .arg(p.file.path, displayState(p.state), stateExplanation(p.state)));
    switch (p.state) {
    case FileProposal::State::Changed: // what Write files would do to the user's version
        m_content->setPlainText(p.diff);
        m_highlighter->setDocument(m_content->document());
        break;
    case FileProposal::State::Kept:
        m_content->setPlainText(tr("(kept as it is on disk)"));
        break;
    case FileProposal::State::New:
    case FileProposal::State::Same:
        m_content->setPlainText(p.file.content);
        break;
    }
}

} // namespace pgdeck
