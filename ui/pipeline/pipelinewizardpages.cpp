#include "pipelinewizardpages.h"

#include "common/diffhighlighter.h"
#include "pipeline/gitrepo.h"
#include "pipelinewizard.h"
#include "sandbox/sandbox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

const QColor kGreen(0x1f, 0x9d, 0x55);
const QColor kRed(0xd1, 0x24, 0x2f);
const QColor kOrange(0xc7, 0x84, 0x00);
const QColor kBlue(0x1f, 0x6f, 0xd1);
const QColor kGrey(0x6a, 0x73, 0x7d);
constexpr int kDockerProbeTimeoutMs = 15000;

QLineEdit *lineEdit(const QString &objectName, const QString &accessibleName,
                    const QString &text = {})
{
    auto *e = new QLineEdit(text);
    e->setObjectName(objectName);
    e->setAccessibleName(accessibleName);
    return e;
}

QLabel *noteLabel(const QString &objectName, const QString &accessibleName)
{
    auto *l = new QLabel;
    l->setObjectName(objectName);
    l->setAccessibleName(accessibleName);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

void setColoredText(QLabel *label, const QString &text, const QColor &color)
{
    label->setText(text);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(color.name()));
    label->setVisible(!text.isEmpty());
}

QString displayState(FileProposal::State state)
{
    switch (state) {
    case FileProposal::State::New:
        return QObject::tr("new");
    case FileProposal::State::Same:
        return QObject::tr("up to date");
    case FileProposal::State::Changed:
        return QObject::tr("you edited it");
    case FileProposal::State::Kept:
        return QObject::tr("kept");
    }
    return {};
}

QColor stateColor(FileProposal::State state)
{
    switch (state) {
    case FileProposal::State::New:
        return kBlue;
    case FileProposal::State::Same:
        return kGreen;
    case FileProposal::State::Changed:
        return kOrange;
    case FileProposal::State::Kept:
        break;
    }
    return kGrey;
}

QColor runStateColor(PipelineLocalRun::State state)
{
    switch (state) {
    case PipelineLocalRun::State::Passed:
        return kGreen;
    case PipelineLocalRun::State::Failed:
        return kRed;
    case PipelineLocalRun::State::Running:
        return kOrange;
    case PipelineLocalRun::State::Pending:
    case PipelineLocalRun::State::Skipped:
    case PipelineLocalRun::State::Cancelled:
        break;
    }
    return kGrey;
}

} // namespace

// --- repository -------------------------------------------------------------------------

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

// --- build & deploy ---------------------------------------------------------------------

PipelineBuildPage::PipelineBuildPage(PipelineWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("pipelineBuildPage"));
    setTitle(tr("Build and deploy"));
    setSubTitle(tr("How the app is tested and built into an image, and where that image "
                   "runs. Secrets are only named here; each CI system keeps their values."));
    const PipelineSpec defaults;
    m_node =
        lineEdit(QStringLiteral("nodeVersionEdit"), tr("Node.js version"), defaults.nodeVersion);
    m_image = lineEdit(QStringLiteral("imageEdit"), tr("Image name"), defaults.image);
    m_registry = lineEdit(QStringLiteral("registryEdit"), tr("Registry"), defaults.registry);
    m_registry->setToolTip(tr("Follows the image name until you change it."));
    m_deploy = new QComboBox;
    m_deploy->setObjectName(QStringLiteral("deployCombo"));
    m_deploy->setAccessibleName(tr("How to deploy"));
    m_deploy->addItem(tr("Over SSH (docker compose on the host)"), int(PipelineSpec::Deploy::Ssh));
    m_deploy->addItem(tr("Through a Docker context"), int(PipelineSpec::Deploy::DockerContext));
    m_deploy->addItem(tr("Do not deploy"), int(PipelineSpec::Deploy::None));
    m_host = lineEdit(QStringLiteral("deployHostEdit"), tr("Deploy host"), defaults.deployHost);
    m_host->setPlaceholderText(QStringLiteral("user@host"));
    m_deployDir =
        lineEdit(QStringLiteral("deployDirEdit"), tr("Deploy directory"), defaults.deployDir);
    m_errorLabel = noteLabel(QStringLiteral("specErrors"), tr("Problems with the pipeline"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Node.js version:"), m_node);
    form->addRow(tr("&Image:"), m_image);
    form->addRow(tr("&Registry:"), m_registry);
    form->addRow(tr("&Deploy:"), m_deploy);
    form->addRow(tr("Deploy &host:"), m_host);
    form->addRow(tr("Deploy d&irectory:"), m_deployDir);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_errorLabel);
    layout->addStretch(1);

    connect(m_image, &QLineEdit::textChanged, this, [this](const QString &image) {
        if (!m_registryEdited) {
            const QSignalBlocker blocker(m_registry);
            m_registry->setText(image.trimmed().section(QLatin1Char('/'), 0, 0));
        }
        revalidate();
    });
    connect(m_registry, &QLineEdit::textEdited, this, [this] { m_registryEdited = true; });
    connect(m_deploy, &QComboBox::currentIndexChanged, this, [this] {
        const bool deploys = m_deploy->currentData().toInt() != int(PipelineSpec::Deploy::None);
        m_host->setEnabled(deploys);
        m_deployDir->setEnabled(deploys);
        revalidate();
    });
    for (QLineEdit *e : {m_node, m_registry, m_host, m_deployDir})
        connect(e, &QLineEdit::textChanged, this, &PipelineBuildPage::revalidate);
}

