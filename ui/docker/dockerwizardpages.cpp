#include "dockerwizardpages.h"

#include "common/diffhighlighter.h"
#include "dockerwizard.h"

#include "common/pgpassfile.h"
#include "common/planrunview.h"
#include "docker/composeplanner.h"
#include "docker/composetool.h"
#include "docker/deploymentgenerator.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace pgdeck {

namespace {

const QColor kRed(0xc6, 0x28, 0x28);
const QColor kGreen(0x2e, 0x7d, 0x32);
const QColor kBlue(0x15, 0x65, 0xc0);
const QColor kOrange(0xe6, 0x51, 0x00);
const QColor kGrey(0x61, 0x61, 0x61);

QLineEdit *lineEdit(const QString &name, const QString &accessible)
{
    auto *e = new QLineEdit;
    e->setObjectName(name);
    e->setAccessibleName(accessible);
    return e;
}

QSpinBox *spinBox(const QString &name, const QString &accessible, int min, int max, int value)
{
    auto *s = new QSpinBox;
    s->setObjectName(name);
    s->setAccessibleName(accessible);
    s->setRange(min, max);
    s->setValue(value);
    return s;
}

QLabel *noteLabel(const QString &text = {})
{
    auto *l = new QLabel(text);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    return l;
}

void setColoredText(QLabel *label, const QString &text, const QColor &color)
{
    label->setText(text);
    label->setStyleSheet(color.isValid() ? QStringLiteral("color: %1").arg(color.name())
                                         : QString());
}

// One problem a line, in red, where the user is looking; empty when all is well.
void showErrors(QLabel *label, const QStringList &errors)
{
    QStringList lines;
    for (const QString &e : errors)
        lines << QStringLiteral("• ") + e;
    setColoredText(label, lines.join(QLatin1Char('\n')), kRed);
    label->setVisible(!errors.isEmpty());
}

// Runs work on the thread pool and hands its value to done on context's thread; nothing
// arrives once context is gone.
template <typename T, typename Work, typename Done>
void runOffGuiThread(QObject *context, Work work, Done done)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(work));
}

QString displayState(FileProposal::State state)
{
    switch (state) {
    case FileProposal::State::New:
        return DockerFilesPage::tr("new");
    case FileProposal::State::Same:
        return DockerFilesPage::tr("unchanged");
    case FileProposal::State::Changed:
        return DockerFilesPage::tr("changed");
    case FileProposal::State::Kept:
        return DockerFilesPage::tr("kept");
    }
    return {};
}

QColor stateColor(FileProposal::State state)
{
    switch (state) {
    case FileProposal::State::New:
        return kBlue;
    case FileProposal::State::Same:
        return kGrey;
    case FileProposal::State::Changed:
        return kOrange;
    case FileProposal::State::Kept:
        return kGrey;
    }
    return {};
}

QString stateExplanation(FileProposal::State state)
{
    switch (state) {
    case FileProposal::State::New:
        return DockerFilesPage::tr("not in the directory yet: Write files creates it as shown");
    case FileProposal::State::Same:
        return DockerFilesPage::tr("the directory holds exactly what pgdeck generates");
    case FileProposal::State::Changed:
        return DockerFilesPage::tr("differs from what pgdeck generates: − lines are in your "
                                   "file, + lines are pgdeck's");
    case FileProposal::State::Kept:
        return DockerFilesPage::tr("holds the project's passwords: once written it is never "
                                   "replaced");
    }
    return {};
}

QString homeRelative(const QString &path)
{
    const QString home = QDir::homePath();
    return path.startsWith(home + QLatin1Char('/')) ? QStringLiteral("~") + path.mid(home.size())
                                                    : path;
}

} // namespace

// --- project ----------------------------------------------------------------------------

