#pragma once

#include "docker/deploymentfiles.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace pgdeck {

class DiffHighlighter;

// The files a wizard generates against what is on disk: a list with each file's state, the
// selected file's content (for a file the user edited, the diff replacing it would apply),
// and the "Replace files that differ" check beside the "Write files" button. The page that
// owns the view does the writing; both wizards show their files this way.
class FileProposalView : public QWidget {
    Q_OBJECT
public:
    enum Column { PathColumn, StateColumn };

    explicit FileProposalView(QWidget *parent = nullptr);

    // Shows the proposals, keeping the selected file; with none selected yet, the first file
    // the user edited, else the first.
    void setProposals(const QList<FileProposal> &proposals);
    const QList<FileProposal> &proposals() const { return m_proposals; }
    FileProposal::State stateOf(const QString &path) const;
    bool selectFile(const QString &path);
    bool allOnDisk() const;          // there are files and none is new
    QStringList editedFiles() const; // on disk but not as pgdeck generates them
    bool replaceEdited() const;

    static QString displayState(FileProposal::State state);

    QTreeWidget *fileList() const { return m_files; }
    QPlainTextEdit *contentView() const { return m_content; }
    QCheckBox *replaceEditedCheck() const { return m_replace; }
    QPushButton *writeButton() const { return m_write; }

private:
    void showSelected();

    QList<FileProposal> m_proposals;
    QTreeWidget *m_files;
    QLabel *m_caption;
    QPlainTextEdit *m_content;
    DiffHighlighter *m_highlighter;
    QCheckBox *m_replace;
    QPushButton *m_write;
};

} // namespace pgdeck
