#pragma once

#include "inventory/inventory.h"

#include <QDialog>
#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace pgdeck {

class PgConnection;

// Adds one PostgreSQL server as a cluster of its own: where it is, who connects, and a
// connection test that runs in the background and says what answered (version, primary
// or standby) or libpq's own words. A password is never written to the inventory; it can
// go to the password file libpq reads (~/.pgpass), 0600.
class AddServerDialog : public QDialog {
    Q_OBJECT
public:
    explicit AddServerDialog(QWidget *parent = nullptr);
    ~AddServerDialog() override;

    ClusterSpec cluster() const; // the cluster to add, from the fields
    QString testResult() const;  // the last test's outcome, as shown
    bool isTesting() const { return m_test != nullptr; }
    void testConnection();

    // Fills the fields (tests; a pre-filled dialog).
    void setServer(const QString &host, int port, const QString &database, const QString &user);
    // Clusters already in the inventory: adding one of these names would replace it.
    void setTakenNames(const QStringList &names);

Q_SIGNALS:
    void testFinished(bool ok);

private:
    void onAccepted();
    void finishTest(bool ok, const QString &message);
    NodeSpec node() const;
    QString problem() const; // what makes the fields unusable, empty when they are fine
    void onFieldChanged();
    void updateButtons();

    QLineEdit *m_name;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_database;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_savePassword;
    QComboBox *m_sslMode;
    QPushButton *m_testButton;
    QLabel *m_result;
    QDialogButtonBox *m_buttons;
    std::unique_ptr<PgConnection> m_test;
    QString m_role; // from the last successful test of these fields: primary or standby
    QStringList m_takenNames;
    bool m_showingProblem = false; // m_result shows problem(), to clear once mended
};

} // namespace pgdeck
