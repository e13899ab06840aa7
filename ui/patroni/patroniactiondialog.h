#pragma once

#include "patroni/patronistate.h"

#include <QDateTime>
#include <QDialog>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;

namespace pgdeck {

// Asks before one Patroni action runs, and gathers what it needs: the candidate and an
// optional time for a switchover, the candidate for a failover, "force" for a
// reinitialization. It only asks: the page runs the action once the dialog is accepted.
class PatroniActionDialog : public QDialog {
    Q_OBJECT
public:
    enum class Action { Switchover, Failover, Restart, Reinitialize, Pause, Resume };

    // member: the one restart and reinitialize act on; ignored by the other actions.
    PatroniActionDialog(Action action, const PatroniClusterState &state, const QString &member = {},
                        QWidget *parent = nullptr);

    Action action() const { return m_action; }
    QString member() const { return m_member; }
    QString candidate() const;     // switchover and failover; empty when there is none
    QDateTime scheduledAt() const; // invalid unless the user asked for a later switchover
    bool force() const;            // reinitialize only

    QComboBox *candidateCombo() const { return m_candidate; }
    QCheckBox *scheduleCheck() const { return m_scheduleCheck; }
    QDateTimeEdit *scheduleEdit() const { return m_scheduleEdit; }
    QCheckBox *forceCheck() const { return m_force; }
    QPushButton *confirmButton() const { return m_confirm; }

    // "m1 (replica, stopped)": why Patroni may refuse a candidate, in the combo itself.
    static QString candidateLabel(const PatroniMember &member);

private:
    void buildCandidates(const PatroniClusterState &state, bool failover);
    void updateConfirm();

    Action m_action;
    QString m_member;
    QComboBox *m_candidate = nullptr;
    QCheckBox *m_scheduleCheck = nullptr;
    QDateTimeEdit *m_scheduleEdit = nullptr;
    QCheckBox *m_force = nullptr;
    QLabel *m_warning = nullptr;
    QPushButton *m_confirm = nullptr;
    bool m_blocked = false; // Patroni would refuse whatever the user picks
};

} // namespace pgdeck