DockerProjectPage::DockerProjectPage(DockerWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("dockerProjectPage"));
    setTitle(tr("The project"));
    setSubTitle(tr("The directory of your application: pgdeck writes its Dockerfile and "
                   "docker-compose.yml there. Compose names the containers after the project."));

    m_directory = lineEdit(QStringLiteral("directoryEdit"), tr("Project directory"));
    m_directory->setPlaceholderText(tr("the directory that holds your application"));
    m_browse = new QPushButton(tr("&Browse…"));
    m_browse->setObjectName(QStringLiteral("browseButton"));
    m_browse->setAccessibleName(tr("Browse for the project directory"));
    m_project = lineEdit(QStringLiteral("projectEdit"), tr("Compose project name"));
    m_project->setPlaceholderText(tr("lowercase letters, digits, '-' and '_'"));

    m_app = new QComboBox;
    m_app->setObjectName(QStringLiteral("appCombo"));
    m_app->setAccessibleName(tr("Application kind"));
    m_app->addItem(tr("Node.js"), int(Deployment::App::Node));
    m_app->addItem(tr("Python"), int(Deployment::App::Python));
    m_app->addItem(tr("Binary"), int(Deployment::App::Binary));
    m_app->addItem(tr("None: only the database"), int(Deployment::App::None));
    m_entry = lineEdit(QStringLiteral("entryEdit"), tr("Application entry"));
    m_entryLabel = new QLabel;
    m_appPort = spinBox(QStringLiteral("appPortSpin"), tr("Application port"), 1, 65535,
                        Deployment{}.appPort);
    m_appPort->setToolTip(tr("The port the application listens on; it is published on the "
                             "same port of this machine."));
    m_errors = noteLabel();
    m_errors->setObjectName(QStringLiteral("projectErrors"));
    m_errors->setAccessibleName(tr("Problems"));
    m_errors->setVisible(false);

    auto *directoryRow = new QHBoxLayout;
    directoryRow->addWidget(m_directory, 1);
    directoryRow->addWidget(m_browse);
    m_appNote = noteLabel();
    m_appNote->setObjectName(QStringLiteral("appNote"));
    m_appNote->setStyleSheet(QStringLiteral("color: %1").arg(kGrey.name()));
    auto *directoryLabel = new QLabel(tr("Project &directory:"));
    directoryLabel->setBuddy(m_directory); // a row holding a layout gets no buddy of its own
    auto *form = new QFormLayout;
    form->addRow(directoryLabel, directoryRow);
    form->addRow(tr("Compose &project name:"), m_project);
    form->addRow(tr("&Application:"), m_app);
    form->addRow(m_entryLabel, m_entry);
    form->addRow(tr("Application p&ort:"), m_appPort);
    form->addRow(QString(), m_appNote);
    m_entryLabel->setBuddy(m_entry);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addSpacing(8);
    layout->addWidget(m_errors);
    layout->addStretch();

    connect(m_browse, &QPushButton::clicked, this, &DockerProjectPage::browse);
    connect(m_directory, &QLineEdit::textChanged, this, &DockerProjectPage::directoryChanged);
    connect(m_project, &QLineEdit::textEdited, this,
            [this](const QString &text) { m_projectEdited = !text.isEmpty(); });
    connect(m_project, &QLineEdit::textChanged, this, &DockerProjectPage::updateErrors);
    connect(m_app, &QComboBox::currentIndexChanged, this, &DockerProjectPage::appChanged);
    connect(m_entry, &QLineEdit::textEdited, this,
            [this](const QString &text) { m_entryEdited = !text.isEmpty(); });
    connect(m_entry, &QLineEdit::textChanged, this, &DockerProjectPage::updateErrors);
    connect(m_appPort, &QSpinBox::valueChanged, this, &DockerProjectPage::updateErrors);
    appChanged();
}

void DockerProjectPage::initializePage()
{
    updateErrors();
}

bool DockerProjectPage::isComplete() const
{
    return m_wizard->databasePage() && m_wizard->validationErrors().isEmpty();
}

void DockerProjectPage::updateErrors()
{
    if (!m_wizard->databasePage())
        return; // still being built
    m_errorList = m_wizard->validationErrors();
    showErrors(m_errors, m_errorList);
    Q_EMIT completeChanged();
}

void DockerProjectPage::setDirectory(const QString &dir)
{
    m_directory->setText(QDir::toNativeSeparators(dir));
}

QString DockerProjectPage::directory() const
{
    const QString dir = m_directory->text().trimmed();
    return dir.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(dir));
}

void DockerProjectPage::browse()
{
    const QString start = directory().isEmpty() ? QDir::homePath() : directory();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Project directory"), start);
    if (!dir.isEmpty())
        setDirectory(dir);
}

