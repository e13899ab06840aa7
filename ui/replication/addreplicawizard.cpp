#include "addreplicawizard.h"

#include "inventory/inventorywriter.h"
#include "pg/pgconnection.h"
#include "plan/planexecutor.h"
#include "plan/runbookwriter.h"
#include "replication/basebackupwatcher.h"
#include "replication/replicaplanner.h"
#include "sandbox/sandbox.h"
#include "sharding/asynclookup.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pgdeck {

namespace {

const QString kSecret = QStringLiteral("REPLICATION_PASSWORD");

QString red(const QString &text)
{
    return QStringLiteral("<span style='color:#c62828'>%1</span>").arg(text.toHtmlEscaped());
}

} // namespace

AddReplicaWizard::AddReplicaWizard(const Inventory &inventory, const QString &inventoryPath,
                                   const QString &cluster, QWidget *parent)
    : QWizard(parent)
    , m_inventory(inventory)
    , m_inventoryPath(inventoryPath)
{
    for (int i = 0; i < m_inventory.clusters.size(); ++i)
        if (m_inventory.clusters[i].name == cluster)
            m_clusterIndex = i;
    setObjectName(QStringLiteral("addReplicaWizard"));
    setWindowTitle(tr("Add a Replica — %1").arg(this->cluster().name));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setPage(TargetPageId, new ReplicaTargetPage(this));
    setPage(CheckPageId, new ReplicaCheckPage(this));
    setPage(RunPageId, new ReplicaRunPage(this));
    resize(900, 680);
}

Plan AddReplicaWizard::planWithInventory() const
{
    Plan plan = m_plan;
    Inventory after = m_inventory;
    ClusterSpec &c = after.clusters[m_clusterIndex];
    c.nodes << replicaNode(m_spec, *c.node(m_spec.primary));
    plan.add(steps::writeFile(QStringLiteral("inventory"),
                              tr("Add %1 to %2").arg(m_spec.name, m_inventoryPath), HostTarget{},
                              QFileInfo(m_inventoryPath).absoluteFilePath(),
                              QString::fromUtf8(InventoryWriter::toYaml(after)), 0644));
    return plan;
}

void AddReplicaWizard::reject()
{
    auto *run = qobject_cast<ReplicaRunPage *>(page(RunPageId));
    if (run && run->isRunning()) {
        if (QMessageBox::question(this, windowTitle(),
                                  tr("The replica is being built. Stop after the current step? "
                                     "The run can be resumed later (pgdeckctl resume).")) ==
            QMessageBox::Yes)
            run->cancel();
        return;
    }
    QWizard::reject();
}

// --- target -----------------------------------------------------------------------------

