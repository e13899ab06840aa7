// The locally built images behave like the official ones where pgdeck relies on them:
// postgres:15 honours POSTGRES_PASSWORD/POSTGRES_DB and answers libpq on a published
// 127.0.0.1 port, a second container becomes its streaming replica, node:18 runs node 18.

#include "dockerfixture.h"
#include "pg/pgconnection.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QTest>
#include <QThread>

using namespace pgdeck;
using pgdeck::test::DockerFixture;

namespace {

constexpr auto kPassword = "pgdeck-test-secret";
constexpr int kStartTimeoutMs = 90000;

int freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

ConnectionParams localParams(int port, const QString &db)
{
    ConnectionParams params;
    params.set(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    params.set(QStringLiteral("port"), QString::number(port));
    params.set(QStringLiteral("dbname"), db);
    params.set(QStringLiteral("user"), QStringLiteral("postgres"));
    params.set(QStringLiteral("password"), QString::fromLatin1(kPassword));
    params.set(QStringLiteral("sslmode"), QStringLiteral("disable"));
    return params;
}

} // namespace

class TstDockerImages : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void postgresAcceptsPasswordOnPublishedPort();
    void replicaStreamsFromPrimary();
    void nodeRunsNode18();
    void cleanupTestCase();

private:
    // Connects to 127.0.0.1:port until the server accepts us (initdb runs first).
    bool connectWhenUp(PgConnection *conn, int port, const QString &db, const QString &container,
                       QString *error);
    QString containerLogs(const QString &container);

    QString m_network;
    QString m_primary;
    QString m_replica;
    int m_primaryPort = 0;
    int m_replicaPort = 0;
};

void TstDockerImages::initTestCase()
{
    // The first build bootstraps two Debian root filesystems (minutes); it runs where asked.
    if (qEnvironmentVariableIsEmpty("PGDECK_TEST_DOCKER_IMAGES") && !DockerFixture::imagesPresent())
        QSKIP("postgres:15 and node:18 are not built here: set PGDECK_TEST_DOCKER_IMAGES=1 to "
              "build them from Debian packages (tests/support/docker/build-images.sh)");
    QString why;
    QString error;
    if (!DockerFixture::ensureImages(&error)) {
        // Only an engine that cannot run here is a reason to skip; a broken build fails.
        if (!DockerFixture::engineAvailable(&why))
            QSKIP(qPrintable(QStringLiteral("docker engine unavailable: ") + why));
        QFAIL(qPrintable(QStringLiteral("building the test images failed:\n") + error));
    }
    const QString tag =
        QStringLiteral("pgdeck-tst-images-%1").arg(QCoreApplication::applicationPid());
    m_network = tag;
    m_primary = tag + QStringLiteral("-primary");
    m_replica = tag + QStringLiteral("-replica");
    QString output;
    QVERIFY2(DockerFixture::docker({QStringLiteral("network"), QStringLiteral("create"), m_network},
                                   &output),
             qPrintable(output));
}

bool TstDockerImages::connectWhenUp(PgConnection *conn, int port, const QString &db,
                                    const QString &container, QString *error)
{
    conn->setParams(localParams(port, db));
    conn->setConnectTimeout(3000);
    const QDeadlineTimer deadline(kStartTimeoutMs);
    while (!deadline.hasExpired()) {
        conn->open();
        if (conn->waitForReady(5000))
            return true;
        *error = conn->lastError();
        conn->close();
        QThread::msleep(500);
    }
    *error += QStringLiteral("\ncontainer log:\n") + containerLogs(container);
    return false;
}

QString TstDockerImages::containerLogs(const QString &container)
{
    QString output;
    DockerFixture::docker(
        {QStringLiteral("logs"), QStringLiteral("--tail"), QStringLiteral("40"), container},
        &output);
    return output;
}

void TstDockerImages::postgresAcceptsPasswordOnPublishedPort()
{
    m_primaryPort = freePort();
    QVERIFY(m_primaryPort > 0);
    QString output;
    QVERIFY2(
        DockerFixture::docker(
            {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), m_primary,
             QStringLiteral("--network"), m_network, QStringLiteral("-p"),
             QStringLiteral("127.0.0.1:%1:5432").arg(m_primaryPort), QStringLiteral("-e"),
             QStringLiteral("POSTGRES_PASSWORD=") + QString::fromLatin1(kPassword),
             QStringLiteral("-e"), QStringLiteral("POSTGRES_DB=app"), QStringLiteral("-e"),
             QStringLiteral("PGDECK_REPLICATION_USER=replicator"), QStringLiteral("postgres:15")},
            &output),
        qPrintable(output));

    PgConnection conn;
    QString error;
    QVERIFY2(connectWhenUp(&conn, m_primaryPort, QStringLiteral("app"), m_primary, &error),
             qPrintable(error));
    const PgResult who = conn.execSync(QStringLiteral("select current_database(), current_user"));
    QVERIFY2(who.ok(), qPrintable(who.errorMessage()));
    QCOMPARE(who.text(0, 0), QStringLiteral("app"));
    QCOMPARE(who.text(0, 1), QStringLiteral("postgres"));
    QCOMPARE(conn.serverVersion() / 10000, 15);

    // A wrong password must be refused: the hba lines ask for scram-sha-256, not trust.
    PgConnection wrong;
    ConnectionParams params = localParams(m_primaryPort, QStringLiteral("app"));
    params.set(QStringLiteral("password"), QStringLiteral("not-the-password"));
    wrong.setParams(params);
    wrong.open();
    QVERIFY(!wrong.waitForReady(10000));
    QVERIFY2(wrong.lastError().contains(QLatin1String("password authentication failed")),
             qPrintable(wrong.lastError()));

    // Compose health checks call pg_isready inside the container; the server runs as 999.
    QVERIFY2(DockerFixture::docker({QStringLiteral("exec"), m_primary, QStringLiteral("pg_isready"),
                                    QStringLiteral("-U"), QStringLiteral("postgres")},
                                   &output),
             qPrintable(output));
    QVERIFY2(DockerFixture::docker({QStringLiteral("exec"), m_primary, QStringLiteral("stat"),
                                    QStringLiteral("-c"), QStringLiteral("%u"),
                                    QStringLiteral("/proc/1")},
                                   &output),
             qPrintable(output));
    QCOMPARE(output.trimmed(), QStringLiteral("999"));
}