void PipelineBuildPage::initializePage()
{
    revalidate(); // the name and branch come from the page before
}

void PipelineBuildPage::apply(PipelineSpec *spec) const
{
    spec->nodeVersion = m_node->text().trimmed();
    spec->image = m_image->text().trimmed();
    spec->registry = m_registry->text().trimmed();
    spec->deploy = PipelineSpec::Deploy(m_deploy->currentData().toInt());
    spec->deployHost = m_host->text().trimmed();
    spec->deployDir = m_deployDir->text().trimmed();
}

void PipelineBuildPage::revalidate()
{
    m_errors = validatePipelineSpec(m_wizard->spec());
    setColoredText(m_errorLabel,
                   m_errors.isEmpty()
                       ? QString()
                       : QStringLiteral("• ") + m_errors.join(QStringLiteral("\n• ")),
                   kRed);
    Q_EMIT completeChanged();
}

bool PipelineBuildPage::isComplete() const
{
    return m_errors.isEmpty();
}

void PipelineBuildPage::setNodeVersion(const QString &version)
{
    m_node->setText(version);
}

void PipelineBuildPage::setImage(const QString &image)
{
    m_image->setText(image);
}

void PipelineBuildPage::setRegistry(const QString &registry)
{
    m_registryEdited = true;
    m_registry->setText(registry);
}

void PipelineBuildPage::setDeploy(PipelineSpec::Deploy deploy)
{
    m_deploy->setCurrentIndex(m_deploy->findData(int(deploy)));
}

void PipelineBuildPage::setDeployHost(const QString &host)
{
    m_host->setText(host);
}

void PipelineBuildPage::setDeployDirectory(const QString &dir)
{
    m_deployDir->setText(dir);
}

QString PipelineBuildPage::registry() const
{
    return m_registry->text().trimmed();
}

// --- files ------------------------------------------------------------------------------