ReplicaTargetPage::ReplicaTargetPage(AddReplicaWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("replicaTargetPage"));
    setTitle(tr("Where the replica goes"));
    setSubTitle(tr("The replica copies the primary with pg_basebackup and streams from it. Its "
                   "host is this machine, or one you reach with ssh (your own ssh config and "
                   "agent)."));
    const ClusterSpec &c = wizard->cluster();
    m_primary = new QComboBox;
    m_primary->setObjectName(QStringLiteral("primaryCombo"));
    for (const NodeSpec &n : c.nodes)
        if (n.role == QLatin1String("primary"))
            m_primary->addItem(n.name);
    auto edit = [this](const QString &name, const QString &text = {}) {
        auto *e = new QLineEdit(text);
        e->setObjectName(name);
        connect(e, &QLineEdit::textChanged, this, &ReplicaTargetPage::completeChanged);
        return e;
    };
    QString name;
    for (int i = 1; name.isEmpty() || c.node(name); ++i)
        name = QStringLiteral("replica%1").arg(i);
    const NodeSpec *primary = c.node(m_primary->currentText());
    const QString parent = primary && !primary->dataDir.isEmpty()
                               ? QFileInfo(primary->dataDir).absolutePath()
                               : QString();
    int port = primary && primary->port ? primary->port + 10 : 5433;
    for (const NodeSpec &n : c.nodes)
        if (n.port >= port)
            port = n.port + 1;
    QString error;
    m_name = edit(QStringLiteral("nameEdit"), name);
    m_host = edit(QStringLiteral("hostEdit"));
    m_host->setPlaceholderText(tr("this machine"));
    m_runAs =
        edit(QStringLiteral("runAsEdit"), parent.isEmpty() ? QString() : QFileInfo(parent).owner());
    m_address = edit(QStringLiteral("addressEdit"), QStringLiteral("127.0.0.1"));
    m_dataDir = edit(QStringLiteral("dataDirEdit"),
                     parent.isEmpty() ? QString() : parent + QLatin1Char('/') + name);
    m_port = new QSpinBox;
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setRange(1, 65535);
    m_port->setValue(port);
    m_slot = edit(QStringLiteral("slotEdit"));
    m_slot->setPlaceholderText(tr("pgdeck_<name>"));
    m_user = edit(QStringLiteral("userEdit"), QStringLiteral("replicator"));
    m_password = edit(QStringLiteral("passwordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("none (trust or certificates)"));
    m_binDir = edit(QStringLiteral("binDirEdit"), Sandbox::findBinDir(&error));
    m_allowRestart = new QCheckBox(tr("Fixes may restart the primary (wal_level, WAL senders, "
                                      "slots, listen_addresses need one)"));
    m_allowRestart->setObjectName(QStringLiteral("allowRestartCheck"));
    m_errors = new QLabel;
    m_errors->setObjectName(QStringLiteral("targetErrors"));
    m_errors->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Primary:"), m_primary);
    form->addRow(tr("New node's name:"), m_name);
    form->addRow(tr("Host (ssh):"), m_host);
    form->addRow(tr("Run as OS user:"), m_runAs);
    form->addRow(tr("Listens on address:"), m_address);
    form->addRow(tr("Port:"), m_port);
    form->addRow(tr("Data directory:"), m_dataDir);
    form->addRow(tr("Replication slot:"), m_slot);
    form->addRow(tr("Replication role:"), m_user);
    form->addRow(tr("Its password:"), m_password);
    form->addRow(tr("PostgreSQL bin directory:"), m_binDir);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_allowRestart);
    layout->addWidget(m_errors, 1);
}

QLineEdit *ReplicaTargetPage::field(const QString &name) const
{
    return findChild<QLineEdit *>(name);
}

bool ReplicaTargetPage::isComplete() const
{
    return m_primary->count() > 0 && !m_name->text().isEmpty() && !m_dataDir->text().isEmpty();
}

bool ReplicaTargetPage::validatePage()
{
    ReplicaSpec &s = m_wizard->spec();
    s = ReplicaSpec{};
    s.primary = m_primary->currentText();
    s.name = m_name->text().trimmed();
    s.host = HostTarget{m_host->text().trimmed(), m_runAs->text().trimmed()};
    s.address = m_address->text().trimmed();
    s.dataDir = m_dataDir->text().trimmed();
    s.port = m_port->value();
    s.slot = m_slot->text().trimmed();
    s.replicationUser = m_user->text().trimmed();
    s.binDir = m_binDir->text().trimmed();
    s.allowRestart = m_allowRestart->isChecked();
    m_wizard->password = m_password->text();
    s.passwordSecret = m_wizard->password.isEmpty() ? QString() : kSecret;
    const QStringList errors = validateReplicaSpec(s, m_wizard->cluster());
    QStringList lines;
    for (const QString &e : errors)
        lines << red(e);
    m_errors->setText(lines.join(QStringLiteral("<br>")));
    return errors.isEmpty();
}

// --- checks -----------------------------------------------------------------------------

ReplicaCheckPage::ReplicaCheckPage(AddReplicaWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("replicaCheckPage"));
    setTitle(tr("The primary"));
    setSubTitle(tr("Nothing has changed yet. What the primary lacks is fixed by the first steps "
                   "of the Plan."));
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("checkSummary"));
    m_summary->setWordWrap(true);
    m_findings = new QTreeWidget;
    m_findings->setObjectName(QStringLiteral("findingsTree"));
    m_findings->setRootIsDecorated(false);
    m_findings->setHeaderLabels({tr(""), tr("Setting"), tr("Finding")});
    m_findings->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_plan = new QPlainTextEdit;
    m_plan->setObjectName(QStringLiteral("replicaPlan"));
    m_plan->setReadOnly(true);
    m_plan->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_plan->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_findings, 2);
    layout->addWidget(m_plan, 3);
}

