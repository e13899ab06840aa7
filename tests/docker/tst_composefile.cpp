// The compose configuration as pgdeck reads it (both Compose versions' output shapes), the
// plans it makes from it, the inventory cluster and the ~/.pgpass lines of its PostgreSQL
// services.
#include "common/pgpassfile.h"
#include "docker/composeplanner.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgdeck;

namespace {

// What docker-compose 1.29 `config` prints for a generated replicated deployment (trimmed).
const char *v1Config = R"(services:
  app:
    build:
      context: @DIR@
    depends_on:
      db-primary:
        condition: service_healthy
    ports:
    - 127.0.0.1:3000:3000/tcp
  db-primary:
    environment:
      POSTGRES_DB: app
      POSTGRES_PASSWORD: 'pa:ss\word'
      POSTGRES_USER: app
    healthcheck:
      test:
      - CMD-SHELL
      - pg_isready
    image: postgres:15
    labels:
      io.pgdeck.role: primary
    ports:
    - 127.0.0.1:5432:5432/tcp
  db-replica-1:
    depends_on:
      db-primary:
        condition: service_healthy
    environment:
      POSTGRES_DB: app
      POSTGRES_USER: app
    healthcheck:
      test:
      - CMD-SHELL
      - pg_isready
    image: postgres:15
    labels:
      io.pgdeck.role: standby
      io.pgdeck.upstream: db-primary
    ports:
    - 127.0.0.1:5433:5432/tcp
version: '3.9'
)";

// Compose v2's shape: long port syntax, list environment, a disabled health check.
const char *v2Config = R"(name: shop
services:
  cache:
    image: redis:7
    healthcheck:
      disable: true
  db:
    image: postgres:16
    environment:
    - POSTGRES_PASSWORD=secret
    ports:
    - mode: ingress
      host_ip: 0.0.0.0
      target: 5432
      published: "6543"
      protocol: tcp
  web:
    image: shop/web
    depends_on:
    - db
    - cache
)";

ComposeProject project(const QString &dir)
{
    return ComposeProject{dir, QStringLiteral("demo"), {QStringLiteral("docker-compose")}};
}

} // namespace

