#include "patroniwizardpages.h"

#include "patroniwizard.h"

#include "patroni/patroniconfig.h"
#include "plan/planexecutor.h"
#include "plan/runbookwriter.h"
#include "sandbox/sandbox.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTcpServer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <pwd.h>
#include <unistd.h>

namespace pgdeck {

namespace {

QString red(const QString &text)
{
    return QStringLiteral("<span style='color:#c62828'>%1</span>").arg(text.toHtmlEscaped());
}

QString homeOf(const QString &user)
{
    const passwd *pw = getpwnam(user.toLocal8Bit().constData());
    return pw && pw->pw_dir ? QString::fromLocal8Bit(pw->pw_dir) : QString();
}

// A port nobody listens on here right now, so the defaults look free; the plan's first
// steps check again on each host.
int freeLookingPort(int from, const QList<int> &taken)
{
    for (int port = from; port < from + 100; ++port) {
        if (taken.contains(port))
            continue;
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, quint16(port)))
            return port;
    }
    return from;
}

QLineEdit *lineEdit(const QString &name, const QString &accessible, const QString &text = {})
{
    auto *e = new QLineEdit(text);
    e->setObjectName(name);
    e->setAccessibleName(accessible);
    return e;
}

} // namespace

QPlainTextEdit *readOnlyCodeView(const QString &name, const QString &accessible)
{
    auto *v = new QPlainTextEdit;
    v->setObjectName(name);
    v->setAccessibleName(accessible);
    v->setReadOnly(true);
    v->setLineWrapMode(QPlainTextEdit::NoWrap);
    v->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return v;
}

// --- cluster ----------------------------------------------------------------------------

PatroniClusterPage::PatroniClusterPage(PatroniWizard *wizard)
{
    setObjectName(QStringLiteral("patroniClusterPage"));
    setTitle(tr("The cluster"));
    setSubTitle(tr("Patroni runs next to each PostgreSQL server and keeps one of them the "
                   "leader. The members agree through a distributed store: an etcd you run, or "
                   "Patroni's own raft."));
    QString scope = QStringLiteral("pgha");
    for (int i = 2; wizard->inventory().cluster(scope); ++i)
        scope = QStringLiteral("pgha%1").arg(i);
    m_scope = lineEdit(QStringLiteral("scopeEdit"), tr("Cluster name"), scope);
    registerField(QStringLiteral("scope*"), m_scope);

    m_etcd = new QRadioButton(tr("etcd (v3 API)"));
    m_etcd->setObjectName(QStringLiteral("etcdRadio"));
    m_etcd->setChecked(true);
    m_raft = new QRadioButton(tr("raft, built into Patroni"));
    m_raft->setObjectName(QStringLiteral("raftRadio"));
    m_etcdHosts = lineEdit(QStringLiteral("etcdHostsEdit"), tr("etcd hosts"),
                           QStringLiteral("127.0.0.1:2379"));
    m_etcdHosts->setPlaceholderText(tr("host:port, comma separated"));
    m_raftNote = new QLabel(tr("Raft needs a majority of its members: with three members the "
                               "cluster survives one failure, with two it survives none."));
    m_raftNote->setWordWrap(true);
    m_raftNote->setEnabled(false);
    auto *dcs = new QButtonGroup(this);
    dcs->addButton(m_etcd);
    dcs->addButton(m_raft);
    connect(m_etcd, &QRadioButton::toggled, m_etcdHosts, &QLineEdit::setEnabled);
    connect(m_raft, &QRadioButton::toggled, m_raftNote, &QLabel::setEnabled);

    m_process = new QRadioButton(tr("a process started by pgdeck (pid file beside patroni.yml)"));
    m_process->setObjectName(QStringLiteral("processRadio"));
    m_process->setChecked(true);
    m_systemd = new QRadioButton(tr("a systemd unit (needs root on the host)"));
    m_systemd->setObjectName(QStringLiteral("systemdRadio"));
    auto *start = new QButtonGroup(this);
    start->addButton(m_process);
    start->addButton(m_systemd);

    m_osUser = lineEdit(QStringLiteral("osUserEdit"), tr("OS user"), defaultOsUser());
    QString error;
    m_binDir = lineEdit(QStringLiteral("binDirEdit"), tr("PostgreSQL bin directory"),
                        Sandbox::findBinDir(&error));
    m_loopWait = new QSpinBox;
    m_loopWait->setObjectName(QStringLiteral("loopWaitSpin"));
    m_loopWait->setAccessibleName(tr("loop_wait in seconds"));
    m_loopWait->setRange(1, 300);
    m_loopWait->setValue(PatroniClusterSpec{}.loopWait);
    m_loopWait->setSuffix(tr(" s"));

    auto *dcsBox = new QVBoxLayout;
    dcsBox->addWidget(m_etcd);
    auto *hosts = new QFormLayout;
    hosts->setContentsMargins(24, 0, 0, 0);
    hosts->addRow(tr("Hosts:"), m_etcdHosts);
    dcsBox->addLayout(hosts);
    dcsBox->addWidget(m_raft);
    auto *note = new QHBoxLayout;
    note->setContentsMargins(24, 0, 0, 0);
    note->addWidget(m_raftNote);
    dcsBox->addLayout(note);
    auto *startBox = new QVBoxLayout;
    startBox->addWidget(m_process);
    startBox->addWidget(m_systemd);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Cluster name (scope):"), m_scope);
    form->addRow(tr("Distributed store:"), dcsBox);
    form->addRow(tr("Start Patroni as:"), startBox);
    form->addRow(tr("Run as OS user:"), m_osUser);
    form->addRow(tr("PostgreSQL bin directory:"), m_binDir);
    form->addRow(tr("Loop wait (loop_wait):"), m_loopWait);
    auto *timing = new QLabel(tr("Patroni checks the cluster every loop_wait seconds; the "
                                 "leader key lives max(30, 3 × loop_wait) seconds."));
    timing->setWordWrap(true);
    form->addRow(QString(), timing);
}

