#include "addserverdialog.h"

#include "common/healthstyle.h"
#include "common/pgpassfile.h"
#include "common/plainname.h"
#include "pg/connectionparams.h"
#include "pg/pgconnection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pgdeck {

AddServerDialog::AddServerDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(QStringLiteral("local")))
    , m_host(new QLineEdit(QStringLiteral("127.0.0.1")))
    , m_port(new QSpinBox)
    , m_database(new QLineEdit(QStringLiteral("postgres")))
    , m_user(new QLineEdit(qEnvironmentVariable("USER", QStringLiteral("postgres"))))
    , m_password(new QLineEdit)
    , m_savePassword(
          new QCheckBox(tr("Save it in the &password file (%1)").arg(PgPassFile::defaultPath())))
    , m_sslMode(new QComboBox)
    , m_testButton(new QPushButton(tr("&Test Connection")))
    , m_result(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Add a Server"));
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("optional: .pgpass, PGPASSWORD or trust otherwise"));
    m_savePassword->setChecked(true);
    for (const char *mode : {"prefer", "require", "verify-ca", "verify-full", "disable"})
        m_sslMode->addItem(QString::fromLatin1(mode));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumHeight(m_result->fontMetrics().height() * 3);
    m_result->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Add Server"));

    const QList<QPair<QWidget *, QString>> named{
        {m_name, QStringLiteral("clusterName")}, {m_host, QStringLiteral("host")},
        {m_port, QStringLiteral("port")},        {m_database, QStringLiteral("database")},
        {m_user, QStringLiteral("user")},        {m_password, QStringLiteral("password")},
        {m_sslMode, QStringLiteral("sslMode")},  {m_testButton, QStringLiteral("testButton")},
        {m_result, QStringLiteral("testResult")}};
    for (const auto &[w, name] : named)
        w->setObjectName(name);

    auto *form = new QFormLayout;
    const auto row = [&](const QString &label, QWidget *field, const QString &accessible) {
        form->addRow(label, field);
        field->setAccessibleName(accessible);
    };
    row(tr("&Cluster name:"), m_name, tr("Cluster name"));
    row(tr("&Host:"), m_host, tr("Host"));
    row(tr("P&ort:"), m_port, tr("Port"));
    row(tr("&Database:"), m_database, tr("Database"));
    row(tr("&User:"), m_user, tr("User"));
    row(tr("Pass&word:"), m_password, tr("Password"));
    form->addRow(QString(), m_savePassword);
    row(tr("&SSL mode:"), m_sslMode, tr("SSL mode"));
    m_savePassword->setAccessibleName(tr("Save the password in the password file"));
    m_testButton->setAccessibleName(tr("Test the connection"));
    m_result->setAccessibleName(tr("Connection test result"));

    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton, 0, Qt::AlignTop);
    testRow->addWidget(m_result, 1);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("A server you already run, added to your inventory as a "
                                "cluster of its own. Standbys it feeds are found by the "
                                "monitor and offered to you."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addLayout(testRow);
    layout->addWidget(m_buttons);

    connect(m_testButton, &QPushButton::clicked, this, &AddServerDialog::testConnection);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &AddServerDialog::onAccepted);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &AddServerDialog::updateButtons);
    for (QLineEdit *e : {m_host, m_database, m_user, m_password})
        connect(e, &QLineEdit::textChanged, this, &AddServerDialog::onFieldChanged);
    connect(m_port, &QSpinBox::valueChanged, this, &AddServerDialog::onFieldChanged);
    connect(m_sslMode, &QComboBox::currentIndexChanged, this, &AddServerDialog::onFieldChanged);
    updateButtons();
    resize(520, sizeHint().height());
}

AddServerDialog::~AddServerDialog() = default;

void AddServerDialog::setServer(const QString &host, int port, const QString &database,
                                const QString &user)
{
    m_host->setText(host);
    m_port->setValue(port);
    m_database->setText(database);
    m_user->setText(user);
}

void AddServerDialog::setTakenNames(const QStringList &names)
{
    m_takenNames = names;
    // Offer a free name: "local", else "local-2", …
    const QString base = m_name->text().trimmed();
    QString name = base;
    for (int i = 2; m_takenNames.contains(name); ++i)
        name = QStringLiteral("%1-%2").arg(base).arg(i);
    m_name->setText(name);
    updateButtons();
}