bool DockerProjectPage::detectApp(const QString &dir, Deployment::App *app)
{
    const QDir d(dir);
    if (d.exists(QStringLiteral("package.json"))) {
        *app = Deployment::App::Node;
        return true;
    }
    if (d.exists(QStringLiteral("requirements.txt")) ||
        d.exists(QStringLiteral("pyproject.toml"))) {
        *app = Deployment::App::Python;
        return true;
    }
    return false;
}

QString DockerProjectPage::defaultEntry(Deployment::App app, const QString &dir)
{
    switch (app) {
    case Deployment::App::Node: {
        // package.json's own "main" when it names one, as `node .` would run it.
        QFile package(QDir(dir).filePath(QStringLiteral("package.json")));
        if (!dir.isEmpty() && package.open(QIODevice::ReadOnly)) {
            const QString main = QJsonDocument::fromJson(package.readAll())
                                     .object()
                                     .value(QStringLiteral("main"))
                                     .toString();
            if (!main.isEmpty())
                return main;
        }
        return QStringLiteral("server.js");
    }
    case Deployment::App::Python:
        return QStringLiteral("app");
    case Deployment::App::Binary:
        return QStringLiteral("app");
    case Deployment::App::None:
        break;
    }
    return {};
}

Deployment::App DockerProjectPage::app() const
{
    return Deployment::App(m_app->currentData().toInt());
}

void DockerProjectPage::directoryChanged()
{
    const QString dir = directory();
    if (!m_projectEdited)
        m_project->setText(ComposeProject::normalizedName(QFileInfo(dir).fileName()));
    Deployment::App detected;
    if (QFileInfo(dir).isDir() && detectApp(dir, &detected))
        m_app->setCurrentIndex(m_app->findData(int(detected)));
    if (!m_entryEdited)
        m_entry->setText(defaultEntry(app(), dir));
    updateErrors();
}

void DockerProjectPage::appChanged()
{
    const Deployment::App kind = app();
    const bool hasApp = kind != Deployment::App::None;
    m_entry->setEnabled(hasApp);
    m_appPort->setEnabled(hasApp);
    switch (kind) {
    case Deployment::App::Node:
        m_entryLabel->setText(tr("Main &script:"));
        break;
    case Deployment::App::Python:
        m_entryLabel->setText(tr("Main &module:"));
        break;
    case Deployment::App::Binary:
    case Deployment::App::None:
        m_entryLabel->setText(tr("&Binary:"));
        break;
    }
    m_entry->setPlaceholderText(hasApp ? QString() : tr("no application"));
    const Deployment defaults;
    switch (kind) {
    case Deployment::App::Node:
        m_appNote->setText(
            tr("Built from %1 with npm ci, then run as node <script>. It must answer "
               "GET %2 on its port: Docker's health check asks there.")
                .arg(defaults.nodeImage, defaults.healthPath));
        break;
    case Deployment::App::Python:
        m_appNote->setText(tr("Built from %1 with pip install -r requirements.txt, then run as "
                              "python -m <module>. It must answer GET %2 on its port: Docker's "
                              "health check asks there.")
                               .arg(defaults.pythonImage, defaults.healthPath));
        break;
    case Deployment::App::Binary:
        m_appNote->setText(tr("Copied into %1 and run as it is, as an unprivileged user.")
                               .arg(defaults.binaryImage));
        break;
    case Deployment::App::None:
        m_appNote->setText(tr("Only PostgreSQL runs in containers; your application connects "
                              "to it from outside."));
        break;
    }
    if (!m_entryEdited)
        m_entry->setText(defaultEntry(kind, directory()));
    updateErrors();
}

void DockerProjectPage::apply(Deployment *d) const
{
    d->project = m_project->text().trimmed();
    d->app = app();
    if (d->app != Deployment::App::None) {
        d->entry = m_entry->text().trimmed();
        d->appPort = d->appHostPort = m_appPort->value(); // as pgdeckctl: the same port outside
    }
}

// --- database ---------------------------------------------------------------------------