QString PatroniClusterPage::defaultOsUser()
{
    if (geteuid() == 0 && getpwnam("pgdeck"))
        return QStringLiteral("pgdeck");
    return QStringLiteral("postgres");
}

QString PatroniClusterPage::scope() const
{
    return m_scope->text().trimmed();
}

QString PatroniClusterPage::osUser() const
{
    return m_osUser->text().trimmed();
}

bool PatroniClusterPage::isRaft() const
{
    return m_raft->isChecked();
}

void PatroniClusterPage::apply(PatroniClusterSpec *spec) const
{
    spec->scope = scope();
    spec->dcs = isRaft() ? PatroniClusterSpec::Dcs::Raft : PatroniClusterSpec::Dcs::Etcd3;
    spec->etcdHosts.clear();
    if (!isRaft())
        for (const QString &h : m_etcdHosts->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!h.trimmed().isEmpty())
                spec->etcdHosts << h.trimmed();
    spec->start = m_systemd->isChecked() ? PatroniClusterSpec::Start::Systemd
                                         : PatroniClusterSpec::Start::Process;
    spec->binDir = m_binDir->text().trimmed();
    // As pgdeckctl's --loop-wait: the leader key outlives three loops, retries take one.
    spec->loopWait = m_loopWait->value();
    spec->ttl = qMax(PatroniClusterSpec{}.ttl, 3 * spec->loopWait);
    spec->retryTimeout = spec->loopWait;
}

void PatroniClusterPage::load(const PatroniClusterSpec &spec)
{
    m_scope->setText(spec.scope);
    (spec.dcs == PatroniClusterSpec::Dcs::Raft ? m_raft : m_etcd)->setChecked(true);
    m_etcdHosts->setText(spec.etcdHosts.join(QStringLiteral(", ")));
    (spec.start == PatroniClusterSpec::Start::Systemd ? m_systemd : m_process)->setChecked(true);
    if (!spec.members.isEmpty())
        m_osUser->setText(spec.members.first().host.runAs);
    m_binDir->setText(spec.binDir);
    m_loopWait->setValue(spec.loopWait);
}

