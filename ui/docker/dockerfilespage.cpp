#include "dockerfilespage.h"

#include "dockerwizard.h"
#include "dockerwizardhelpers.h"

#include "docker/composetool.h"
#include "docker/deploymentgenerator.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace pgdeck {

using namespace dockerwizard;

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

    m_view = new FileProposalView;
    m_replaceNote = noteLabel();
    m_replaceNote->setObjectName(QStringLiteral("replaceNote"));
    m_writeStatus = noteLabel();
    m_writeStatus->setObjectName(QStringLiteral("writeStatus"));
    m_writeStatus->setAccessibleName(tr("What was written"));
    m_check = noteLabel();
    m_check->setObjectName(QStringLiteral("composeCheck"));
    m_check->setAccessibleName(tr("Docker Compose's verdict"));
    m_check->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_replaceNote);
    layout->addWidget(m_writeStatus);
    layout->addWidget(m_check);

    connect(m_view->writeButton(), &QPushButton::clicked, this, [this] { writeFiles(); });
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

void DockerFilesPage::refresh()
{
    m_view->setProposals(DeploymentFiles::compare(
        m_wizard->projectDirectory(), DeploymentGenerator::files(m_wizard->deployment())));

    const QStringList edited = m_view->editedFiles();
    if (edited.isEmpty())
        setColoredText(m_replaceNote,
                       tr("Files you edited are never overwritten unless “Replace files I "
                          "edited” is checked; .env keeps its passwords either way."),
                       kGrey);
    else
        setColoredText(m_replaceNote,
                       (edited.size() == 1
                            ? tr("%1 differs from what pgdeck generates: Write files keeps your "
                                 "version unless “Replace files that differ” is checked.")
                            : tr("%1 differ from what pgdeck generates: Write files keeps your "
                                 "versions unless “Replace files that differ” is checked."))
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

bool DockerFilesPage::writeFiles()
{
    const bool overwrite = m_view->replaceEdited();
    const QStringList keptEdits = overwrite ? QStringList() : m_view->editedFiles();
    QStringList written;
    QString error;
    const bool ok = DeploymentFiles::write(m_wizard->projectDirectory(), m_view->proposals(),
                                           overwrite, &written, &error);
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

} // namespace pgdeck
