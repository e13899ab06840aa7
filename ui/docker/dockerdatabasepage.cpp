#include "dockerdatabasepage.h"

#include "dockerwizard.h"
#include "dockerwizardhelpers.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pgdeck {

using namespace dockerwizard;

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

} // namespace pgdeck
