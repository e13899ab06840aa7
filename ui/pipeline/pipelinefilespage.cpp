#include "pipelinefilespage.h"

#include "pipelinerepositorypage.h"
#include "pipelinewizard.h"
#include "pipelinewizardhelpers.h"

#include "pipeline/gitrepo.h"

#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace pgdeck {

using namespace pipelinewizard;

PipelineFilesPage::PipelineFilesPage(PipelineWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("pipelineFilesPage"));
    setTitle(tr("The files"));
    setSubTitle(tr("What pgdeck generates, against what the repository holds. Nothing is "
                   "written until you press Write files; each file is then checked the way its "
                   "CI system reads it."));

    m_view = new FileProposalView;
    m_writeStatus = noteLabel(QStringLiteral("writeStatus"), tr("What was written"));
    m_check = noteLabel(QStringLiteral("pipelineCheck"), tr("What the checks found"));
    m_secrets = noteLabel(QStringLiteral("secretsNote"), tr("Secrets to create"));
    m_gitBranch = lineEdit(QStringLiteral("gitBranchEdit"), tr("Branch for the commit"));
    m_gitBranch->setMaximumWidth(260);
    m_commit = new QPushButton(tr("&Commit on a new branch"));
    m_commit->setObjectName(QStringLiteral("commitButton"));
    m_commit->setAccessibleName(tr("Commit the files on a new branch"));
    m_commitStatus = noteLabel(QStringLiteral("commitStatus"), tr("The commit"));

    auto *commitRow = new QHBoxLayout;
    commitRow->addWidget(new QLabel(tr("Git branch:")));
    commitRow->addWidget(m_gitBranch);
    commitRow->addWidget(m_commit);
    commitRow->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_writeStatus);
    layout->addWidget(m_check);
    layout->addWidget(m_secrets);
    layout->addLayout(commitRow);
    layout->addWidget(m_commitStatus);

    connect(m_view->writeButton(), &QPushButton::clicked, this, [this] { writeFiles(); });
    connect(m_commit, &QPushButton::clicked, this, [this] { commitOnNewBranch(); });
}

void PipelineFilesPage::initializePage()
{
    const PipelineSpec spec = m_wizard->spec();
    m_gitBranch->setText(QStringLiteral("pgdeck/pipeline-") + spec.name);
    setColoredText(m_secrets,
                   tr("Secrets to create in each CI system: %1.")
                       .arg(spec.secretNames().join(QStringLiteral(", "))),
                   kGrey);
    m_writeStatus->clear();
    m_writeStatus->hide();
    m_commitStatus->clear();
    m_commitStatus->hide();
    refresh();
}

void PipelineFilesPage::refresh()
{
    m_view->setProposals(
        DeploymentFiles::compare(m_wizard->repositoryDirectory(), m_wizard->generatedFiles()));
    checkWrittenFiles();
    const bool git = m_wizard->repositoryPage()->isGitRepository();
    m_commit->setEnabled(git && filesWritten());
    m_gitBranch->setEnabled(git);
    m_commit->setToolTip(git ? QString() : tr("The directory is not a git working tree."));
    Q_EMIT completeChanged();
}

bool PipelineFilesPage::isComplete() const
{
    return filesWritten() && allChecksPassed();
}

bool PipelineFilesPage::allChecksPassed() const
{
    if (m_checks.isEmpty())
        return false;
    for (const PipelineCheckResult &r : m_checks)
        if (!r.ok())
            return false;
    return true;
}

bool PipelineFilesPage::writeFiles()
{
    QStringList written;
    QString error;
    const bool ok = DeploymentFiles::write(m_wizard->repositoryDirectory(), m_view->proposals(),
                                           m_view->replaceEdited(), &written, &error);
    if (!ok)
        setColoredText(m_writeStatus, tr("Not written: %1").arg(error), kRed);
    else if (written.isEmpty())
        setColoredText(m_writeStatus, tr("Nothing to write: every file is up to date."), kGrey);
    else
        setColoredText(m_writeStatus, tr("Wrote %1.").arg(written.join(QStringLiteral(", "))),
                       kGreen);
    refresh();
    return ok;
}

void PipelineFilesPage::checkWrittenFiles()
{
    m_checks.clear();
    QStringList lines;
    bool allOk = true;
    for (const FileProposal &p : m_view->proposals()) {
        QFile f(QDir(m_wizard->repositoryDirectory()).filePath(p.file.path));
        CiSystem system;
        if (!PipelineCheck::systemForPath(p.file.path, &system) || !f.open(QIODevice::ReadOnly))
            continue;
        const PipelineCheckResult r = PipelineCheck::check(system, QString::fromUtf8(f.readAll()));
        m_checks.insert(p.file.path, r);
        allOk = allOk && r.ok();
        lines << (r.ok() ? tr("✓ %1: valid, jobs %2")
                               .arg(p.file.path, r.jobs.join(QStringLiteral(" → ")))
                         : tr("✗ %1: %2").arg(p.file.path, r.errors.join(QStringLiteral("; "))));
    }
    if (m_checks.isEmpty())
        setColoredText(m_check, tr("Write the files; each is then checked."), kGrey);
    else
        setColoredText(m_check, lines.join(QLatin1Char('\n')), allOk ? kGreen : kRed);
}

QString PipelineFilesPage::checkText() const
{
    return m_check->text();
}

QString PipelineFilesPage::gitBranch() const
{
    return m_gitBranch->text().trimmed();
}

QString PipelineFilesPage::commitOnNewBranch()
{
    QStringList paths;
    for (const FileProposal &p : m_view->proposals())
        paths << p.file.path;
    QStringList systems;
    for (CiSystem s : m_wizard->systems())
        systems << PipelineGenerator::displayName(s);
    QString id, error;
    const QString branch = gitBranch();
    if (!GitRepo(m_wizard->repositoryDirectory())
             .commitOnNewBranch(branch, paths,
                                tr("Add the %1 pipeline (%2)")
                                    .arg(m_wizard->spec().name, systems.join(QStringLiteral(", "))),
                                &id, &error)) {
        setColoredText(m_commitStatus, tr("Not committed: %1").arg(error), kRed);
        return {};
    }
    setColoredText(m_commitStatus,
                   tr("Committed %1 on the new branch %2. Nothing was pushed: "
                      "git push -u origin %2 when you are ready.")
                       .arg(id.left(12), branch),
                   kGreen);
    m_commit->setEnabled(false);
    return id;
}

QString PipelineFilesPage::commitText() const
{
    return m_commitStatus->text();
}

} // namespace pgdeck