DockerDatabasePage::DockerDatabasePage(DockerWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("dockerDatabasePage"));
    setTitle(tr("The database"));
    setSubTitle(tr("PostgreSQL runs in its own containers beside the application, its data in "
                   "named volumes that outlive the containers."));
    const Deployment defaults;
    m_single = new QRadioButton(tr("A &single server"));
    m_single->setObjectName(QStringLiteral("singleRadio"));
    m_single->setAccessibleName(tr("Single server"));
    m_single->setChecked(true);
    m_replicated = new QRadioButton(tr("A primary with streaming &replicas:"));
    m_replicated->setObjectName(QStringLiteral("replicatedRadio"));
    m_replicated->setAccessibleName(tr("Primary with streaming replicas"));
    m_citus = new QRadioButton(tr("&Citus: a coordinator with workers:"));
    m_citus->setObjectName(QStringLiteral("citusRadio"));
    m_citus->setAccessibleName(tr("Citus coordinator with workers"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_single);
    group->addButton(m_replicated);
    group->addButton(m_citus);
    m_replicas =
        spinBox(QStringLiteral("replicasSpin"), tr("Number of replicas"), 1, 9, defaults.replicas);
    m_replicas->setSuffix(tr(" replica(s)"));
    m_workers = spinBox(QStringLiteral("workersSpin"), tr("Number of Citus workers"), 1, 16,
                        defaults.citusWorkers);
    m_workers->setSuffix(tr(" worker(s)"));
    m_port = spinBox(QStringLiteral("dbPortSpin"), tr("Host port of the primary"), 1, 65535,
                     defaults.dbHostPort);
    m_portsNote = noteLabel();
    m_portsNote->setObjectName(QStringLiteral("portsNote"));
    m_openPorts = new QCheckBox(tr("Publish on every &interface"));
    m_openPorts->setObjectName(QStringLiteral("openPortsCheck"));
    m_openPorts->setAccessibleName(tr("Publish on every interface"));
    m_openPorts->setToolTip(tr("Off: the ports are published on 127.0.0.1 only."));
    m_openWarning = noteLabel(tr("⚠ Other machines can reach the database then: only its "
                                 "password protects it."));
    m_openWarning->setObjectName(QStringLiteral("openPortsWarning"));
    m_openWarning->setStyleSheet(QStringLiteral("color: %1").arg(kOrange.name()));
    m_openWarning->setVisible(false);
    m_errors = noteLabel();
    m_errors->setObjectName(QStringLiteral("databaseErrors"));
    m_errors->setAccessibleName(tr("Problems"));
    m_errors->setVisible(false);

    auto *layouts = new QGridLayout;
    layouts->setColumnStretch(2, 1);
    layouts->addWidget(m_single, 0, 0);
    layouts->addWidget(m_replicated, 1, 0);
    layouts->addWidget(m_replicas, 1, 1);
    layouts->addWidget(m_citus, 2, 0);
    layouts->addWidget(m_workers, 2, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("Host &port of the primary:"), m_port);
    form->addRow(QString(), m_portsNote);
    form->addRow(QString(), m_openPorts);
    form->addRow(QString(), m_openWarning);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(layouts);
    layout->addSpacing(12);
    layout->addLayout(form);
    layout->addSpacing(8);
    layout->addWidget(m_errors);
    layout->addStretch();

    for (QRadioButton *r : {m_single, m_replicated, m_citus})
        connect(r, &QRadioButton::toggled, this, &DockerDatabasePage::updateErrors);
    for (QSpinBox *s : {m_replicas, m_workers, m_port})
        connect(s, &QSpinBox::valueChanged, this, &DockerDatabasePage::updateErrors);
    connect(m_openPorts, &QCheckBox::toggled, this, &DockerDatabasePage::updateErrors);
    updateEnabled();
}

void DockerDatabasePage::initializePage()
{
    updateErrors();
}

bool DockerDatabasePage::isComplete() const
{
    return m_wizard->validationErrors().isEmpty();
}

Deployment::Database DockerDatabasePage::database() const
{
    if (m_replicated->isChecked())
        return Deployment::Database::Replicated;
    if (m_citus->isChecked())
        return Deployment::Database::Citus;
    return Deployment::Database::Single;
}

void DockerDatabasePage::setDatabase(Deployment::Database db)
{
    (db == Deployment::Database::Replicated ? m_replicated
     : db == Deployment::Database::Citus    ? m_citus
                                            : m_single)
        ->setChecked(true);
}

void DockerDatabasePage::apply(Deployment *d) const
{
    d->database = database();
    d->replicas = m_replicas->value();
    d->citusWorkers = m_workers->value();
    d->dbHostPort = m_port->value();
    d->openPorts = m_openPorts->isChecked();
}

