#include "patroniwizard.h"

#include "patronirunpage.h"
#include "patroniwizardpages.h"

#include "inventory/inventorywriter.h"
#include "patroni/patroniplanner.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QRandomGenerator>

namespace pgdeck {

namespace {

// Secret names differ per wizard, so two wizards (or a wizard and pgdeckctl) running at the
// same time never read each other's passwords from the environment.
QString randomSuffix()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    QString s;
    for (int i = 0; i < 6; ++i)
        s += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet) - 1)]);
    return s;
}

void setSecret(const QString &name, const QString &value)
{
    if (name.isEmpty())
        return;
    const QByteArray var = QStringLiteral("PGDECK_SECRET_%1").arg(name).toLocal8Bit();
    if (value.isEmpty())
        qunsetenv(var.constData());
    else
        qputenv(var.constData(), value.toUtf8());
}

} // namespace

PatroniWizard::PatroniWizard(const Inventory &inventory, const QString &inventoryPath,
                             QWidget *parent)
    : QWizard(parent)
    , m_inventory(inventory)
    , m_inventoryPath(inventoryPath)
{
    const QString suffix = randomSuffix();
    m_superuserSecret = QStringLiteral("PATRONI_SU_") + suffix;
    m_replicationSecret = QStringLiteral("PATRONI_REPL_") + suffix;
    m_restSecret = QStringLiteral("PATRONI_REST_") + suffix;

    setObjectName(QStringLiteral("patroniWizard"));
    setWindowTitle(tr("Create a Patroni Cluster"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setPage(ClusterPageId, new PatroniClusterPage(this));
    setPage(MembersPageId, new PatroniMembersPage(this));
    setPage(ReviewPageId, new PatroniReviewPage(this));
    setPage(RunPageId, new PatroniRunPage(this));
    resize(980, 720);
}

PatroniClusterPage *PatroniWizard::clusterPage() const
{
    return qobject_cast<PatroniClusterPage *>(page(ClusterPageId));
}

PatroniMembersPage *PatroniWizard::membersPage() const
{
    return qobject_cast<PatroniMembersPage *>(page(MembersPageId));
}

PatroniRunPage *PatroniWizard::runPage() const
{
    return qobject_cast<PatroniRunPage *>(page(RunPageId));
}

PatroniClusterSpec PatroniWizard::spec() const
{
    PatroniClusterSpec s;
    clusterPage()->apply(&s);
    membersPage()->apply(&s);
    // Only passwords actually typed get a secret: validatePatroniSpec reports missing ones.
    if (!membersPage()->superuserPassword().isEmpty())
        s.superuserSecret = m_superuserSecret;
    if (!membersPage()->replicationPassword().isEmpty())
        s.replicationSecret = m_replicationSecret;
    if (!s.restUser.isEmpty() && !membersPage()->restPassword().isEmpty())
        s.restSecret = m_restSecret;
    return s;
}

QStringList PatroniWizard::validationErrors() const
{
    const PatroniClusterSpec s = spec();
    QStringList errors = validatePatroniSpec(s);
    if (m_inventory.cluster(s.scope))
        errors << tr("cluster %1 is already in the inventory%2: choose another name")
                      .arg(s.scope, m_inventoryPath.isEmpty()
                                        ? QString()
                                        : QStringLiteral(" (%1)").arg(m_inventoryPath));
    if (!s.restUser.isEmpty() && s.restSecret.isEmpty())
        errors << tr("the REST API user %1 needs a password").arg(s.restUser);
    return errors;
}

Plan PatroniWizard::plan() const
{
    const PatroniClusterSpec s = spec();
    // Missing parent directories are fine: the planner's checks look for the nearest one
    // that exists, and initdb, pg_basebackup and mkdir -p create the rest.
    Plan plan = patroniCreatePlan(s);
    if (!m_inventoryPath.isEmpty()) {
        // The new cluster joins the inventory as the last step, as pgdeckctl does it.
        Inventory after = m_inventory;
        after.clusters << patroniInventoryCluster(s);
        plan.add(steps::writeFile(QStringLiteral("inventory"),
                                  tr("Add cluster %1 to %2").arg(s.scope, m_inventoryPath),
                                  HostTarget{}, QFileInfo(m_inventoryPath).absoluteFilePath(),
                                  QString::fromUtf8(InventoryWriter::toYaml(after)), 0644));
    }
    return plan;
}

void PatroniWizard::setSpec(const PatroniClusterSpec &spec, const QString &superuserPassword,
                            const QString &replicationPassword, const QString &restPassword)
{
    clusterPage()->load(spec);
    membersPage()->load(spec, superuserPassword, replicationPassword, restPassword);
}

void PatroniWizard::exportSecrets() const
{
    setSecret(m_superuserSecret, membersPage()->superuserPassword());
    setSecret(m_replicationSecret, membersPage()->replicationPassword());
    setSecret(m_restSecret, membersPage()->restPassword());
}

void PatroniWizard::clearSecrets() const
{
    for (const QString &name : {m_superuserSecret, m_replicationSecret, m_restSecret})
        setSecret(name, QString());
}

void PatroniWizard::reject()
{
    PatroniRunPage *run = runPage();
    if (run && run->isRunning()) {
        if (QMessageBox::question(this, windowTitle(),
                                  tr("The cluster is being created. Stop after the current "
                                     "step? The run can be resumed later.")) == QMessageBox::Yes)
            run->cancel();
        return;
    }
    QWizard::reject();
}

} // namespace pgdeck