// --- members ----------------------------------------------------------------------------

PatroniMembersPage::PatroniMembersPage(PatroniWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("patroniMembersPage"));
    setTitle(tr("The members"));
    setSubTitle(tr("The first member creates the database; the others copy it and follow. "
                   "An empty SSH host means this machine."));
    m_table = new QTableWidget(0, ColumnCount);
    m_table->setObjectName(QStringLiteral("membersTable"));
    m_table->setAccessibleName(tr("Members"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("SSH host"), tr("Address"),
                                        tr("PostgreSQL port"), tr("REST port"), tr("Raft port"),
                                        tr("Data directory")});
    m_table->horizontalHeader()->setSectionResizeMode(DataDirColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_add = new QPushButton(tr("&Add member"));
    m_add->setObjectName(QStringLiteral("addMemberButton"));
    m_remove = new QPushButton(tr("&Remove"));
    m_remove->setObjectName(QStringLiteral("removeMemberButton"));
    connect(m_add, &QPushButton::clicked, this, &PatroniMembersPage::addMember);
    connect(m_remove, &QPushButton::clicked, this, &PatroniMembersPage::removeSelected);

    m_superuserPassword =
        lineEdit(QStringLiteral("superuserPasswordEdit"), tr("Superuser password"));
    m_replicationPassword =
        lineEdit(QStringLiteral("replicationPasswordEdit"), tr("Replication password"));
    m_restUser = lineEdit(QStringLiteral("restUserEdit"), tr("REST API user"));
    m_restUser->setPlaceholderText(tr("none: the REST API's write endpoints stay open"));
    m_restPassword = lineEdit(QStringLiteral("restPasswordEdit"), tr("REST API password"));
    for (QLineEdit *e : {m_superuserPassword, m_replicationPassword, m_restPassword})
        e->setEchoMode(QLineEdit::Password);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *form = new QFormLayout;
    form->addRow(tr("Superuser (postgres) password:"), m_superuserPassword);
    form->addRow(tr("Replication (replicator) password:"), m_replicationPassword);
    form->addRow(tr("REST API user (optional):"), m_restUser);
    form->addRow(tr("REST API password:"), m_restPassword);
    auto *note = new QLabel(tr("Passwords stay in this window: the run hands them to its steps "
                               "through the environment of this process, and only the members' "
                               "patroni.yml files (mode 0600) hold them."));
    note->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addWidget(note);
}

QString PatroniMembersPage::defaultDataDir(const QString &scope, const QString &member) const
{
    // Under the home of the servers' user, who must be able to create it.
    QString home = homeOf(m_wizard->clusterPage()->osUser());
    if (!QDir::isAbsolutePath(home) || home.contains(QLatin1String("nonexistent")))
        home = QDir::homePath();
    return QStringLiteral("%1/pgdeck-patroni/%2/%3").arg(home, scope, member);
}

void PatroniMembersPage::initializePage()
{
    const QString scope = m_wizard->clusterPage()->scope();
    if (!m_loaded) {
        m_loaded = true;
        m_defaultsScope = scope;
        addMember();
        addMember();
    } else if (!m_defaultsScope.isEmpty() && scope != m_defaultsScope) {
        // The scope changed on page 1: move the data directories still at their defaults.
        for (int row = 0; row < m_table->rowCount(); ++row) {
            QTableWidgetItem *dir = m_table->item(row, DataDirColumn);
            const QString name = m_table->item(row, NameColumn)->text();
            if (dir && dir->text() == defaultDataDir(m_defaultsScope, name))
                dir->setText(defaultDataDir(scope, name));
        }
        m_defaultsScope = scope;
    }
    m_table->setColumnHidden(RaftPortColumn, !m_wizard->clusterPage()->isRaft());
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(DataDirColumn, QHeaderView::Stretch);
}