void ReplicaCheckPage::initializePage()
{
    m_findings->clear();
    m_plan->clear();
    m_ok = false;
    m_checking = true;
    m_summary->setText(tr("Reading %1's settings…").arg(m_wizard->spec().primary));
    Q_EMIT completeChanged();
    const int generation = ++m_generation;
    const ReplicaSpec spec = m_wizard->spec();
    const NodeSpec primary = *m_wizard->cluster().node(spec.primary);
    runLookup(
        this,
        [spec, primary] {
            QString error;
            PrimaryReadiness r;
            const auto conn =
                openLookupConnection(ConnectionParams::fromNode(primary), primary.name, &error);
            if (!conn)
                r.error = QStringLiteral("%1 not reachable: %2").arg(primary.name, error);
            else
                r = checkPrimary(*conn, spec, primary.host);
            return r;
        },
        [this, generation](const PrimaryReadiness &r) {
            if (generation == m_generation)
                present(r);
        });
}

void ReplicaCheckPage::present(const PrimaryReadiness &r)
{
    m_checking = false;
    if (!r.error.isEmpty()) {
        m_summary->setText(red(r.error));
        Q_EMIT completeChanged();
        return;
    }
    int fixes = 0;
    for (const PrimaryFinding &f : r.findings) {
        auto *item = new QTreeWidgetItem(m_findings);
        const bool ok = f.severity == PrimaryFinding::Severity::Ok;
        item->setText(0, ok                                                ? QStringLiteral("✔")
                         : f.severity == PrimaryFinding::Severity::Warning ? QStringLiteral("!")
                                                                           : QStringLiteral("✚"));
        item->setForeground(0, ok ? QColor(0x2e, 0x7d, 0x32) : QColor(0xef, 0x6c, 0x00));
        item->setText(1, f.setting);
        item->setText(2, f.message + (!ok && f.needsRestart ? tr(" Fixing it restarts the primary.")
                                                            : QString()));
        fixes += ok ? 0 : 1;
    }
    m_findings->resizeColumnToContents(0);
    m_findings->resizeColumnToContents(1);
    const QStringList refusals = r.refusals(m_wizard->spec().allowRestart);
    if (!refusals.isEmpty()) {
        QStringList lines;
        for (const QString &x : refusals)
            lines << red(x);
        m_summary->setText(lines.join(QStringLiteral("<br>")));
        Q_EMIT completeChanged();
        return;
    }
    m_wizard->plan() = addReplicaPlan(m_wizard->spec(), m_wizard->cluster(), r);
    const Plan plan = m_wizard->planWithInventory();
    m_plan->setPlainText(RunbookWriter::toText(plan));
    m_summary->setText(fixes == 0 ? tr("%1 is ready for a new standby. %2 steps follow.")
                                        .arg(m_wizard->spec().primary)
                                        .arg(plan.steps().size())
                                  : tr("%n finding(s) on %1 are fixed by the Plan's first steps; "
                                       "%2 steps in all.",
                                       nullptr, fixes)
                                        .arg(m_wizard->spec().primary)
                                        .arg(plan.steps().size()));
    m_ok = true;
    Q_EMIT completeChanged();
}

bool ReplicaCheckPage::isComplete() const
{
    return !m_checking && m_ok;
}

// --- run --------------------------------------------------------------------------------