void DockerDatabasePage::updateEnabled()
{
    m_replicas->setEnabled(m_replicated->isChecked());
    m_workers->setEnabled(m_citus->isChecked());
    m_openWarning->setVisible(m_openPorts->isChecked());
    const int port = m_port->value();
    const QString where =
        m_openPorts->isChecked() ? tr("every interface") : QStringLiteral("127.0.0.1");
    switch (database()) {
    case Deployment::Database::Single:
        m_portsNote->setText(tr("The server listens on %1, port %2.").arg(where).arg(port));
        break;
    case Deployment::Database::Replicated:
        m_portsNote->setText(m_replicas->value() == 1
                                 ? tr("On %1: the primary on port %2, the replica on %3.")
                                       .arg(where)
                                       .arg(port)
                                       .arg(port + 1)
                                 : tr("On %1: the primary on port %2, the replicas on %3 to %4.")
                                       .arg(where)
                                       .arg(port)
                                       .arg(port + 1)
                                       .arg(port + m_replicas->value()));
        break;
    case Deployment::Database::Citus:
        m_portsNote->setText(tr("On %1: the coordinator on port %2; the workers are reached only "
                                "inside the project's network.")
                                 .arg(where)
                                 .arg(port));
        break;
    }
}

void DockerDatabasePage::updateErrors()
{
    updateEnabled();
    m_errorList = m_wizard->validationErrors();
    showErrors(m_errors, m_errorList);
    Q_EMIT completeChanged();
}

// --- files ------------------------------------------------------------------------------

struct DockerFilesPage::Check {
    QStringList compose;
    QString version;
    QString detectError; // no Compose command found
    bool valid = false;
    QString message; // Compose's own words when it refuses the files
};

DockerFilesPage::DockerFilesPage(DockerWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("dockerFilesPage"));
    setTitle(tr("The files"));
    setSubTitle(tr("What pgdeck generates, against what the directory holds. Nothing is written "
                   "until you press Write files; Docker Compose then checks them."));

    m_files = new QTreeWidget;
    m_files->setObjectName(QStringLiteral("filesList"));
    m_files->setAccessibleName(tr("Generated files"));
    m_files->setRootIsDecorated(false);
    m_files->setUniformRowHeights(true);
    m_files->setHeaderLabels({tr("File"), tr("State")});
    m_files->header()->setStretchLastSection(false);
    m_files->header()->setSectionResizeMode(PathColumn, QHeaderView::Stretch);
    m_files->header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    m_caption = noteLabel();
    m_caption->setObjectName(QStringLiteral("fileCaption"));
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
    m_replaceNote = noteLabel();
    m_replaceNote->setObjectName(QStringLiteral("replaceNote"));
    m_write = new QPushButton(tr("&Write files"));
    m_write->setObjectName(QStringLiteral("writeFilesButton"));
    m_write->setAccessibleName(tr("Write files"));
    m_writeStatus = noteLabel();
    m_writeStatus->setObjectName(QStringLiteral("writeStatus"));
    m_writeStatus->setAccessibleName(tr("What was written"));
    m_check = noteLabel();
    m_check->setObjectName(QStringLiteral("composeCheck"));
    m_check->setAccessibleName(tr("Docker Compose's verdict"));
    m_check->setTextInteractionFlags(Qt::TextSelectableByMouse);

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
    splitter->setSizes({260, 700});
    auto *writeRow = new QHBoxLayout;
    writeRow->addWidget(m_replace);
    writeRow->addStretch();
    writeRow->addWidget(m_write);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(writeRow);
    layout->addWidget(m_replaceNote);
    layout->addWidget(m_writeStatus);
    layout->addWidget(m_check);

    connect(m_files, &QTreeWidget::currentItemChanged, this, &DockerFilesPage::showSelected);
    connect(m_write, &QPushButton::clicked, this, [this] { writeFiles(); });
}

void DockerFilesPage::initializePage()
{
    m_writeStatus->clear();
    m_writeStatus->setVisible(false);
    refresh();
}

bool DockerFilesPage::isComplete() const
{
    return filesWritten() && m_valid && !m_checking;
}

bool DockerFilesPage::filesWritten() const
{
    if (m_proposals.isEmpty())
        return false;
    for (const FileProposal &p : m_proposals)
        if (p.state == FileProposal::State::New)
            return false;
    return true;
}