void PatroniMembersPage::addMember()
{
    QStringList names;
    QList<int> taken;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        names << m_table->item(row, NameColumn)->text();
        for (int c : {PgPortColumn, RestPortColumn, RaftPortColumn})
            taken << m_table->item(row, c)->data(Qt::EditRole).toInt();
    }
    QString name;
    for (int i = 1; name.isEmpty() || names.contains(name); ++i)
        name = QStringLiteral("node%1").arg(i);
    const int pg = freeLookingPort(5433, taken);
    taken << pg;
    const int rest = freeLookingPort(8009, taken);
    taken << rest;
    const int raft = freeLookingPort(2223, taken);
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto text = [](const QString &t) { return new QTableWidgetItem(t); };
    auto number = [](int n) {
        auto *item = new QTableWidgetItem;
        item->setData(Qt::EditRole, n); // an int: the table edits it with a spin box
        return item;
    };
    m_table->setItem(row, NameColumn, text(name));
    m_table->setItem(row, SshColumn, text(QString()));
    m_table->setItem(row, AddressColumn, text(QStringLiteral("127.0.0.1")));
    m_table->setItem(row, PgPortColumn, number(pg));
    m_table->setItem(row, RestPortColumn, number(rest));
    m_table->setItem(row, RaftPortColumn, number(raft));
    m_table->setItem(row, DataDirColumn,
                     text(defaultDataDir(m_wizard->clusterPage()->scope(), name)));
}

void PatroniMembersPage::removeSelected()
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty() && m_table->currentRow() >= 0)
        rows << m_table->currentRow();
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (int row : rows)
        m_table->removeRow(row);
}

QString PatroniMembersPage::superuserPassword() const
{
    return m_superuserPassword->text();
}

QString PatroniMembersPage::replicationPassword() const
{
    return m_replicationPassword->text();
}

QString PatroniMembersPage::restPassword() const
{
    return m_restUser->text().trimmed().isEmpty() ? QString() : m_restPassword->text();
}

void PatroniMembersPage::apply(PatroniClusterSpec *spec) const
{
    const QString runAs = m_wizard->clusterPage()->osUser();
    const bool raft = m_wizard->clusterPage()->isRaft();
    auto cell = [this](int row, int column) {
        const QTableWidgetItem *item = m_table->item(row, column);
        return item ? item->data(Qt::EditRole).toString().trimmed() : QString();
    };
    spec->members.clear();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        PatroniMemberSpec m;
        m.name = cell(row, NameColumn);
        m.host = HostTarget{cell(row, SshColumn), runAs};
        m.address = cell(row, AddressColumn);
        if (m.address.isEmpty() && m.host.isLocal())
            m.address = QStringLiteral("127.0.0.1"); // as pgdeckctl does for local members
        m.pgPort = cell(row, PgPortColumn).toInt();
        m.restPort = cell(row, RestPortColumn).toInt();
        m.raftPort = raft ? cell(row, RaftPortColumn).toInt() : 0;
        m.dataDir = cell(row, DataDirColumn);
        spec->members << m;
    }
    spec->restUser = m_restUser->text().trimmed();
}

void PatroniMembersPage::load(const PatroniClusterSpec &spec, const QString &superuserPassword,
                              const QString &replicationPassword, const QString &restPassword)
{
    m_loaded = true;
    m_defaultsScope.clear(); // the caller chose the directories: never move them
    m_table->setRowCount(0);
    for (const PatroniMemberSpec &m : spec.members) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto number = [](int n) {
            auto *item = new QTableWidgetItem;
            item->setData(Qt::EditRole, n);
            return item;
        };
        m_table->setItem(row, NameColumn, new QTableWidgetItem(m.name));
        m_table->setItem(row, SshColumn, new QTableWidgetItem(m.host.ssh));
        m_table->setItem(row, AddressColumn, new QTableWidgetItem(m.address));
        m_table->setItem(row, PgPortColumn, number(m.pgPort));
        m_table->setItem(row, RestPortColumn, number(m.restPort));
        m_table->setItem(row, RaftPortColumn, number(m.raftPort));
        m_table->setItem(row, DataDirColumn, new QTableWidgetItem(m.dataDir));
    }
    m_superuserPassword->setText(superuserPassword);
    m_replicationPassword->setText(replicationPassword);
    m_restUser->setText(spec.restUser);
    m_restPassword->setText(restPassword);
}

