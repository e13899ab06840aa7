#include "patroniwizard.h"

#include "patroniwizardpages.h"

#include "inventory/inventorywriter.h"
#include "patroni/patroniplanner.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QRandomGenerator>

#include <unistd.h>

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
    const Plan created = patroniCreatePlan(s);
    Plan plan(created.title(), created.cluster());
    for (auto it = created.nodes().cbegin(); it != created.nodes().cend(); ++it)
        plan.setNode(it.key(), it.value());
    // The planner's first check refuses a data directory whose parent is missing; the
    // default places (under the servers' user's home) usually are, so create them first.
    QStringList seen;
    int n = 0;
    for (const PatroniMemberSpec &m : s.members) {
        for (const QString &dir : {m.dataDir, m.configDirectory()}) {
            if (!QFileInfo(dir).isAbsolute())
                continue;
            const QString parent = QFileInfo(dir).path();
            const QString key = m.host.ssh + QLatin1Char('\n') + parent;
            if (seen.contains(key))
                continue;
            seen << key;
            // Root creates it for the servers' user, whose home may not exist yet.
            const bool asRoot = m.host.isLocal() && geteuid() == 0 && !m.host.runAs.isEmpty() &&
                                m.host.runAs != QLatin1String("root");
            const QStringList argv =
                asRoot ? QStringList{QStringLiteral("sh"),
                                     QStringLiteral("-c"),
                                     QStringLiteral("mkdir -p \"$1\" && chown \"$2\" \"$1\""),
                                     QStringLiteral("sh"),
                                     parent,
                                     m.host.runAs}
                       : QStringList{QStringLiteral("mkdir"), QStringLiteral("-p"), parent};
            PlanStep &step = plan.add(
                steps::command(QStringLiteral("parent-%1").arg(++n),
                               tr("Create %1 on %2 unless it exists")
                                   .arg(parent, asRoot ? tr("local (owned by %1)").arg(m.host.runAs)
                                                       : m.host.describe()),
                               asRoot ? HostTarget{} : m.host, argv));
            step.guard = steps::commandSucceeds(
                m.host, {QStringLiteral("test"), QStringLiteral("-d"), parent});
        }
    }
    for (const PlanStep &step : created.steps())
        plan.add(step);
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