FileProposal::State DockerFilesPage::stateOf(const QString &path) const
{
    for (const FileProposal &p : m_proposals)
        if (p.file.path == path)
            return p.state;
    return FileProposal::State::New;
}

void DockerFilesPage::refresh()
{
    const QTreeWidgetItem *current = m_files->currentItem();
    const QString selected = current ? current->text(PathColumn) : QString();
    m_proposals = DeploymentFiles::compare(m_wizard->projectDirectory(),
                                           DeploymentGenerator::files(m_wizard->deployment()));
    fillList(selected);

    QStringList edited;
    for (const FileProposal &p : std::as_const(m_proposals))
        if (p.state == FileProposal::State::Changed)
            edited << p.file.path;
    if (edited.isEmpty())
        setColoredText(m_replaceNote,
                       tr("Files you edited are never overwritten unless “Replace files I "
                          "edited” is checked; .env keeps its passwords either way."),
                       kGrey);
    else
        setColoredText(m_replaceNote,
                       (edited.size() == 1
                            ? tr("%1 differs from what pgdeck generates: Write files keeps your "
                                 "version unless “Replace files I edited” is checked.")
                            : tr("%1 differ from what pgdeck generates: Write files keeps your "
                                 "versions unless “Replace files I edited” is checked."))
                           .arg(edited.join(QStringLiteral(", "))),
                       kOrange);

    ++m_checkToken; // a check still running looked at files that may have changed since
    m_checking = false;
    m_valid = false;
    if (filesWritten())
        startCheck();
    else
        setCheckText(tr("Write the files; Docker Compose then checks them."), kGrey);
    Q_EMIT completeChanged();
}

