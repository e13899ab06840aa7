#include "pipelinebuildpage.h"

#include "pipelinewizard.h"
#include "pipelinewizardhelpers.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace pgdeck {

using namespace pipelinewizard;

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

} // namespace pgdeck