QString AddServerDialog::problem() const
{
    const QString name = m_name->text().trimmed();
    if (!isPlainName(name))
        return tr("The cluster name takes letters, digits, '.', '_' and '-'.");
    if (m_takenNames.contains(name))
        return tr("The inventory already has a cluster %1: choose another name.").arg(name);
    if (m_host->text().trimmed().isEmpty())
        return tr("Name the host (a name, an address, or a socket directory).");
    if (m_database->text().trimmed().isEmpty() || m_user->text().trimmed().isEmpty())
        return tr("Name the database and the user.");
    return {};
}

void AddServerDialog::onFieldChanged()
{
    m_role.clear(); // the last test was of another server
    updateButtons();
}

void AddServerDialog::updateButtons()
{
    const QString why = problem();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
    m_testButton->setEnabled(why.isEmpty() && !m_test);
    if (!why.isEmpty())
        m_result->setText(why);
    else if (m_showingProblem)
        m_result->clear(); // mended
    m_showingProblem = !why.isEmpty();
}

NodeSpec AddServerDialog::node() const
{
    NodeSpec n;
    // "db1" for db1.example.com; "server" for an address or a socket directory.
    const QString host = m_host->text().trimmed();
    n.name = QHostAddress(host).isNull() && !host.startsWith(QLatin1Char('/'))
                 ? host.section(QLatin1Char('.'), 0, 0)
                 : QStringLiteral("server");
    n.name = QStringLiteral("%1-%2").arg(n.name).arg(m_port->value());
    n.host = m_host->text().trimmed();
    n.port = m_port->value();
    n.dbname = m_database->text().trimmed();
    n.user = m_user->text().trimmed();
    n.role = m_role;
    if (m_sslMode->currentText() != QLatin1String("prefer"))
        n.sslmode = m_sslMode->currentText();
    return n;
}

ClusterSpec AddServerDialog::cluster() const
{
    ClusterSpec c;
    c.name = m_name->text().trimmed();
    c.nodes << node();
    return c;
}

QString AddServerDialog::testResult() const
{
    return m_result->text();
}

void AddServerDialog::testConnection()
{
    if (m_test || !problem().isEmpty())
        return;
    ConnectionParams params = ConnectionParams::fromNode(node());
    if (!m_password->text().isEmpty())
        params.set(QStringLiteral("password"), m_password->text());
    m_test = std::make_unique<PgConnection>();
    m_test->setParams(params);
    m_test->setConnectTimeout(10000);
    m_test->setStatementTimeout(10000);
    m_test->setApplicationName(QStringLiteral("pgdeck"));
    connect(m_test.get(), &PgConnection::connectFailed, this,
            [this, where = params.displayName()](const QString &error) {
                finishTest(false, QStringLiteral("%1: %2").arg(where, error.trimmed()));
            });
    connect(m_test.get(), &PgConnection::connected, this, [this] {
        m_test->exec(
            QStringLiteral("select current_setting('server_version'), "
                           "pg_is_in_recovery()"),
            {}, this, [this](const PgResult &r) {
                if (!r.ok()) {
                    finishTest(false, r.errorMessage());
                    return;
                }
                m_role =
                    r.value(0, 1).toBool() ? QStringLiteral("standby") : QStringLiteral("primary");
                finishTest(true, tr("Connected: PostgreSQL %1, a %2.").arg(r.text(0, 0), m_role));
            });
    });
    m_result->setText(tr("Connecting to %1…").arg(params.displayName()));
    m_result->setPalette(palette());
    updateButtons();
    m_test->open();
}

void AddServerDialog::finishTest(bool ok, const QString &message)
{
    // Not in the connection's own callback: it is still on the stack.
    QMetaObject::invokeMethod(
        this,
        [this, ok, message] {
            m_test.reset();
            if (!ok)
                m_role.clear();
            QPalette p = palette();
            p.setColor(QPalette::WindowText,
                       HealthStyle::color(ok ? NodeStatus::Health::Up : NodeStatus::Health::Down)
                           .darker(130));
            m_result->setPalette(p);
            m_result->setText(message.trimmed());
            updateButtons();
            Q_EMIT testFinished(ok);
        },
        Qt::QueuedConnection);
}

void AddServerDialog::onAccepted()
{
    if (!problem().isEmpty())
        return;
    if (!m_password->text().isEmpty() && m_savePassword->isChecked()) {
        const NodeSpec n = node();
        PgPassEntry entry;
        entry.host = n.host;
        entry.port = n.port;
        entry.database = n.dbname;
        entry.user = n.user;
        entry.password = m_password->text();
        QString error;
        if (!PgPassFile::upsert(PgPassFile::defaultPath(), {entry}, &error)) {
            QMessageBox::warning(this, windowTitle(),
                                 tr("The password was not saved: %1").arg(error));
            return;
        }
    }
    accept();
}

} // namespace pgdeck
