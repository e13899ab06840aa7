#pragma once

#include "inventory/inventory.h"
#include "patroni/patronispec.h"
#include "plan/plan.h"

#include <QWizard>

namespace pgdeck {

class PatroniClusterPage;
class PatroniMembersPage;
class PatroniRunPage;

// Creates a Patroni cluster: its name and DCS, its members, a review of each member's
// patroni.yml and the Plan, then the run. The same flow as `pgdeckctl patroni create`, over
// src/patroni/patroniplanner. Passwords are typed here and handed to the run as secrets of
// this process (PGDECK_SECRET_<name>); they are never written by the wizard. On success the
// inventory file holds the new cluster; `inventoryChanged` asks the console to reload it.
class PatroniWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { ClusterPageId, MembersPageId, ReviewPageId, RunPageId };

    PatroniWizard(const Inventory &inventory, const QString &inventoryPath,
                  QWidget *parent = nullptr);

    // The spec as the pages describe it now; secret names are set for passwords typed.
    PatroniClusterSpec spec() const;
    // What the review page lists: the spec's own problems and a name the inventory holds.
    QStringList validationErrors() const;
    // The plan that runs: the planner's, after creating missing parent directories, with the
    // inventory write at the end when an inventory path is set.
    Plan plan() const;
    // Fills every page, for tests and for a console that already knows the answers.
    void setSpec(const PatroniClusterSpec &spec, const QString &superuserPassword,
                 const QString &replicationPassword, const QString &restPassword = {});

    const Inventory &inventory() const { return m_inventory; }
    QString inventoryPath() const { return m_inventoryPath; }
    // The secrets' names, fixed for this wizard: PATRONI_SU_xxxxxx and so on.
    QString superuserSecret() const { return m_superuserSecret; }
    QString replicationSecret() const { return m_replicationSecret; }
    QString restSecret() const { return m_restSecret; }
    // Puts the typed passwords into this process's environment for the run, or takes them out.
    void exportSecrets() const;
    void clearSecrets() const;

    PatroniClusterPage *clusterPage() const;
    PatroniMembersPage *membersPage() const;
    PatroniRunPage *runPage() const;

    void reject() override;

Q_SIGNALS:
    void inventoryChanged(const QString &path);

private:
    Inventory m_inventory;
    QString m_inventoryPath;
    QString m_superuserSecret;
    QString m_replicationSecret;
    QString m_restSecret;
};

} // namespace pgdeck