void DockerFilesPage::fillList(const QString &keepSelected)
{
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
        // The user's previous choice, else the first file that differs, else the first.
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

bool DockerFilesPage::selectFile(const QString &path)
{
    for (int i = 0; i < m_files->topLevelItemCount(); ++i)
        if (m_files->topLevelItem(i)->text(PathColumn) == path) {
            m_files->setCurrentItem(m_files->topLevelItem(i));
            return true;
        }
    return false;
}

void DockerFilesPage::showSelected()
{
    const QTreeWidgetItem *item = m_files->currentItem();
    const int index = item ? m_files->indexOfTopLevelItem(const_cast<QTreeWidgetItem *>(item)) : -1;
    if (index < 0 || index >= m_proposals.size()) {
        m_highlighter->setDocument(nullptr);
        m_content->clear();
        m_caption->clear();
        return;
    }
    const FileProposal &p = m_proposals[index];
    const bool diff = p.state == FileProposal::State::Changed;
    m_caption->setText(QStringLiteral("%1 — %2: %3")
                           .arg(p.file.path, displayState(p.state), stateExplanation(p.state)));
    m_highlighter->setDocument(nullptr); // detaching clears the colours of the last diff
    if (p.state == FileProposal::State::Kept)
        m_content->setPlainText(tr("(kept as the directory holds it)"));
    else
        m_content->setPlainText(diff ? p.diff : p.file.content);
    if (diff)
        m_highlighter->setDocument(m_content->document());
}

bool DockerFilesPage::writeFiles()
{
    const bool overwrite = m_replace->isChecked();
    QStringList keptEdits;
    for (const FileProposal &p : std::as_const(m_proposals))
        if (p.state == FileProposal::State::Changed && !overwrite)
            keptEdits << p.file.path;
    QStringList written;
    QString error;
    const bool ok = DeploymentFiles::write(m_wizard->projectDirectory(), m_proposals, overwrite,
                                           &written, &error);
    m_writeStatus->setVisible(true);
    if (!ok) {
        setColoredText(m_writeStatus, tr("Not written: %1").arg(error), kRed);
    } else {
        QString text =
            written.isEmpty()
                ? tr("Nothing to write: the directory already holds these files.")
                : tr("Wrote %1 in %2.")
                      .arg(written.join(QStringLiteral(", ")), m_wizard->projectDirectory());
        if (!keptEdits.isEmpty())
            text += QLatin1Char(' ') +
                    tr("Kept your edited %1.").arg(keptEdits.join(QStringLiteral(", ")));
        setColoredText(m_writeStatus, text, QColor());
    }
    refresh();
    return ok;
}

void DockerFilesPage::setCheckText(const QString &text, const QColor &color)
{
    setColoredText(m_check, text, color);
}

QString DockerFilesPage::checkMessage() const
{
    return m_check->text();
}

void DockerFilesPage::startCheck()
{
    const quint64 token = m_checkToken;
    m_checking = true;
    setCheckText(tr("Docker Compose is checking the files…"), kGrey);
    const QString dir = m_wizard->projectDirectory();
    const QStringList known = m_wizard->composeCommand();
    const QString knownVersion = m_wizard->composeVersion();
    runOffGuiThread<Check>(
        this,
        [dir, known, knownVersion] {
            Check c;
            c.compose = known;
            c.version = knownVersion;
            if (c.compose.isEmpty())
                c.compose = ComposeTool::detect(&c.version, &c.detectError);
            if (!c.compose.isEmpty())
                c.valid = ComposeTool::validate(c.compose, dir, &c.message);
            return c;
        },
        [this, token](const Check &c) {
            if (token == m_checkToken) // else the files changed while Compose read them
                showCheck(c);
        });
}

void DockerFilesPage::showCheck(const Check &c)
{
    m_checking = false;
    m_valid = c.valid;
    if (c.compose.isEmpty()) {
        setCheckText(c.detectError, kRed);
    } else {
        m_wizard->setComposeCommand(c.compose, c.version);
        if (c.valid)
            setCheckText(tr("✔ valid (%1)").arg(c.version), kGreen);
        else
            setCheckText(
                tr("✖ %1 refuses the files:\n%2").arg(c.compose.join(QLatin1Char(' ')), c.message),
                kRed);
    }
    Q_EMIT completeChanged();
}

// --- run --------------------------------------------------------------------------------

struct DockerRunPage::Config {
    QStringList compose;
    QString version;
    bool ok = false;
    ComposeFile file;
    QString message;
};

DockerRunPage::DockerRunPage(DockerWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("dockerRunPage"));
    setTitle(tr("Start the deployment"));
    setSubTitle(tr("Compose builds the application's image, starts every service and pgdeck "
                   "waits until each is healthy. Each step is journaled: a stopped run resumes "
                   "where it stopped."));
    m_inventory =
        new QCheckBox(tr("Add the PostgreSQL services to the inventory and their passwords to %1")
                          .arg(homeRelative(PgPassFile::defaultPath())));
    m_inventory->setObjectName(QStringLiteral("inventoryCheck"));
    m_inventory->setAccessibleName(tr("Add the PostgreSQL services to the inventory"));
    m_inventory->setToolTip(tr("libpq reads the passwords from this file, so the console "
                               "connects without asking; other lines in it stay as they are."));
    m_inventory->setChecked(true);
    m_run = new PlanRunView;
    m_run->setObjectName(QStringLiteral("dockerPlanRun"));
    m_start = new QPushButton(tr("&Start"));
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setAccessibleName(tr("Start the deployment"));
    m_cancel = new QPushButton(tr("S&top"));
    m_cancel->setObjectName(QStringLiteral("cancelRunButton"));
    m_cancel->setAccessibleName(tr("Stop after the current step"));
    m_resume = new QPushButton(tr("Re&sume"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_resume->setAccessibleName(tr("Resume the failed run"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_inventory, 1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_resume);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_run, 1);
    layout->addLayout(buttons);

    connect(m_start, &QPushButton::clicked, this, &DockerRunPage::start);
    connect(m_cancel, &QPushButton::clicked, this, &DockerRunPage::cancel);
    connect(m_resume, &QPushButton::clicked, this, &DockerRunPage::resume);
    connect(m_run, &PlanRunView::runningChanged, this, &DockerRunPage::updateButtons);
    connect(m_run, &PlanRunView::finished, this, [this](bool ok) { finished(ok); });
    updateButtons();
}

void DockerRunPage::initializePage()
{
    loadConfig();
}

void DockerRunPage::cleanupPage()
{
    ++m_configToken; // a configuration still being read is for a page no longer shown
    m_wizard->setOption(QWizard::DisabledBackButtonOnLastPage, false);
}

bool DockerRunPage::isComplete() const
{
    return !isRunning();
}

bool DockerRunPage::isRunning() const
{
    return m_run->isRunning();
}

bool DockerRunPage::hasSucceeded() const
{
    return m_run->hasSucceeded();
}

bool DockerRunPage::hasFailed() const
{
    return m_run->hasFailed();
}

void DockerRunPage::loadConfig()
{
    const quint64 token = ++m_configToken;
    m_ready = false;
    m_run->setPlan(Plan());
    m_run->setStatus(tr("Reading the configuration as Docker Compose resolves it…"));
    updateButtons();
    const ComposeProject project = m_wizard->composeProject();
    runOffGuiThread<Config>(
        this,
        [project] {
            Config c;
            c.compose = project.compose;
            if (c.compose.isEmpty())
                c.compose = ComposeTool::detect(&c.version, &c.message);
            if (c.compose.isEmpty())
                return c;
            ComposeProject p = project;
            p.compose = c.compose;
            QByteArray yaml;
            c.ok = ComposeTool::config(p.command({}), p.dir, &yaml, &c.message) &&
                   ComposeFile::parse(yaml, &c.file, &c.message);
            return c;
        },
        [this, token](const Config &c) {
            if (token == m_configToken)
                configLoaded(c);
        });
}

void DockerRunPage::configLoaded(const Config &c)
{
    if (!c.ok) {
        m_run->setStatus(tr("Docker Compose refuses the configuration:\n%1").arg(c.message), kRed);
        updateButtons();
        return;
    }
    if (m_wizard->composeCommand().isEmpty())
        m_wizard->setComposeCommand(c.compose, c.version);
    m_composeProject = m_wizard->composeProject();
    m_file = c.file;
    m_run->setPlan(composeplans::up(m_composeProject, m_file));
    m_ready = true;
    m_run->setStatus(
        tr("Press Start to build and start %1 in project %2.")
            .arg(m_file.serviceNames().join(QStringLiteral(", ")), m_composeProject.name));
    updateButtons();
}

void DockerRunPage::start()
{
    if (!m_ready || isRunning())
        return;
    QString error;
    if (!m_run->start(&error))
        m_run->setStatus(error, kRed);
    updateButtons();
}

void DockerRunPage::cancel()
{
    m_run->cancel();
}

void DockerRunPage::resume()
{
    QString error;
    if (!m_run->resume(&error))
        m_run->setStatus(error, kRed);
    updateButtons();
}

void DockerRunPage::finished(bool ok)
{
    if (ok) {
        QString status = summary();
        QColor color = kGreen;
        if (m_inventory->isChecked()) {
            const QString path = PgPassFile::defaultPath();
            QString error;
            if (PgPassFile::upsert(path, composePgPassEntries(m_composeProject, m_file), &error)) {
                status += QLatin1Char('\n') +
                          tr("Passwords added to %1; cluster %2 goes to the inventory.")
                              .arg(path, m_composeProject.name);
            } else {
                status +=
                    QLatin1Char('\n') + tr("The passwords could not be written: %1").arg(error);
                color = kOrange;
            }
            Q_EMIT m_wizard->deploymentReady(composeInventoryCluster(m_composeProject, m_file));
        }
        m_run->setStatus(status, color);
    }
    updateButtons();
    Q_EMIT completeChanged();
}

QString DockerRunPage::summary() const
{
    QStringList where;
    const Deployment d = m_wizard->deployment();
    if (const ComposeService *app = m_file.service(d.appService))
        if (const int port = app->publishedPort(d.appPort))
            where << tr("the application on http://127.0.0.1:%1/").arg(port);
    for (const NodeSpec &node : composeInventoryCluster(m_composeProject, m_file).nodes)
        where << QStringLiteral("%1 on %2:%3").arg(node.name, node.host).arg(node.port);
    return tr("%1 is up: %2.").arg(m_composeProject.name, where.join(QStringLiteral(", ")));
}

void DockerRunPage::updateButtons()
{
    const bool running = isRunning();
    m_start->setEnabled(m_ready && !running && !hasSucceeded());
    m_start->setText(hasFailed() ? tr("&Start again") : tr("&Start"));
    m_cancel->setEnabled(running);
    m_resume->setVisible(m_run->canResume());
    m_inventory->setEnabled(!running && !hasSucceeded());
    // Going back while containers start, or after they run, would describe another deployment.
    m_wizard->setOption(QWizard::DisabledBackButtonOnLastPage, running || hasSucceeded());
    Q_EMIT completeChanged();
}

} // namespace pgdeck
