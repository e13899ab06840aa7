#include "dockerprojectpage.h"

#include "dockerwizard.h"
#include "dockerwizardhelpers.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pgdeck {

using namespace dockerwizard;

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

} // namespace pgdeck
