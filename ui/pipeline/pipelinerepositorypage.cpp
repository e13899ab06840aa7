#include "pipelinerepositorypage.h"

#include "pipelinewizardhelpers.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace pgdeck {

using namespace pipelinewizard;

PipelineRepositoryPage::PipelineRepositoryPage(PipelineWizard *wizard)
{
    Q_UNUSED(wizard);
    setObjectName(QStringLiteral("pipelineRepositoryPage"));
    setTitle(tr("The repository"));
    setSubTitle(tr("Where your application's code lives, and which CI systems to write a "
                   "pipeline for. All four files describe the same pipeline."));

    m_directory = lineEdit(QStringLiteral("directoryEdit"), tr("Repository directory"));
    m_directory->setPlaceholderText(tr("the working tree of your application"));
    m_browse = new QPushButton(tr("&Browse…"));
    m_browse->setObjectName(QStringLiteral("browseButton"));
    m_browse->setAccessibleName(tr("Browse for the repository directory"));
    m_directoryNote = noteLabel(QStringLiteral("directoryNote"), tr("About the directory"));
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_directory, 1);
    dirRow->addWidget(m_browse);

    auto *systemsBox = new QVBoxLayout;
    for (CiSystem system : PipelineGenerator::allSystems()) {
        auto *check = new QCheckBox(PipelineGenerator::displayName(system));
        check->setObjectName(PipelineGenerator::systemName(system) + QStringLiteral("Check"));
        check->setAccessibleName(
            tr("Write a pipeline for %1").arg(PipelineGenerator::displayName(system)));
        check->setChecked(true);
        systemsBox->addWidget(check);
        m_systems.insert(system, check);
        connect(check, &QCheckBox::toggled, this, &QWizardPage::completeChanged);
    }
    m_name = lineEdit(QStringLiteral("pipelineNameEdit"), tr("Pipeline name"), PipelineSpec().name);
    m_branch =
        lineEdit(QStringLiteral("branchEdit"), tr("Branch that deploys"), PipelineSpec().branch);
    m_branch->setToolTip(tr("Pushes to this branch build and deploy; other branches only test."));

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Directory:"), dirRow);
    form->addRow(QString(), m_directoryNote);
    form->addRow(tr("CI systems:"), systemsBox);
    form->addRow(tr("Pipeline &name:"), m_name);
    form->addRow(tr("&Branch that deploys:"), m_branch);

    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Repository directory"),
                                                              m_directory->text());
        if (!dir.isEmpty())
            setDirectory(dir);
    });
    connect(m_directory, &QLineEdit::textChanged, this, &PipelineRepositoryPage::inspectDirectory);
    for (QLineEdit *e : {m_name, m_branch})
        connect(e, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
    inspectDirectory();
}

void PipelineRepositoryPage::inspectDirectory()
{
    const QString dir = directory();
    m_isGit = false;
    if (dir.isEmpty()) {
        setColoredText(m_directoryNote, tr("Choose the directory."), kGrey);
    } else if (!QFileInfo(dir).isDir()) {
        setColoredText(m_directoryNote, tr("%1 is not a directory.").arg(dir), kRed);
    } else {
        // As the user types: a look for .git here or above (a directory, or a file in a
        // worktree) instead of running git on the GUI thread; the commit itself asks git.
        for (QDir d(dir); !m_isGit;) {
            m_isGit = QFileInfo::exists(d.filePath(QStringLiteral(".git")));
            if (!d.cdUp())
                break;
        }
        setColoredText(m_directoryNote,
                       m_isGit ? tr("A git working tree: the files can be committed on a new "
                                    "branch (never pushed).")
                               : tr("Not a git working tree: the files are written, but "
                                    "there is nothing to commit them to."),
                       m_isGit ? kGreen : kOrange);
    }
    Q_EMIT completeChanged();
}

bool PipelineRepositoryPage::isComplete() const
{
    return QFileInfo(directory()).isDir() && !systems().isEmpty() && !pipelineName().isEmpty() &&
           !branch().isEmpty();
}

QString PipelineRepositoryPage::directory() const
{
    return m_directory->text().trimmed();
}

void PipelineRepositoryPage::setDirectory(const QString &dir)
{
    m_directory->setText(dir);
}

QList<CiSystem> PipelineRepositoryPage::systems() const
{
    QList<CiSystem> list;
    for (auto it = m_systems.cbegin(); it != m_systems.cend(); ++it)
        if (it.value()->isChecked())
            list << it.key();
    return list;
}

void PipelineRepositoryPage::setSystemChecked(CiSystem system, bool checked)
{
    m_systems.value(system)->setChecked(checked);
}

QString PipelineRepositoryPage::pipelineName() const
{
    return m_name->text().trimmed();
}

void PipelineRepositoryPage::setPipelineName(const QString &name)
{
    m_name->setText(name);
}

QString PipelineRepositoryPage::branch() const
{
    return m_branch->text().trimmed();
}

void PipelineRepositoryPage::setBranch(const QString &branch)
{
    m_branch->setText(branch);
}

QString PipelineRepositoryPage::directoryNote() const
{
    return m_directoryNote->text();
}

} // namespace pgdeck
