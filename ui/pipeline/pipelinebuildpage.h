#pragma once

#include "pipeline/pipelinespec.h"

#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;

namespace pgdeck {

class PipelineWizard;

// Page 2: how the app is built and deployed; validatePipelineSpec's problems in place.
class PipelineBuildPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PipelineBuildPage(PipelineWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    // This page's fields written into spec.
    void apply(PipelineSpec *spec) const;

    void setNodeVersion(const QString &version);
    void setImage(const QString &image); // the registry follows unless edited
    void setRegistry(const QString &registry);
    void setDeploy(PipelineSpec::Deploy deploy);
    void setDeployHost(const QString &host);
    void setDeployDirectory(const QString &dir);
    QString registry() const;
    QStringList errors() const { return m_errors; }

private:
    void revalidate();

    PipelineWizard *m_wizard;
    QLineEdit *m_node;
    QLineEdit *m_image;
    QLineEdit *m_registry;
    QComboBox *m_deploy;
    QLineEdit *m_host;
    QLineEdit *m_deployDir;
    QLabel *m_errorLabel;
    QStringList m_errors;
    bool m_registryEdited = false;
};

} // namespace pgdeck
