#include "patroniconfig.h"

#include <yaml-cpp/yaml.h>

namespace pgdeck {

namespace {

std::string s(const QString &text)
{
    return text.toStdString();
}

// A password field: the placeholder becomes a double-quoted literal when the file is written,
// so any password keeps patroni.yml valid.
std::string secretValue(const QString &secretName)
{
    return s(QStringLiteral("${secret-json:%1}").arg(secretName));
}

void credentials(YAML::Emitter &out, const QString &user, const QString &secret)
{
    out << YAML::BeginMap << YAML::Key << "username" << YAML::Value << s(user);
    if (!secret.isEmpty())
        out << YAML::Key << "password" << YAML::Value << secretValue(secret);
    out << YAML::EndMap;
}

QString hostPort(const QString &host, int port)
{
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

} // namespace

QString PatroniMemberSpec::configDirectory() const
{
    return configDir.isEmpty() ? dataDir + QStringLiteral(".patroni") : configDir;
}

QString PatroniMemberSpec::restUrl() const
{
    return QStringLiteral("http://%1").arg(hostPort(address, restPort));
}

QString PatroniMemberSpec::raftAddress() const
{
    return hostPort(address, raftPort);
}

QString PatroniClusterSpec::systemdUnit(const PatroniMemberSpec &member) const
{
    return QStringLiteral("patroni-%1-%2.service").arg(scope, member.name);
}

QStringList PatroniConfig::hbaLines(const PatroniClusterSpec &cluster)
{
    QStringList lines{QStringLiteral("local all all peer")};
    QStringList sources;
    for (const PatroniMemberSpec &m : cluster.members) {
        const QString cidr = m.address.contains(QLatin1Char(':'))
                                 ? m.address + QStringLiteral("/128")
                                 : m.address + QStringLiteral("/32");
        if (!sources.contains(cidr))
            sources << cidr;
    }
    for (const QString &src : std::as_const(sources))
        lines << QStringLiteral("host replication %1 %2 scram-sha-256")
                     .arg(cluster.replicationUser, src);
    for (const QString &net : cluster.clientNetworks)
        if (!sources.contains(net))
            sources << net;
    for (const QString &src : std::as_const(sources))
        lines << QStringLiteral("host all all %1 scram-sha-256").arg(src);
    return lines;
}

QString PatroniConfig::yaml(const PatroniClusterSpec &cluster, const PatroniMemberSpec &member)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "scope" << YAML::Value << s(cluster.scope);
    out << YAML::Key << "name" << YAML::Value << s(member.name);

    out << YAML::Key << "restapi" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "listen" << YAML::Value << s(hostPort(member.address, member.restPort));
    out << YAML::Key << "connect_address" << YAML::Value
        << s(hostPort(member.address, member.restPort));
    if (!cluster.restUser.isEmpty()) {
        out << YAML::Key << "authentication" << YAML::Value;
        credentials(out, cluster.restUser, cluster.restSecret);
    }
    out << YAML::EndMap;

