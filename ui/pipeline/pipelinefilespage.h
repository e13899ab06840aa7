#pragma once

#include "common/fileproposalview.h"
#include "pipeline/pipelinecheck.h"

#include <QMap>
#include <QWizardPage>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace pgdeck {

class PipelineWizard;

// Page 3: the generated files against the repository, written on request, each checked
// the way its CI system reads it; the secrets to create; an optional commit on a new branch.
class PipelineFilesPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PipelineFilesPage(PipelineWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    void refresh();    // compares again
    bool writeFiles(); // the "Write files" button: writes, compares again, checks
    // The "Commit on a new branch" button; the id of the new commit, or empty.
    QString commitOnNewBranch();

    const QList<FileProposal> &proposals() const { return m_view->proposals(); }
    FileProposal::State stateOf(const QString &path) const { return m_view->stateOf(path); }
    bool selectFile(const QString &path) { return m_view->selectFile(path); }
    bool filesWritten() const { return m_view->allOnDisk(); }
    bool allChecksPassed() const;
    QMap<QString, PipelineCheckResult> checks() const { return m_checks; }
    QString checkText() const;
    QString commitText() const;
    QString gitBranch() const; // the branch the commit goes to
    FileProposalView *proposalView() const { return m_view; }
    QCheckBox *replaceEditedCheck() const { return m_view->replaceEditedCheck(); }

private:
    void checkWrittenFiles();

    PipelineWizard *m_wizard;
    FileProposalView *m_view;
    QMap<QString, PipelineCheckResult> m_checks; // by path, for files on disk
    QLabel *m_writeStatus;
    QLabel *m_check;
    QLabel *m_secrets;
    QLineEdit *m_gitBranch;
    QPushButton *m_commit;
    QLabel *m_commitStatus;
};

} // namespace pgdeck
