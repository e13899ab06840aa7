#include "patronicluster.h"

#include "common/statepaths.h"
#include "etcdfixture.h"
#include "sandbox/sandbox.h"
#include "sandboxprocess.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>

#include <signal.h>

namespace pgdeck::test {

namespace {

const char *const kSuperuserSecret = "PGHA_TEST_SU";
const char *const kReplicationSecret = "PGHA_TEST_REPL";
const char *const kRestSecret = "PGHA_TEST_REST";

} // namespace

PatroniCluster::PatroniCluster() = default;

PatroniCluster::~PatroniCluster()
{
    down();
}

void PatroniCluster::setRestCredentials(const QString &user, const QString &password)
{
    m_restUser = user;
    m_restPassword = password;
}

QString PatroniCluster::restUrl(int index) const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(restPort(index));
}

QString PatroniCluster::conninfo(int index) const
{
    return QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=postgres connect_timeout=5")
        .arg(pgPort(index));
}

QString PatroniCluster::dataDir(int index) const
{
    return m_dir.path() + QLatin1Char('/') + memberName(index);
}

QString PatroniCluster::etcdHost() const
{
    return m_etcd ? m_etcd->hostPort() : QString();
}

qint64 PatroniCluster::patroniPid(int index) const
{
    QFile f(configDir(index) + QStringLiteral("/patroni.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const qint64 pid = f.readAll().trimmed().toLongLong();
    return pid > 0 && ::kill(pid_t(pid), 0) == 0 ? pid : 0;
}

QStringList PatroniCluster::memberArgs() const
{
    QStringList args{QStringLiteral("--cluster"),
                     m_scope,
                     QStringLiteral("--etcd"),
                     etcdHost(),
                     QStringLiteral("--password-secret"),
                     QString::fromLatin1(kSuperuserSecret),
                     QStringLiteral("--replication-secret"),
                     QString::fromLatin1(kReplicationSecret),
                     QStringLiteral("--loop-wait"),
                     QStringLiteral("2"),
                     QStringLiteral("--ttl"),
                     QStringLiteral("10")};
    if (!m_restUser.isEmpty())
        args << QStringLiteral("--rest-user") << m_restUser << QStringLiteral("--rest-secret")
             << QString::fromLatin1(kRestSecret);
    if (runningAsRoot())
        args << QStringLiteral("--run-as") << EtcdFixture::serverUser();
    for (int i = 0; i < m_members; ++i)
        args << QStringLiteral("--member")
             << QStringLiteral("name=%1,port=%2,rest=%3,data=%4")
                    .arg(memberName(i))
                    .arg(pgPort(i))
                    .arg(restPort(i))
                    .arg(dataDir(i));
    return args;
}

bool PatroniCluster::up(int members, QString *error, const QString &scope)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    m_scope = scope;
    m_members = members;
    // The servers' user creates the data directories in here.
    if (runningAsRoot()) {
        QProcess chown;
        chown.start(QStringLiteral("chown"), {EtcdFixture::serverUser(error), m_dir.path()});
        chown.waitForFinished();
        QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                QFile::ReadGroup | QFile::ExeGroup);
    }

    // libpq (in the test and in pgdeck) finds the superuser's password here.
    QFile pgpass(m_dir.path() + QStringLiteral("/test.pgpass"));
    if (!pgpass.open(QIODevice::WriteOnly)) {
        *error = pgpass.errorString();
        return false;
    }
    pgpass.write(QStringLiteral("127.0.0.1:*:*:postgres:%1\n").arg(superuserPassword()).toUtf8());
    pgpass.close();
    pgpass.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    qputenv("PGPASSFILE", pgpass.fileName().toLocal8Bit());
    qputenv(QByteArray("PGDECK_SECRET_") + kSuperuserSecret, superuserPassword().toUtf8());
    qputenv(QByteArray("PGDECK_SECRET_") + kReplicationSecret, "pgdeck-test-repl");
    if (!m_restUser.isEmpty())
        qputenv(QByteArray("PGDECK_SECRET_") + kRestSecret, m_restPassword.toUtf8());

    m_etcd = std::make_unique<EtcdFixture>();
    if (!m_etcd->start(error))
        return false;
    // Random bases: tests run in parallel, and 54320+ belongs to the developer's sandbox.
    m_pgPort = Sandbox::findFreePorts(56000 + QRandomGenerator::global()->bounded(3000), members);
    m_restPort = Sandbox::findFreePorts(59500 + QRandomGenerator::global()->bounded(3000), members);
    m_started = true;
    QString out;
    const QStringList args =
        QStringList{QStringLiteral("patroni"), QStringLiteral("create")} + memberArgs() +
        QStringList{QStringLiteral("-i"), inventoryPath(), QStringLiteral("--apply")};
    if (!SandboxProcess::runCtl(args, 240000, &out)) {
        *error = out;
        for (int i = 0; i < members; ++i) {
            QFile log(configDir(i) + QStringLiteral("/patroni.log"));
            if (log.open(QIODevice::ReadOnly))
                *error += QStringLiteral("\n--- %1 patroni.log (tail)\n%2")
                              .arg(memberName(i), QString::fromUtf8(log.readAll().right(3000)));
        }
        return false;
    }
    return true;
}

void PatroniCluster::down()
{
    if (!m_started)
        return;
    m_started = false;
    QString out;
    if (!SandboxProcess::runCtl(QStringList{QStringLiteral("patroni"), QStringLiteral("stop")} +
                                    memberArgs() + QStringList{QStringLiteral("--apply")},
                                120000, &out))
        qWarning("patroni stop failed: %s", qPrintable(out));
    // A member whose Patroni a test killed leaves its PostgreSQL running: stop it too.
    QString binError;
    const QString bin = Sandbox::findBinDir(&binError);
    for (int i = 0; i < m_members; ++i) {
        if (!QFile::exists(dataDir(i) + QStringLiteral("/postmaster.pid")))
            continue;
        QStringList argv{bin + QStringLiteral("/pg_ctl"),
                         QStringLiteral("stop"),
                         QStringLiteral("-D"),
                         dataDir(i),
                         QStringLiteral("-m"),
                         QStringLiteral("immediate")};
        if (runningAsRoot())
            argv =
                QStringList{QStringLiteral("-u"), EtcdFixture::serverUser(), QStringLiteral("--")} +
                argv;
        QProcess stop;
        stop.start(runningAsRoot() ? QStringLiteral("runuser") : argv.takeFirst(), argv);
        stop.waitForFinished(30000);
    }
    if (m_etcd)
        m_etcd->stop();
}

} // namespace pgdeck::test