void TstDockerImages::replicaStreamsFromPrimary()
{
    if (m_primaryPort == 0)
        QSKIP("the primary did not come up");
    m_replicaPort = freePort();
    QVERIFY(m_replicaPort > 0);
    QString output;
    // The replica reaches the primary by container name on the user-defined network; the
    // test itself only talks to the ports published on 127.0.0.1.
    QVERIFY2(DockerFixture::docker(
                 {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), m_replica,
                  QStringLiteral("--network"), m_network, QStringLiteral("-p"),
                  QStringLiteral("127.0.0.1:%1:5432").arg(m_replicaPort), QStringLiteral("-e"),
                  QStringLiteral("POSTGRES_PASSWORD=") + QString::fromLatin1(kPassword),
                  QStringLiteral("-e"), QStringLiteral("PGDECK_REPLICATE_FROM=") + m_primary,
                  QStringLiteral("-e"), QStringLiteral("PGDECK_REPLICATION_USER=replicator"),
                  QStringLiteral("postgres:15")},
                 &output),
             qPrintable(output));

    PgConnection primary;
    QString error;
    QVERIFY2(connectWhenUp(&primary, m_primaryPort, QStringLiteral("app"), m_primary, &error),
             qPrintable(error));
    QString state;
    const QDeadlineTimer deadline(kStartTimeoutMs);
    while (!deadline.hasExpired() && state != QLatin1String("streaming")) {
        const PgResult r = primary.execSync(
            QStringLiteral("select state from pg_stat_replication where usename = 'replicator'"));
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        state = r.rowCount() ? r.text(0, 0) : QString();
        if (state != QLatin1String("streaming"))
            QThread::msleep(500);
    }
    QVERIFY2(state == QLatin1String("streaming"),
             qPrintable(QStringLiteral("replication state '%1'\nreplica log:\n%2")
                            .arg(state, containerLogs(m_replica))));

    // What the primary writes shows up on the replica, which is read-only.
    QVERIFY(primary.execSync(QStringLiteral("create table t as select 42 as v")).ok());
    PgConnection replica;
    QVERIFY2(connectWhenUp(&replica, m_replicaPort, QStringLiteral("app"), m_replica, &error),
             qPrintable(error));
    QCOMPARE(replica.execSync(QStringLiteral("select pg_is_in_recovery()")).text(0, 0),
             QStringLiteral("t"));
    QString seen;
    const QDeadlineTimer replayed(30000);
    while (!replayed.hasExpired() && seen.isEmpty()) {
        const PgResult r = replica.execSync(QStringLiteral("select v from t"));
        seen = r.ok() ? r.text(0, 0) : QString();
        if (seen.isEmpty())
            QThread::msleep(200);
    }
    QCOMPARE(seen, QStringLiteral("42"));
}

void TstDockerImages::nodeRunsNode18()
{
    QString output;
    QVERIFY2(DockerFixture::docker({QStringLiteral("run"), QStringLiteral("--rm"),
                                    QStringLiteral("node:18"), QStringLiteral("node"),
                                    QStringLiteral("-e"),
                                    QStringLiteral("console.log(process.version)")},
                                   &output),
             qPrintable(output));
    QVERIFY2(output.trimmed().startsWith(QLatin1String("v18.")), qPrintable(output));

    // Generated Dockerfiles say `USER node`, as with the official image.
    QVERIFY2(DockerFixture::docker({QStringLiteral("run"), QStringLiteral("--rm"),
                                    QStringLiteral("--user"), QStringLiteral("node"),
                                    QStringLiteral("node:18"), QStringLiteral("sh"),
                                    QStringLiteral("-c"), QStringLiteral("id -u; pwd")},
                                   &output),
             qPrintable(output));
    QCOMPARE(output.trimmed(), QStringLiteral("1000\n/usr/src/app"));
}

void TstDockerImages::cleanupTestCase()
{
    if (m_network.isEmpty())
        return;
    // -v: the image declares a VOLUME, whose anonymous volumes would otherwise pile up.
    DockerFixture::docker({QStringLiteral("rm"), QStringLiteral("-fv"), m_replica, m_primary});
    DockerFixture::docker({QStringLiteral("network"), QStringLiteral("rm"), m_network});
}

QTEST_GUILESS_MAIN(TstDockerImages)
#include "tst_dockerimages.moc"
