#pragma once

#include "patroni/patronispec.h"

#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QTreeWidget;

namespace pgdeck {

class PatroniWizard;
class PlanExecutor;

// A read-only monospace view for generated files, plans and logs.
QPlainTextEdit *readOnlyCodeView(const QString &objectName, const QString &accessibleName);

// Page 1: the cluster's name, its DCS, how members start and who runs them.
class PatroniClusterPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PatroniClusterPage(PatroniWizard *wizard);
    void apply(PatroniClusterSpec *spec) const; // everything but the members
    void load(const PatroniClusterSpec &spec);
    QString scope() const;
    QString osUser() const;
    bool isRaft() const;

    // "postgres", or "pgdeck" when we are root and the sandbox's user exists.
    static QString defaultOsUser();

private:
    QLineEdit *m_scope, *m_etcdHosts, *m_osUser, *m_binDir;
    QRadioButton *m_etcd, *m_raft, *m_process, *m_systemd;
    QLabel *m_raftNote;
    QSpinBox *m_loopWait;
};

// Page 2: one table row per member, and the passwords.
class PatroniMembersPage : public QWizardPage {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        SshColumn,
        AddressColumn,
        PgPortColumn,
        RestPortColumn,
        RaftPortColumn,
        DataDirColumn,
        ColumnCount
    };

    explicit PatroniMembersPage(PatroniWizard *wizard);
    void initializePage() override;
    void apply(PatroniClusterSpec *spec) const; // members, users; runAs from page 1
    void load(const PatroniClusterSpec &spec, const QString &superuserPassword,
              const QString &replicationPassword, const QString &restPassword);
    QTableWidget *table() const { return m_table; }
    QString superuserPassword() const;
    QString replicationPassword() const;
    QString restPassword() const;
    void addMember();
    void removeSelected();

private:
    QString defaultDataDir(const QString &scope, const QString &member) const;

    PatroniWizard *m_wizard;
    QTableWidget *m_table;
    QPushButton *m_add, *m_remove;
    QLineEdit *m_superuserPassword, *m_replicationPassword, *m_restUser, *m_restPassword;
    QString m_defaultsScope; // the scope the default data directories were made for
    bool m_loaded = false;
};

// Page 3: what is wrong, else each member's patroni.yml and the Plan.
class PatroniReviewPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PatroniReviewPage(PatroniWizard *wizard);
    void initializePage() override;
    bool isComplete() const override { return m_errorList.isEmpty(); }
    QStringList errors() const { return m_errorList; }
    QString configText() const;
    QString planText() const;
    QComboBox *memberCombo() const { return m_member; }

private:
    void showMember(int index);

    PatroniWizard *m_wizard;
    PatroniClusterSpec m_spec;
    QStringList m_errorList;
    QLabel *m_errors;
    QComboBox *m_member;
    QPlainTextEdit *m_config, *m_plan;
    QWidget *m_details;
};

} // namespace pgdeck
