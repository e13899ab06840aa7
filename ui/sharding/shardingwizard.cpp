#include "shardingwizard.h"

#include "coordinatorpage.h"
#include "previewpage.h"
#include "runpage.h"
#include "sharding/shardingbackend.h"
#include "strategypage.h"
#include "tablepage.h"

namespace pgdeck {

ShardingWizard::ShardingWizard(const ClusterSpec &cluster, QWidget *parent)
    : QWizard(parent)
    , m_cluster(cluster)
{
    setObjectName(QStringLiteral("shardingWizard"));
    setWindowTitle(tr("Shard a Table — %1").arg(cluster.name));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    m_spec.cluster = cluster.name;
    setPage(CoordinatorPageId, new CoordinatorPage(this));
    setPage(TablePageId, new TablePage(this));
    setPage(StrategyPageId, new StrategyPage(this));
    setPage(PreviewPageId, new PreviewPage(this));
    setPage(RunPageId, new RunPage(this));
    setStartId(CoordinatorPageId);
    resize(900, 640);
}

ShardingWizard::~ShardingWizard() = default;

void ShardingWizard::setCoordinator(const QString &name, const ConnectionParams &params,
                                    std::shared_ptr<const ShardingBackend> backend)
{
    m_coordinatorName = name;
    m_coordinatorParams = params;
    m_backend = std::move(backend);
}

void ShardingWizard::reject()
{
    if (auto *run = qobject_cast<RunPage *>(page(RunPageId)); run && run->isRunning()) {
        run->cancel(); // the executor stops after the running step; the journal keeps where
        return;        // it stopped, and the wizard closes once it has
    }
    QWizard::reject();
}

} // namespace pgdeck
