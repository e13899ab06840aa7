#pragma once

#include "docker/deployment.h"

#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace pgdeck {

class DockerWizard;

// Page 1: where the project is, what Compose calls it, and the application beside the
// database.
class DockerProjectPage : public QWizardPage {
    Q_OBJECT
public:
    explicit DockerProjectPage(DockerWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    void setDirectory(const QString &dir);
    QString directory() const;
    void apply(Deployment *d) const;
    // The application kind the directory's files suggest (package.json: Node.js;
    // requirements.txt or pyproject.toml: Python); false when they suggest none.
    static bool detectApp(const QString &dir, Deployment::App *app);
    static QString defaultEntry(Deployment::App app, const QString &dir);

    QLineEdit *directoryEdit() const { return m_directory; }
    QLineEdit *projectEdit() const { return m_project; }
    QComboBox *appCombo() const { return m_app; }
    QLineEdit *entryEdit() const { return m_entry; }
    QSpinBox *appPortSpin() const { return m_appPort; }
    QLabel *errorsLabel() const { return m_errors; }
    QStringList errors() const { return m_errorList; }

public Q_SLOTS:
    void updateErrors();

private:
    void browse();
    void directoryChanged();
    void appChanged();
    Deployment::App app() const;

    DockerWizard *m_wizard;
    QLineEdit *m_directory, *m_project, *m_entry;
    QLabel *m_entryLabel;
    QPushButton *m_browse;
    QComboBox *m_app;
    QSpinBox *m_appPort;
    QLabel *m_appNote, *m_errors;
    QStringList m_errorList;
    bool m_projectEdited = false; // the name follows the directory until the user types one
    bool m_entryEdited = false;   // likewise the entry follows the application kind
};

} // namespace pgdeck