    if (cluster.dcs == PatroniClusterSpec::Dcs::Etcd3) {
        out << YAML::Key << "etcd3" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "hosts" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const QString &h : cluster.etcdHosts)
            out << s(h);
        out << YAML::EndSeq << YAML::EndMap;
    } else {
        out << YAML::Key << "raft" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "data_dir" << YAML::Value
            << s(member.configDirectory() + QStringLiteral("/raft"));
        out << YAML::Key << "self_addr" << YAML::Value << s(member.raftAddress());
        out << YAML::Key << "partner_addrs" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const PatroniMemberSpec &other : cluster.members)
            if (other.name != member.name)
                out << s(other.raftAddress());
        out << YAML::EndSeq << YAML::EndMap;
    }

    // Written to the DCS once, by the member that bootstraps: the cluster-wide settings.
    out << YAML::Key << "bootstrap" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "dcs" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "ttl" << YAML::Value << cluster.ttl;
    out << YAML::Key << "loop_wait" << YAML::Value << cluster.loopWait;
    out << YAML::Key << "retry_timeout" << YAML::Value << cluster.retryTimeout;
    out << YAML::Key << "maximum_lag_on_failover" << YAML::Value << cluster.maximumLagOnFailover;
    out << YAML::Key << "postgresql" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "use_pg_rewind" << YAML::Value << true;
    out << YAML::Key << "use_slots" << YAML::Value << true;
    out << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "wal_level" << YAML::Value << "replica";
    out << YAML::Key << "hot_standby" << YAML::Value << "on";
    out << YAML::Key << "wal_log_hints" << YAML::Value << "on"; // pg_rewind needs it
    out << YAML::Key << "max_wal_senders" << YAML::Value << 10;
    out << YAML::Key << "max_replication_slots" << YAML::Value << 10;
    out << YAML::Key << "wal_keep_size" << YAML::Value << "1GB";
    out << YAML::EndMap << YAML::EndMap << YAML::EndMap;
    out << YAML::Key << "initdb" << YAML::Value << YAML::BeginSeq << YAML::BeginMap << YAML::Key
        << "encoding" << YAML::Value << "UTF8" << YAML::EndMap << "data-checksums" << YAML::EndSeq;
    out << YAML::EndMap;

    out << YAML::Key << "postgresql" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "listen" << YAML::Value << s(hostPort(member.address, member.pgPort));
    out << YAML::Key << "connect_address" << YAML::Value
        << s(hostPort(member.address, member.pgPort));
    out << YAML::Key << "data_dir" << YAML::Value << s(member.dataDir);
    if (!cluster.binDir.isEmpty())
        out << YAML::Key << "bin_dir" << YAML::Value << s(cluster.binDir);
    out << YAML::Key << "pgpass" << YAML::Value
        << s(member.configDirectory() + QStringLiteral("/pgpass"));
    out << YAML::Key << "authentication" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "superuser" << YAML::Value;
    credentials(out, cluster.superuser, cluster.superuserSecret);
    out << YAML::Key << "replication" << YAML::Value;
    credentials(out, cluster.replicationUser, cluster.replicationSecret);
    out << YAML::EndMap;
    out << YAML::Key << "pg_hba" << YAML::Value << YAML::BeginSeq;
    for (const QString &line : hbaLines(cluster))
        out << s(line);
    out << YAML::EndSeq;
    // The socket sits beside the configuration: /var/run/postgresql may not be ours to write.
    out << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "unix_socket_directories" << YAML::Value << s(member.configDirectory());
    out << YAML::EndMap;
    out << YAML::EndMap;

    out << YAML::Key << "tags" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "nofailover" << YAML::Value << false;
    out << YAML::Key << "noloadbalance" << YAML::Value << false;
    out << YAML::Key << "clonefrom" << YAML::Value << false;
    out << YAML::Key << "nosync" << YAML::Value << false;
    out << YAML::EndMap;
    out << YAML::EndMap;
    return QStringLiteral("# generated by pgdeck for member %1 of %2\n")
               .arg(member.name, cluster.scope) +
           QString::fromUtf8(out.c_str()) + QLatin1Char('\n');
}

QString PatroniConfig::systemdUnit(const PatroniClusterSpec &cluster,
                                   const PatroniMemberSpec &member)
{
    const QString user =
        member.host.runAs.isEmpty() ? QStringLiteral("postgres") : member.host.runAs;
    return QStringLiteral("# generated by pgdeck\n"
                          "[Unit]\n"
                          "Description=Patroni member %1 of cluster %2\n"
                          "After=network-online.target\n"
                          "Wants=network-online.target\n\n"
                          "[Service]\n"
                          "Type=simple\n"
                          "User=%3\n"
                          "ExecStart=%4 %5\n"
                          "ExecReload=/bin/kill -HUP $MAINPID\n"
                          "KillMode=process\n"
                          "TimeoutSec=30\n"
                          "Restart=on-failure\n\n"
                          "[Install]\n"
                          "WantedBy=multi-user.target\n")
        .arg(member.name, cluster.scope, user, cluster.patroniBin, member.configFile());
}

} // namespace pgdeck