class TestComposeFile : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;

    ComposeFile v1File()
    {
        ComposeFile f;
        QString error;
        const QByteArray yaml = QByteArray(v1Config).replace("@DIR@", m_tmp.path().toUtf8());
        if (!ComposeFile::parse(yaml, &f, &error))
            qWarning("%s", qPrintable(error));
        return f;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QFile dockerfile(m_tmp.filePath(QStringLiteral("Dockerfile")));
        QVERIFY(dockerfile.open(QIODevice::WriteOnly));
        dockerfile.write(
            "FROM node:18\nHEALTHCHECK --interval=10s CMD node -e 1\nCMD [\"node\"]\n");
    }

    void readsComposeV1Output()
    {
        const ComposeFile f = v1File();
        QCOMPARE(f.serviceNames(), (QStringList{QStringLiteral("app"), QStringLiteral("db-primary"),
                                                QStringLiteral("db-replica-1")}));
        const ComposeService *replica = f.service(QStringLiteral("db-replica-1"));
        QVERIFY(replica);
        QCOMPARE(replica->publishedPort(5432), 5433);
        QCOMPARE(replica->ports.value(0).hostIp, QStringLiteral("127.0.0.1"));
        QCOMPARE(replica->dependsOn, QStringList{QStringLiteral("db-primary")});
        QVERIFY(replica->reportsHealth());
        const ComposeService *app = f.service(QStringLiteral("app"));
        QVERIFY(app->builds());
        QVERIFY(app->reportsHealth()); // from the Dockerfile's HEALTHCHECK
        QCOMPARE(f.service(QStringLiteral("db-primary"))
                     ->environment.value(QStringLiteral("POSTGRES_PASSWORD")),
                 QStringLiteral("pa:ss\\word"));
    }

    void readsComposeV2Output()
    {
        ComposeFile f;
        QString error;
        QVERIFY2(ComposeFile::parse(v2Config, &f, &error), qPrintable(error));
        const ComposeService *db = f.service(QStringLiteral("db"));
        QCOMPARE(db->publishedPort(5432), 6543);
        QCOMPARE(db->environment.value(QStringLiteral("POSTGRES_PASSWORD")),
                 QStringLiteral("secret"));
        QVERIFY(!f.service(QStringLiteral("cache"))->reportsHealth()); // disabled
        QVERIFY(!f.service(QStringLiteral("web"))->reportsHealth());
        // Start order: dependencies first.
        QStringList order;
        for (const ComposeService &s : f.startOrder())
            order << s.name;
        QCOMPARE(order.indexOf(QStringLiteral("web")), 2);

        QVERIFY(!ComposeFile::parse("services: [1, 2", &f, &error));
        QVERIFY2(error.contains(QLatin1String("not YAML")), qPrintable(error));
        QVERIFY(!ComposeFile::parse("version: '3'\n", &f, &error));
        QVERIFY2(error.contains(QLatin1String("no services")), qPrintable(error));
    }

    void upPlanWaitsForEachServiceInStartOrder()
    {
        const Plan plan = composeplans::up(project(m_tmp.path()), v1File());
        QStringList ids;
        for (const PlanStep &s : plan.steps())
            ids << s.id;
        QCOMPARE(ids,
                 (QStringList{QStringLiteral("config"), QStringLiteral("build"),
                              QStringLiteral("up"), QStringLiteral("wait-db-primary"),
                              QStringLiteral("wait-db-replica-1"), QStringLiteral("wait-app")}));
        const PlanStep &wait = plan.steps().at(3);
        QVERIFY(wait.argv.contains(QStringLiteral("health=healthy")));
        QVERIFY(wait.argv.contains(QStringLiteral("label=com.docker.compose.project=demo")));
        QCOMPARE(wait.expect, QStringLiteral("db-primary"));
        QVERIFY(
            plan.steps().at(2).argv.mid(0, 7) ==
            (QStringList{QStringLiteral("docker-compose"), QStringLiteral("--project-directory"),
                         m_tmp.path(), QStringLiteral("-f"),
                         m_tmp.filePath(QStringLiteral("docker-compose.yml")), QStringLiteral("-p"),
                         QStringLiteral("demo")}));
        QString error;
        QVERIFY2(plan.validate(&error), qPrintable(error));

        // down keeps the volumes unless asked.
        QVERIFY(!composeplans::down(project(m_tmp.path()), false)
                     .steps()
                     .first()
                     .argv.contains(QStringLiteral("--volumes")));
        QVERIFY(composeplans::down(project(m_tmp.path()), true)
                    .steps()
                    .first()
                    .argv.contains(QStringLiteral("--volumes")));
        QCOMPARE(ComposeProject::normalizedName(QStringLiteral("My App.2")),
                 QStringLiteral("myapp2"));
    }

    void postgresServicesBecomeAnInventoryClusterAndPgPassLines()
    {
        const ClusterSpec cluster = composeInventoryCluster(project(m_tmp.path()), v1File());
        QCOMPARE(cluster.name, QStringLiteral("demo"));
        QCOMPARE(cluster.nodes.size(), 2); // the app is not a database
        const NodeSpec *replica = cluster.node(QStringLiteral("db-replica-1"));
        QVERIFY(replica);
        QCOMPARE(replica->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(replica->port, 5433);
        QCOMPARE(replica->role, QStringLiteral("standby"));
        QCOMPARE(replica->upstream, QStringLiteral("db-primary"));
        QCOMPARE(replica->user, QStringLiteral("app"));

        // The standby has no password of its own: its primary's roles are its roles.
        const QList<PgPassEntry> entries = composePgPassEntries(project(m_tmp.path()), v1File());
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[1].port, 5433);
        QCOMPARE(entries[1].password, QStringLiteral("pa:ss\\word"));
        QCOMPARE(entries[0].toLine(), QStringLiteral("127.0.0.1:5432:*:app:pa\\:ss\\\\word"));

        // A v2 service bound to every interface is reached on loopback.
        ComposeFile v2;
        QString error;
        QVERIFY(ComposeFile::parse(v2Config, &v2, &error));
        const ClusterSpec shop = composeInventoryCluster(project(m_tmp.path()), v2);
        QCOMPARE(shop.nodes.size(), 1);
        QCOMPARE(shop.nodes[0].host, QStringLiteral("127.0.0.1"));
        QCOMPARE(shop.nodes[0].port, 6543);
        QCOMPARE(shop.nodes[0].user, QStringLiteral("postgres"));
    }

    void pgPassUpsertKeepsTheUsersLines()
    {
        const QString path = m_tmp.filePath(QStringLiteral("pgpass"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# mine\nprod.example:5432:*:admin:keep-me\n127.0.0.1:5432:*:app:old\n");
        f.close();
        QString error;
        const PgPassEntry entry{QStringLiteral("127.0.0.1"), 5432, QStringLiteral("*"),
                                QStringLiteral("app"), QStringLiteral("n:ew")};
        QVERIFY2(PgPassFile::upsert(path, {entry}, &error), qPrintable(error));
        QVERIFY2(PgPassFile::upsert(path, {entry}, &error), qPrintable(error)); // twice: same file
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("# mine\nprod.example:5432:*:admin:keep-me\n"
                                         "127.0.0.1:5432:*:app:n\\:ew\n"));
        f.close();
        QCOMPARE(f.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        PgPassEntry back;
        QVERIFY(PgPassFile::parseLine(entry.toLine(), &back));
        QCOMPARE(back.password, QStringLiteral("n:ew"));
        QVERIFY(!PgPassFile::parseLine(QStringLiteral("# comment"), &back));

        QVERIFY(!PgPassFile::upsert(m_tmp.filePath(QStringLiteral("no/such/dir/pgpass")), {entry},
                                    &error));
        QVERIFY2(error.contains(QLatin1String("no/such/dir")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestComposeFile)
#include "tst_composefile.moc"
