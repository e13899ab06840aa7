#pragma once

#include "inventory/inventory.h"
#include "patroni/patroniclient.h"
#include "patroni/patroniwatcher.h"
#include "patroniactiondialog.h"

#include <QPointer>
#include <QUrl>
#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTreeWidget;

namespace pgdeck {

class EmptyStateWidget;
class PatroniMembersModel;

// The Patroni page of one cluster: who leads, on which timeline, whether the cluster is
// paused, its members and its timeline history, and the actions Patroni offers
// (switchover, failover, restart, reinitialize, pause/resume), each confirmed in a
// PatroniActionDialog first. Someone else polls (a PatroniWatcher) and feeds snapshots;
// actions go straight to Patroni's REST API without blocking, and land in the audit log.
class PatroniPage : public QWidget {
    Q_OBJECT
public:
    explicit PatroniPage(QWidget *parent = nullptr);

    void setCluster(const ClusterSpec &cluster); // empty spec: nothing selected
    void updateSnapshot(const PatroniSnapshot &snapshot);

    bool isManaged() const { return !m_restUrls.isEmpty(); } // some node has a patroni URL
    QList<QUrl> restUrls() const { return m_restUrls; }      // for whoever runs the watcher
    PatroniMembersModel *membersModel() const { return m_model; }
    QString selectedMember() const;
    void selectMember(const QString &member);
    PatroniActionDialog *activeDialog() const { return m_dialog; } // the open confirmation
    bool isActionRunning() const { return m_running > 0; }
    QString lastActionMessage() const { return m_lastMessage; }
    bool lastActionOk() const { return m_lastOk; }

    static QString formatLsn(qint64 lsn); // "0/3000060", as PostgreSQL writes it

public Q_SLOTS:
    // What the confirmations call once accepted; they ask nothing themselves.
    void runSwitchover(const QString &candidate, const QDateTime &scheduledAt = {});
    void runFailover(const QString &candidate);
    void runRestart(const QString &member);
    void runReinitialize(const QString &member, bool force);
    void runSetPaused(bool paused);

Q_SIGNALS:
    void refreshRequested(); // poll Patroni now: an action just changed something
    void actionFinished(bool ok, const QString &message);

private:
    // What an action in flight needs when its answer comes back.
    struct Pending {
        QString cluster;
        QString step; // "patroni switchover"
        QString node;
        QString details; // "leader=a candidate=b", for the audit log
        QString title;   // "Switchover to m2", for the result line
        QString done;    // what success means, when Patroni's answer says nothing
        int generation = 0;
    };

    Pending pending(const QString &step, const QString &node, const QString &details,
                    const QString &title, const QString &done) const;
    void openDialog(PatroniActionDialog::Action action);
    void onDialogAccepted(PatroniActionDialog *dialog);
    PatroniClient *newClient();
    void track(PatroniClient *client, int requestId, const Pending &pending);
    void finish(const Pending &pending, const PatroniResult &result);
    void showRunning(const QString &text);
    void updateHeader();
    void updateHistory();
    void updateButtons();
    void fitTable();
    QUrl actionBaseUrl() const;
    const PatroniMember *memberNamed(const QString &name) const;

    ClusterSpec m_cluster;
    QList<QUrl> m_restUrls;
    PatroniSnapshot m_snapshot;
    bool m_hasSnapshot = false;
    int m_generation = 0; // bumped when the cluster changes: older answers are not shown
    int m_running = 0;
    QString m_lastMessage;
    bool m_lastOk = false;
    QPointer<PatroniActionDialog> m_dialog;

    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    QLabel *m_summary;
    QLabel *m_pausedBanner;
    QLabel *m_staleBanner;
    PatroniMembersModel *m_model;
    QTableView *m_table;
    QTreeWidget *m_history;
    QLabel *m_noHistory;
    QLabel *m_result;
    QPushButton *m_switchover;
    QPushButton *m_failover;
    QPushButton *m_restart;
    QPushButton *m_reinit;
    QPushButton *m_pause;
};

} // namespace pgdeck
