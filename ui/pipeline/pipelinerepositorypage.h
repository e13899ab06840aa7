#pragma once

#include "pipeline/pipelinegenerator.h"

#include <QMap>
#include <QWizardPage>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace pgdeck {

class PipelineWizard;

// Page 1: the repository, the CI systems to write for, the pipeline's name and branch.
class PipelineRepositoryPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PipelineRepositoryPage(PipelineWizard *wizard);
    bool isComplete() const override;

    QString directory() const;
    void setDirectory(const QString &dir);
    QList<CiSystem> systems() const;
    void setSystemChecked(CiSystem system, bool checked);
    QString pipelineName() const;
    void setPipelineName(const QString &name);
    QString branch() const;
    void setBranch(const QString &branch);
    bool isGitRepository() const { return m_isGit; }
    QString directoryNote() const;

private:
    void inspectDirectory();

    QLineEdit *m_directory;
    QPushButton *m_browse;
    QLabel *m_directoryNote;
    QMap<CiSystem, QCheckBox *> m_systems;
    QLineEdit *m_name;
    QLineEdit *m_branch;
    bool m_isGit = false;
};

} // namespace pgdeck
