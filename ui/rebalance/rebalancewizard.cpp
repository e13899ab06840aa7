#include "rebalancewizard.h"

#include "moverunpage.h"
#include "movespage.h"
#include "workerspage.h"

#include <QMessageBox>

namespace pgdeck {

RebalanceWizard::RebalanceWizard(const ClusterSpec &cluster, Intent intent, QWidget *parent)
    : QWizard(parent)
    , m_cluster(cluster)
    , m_intent(intent)
{
    setObjectName(QStringLiteral("rebalanceWizard"));
    setWindowTitle(intent == Intent::AddWorkers ? tr("Add Workers — %1").arg(cluster.name)
                                                : tr("Rebalance Shards — %1").arg(cluster.name));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setPage(WorkersPageId, new WorkersPage(this));
    setPage(MovesPageId, new MovesPage(this));
    setPage(RunPageId, new MoveRunPage(this));
    resize(980, 700);
}

void RebalanceWizard::reject()
{
    auto *run = qobject_cast<MoveRunPage *>(page(RunPageId));
    if (run && run->isRunning()) {
        const auto answer = QMessageBox::question(
            this, windowTitle(),
            tr("Shards are moving. Stop after the current step? The run can be resumed later "
               "(pgdeckctl resume), or its unfinished moves undone (pgdeckctl rebalance "
               "--abort)."));
        if (answer != QMessageBox::Yes)
            return;
        run->cancel(); // the executor stops after the running step
        return;
    }
    QWizard::reject();
}

} // namespace pgdeck
