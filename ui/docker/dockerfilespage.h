#pragma once

#include "common/fileproposalview.h"

#include <QWizardPage>

class QColor;
class QLabel;

namespace pgdeck {

class DockerWizard;

// Page 3: the generated files against the directory, written on request and checked by
// Docker Compose (off the GUI thread). Next only once they are written and valid.
class DockerFilesPage : public QWizardPage {
    Q_OBJECT
public:
    explicit DockerFilesPage(DockerWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    // Compares again (the user may have edited a file meanwhile); checks the files with
    // Compose when they are all on disk.
    void refresh();
    // The "Write files" button: writes, compares again, then checks.
    bool writeFiles();

    const QList<FileProposal> &proposals() const { return m_view->proposals(); }
    FileProposal::State stateOf(const QString &path) const { return m_view->stateOf(path); }
    bool selectFile(const QString &path) { return m_view->selectFile(path); }
    bool filesWritten() const { return m_view->allOnDisk(); }
    bool isChecking() const { return m_checking; }
    bool isValid() const { return m_valid; }
    QString checkMessage() const; // what the check label says

    FileProposalView *proposalView() const { return m_view; }
    QTreeWidget *fileList() const { return m_view->fileList(); }
    QPlainTextEdit *contentView() const { return m_view->contentView(); }
    QCheckBox *replaceEditedCheck() const { return m_view->replaceEditedCheck(); }
    QPushButton *writeButton() const { return m_view->writeButton(); }
    QLabel *writeStatusLabel() const { return m_writeStatus; }
    QLabel *checkLabel() const { return m_check; }

private:
    struct Check;
    void startCheck();
    void showCheck(const Check &check);
    void setCheckText(const QString &text, const QColor &color);

    DockerWizard *m_wizard;
    FileProposalView *m_view;
    QLabel *m_replaceNote;
    QLabel *m_writeStatus, *m_check;
    quint64 m_checkToken = 0; // a later compare or write makes a running check stale
    bool m_checking = false;
    bool m_valid = false;
};

} // namespace pgdeck