PipelineFilesPage::PipelineFilesPage(PipelineWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("pipelineFilesPage"));
    setTitle(tr("The files"));
    setSubTitle(tr("What pgdeck generates, against what the repository holds. Nothing is "
                   "written until you press Write files; each file is then checked the way its "
                   "CI system reads it."));

    m_files = new QTreeWidget;
    m_files->setObjectName(QStringLiteral("filesList"));
    m_files->setAccessibleName(tr("Generated files"));
    m_files->setRootIsDecorated(false);
    m_files->setUniformRowHeights(true);
    m_files->setHeaderLabels({tr("File"), tr("State")});
    m_files->header()->setStretchLastSection(false);
    m_files->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_files->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_caption = noteLabel(QStringLiteral("fileCaption"), tr("About the selected file"));
    m_content = new QPlainTextEdit;
    m_content->setObjectName(QStringLiteral("fileContent"));
    m_content->setAccessibleName(tr("File content or diff"));
    m_content->setReadOnly(true);
    m_content->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_content->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter = new DiffHighlighter(static_cast<QObject *>(this)); // attached per diff

    m_replace = new QCheckBox(tr("&Replace files I edited"));
    m_replace->setObjectName(QStringLiteral("replaceEditedCheck"));
    m_replace->setAccessibleName(tr("Replace files I edited"));
    m_write = new QPushButton(tr("&Write files"));
    m_write->setObjectName(QStringLiteral("writeFilesButton"));
    m_write->setAccessibleName(tr("Write files"));
    m_writeStatus = noteLabel(QStringLiteral("writeStatus"), tr("What was written"));
    m_check = noteLabel(QStringLiteral("pipelineCheck"), tr("What the checks found"));
    m_secrets = noteLabel(QStringLiteral("secretsNote"), tr("Secrets to create"));
    m_gitBranch = lineEdit(QStringLiteral("gitBranchEdit"), tr("Branch for the commit"));
    m_gitBranch->setMaximumWidth(260);
    m_commit = new QPushButton(tr("&Commit on a new branch"));
    m_commit->setObjectName(QStringLiteral("commitButton"));
    m_commit->setAccessibleName(tr("Commit the files on a new branch"));
    m_commitStatus = noteLabel(QStringLiteral("commitStatus"), tr("The commit"));

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
    splitter->setSizes({280, 700});
    auto *writeRow = new QHBoxLayout;
    writeRow->addWidget(m_replace);
    writeRow->addStretch();
    writeRow->addWidget(m_write);
    auto *commitRow = new QHBoxLayout;
    commitRow->addWidget(new QLabel(tr("Git branch:")));
    commitRow->addWidget(m_gitBranch);
    commitRow->addWidget(m_commit);
    commitRow->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(writeRow);
    layout->addWidget(m_writeStatus);
    layout->addWidget(m_check);
    layout->addWidget(m_secrets);
    layout->addLayout(commitRow);
    layout->addWidget(m_commitStatus);

    connect(m_files, &QTreeWidget::currentItemChanged, this, &PipelineFilesPage::showSelected);
    connect(m_write, &QPushButton::clicked, this, [this] { writeFiles(); });
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
    const QTreeWidgetItem *current = m_files->currentItem();
    const QString selected = current ? current->text(0) : QString();
    m_proposals =
        DeploymentFiles::compare(m_wizard->repositoryDirectory(), m_wizard->generatedFiles());
    fillList(selected);
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

