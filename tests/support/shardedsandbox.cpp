#include "shardedsandbox.h"

#include "inventory/inventoryloader.h"
#include "pg/pgconnection.h"
#include "sandbox/sandbox.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace pgdeck::test {

ShardedSandbox::ShardedSandbox()
    : m_tmp(QDir::tempPath() + QStringLiteral("/pgdeck-sharded-fixture-XXXXXX"))
{
    QFile::setPermissions(m_tmp.path(), QFile::Permissions(0x7755)); // the server user enters
    // Plans this process runs journal here too, not in the user's state directory.
    qputenv("PGDECK_STATE_DIR", QFile::encodeName(m_tmp.path() + QStringLiteral("/state")));
}

ShardedSandbox::~ShardedSandbox()
{
    if (!m_dir.isEmpty())
        ctl({QStringLiteral("sandbox"), QStringLiteral("down"), QStringLiteral("--dir"), m_dir});
}

QString ShardedSandbox::unavailableReason()
{
    if (qEnvironmentVariable("PGDECKCTL").isEmpty())
        return QStringLiteral("PGDECKCTL is not set; run through ctest");
    QString error;
    return Sandbox::findBinDir(&error).isEmpty() ? error : QString();
}

bool ShardedSandbox::start(int portFrom, QString *error, int workers)
{
    const int port = Sandbox::findFreePorts(portFrom, 1 + workers);
    if (port <= 0) {
        *error = QStringLiteral("no %1 free ports from %2").arg(1 + workers).arg(portFrom);
        return false;
    }
    const QString dir = m_tmp.path() + QStringLiteral("/sharded");
    QString out;
    const int rc =
        ctl({QStringLiteral("sandbox"), QStringLiteral("up"), QStringLiteral("--shape"),
             QStringLiteral("sharded"), QStringLiteral("--dir"), dir, QStringLiteral("--port"),
             QString::number(port), QStringLiteral("--workers"), QString::number(workers),
             QStringLiteral("--backend"), QStringLiteral("native")},
            &out);
    m_dir = dir; // taken down even when `up` failed halfway
    if (rc != 0) {
        // Test messages are cut at about 1,000 characters: the end says what failed.
        *error = QStringLiteral("sandbox up failed (%1):\n…%2").arg(rc).arg(out.right(800));
        return false;
    }
    Inventory inv;
    QList<InventoryError> errors;
    if (!InventoryLoader::load(inventoryPath(), &inv, &errors) || inv.clusters.isEmpty()) {
        *error = errors.isEmpty() ? QStringLiteral("empty inventory") : errors.first().toString();
        return false;
    }
    m_cluster = inv.clusters.first();
    return true;
}

int ShardedSandbox::ctl(const QStringList &args, QString *out) const
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels); // PGDECK_STATE_DIR is inherited
    p.start(qEnvironmentVariable("PGDECKCTL"), args);
    if (!p.waitForFinished(300000))
        p.kill();
    const QString text = QString::fromLocal8Bit(p.readAll());
    if (out)
        *out = text;
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

QString ShardedSandbox::query(const QString &node, const QString &sql) const
{
    const NodeSpec *n = m_cluster.node(node);
    if (!n)
        return QStringLiteral("<error: no node %1>").arg(node);
    PgConnection c;
    c.setParams(ConnectionParams::fromNode(*n));
    if (!c.waitForReady(10000))
        return QStringLiteral("<error: %1>").arg(c.lastError());
    const PgResult r = c.execSync(sql, {}, 120000);
    return r.ok() ? r.text(0, 0) : QStringLiteral("<error: %1>").arg(r.errorMessage());
}

bool ShardedSandbox::exec(const QString &node, const QString &sql, QString *error) const
{
    const QString r = query(node, sql);
    if (r.startsWith(QLatin1String("<error: "))) {
        *error = r;
        return false;
    }
    return true;
}

} // namespace pgdeck::test