ReplicaRunPage::ReplicaRunPage(AddReplicaWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("replicaRunPage"));
    setTitle(tr("Build the replica"));
    setSubTitle(tr("Each step is journaled: a stopped run resumes where it stopped (pgdeckctl "
                   "resume). A non-empty data directory is never overwritten."));
    m_status = new QLabel(tr("Ready."));
    m_status->setObjectName(QStringLiteral("replicaRunStatus"));
    m_status->setWordWrap(true);
    m_steps = new QProgressBar;
    m_steps->setObjectName(QStringLiteral("stepsProgress"));
    m_copyLabel = new QLabel(tr("Copy (pg_basebackup, as the primary reports it):"));
    m_copy = new QProgressBar;
    m_copy->setObjectName(QStringLiteral("copyProgress"));
    m_copy->setFormat(QStringLiteral("%p %"));
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_run = new QPushButton(tr("&Run"));
    m_run->setObjectName(QStringLiteral("runButton"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_steps);
    layout->addWidget(m_copyLabel);
    layout->addWidget(m_copy);
    layout->addWidget(m_log, 1);
    layout->addWidget(m_run, 0, Qt::AlignLeft);
    connect(m_run, &QPushButton::clicked, this, &ReplicaRunPage::run);
}

void ReplicaRunPage::initializePage()
{
    m_steps->setValue(0);
    m_copy->setValue(0);
    m_succeeded = false;
    m_run->setEnabled(true);
    m_status->setText(tr("Press Run to build %1.").arg(m_wizard->spec().name));
}

bool ReplicaRunPage::isRunning() const
{
    return m_executor && m_executor->isRunning();
}

int ReplicaRunPage::copyPercent() const
{
    return m_copy->value();
}

void ReplicaRunPage::run()
{
    const Plan plan = m_wizard->planWithInventory();
    const ReplicaSpec &spec = m_wizard->spec();
    // The password reaches the Plan's steps as a secret of this process only.
    if (!spec.passwordSecret.isEmpty())
        qputenv(qPrintable(QStringLiteral("PGDECK_SECRET_") + spec.passwordSecret),
                m_wizard->password.toUtf8());
    delete m_executor;
    m_executor = new PlanExecutor(this);
    delete m_watcher;
    m_watcher = new BasebackupWatcher(
        ConnectionParams::fromNode(*m_wizard->cluster().node(spec.primary)), spec.name, this);
    connect(m_watcher, &BasebackupWatcher::progress, this, [this](const BasebackupProgress &p) {
        ++m_progressEvents;
        m_copyLabel->setText(tr("Copy: %1").arg(BasebackupWatcher::describe(p)));
        if (p.total > 0)
            m_copy->setValue(int(qMin<qint64>(100, p.streamed * 100 / p.total)));
    });
    connect(m_executor, &PlanExecutor::stepStarted, this,
            [this](int, int, const QString &title) { m_status->setText(title); });
    connect(m_executor, &PlanExecutor::stepFinished, this,
            [this, plan](int index, PlanExecutor::StepOutcome outcome, const QString &) {
                if (plan.steps().value(index).id == QLatin1String("basebackup") &&
                    outcome != PlanExecutor::StepOutcome::Failed) {
                    m_copy->setValue(100);
                    m_copyLabel->setText(tr("Copy: done"));
                }
            });
    connect(m_executor, &PlanExecutor::progress, m_steps, &QProgressBar::setValue);
    connect(m_executor, &PlanExecutor::output, m_log, &QPlainTextEdit::appendPlainText);
    connect(m_executor, &PlanExecutor::finished, this, [this](bool ok, const QString &summary) {
        m_watcher->stop();
        m_succeeded = ok;
        const QString name = m_wizard->spec().name, primary = m_wizard->spec().primary;
        if (!m_wizard->spec().passwordSecret.isEmpty())
            qunsetenv(
                qPrintable(QStringLiteral("PGDECK_SECRET_") + m_wizard->spec().passwordSecret));
        m_status->setText(ok ? tr("%1 streams from %2 and is in the inventory.").arg(name, primary)
                             : red(summary));
        if (ok)
            Q_EMIT m_wizard->inventoryChanged(QString());
        Q_EMIT completeChanged();
    });
    QString error;
    if (!m_executor->start(plan, &error)) {
        m_status->setText(red(error));
        return;
    }
    m_watcher->start(250);
    m_run->setEnabled(false);
    Q_EMIT completeChanged();
}

void ReplicaRunPage::cancel()
{
    if (m_executor)
        m_executor->cancel();
}

QString ReplicaRunPage::logText() const
{
    return m_log->toPlainText();
}

} // namespace pgdeck