bool PipelineFilesPage::filesWritten() const
{
    if (m_proposals.isEmpty())
        return false;
    for (const FileProposal &p : m_proposals)
        if (p.state == FileProposal::State::New)
            return false;
    return true;
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

FileProposal::State PipelineFilesPage::stateOf(const QString &path) const
{
    for (const FileProposal &p : m_proposals)
        if (p.file.path == path)
            return p.state;
    return FileProposal::State::New;
}

void PipelineFilesPage::fillList(const QString &keepSelected)
{
    QSignalBlocker block(m_files);
    m_files->clear();
    QTreeWidgetItem *select = nullptr;
    for (const FileProposal &p : std::as_const(m_proposals)) {
        auto *item = new QTreeWidgetItem(m_files);
        item->setText(0, p.file.path);
        item->setText(1, displayState(p.state));
        item->setForeground(1, stateColor(p.state));
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

bool PipelineFilesPage::selectFile(const QString &path)
{
    for (int i = 0; i < m_files->topLevelItemCount(); ++i)
        if (m_files->topLevelItem(i)->text(0) == path) {
            m_files->setCurrentItem(m_files->topLevelItem(i));
            return true;
        }
    return false;
}

void PipelineFilesPage::showSelected()
{
    const int index = m_files->indexOfTopLevelItem(m_files->currentItem());
    if (index < 0 || index >= m_proposals.size()) {
        m_highlighter->setDocument(nullptr);
        m_content->clear();
        m_caption->clear();
        return;
    }
    const FileProposal &p = m_proposals.at(index);
    // A changed file shows what Write files would do to it; others their content.
    if (p.state == FileProposal::State::Changed) {
        m_caption->setText(tr("%1: your version (−) against pgdeck's (+)").arg(p.file.path));
        m_content->setPlainText(p.diff);
        m_highlighter->setDocument(m_content->document());
    } else {
        m_highlighter->setDocument(nullptr);
        m_caption->setText(p.state == FileProposal::State::New
                               ? tr("%1: new, written by Write files").arg(p.file.path)
                               : tr("%1: on disk as generated").arg(p.file.path));
        m_content->setPlainText(p.file.content);
    }
}

bool PipelineFilesPage::writeFiles()
{
    QStringList written;
    QString error;
    const bool ok = DeploymentFiles::write(m_wizard->repositoryDirectory(), m_proposals,
                                           m_replace->isChecked(), &written, &error);
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
    for (const FileProposal &p : std::as_const(m_proposals)) {
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
    for (const FileProposal &p : std::as_const(m_proposals))
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

// --- try it here ------------------------------------------------------------------------

PipelineTryPage::PipelineTryPage(PipelineWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("pipelineTryPage"));
    setTitle(tr("Try it here"));
    setSubTitle(tr("Optional: the pipeline's shell steps run on this machine before you push. "
                   "What needs the outside world (registry, deploy) is skipped. You may "
                   "finish without it."));
    m_mode = noteLabel(QStringLiteral("runMode"), tr("Where the steps run"));
    m_runButton = new QPushButton(tr("&Run here"));
    m_runButton->setObjectName(QStringLiteral("runHereButton"));
    m_runButton->setAccessibleName(tr("Run the pipeline here"));
    m_cancelButton = new QPushButton(tr("&Stop"));
    m_cancelButton->setObjectName(QStringLiteral("stopRunButton"));
    m_cancelButton->setAccessibleName(tr("Stop the local run"));
    m_cancelButton->setEnabled(false);
    m_steps = new QTreeWidget;
    m_steps->setObjectName(QStringLiteral("stepsList"));
    m_steps->setAccessibleName(tr("Steps of the local run"));
    m_steps->setRootIsDecorated(false);
    m_steps->setUniformRowHeights(true);
    m_steps->setHeaderLabels({tr("Step"), tr("State"), tr("Duration")});
    m_steps->header()->setStretchLastSection(false);
    m_steps->header()->setSectionResizeMode(StepColumn, QHeaderView::Stretch);
    m_steps->header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(DurationColumn, QHeaderView::ResizeToContents);
    m_output = new QPlainTextEdit;
    m_output->setObjectName(QStringLiteral("runOutput"));
    m_output->setAccessibleName(tr("Output of the steps"));
    m_output->setReadOnly(true);
    m_output->setMaximumBlockCount(5000);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_result = noteLabel(QStringLiteral("runResult"), tr("Result of the local run"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_mode, 1);
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_steps);
    splitter->addWidget(m_output);
    splitter->setSizes({440, 540});
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_result);

    connect(m_runButton, &QPushButton::clicked, this, [this] { runLocally(); });
    connect(m_cancelButton, &QPushButton::clicked, this, &PipelineTryPage::cancel);
}

PipelineTryPage::~PipelineTryPage()
{
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->kill();
        m_probe->waitForFinished(1000); // the docker client goes at once on SIGKILL
    }
}

void PipelineTryPage::initializePage()
{
    fillSteps();
    if (!m_modeForced)
        probeDocker();
    showMode();
}

void PipelineTryPage::cleanupPage()
{
    cancel();
}

bool PipelineTryPage::isComplete() const
{
    return !isRunning();
}

// Asks `docker version` without waiting for it: an engine that hangs must not freeze the page.
void PipelineTryPage::probeDocker()
{
    if (m_probe)
        return;
    m_probe = new QProcess(this);
    const auto done = [this](bool answered) {
        if (!m_probe)
            return;
        m_probe->deleteLater();
        m_probe = nullptr;
        if (!m_modeForced)
            m_containers = answered;
        showMode();
    };
    connect(m_probe, &QProcess::finished, this,
            [this, done](int code, QProcess::ExitStatus status) {
                done(status == QProcess::NormalExit && code == 0);
            });
    connect(m_probe, &QProcess::errorOccurred, this, [this, done](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            done(false);
    });
    QTimer::singleShot(kDockerProbeTimeoutMs, m_probe, [this, done] {
        m_probe->kill();
        done(false);
    });
    m_probe->start(QStringLiteral("docker"), {QStringLiteral("version")});
}

void PipelineTryPage::setUseContainers(bool containers)
{
    // A probe still running is left to finish; its answer no longer decides anything.
    m_modeForced = true;
    m_containers = containers;
    showMode();
}

void PipelineTryPage::showMode()
{
    m_runButton->setEnabled(!isDetecting() && !isRunning());
    if (isDetecting())
        setColoredText(m_mode, tr("Asking the Docker engine whether it answers…"), kGrey);
    else if (m_containers)
        setColoredText(m_mode,
                       tr("Each job runs in a container of its image (host network: its "
                          "traffic stays on this machine)."),
                       kGrey);
    else
        setColoredText(m_mode,
                       tr("No containers: the steps run in a scratch copy of the repository "
                          "with a local PostgreSQL."),
                       kGrey);
}

void PipelineTryPage::fillSteps()
{
    if (isRunning())
        return;
    LocalRunOptions options;
    options.repoDir = m_wizard->repositoryDirectory();
    options.inContainers = m_containers;
    m_steps->clear();
    for (const PipelineLocalRun::Step &s : PipelineLocalRun::plan(m_wizard->spec(), options)) {
        auto *item = new QTreeWidgetItem(m_steps);
        item->setText(StepColumn, QStringLiteral("%1: %2").arg(s.job, s.title));
        item->setText(StateColumn, PipelineLocalRun::stateName(s.state));
        item->setToolTip(StepColumn, s.skipReason);
    }
}

bool PipelineTryPage::runLocally()
{
    if (isRunning() || isDetecting())
        return false;
    LocalRunOptions options;
    options.repoDir = m_wizard->repositoryDirectory();
    options.inContainers = m_containers;
    QString error;
    if (!options.inContainers) {
        options.pgBinDir = Sandbox::findBinDir(&error);
        if (options.pgBinDir.isEmpty()) {
            setColoredText(m_result, tr("Cannot run here: %1").arg(error), kRed);
            return false;
        }
        options.pgOsUser = Sandbox::defaultOsUser();
    }
    options.pgPort = Sandbox::findFreePorts(55400 + QRandomGenerator::global()->bounded(2000), 1);
    options.scratchDir = QDir::temp().filePath(
        QStringLiteral("pgdeck-run-%1")
            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0')));

    m_run = std::make_unique<PipelineLocalRun>();
    connect(m_run.get(), &PipelineLocalRun::stepStarted, this, [this](int i) {
        updateStep(i);
        const auto &s = m_run->steps().at(i);
        m_output->appendPlainText(QStringLiteral("▶ %1: %2").arg(s.job, s.title));
    });
    connect(m_run.get(), &PipelineLocalRun::stepFinished, this,
            [this](int i, PipelineLocalRun::State) { updateStep(i); });
    connect(m_run.get(), &PipelineLocalRun::output, this,
            [this](int, const QString &line) { m_output->appendPlainText(line); });
    connect(m_run.get(), &PipelineLocalRun::finished, this, &PipelineTryPage::onFinished);
    m_finished = false;
    m_ok = false;
    m_summary.clear();
    m_output->clear();
    if (!m_run->start(m_wizard->spec(), options, &error)) {
        setColoredText(m_result, tr("Cannot run here: %1").arg(error), kRed);
        m_run.reset();
        return false;
    }
    m_steps->clear();
    for (int i = 0; i < m_run->steps().size(); ++i) {
        new QTreeWidgetItem(m_steps);
        updateStep(i);
    }
    setColoredText(m_result, tr("Running…"), kGrey);
    m_runButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    Q_EMIT completeChanged();
    return true;
}

void PipelineTryPage::updateStep(int index)
{
    QTreeWidgetItem *item = m_steps->topLevelItem(index);
    if (!item || !m_run)
        return;
    const PipelineLocalRun::Step &s = m_run->steps().at(index);
    item->setText(StepColumn, QStringLiteral("%1: %2").arg(s.job, s.title));
    item->setText(StateColumn, PipelineLocalRun::stateName(s.state));
    item->setForeground(StateColumn, runStateColor(s.state));
    const bool timed =
        s.state == PipelineLocalRun::State::Passed || s.state == PipelineLocalRun::State::Failed;
    item->setText(DurationColumn,
                  timed ? QStringLiteral("%1 s").arg(s.durationMs / 1000.0, 0, 'f', 1) : QString());
    item->setToolTip(StepColumn, s.skipReason.isEmpty()
                                     ? s.title
                                     : tr("%1 — skipped: %2").arg(s.title, s.skipReason));
}

void PipelineTryPage::onFinished(bool ok, const QString &summary)
{
    m_finished = true;
    m_ok = ok;
    m_summary = summary;
    for (int i = 0; m_run && i < m_run->steps().size(); ++i)
        updateStep(i);
    setColoredText(m_result, summary, ok ? kGreen : kRed);
    m_cancelButton->setEnabled(false);
    showMode();
    Q_EMIT runFinished(ok);
    Q_EMIT completeChanged();
}

void PipelineTryPage::cancel()
{
    if (isRunning())
        m_run->cancel();
}

bool PipelineTryPage::isRunning() const
{
    return m_run && m_run->isRunning();
}

PipelineLocalRun::State PipelineTryPage::stepState(const QString &jobAndId) const
{
    if (m_run)
        for (const auto &s : m_run->steps())
            if (s.job + QLatin1Char('/') + s.id == jobAndId)
                return s.state;
    return PipelineLocalRun::State::Pending;
}

QString PipelineTryPage::outputText() const
{
    return m_output->toPlainText();
}

QString PipelineTryPage::summary() const
{
    return m_summary;
}

} // namespace pgdeck
