// What pgdeck generates for Patroni, without running it: patroni.yml per member (read back
// with yaml-cpp, passwords filled the way the Plan executor fills them), the systemd unit,
// the spec checks, and the order of the creation Plan for etcd and for raft.
#include "common/secrets.h"
#include "patroni/patroniconfig.h"
#include "patroni/patroniplanner.h"
#include "plan/runbookwriter.h"

#include <QtTest>

#include <yaml-cpp/yaml.h>

using namespace pgdeck;

namespace {

PatroniClusterSpec twoMembers()
{
    PatroniClusterSpec spec;
    spec.scope = QStringLiteral("orders");
    spec.etcdHosts = {QStringLiteral("10.0.0.5:2379"), QStringLiteral("10.0.0.6:2379")};
    spec.binDir = QStringLiteral("/usr/lib/postgresql/15/bin");
    spec.superuserSecret = QStringLiteral("SU");
    spec.replicationSecret = QStringLiteral("REPL");
    spec.clientNetworks = {QStringLiteral("192.168.1.0/24")};
    for (int i = 0; i < 2; ++i) {
        PatroniMemberSpec m;
        m.name = QStringLiteral("db%1").arg(i + 1);
        m.host = {QStringLiteral("admin@db%1").arg(i + 1), QStringLiteral("postgres")};
        m.address = QStringLiteral("10.0.0.%1").arg(11 + i);
        m.pgPort = 5432;
        m.restPort = 8008;
        m.raftPort = 5010;
        m.dataDir = QStringLiteral("/srv/pg/db%1").arg(i + 1);
        spec.members << m;
    }
    return spec;
}

QStringList stepIds(const Plan &plan)
{
    QStringList ids;
    for (const PlanStep &s : plan.steps())
        ids << s.id;
    return ids;
}

} // namespace

class TestPatroniConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void yamlReadsBackWithTheRealPassword()
    {
        const PatroniClusterSpec spec = twoMembers();
        const QString text = PatroniConfig::yaml(spec, spec.members[0]);
        QVERIFY(!text.contains(QLatin1String("hunter")));
        // The executor fills the placeholders; any password must leave valid YAML.
        const QByteArray hostile = "pa\"ss: #word\\ 'x'\n";
        qputenv("PGDECK_SECRET_SU", hostile);
        qputenv("PGDECK_SECRET_REPL", "repl");
        QString filled, error;
        QVERIFY2(secrets::fill(text, &filled, &error), qPrintable(error));
        qunsetenv("PGDECK_SECRET_SU");
        qunsetenv("PGDECK_SECRET_REPL");

        const YAML::Node y = YAML::Load(filled.toStdString());
        QCOMPARE(y["scope"].as<std::string>(), std::string("orders"));
        QCOMPARE(y["name"].as<std::string>(), std::string("db1"));
        QCOMPARE(y["restapi"]["listen"].as<std::string>(), std::string("10.0.0.11:8008"));
        QCOMPARE(y["etcd3"]["hosts"].size(), std::size_t(2));
        QCOMPARE(y["etcd3"]["hosts"][1].as<std::string>(), std::string("10.0.0.6:2379"));
        QCOMPARE(y["bootstrap"]["dcs"]["ttl"].as<int>(), 30);
        const YAML::Node params = y["bootstrap"]["dcs"]["postgresql"]["parameters"];
        QCOMPARE(params["wal_level"].as<std::string>(), std::string("replica"));
        QCOMPARE(params["wal_log_hints"].as<std::string>(), std::string("on"));
        QVERIFY(y["bootstrap"]["dcs"]["postgresql"]["use_pg_rewind"].as<bool>());
        const YAML::Node pg = y["postgresql"];
        QCOMPARE(pg["connect_address"].as<std::string>(), std::string("10.0.0.11:5432"));
        QCOMPARE(pg["data_dir"].as<std::string>(), std::string("/srv/pg/db1"));
        QCOMPARE(QByteArray::fromStdString(
                     pg["authentication"]["superuser"]["password"].as<std::string>()),
                 hostile);
        QCOMPARE(pg["authentication"]["replication"]["username"].as<std::string>(),
                 std::string("replicator"));
        QStringList hba;
        for (const YAML::Node &line : pg["pg_hba"])
            hba << QString::fromStdString(line.as<std::string>());
        QVERIFY(
            hba.contains(QStringLiteral("host replication replicator 10.0.0.12/32 scram-sha-256")));
        QVERIFY(hba.contains(QStringLiteral("host all all 192.168.1.0/24 scram-sha-256")));
        QVERIFY(!y["raft"]);
        QVERIFY(!y["restapi"]["authentication"]);
    }

    void raftAndRestAuthentication()
    {
        PatroniClusterSpec spec = twoMembers();
        spec.dcs = PatroniClusterSpec::Dcs::Raft;
        spec.restUser = QStringLiteral("ops");
        spec.restSecret = QStringLiteral("REST");
        const YAML::Node y = YAML::Load(PatroniConfig::yaml(spec, spec.members[1]).toStdString());
        QVERIFY(!y["etcd3"]);
        QCOMPARE(y["raft"]["self_addr"].as<std::string>(), std::string("10.0.0.12:5010"));
        QCOMPARE(y["raft"]["partner_addrs"].size(), std::size_t(1));
        QCOMPARE(y["raft"]["partner_addrs"][0].as<std::string>(), std::string("10.0.0.11:5010"));
        QCOMPARE(y["restapi"]["authentication"]["username"].as<std::string>(), std::string("ops"));
        QCOMPARE(y["restapi"]["authentication"]["password"].as<std::string>(),
                 std::string("${secret-json:REST}"));
    }

    void systemdUnit()
    {
        const PatroniClusterSpec spec = twoMembers();
        QCOMPARE(spec.systemdUnit(spec.members[0]), QStringLiteral("patroni-orders-db1.service"));
        const QString unit = PatroniConfig::systemdUnit(spec, spec.members[0]);
        QVERIFY(unit.contains(QLatin1String("\nUser=postgres\n")));
        QVERIFY(unit.contains(
            QLatin1String("\nExecStart=/usr/bin/patroni /srv/pg/db1.patroni/patroni.yml\n")));
        QVERIFY(unit.contains(QLatin1String("\nKillMode=process\n")));
    }

    void specProblemsAreNamed()
    {
        QVERIFY(validatePatroniSpec(twoMembers()).isEmpty());
        PatroniClusterSpec spec = twoMembers();
        spec.scope = QStringLiteral("bad name");
        spec.etcdHosts = {QStringLiteral("no-port")};
        spec.members[1].name = spec.members[0].name;
        spec.members[1].host = spec.members[0].host;
        spec.members[1].address = spec.members[0].address;
        spec.members[0].dataDir = QStringLiteral("relative/dir");
        spec.superuserSecret.clear();
        spec.loopWait = 20;
        const QString errors = validatePatroniSpec(spec).join(QLatin1Char('\n'));
        for (const char *expected :
             {"cluster name \"bad name\"", "etcd host \"no-port\" must be host:port",
              "member name \"db1\" is used twice", "10.0.0.11:5432 is used twice",
              "must be an absolute path", "passwords must be given",
              "ttl (30 s) must be at least twice loop_wait (20 s)"})
            QVERIFY2(errors.contains(QLatin1String(expected)), qPrintable(errors));
        // Stopping needs no passwords.
        spec = twoMembers();
        spec.superuserSecret.clear();
        QVERIFY(validatePatroniSpec(spec, false).isEmpty());
        spec.dcs = PatroniClusterSpec::Dcs::Raft;
        QVERIFY(validatePatroniSpec(spec)
                    .join(QLatin1Char(' '))
                    .contains(QLatin1String("loses its majority")));
    }

    void planOrder()
    {
        PatroniClusterSpec spec = twoMembers();
        Plan plan = patroniCreatePlan(spec);
        QString error;
        QVERIFY2(plan.validate(&error), qPrintable(error));
        QCOMPARE(stepIds(plan), QStringList({"check-db1", "check-db2", "etcd-1", "etcd-2",
                                             "dirs-db1", "config-db1", "dirs-db2", "config-db2",
                                             "start-db1", "wait-db1", "start-db2", "wait-db2"}));
        QCOMPARE(plan.steps()[9].url, QStringLiteral("http://10.0.0.11:8008/leader"));
        QCOMPARE(plan.steps()[11].url, QStringLiteral("http://10.0.0.12:8008/replica"));
        QCOMPARE(plan.steps()[5].fileMode, 0600);
        QVERIFY(!plan.steps()[5].content.contains(QLatin1String("hunter")));
        QVERIFY(RunbookWriter::toShell(plan).contains(
            QLatin1String("curl -fsS -o /dev/null --max-time 5 ")));

        // Raft: everybody starts before anyone is waited on.
        spec.members << spec.members[1];
        spec.members[2].name = QStringLiteral("db3");
        spec.members[2].address = QStringLiteral("10.0.0.13");
        spec.members[2].dataDir = QStringLiteral("/srv/pg/db3");
        spec.dcs = PatroniClusterSpec::Dcs::Raft;
        plan = patroniCreatePlan(spec);
        const QStringList ids = stepIds(plan);
        QVERIFY(!ids.contains(QStringLiteral("etcd-1")));
        QCOMPARE(ids.mid(ids.indexOf(QStringLiteral("start-db1"))),
                 QStringList(
                     {"start-db1", "start-db2", "start-db3", "wait-db1", "wait-db2", "wait-db3"}));
        QVERIFY(plan.steps().last().url.endsWith(QLatin1String("/health")));

        // Stop: replicas first.
        QCOMPARE(stepIds(patroniStopPlan(spec)), QStringList({"stop-db3", "stop-db2", "stop-db1"}));
    }
};

QTEST_GUILESS_MAIN(TestPatroniConfig)
#include "tst_patroniconfig.moc"
