#pragma once

#include "docker/deployment.h"

#include <QWizardPage>

class QCheckBox;
class QLabel;
class QRadioButton;
class QSpinBox;

namespace pgdeck {

class DockerWizard;

// Page 2: one server, a primary with streaming replicas, or Citus; and where they listen.
class DockerDatabasePage : public QWizardPage {
    Q_OBJECT
public:
    explicit DockerDatabasePage(DockerWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    void apply(Deployment *d) const;
    void setDatabase(Deployment::Database db);
    Deployment::Database database() const;

    QRadioButton *singleRadio() const { return m_single; }
    QRadioButton *replicatedRadio() const { return m_replicated; }
    QRadioButton *citusRadio() const { return m_citus; }
    QSpinBox *replicasSpin() const { return m_replicas; }
    QSpinBox *workersSpin() const { return m_workers; }
    QSpinBox *portSpin() const { return m_port; }
    QCheckBox *openPortsCheck() const { return m_openPorts; }
    QLabel *openPortsWarning() const { return m_openWarning; }
    QLabel *errorsLabel() const { return m_errors; }
    QStringList errors() const { return m_errorList; }

public Q_SLOTS:
    void updateErrors();

private:
    void updateEnabled();

    DockerWizard *m_wizard;
    QRadioButton *m_single, *m_replicated, *m_citus;
    QSpinBox *m_replicas, *m_workers, *m_port;
    QCheckBox *m_openPorts;
    QLabel *m_portsNote, *m_openWarning, *m_errors;
    QStringList m_errorList;
};

} // namespace pgdeck