// --- review -----------------------------------------------------------------------------

PatroniReviewPage::PatroniReviewPage(PatroniWizard *wizard)
    : m_wizard(wizard)
{
    setObjectName(QStringLiteral("patroniReviewPage"));
    setTitle(tr("Review"));
    setSubTitle(tr("Nothing has changed yet. Each member gets this patroni.yml; the Plan "
                   "below is what runs, step by step."));
    m_errors = new QLabel;
    m_errors->setObjectName(QStringLiteral("reviewErrors"));
    m_errors->setAccessibleName(tr("Problems"));
    m_errors->setWordWrap(true);
    m_errors->setTextFormat(Qt::RichText);
    m_member = new QComboBox;
    m_member->setObjectName(QStringLiteral("memberCombo"));
    m_member->setAccessibleName(tr("Member"));
    m_config = readOnlyCodeView(QStringLiteral("configView"), tr("patroni.yml"));
    m_plan = readOnlyCodeView(QStringLiteral("planView"), tr("Plan"));
    connect(m_member, &QComboBox::currentIndexChanged, this, &PatroniReviewPage::showMember);

    auto *note = new QLabel(tr("Passwords appear as ${secret-json:…} placeholders: they are "
                               "filled in only when the file is written on the member's host, "
                               "mode 0600."));
    note->setWordWrap(true);
    auto *pick = new QHBoxLayout;
    pick->addWidget(new QLabel(tr("patroni.yml of")));
    pick->addWidget(m_member, 1);
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(pick);
    leftLayout->addWidget(m_config, 1);
    leftLayout->addWidget(note);
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(new QLabel(tr("Plan:")));
    rightLayout->addWidget(m_plan, 1);
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setChildrenCollapsible(false);
    m_details = splitter;
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_errors);
    layout->addWidget(m_details, 1);
    layout->addStretch(); // keeps the error list at the top while the details are hidden
}

void PatroniReviewPage::initializePage()
{
    m_spec = m_wizard->spec();
    m_errorList = m_wizard->validationErrors();
    m_member->blockSignals(true);
    m_member->clear();
    m_member->blockSignals(false);
    m_config->clear();
    m_plan->clear();
    if (!m_errorList.isEmpty()) {
        QStringList lines;
        for (const QString &e : std::as_const(m_errorList))
            lines << red(QStringLiteral("• ") + e);
        m_errors->setText(tr("Go back and fix:") + QStringLiteral("<br>") +
                          lines.join(QStringLiteral("<br>")));
        m_details->setVisible(false);
    } else {
        const Plan plan = m_wizard->plan();
        m_errors->setText(
            tr("%n member(s) in cluster %1, %2 steps.", nullptr, int(m_spec.members.size()))
                .arg(m_spec.scope.toHtmlEscaped())
                .arg(plan.steps().size()));
        m_details->setVisible(true);
        m_plan->setPlainText(RunbookWriter::toText(plan));
        for (const PatroniMemberSpec &m : std::as_const(m_spec.members))
            m_member->addItem(m.name);
    }
    Q_EMIT completeChanged();
}

void PatroniReviewPage::showMember(int index)
{
    if (index < 0 || index >= m_spec.members.size())
        return;
    m_config->setPlainText(PatroniConfig::yaml(m_spec, m_spec.members[index]));
}

QString PatroniReviewPage::configText() const
{
    return m_config->toPlainText();
}

QString PatroniReviewPage::planText() const
{
    return m_plan->toPlainText();
}

} // namespace pgdeck
