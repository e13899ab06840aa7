#include "promotedialog.h"

#include "inventory/inventorywriter.h"
#include "plan/planexecutor.h"
#include "plan/runbookwriter.h"
#include "sandbox/sandbox.h"
#include "sharding/asynclookup.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

QString red(const QString &text)
{
    return QStringLiteral("<span style='color:#c62828'>%1</span>").arg(text.toHtmlEscaped());
}

} // namespace

PromoteDialog::PromoteDialog(const Inventory &inventory, const QString &inventoryPath,
                             const QString &cluster, QWidget *parent)
    : QDialog(parent)
    , m_inventory(inventory)
    , m_inventoryPath(inventoryPath)
{
    for (int i = 0; i < m_inventory.clusters.size(); ++i)
        if (m_inventory.clusters[i].name == cluster)
            m_clusterIndex = i;
    const ClusterSpec &c = m_inventory.clusters[m_clusterIndex];
    setObjectName(QStringLiteral("promoteDialog"));
    setWindowTitle(tr("Promote a Standby — %1").arg(c.name));
    m_candidate = new QComboBox;
    m_candidate->setObjectName(QStringLiteral("candidateCombo"));
    QString owner;
    for (const NodeSpec &n : c.nodes) {
        if (n.role == QLatin1String("standby"))
            m_candidate->addItem(n.name);
        if (owner.isEmpty() && !n.dataDir.isEmpty() && n.ssh.isEmpty())
            owner = QFileInfo(n.dataDir).owner();
    }
    m_runAs = new QLineEdit(owner);
    m_runAs->setObjectName(QStringLiteral("runAsEdit"));
    m_rewind = new QCheckBox(tr("Bring the old primary back as a standby (pg_rewind)"));
    m_rewind->setChecked(true);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("promoteSummary"));
    m_summary->setWordWrap(true);
    m_plan = new QPlainTextEdit;
    m_plan->setObjectName(QStringLiteral("promotePlan"));
    m_plan->setReadOnly(true);
    m_plan->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_plan->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_progress = new QProgressBar;
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_promote = buttons->addButton(tr("&Promote"), QDialogButtonBox::AcceptRole);
    m_promote->setObjectName(QStringLiteral("promoteButton"));
    m_promote->setEnabled(false);
    auto *form = new QFormLayout;
    form->addRow(tr("Standby to promote:"), m_candidate);
    form->addRow(tr("Servers' OS user:"), m_runAs);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_rewind);
    layout->addWidget(m_summary);
    layout->addWidget(m_plan, 1);
    layout->addWidget(m_progress);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &PromoteDialog::reject);
    connect(m_promote, &QPushButton::clicked, this, &PromoteDialog::promote);
    connect(m_candidate, &QComboBox::currentTextChanged, this, &PromoteDialog::review);
    connect(m_rewind, &QCheckBox::toggled, this, &PromoteDialog::review);
    connect(m_runAs, &QLineEdit::editingFinished, this, &PromoteDialog::review);
    resize(860, 560);
    if (m_candidate->count() == 0)
        m_summary->setText(red(tr("Cluster %1 has no standby to promote.").arg(c.name)));
    else
        review();
}

void PromoteDialog::review()
{
    m_promote->setEnabled(false);
    m_plan->clear();
    m_reviewing = true;
    m_spec = PromoteSpec{};
    m_spec.candidate = m_candidate->currentText();
    m_spec.runAs = m_runAs->text().trimmed();
    QString error;
    m_spec.binDir = Sandbox::findBinDir(&error);
    m_spec.rewindOldPrimary = m_rewind->isChecked();
    m_summary->setText(tr("Asking the servers about %1…").arg(m_spec.candidate));
    const int generation = ++m_generation;
    const ClusterSpec cluster = m_inventory.clusters[m_clusterIndex];
    const PromoteSpec spec = m_spec;
    runLookup(
        this, [cluster, spec] { return reviewPromote(cluster, spec); },
        [this, generation](const PromoteReview &r) {
            if (generation != m_generation)
                return;
            m_reviewing = false;
            m_review = r;
            QStringList lines;
            for (const QString &e : r.errors)
                lines << red(e);
            for (const QString &w : r.warnings)
                lines << w.toHtmlEscaped();
            if (!r.ok()) {
                m_summary->setText(lines.join(QStringLiteral("<br>")));
                return;
            }
            lines.prepend(
                (r.oldPrimaryUp
                     ? tr("<b>Switchover</b>: %1 stops first, so no committed write is lost; %2 "
                          "is %3 bytes behind it.")
                           .arg(r.oldPrimary, m_spec.candidate)
                           .arg(r.candidateLagBytes)
                     : tr("<b>Failover</b>: %1 does not answer.").arg(r.oldPrimary)));
            m_summary->setText(lines.join(QStringLiteral("<br>")));
            m_plan->setPlainText(RunbookWriter::toText(planWithInventory()));
            m_promote->setEnabled(true);
        });
}

Plan PromoteDialog::planWithInventory() const
{
    const ClusterSpec &cluster = m_inventory.clusters[m_clusterIndex];
    Plan plan = promotePlan(cluster, m_spec, m_review);
    Inventory after = m_inventory;
    after.clusters[m_clusterIndex] = promotedCluster(cluster, m_spec, m_review);
    plan.add(steps::writeFile(QStringLiteral("inventory"),
                              tr("Record the new roles in %1").arg(m_inventoryPath), HostTarget{},
                              QFileInfo(m_inventoryPath).absoluteFilePath(),
                              QString::fromUtf8(InventoryWriter::toYaml(after)), 0644));
    return plan;
}

bool PromoteDialog::isRunning() const
{
    return m_executor && m_executor->isRunning();
}

void PromoteDialog::promote()
{
    m_promote->setEnabled(false);
    m_candidate->setEnabled(false);
    delete m_executor;
    m_executor = new PlanExecutor(this);
    connect(m_executor, &PlanExecutor::progress, m_progress, &QProgressBar::setValue);
    connect(m_executor, &PlanExecutor::stepStarted, this,
            [this](int, int, const QString &title) { m_summary->setText(title); });
    connect(m_executor, &PlanExecutor::finished, this, [this](bool ok, const QString &summary) {
        m_succeeded = ok;
        m_summary->setText(
            ok ? tr("%1 is the primary; the inventory records the new roles.").arg(m_spec.candidate)
               : red(summary));
        if (ok)
            Q_EMIT inventoryChanged();
    });
    QString error;
    if (!m_executor->start(planWithInventory(), &error))
        m_summary->setText(red(error));
}

void PromoteDialog::reject()
{
    if (isRunning()) {
        QMessageBox::information(this, windowTitle(),
                                 tr("The promotion is running; it cannot be left halfway from "
                                    "here. Wait for it to finish."));
        return;
    }
    QDialog::reject();
}

} // namespace pgdeck
