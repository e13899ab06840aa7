#pragma once

#include "plan/planstep.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pgdeck {

// One Patroni member to create: where it runs, what it listens on, where its data lives.
struct PatroniMemberSpec {
    QString name;    // Patroni's member name; also the inventory node's name
    HostTarget host; // local or ssh; runAs owns the data and configuration directories
    QString address; // where the others (and pgdeck) reach it: PostgreSQL, REST API, raft
    int pgPort = 5432;
    int restPort = 8008;
    int raftPort = 0;  // raft only
    QString dataDir;   // must not exist or be empty
    QString configDir; // patroni.yml, its log, pgpass, raft journal; default <dataDir>.patroni

    QString configDirectory() const;
    QString configFile() const { return configDirectory() + QStringLiteral("/patroni.yml"); }
    QString logFile() const { return configDirectory() + QStringLiteral("/patroni.log"); }
    QString pidFile() const { return configDirectory() + QStringLiteral("/patroni.pid"); }
    QString restUrl() const;
    QString raftAddress() const;
};

// What the user asks for when creating a Patroni cluster. Passwords are never held here:
// the *Secret fields name ${secret:NAME} placeholders filled when the Plan runs.
struct PatroniClusterSpec {
    enum class Dcs { Etcd3, Raft };
    enum class Start { Process, Systemd };

    QString scope; // Patroni's cluster name; also the inventory cluster's name
    QList<PatroniMemberSpec> members;
    Dcs dcs = Dcs::Etcd3;
    QStringList etcdHosts; // host:port of etcd's client URLs
    Start start = Start::Process;
    QString patroniBin = QStringLiteral("/usr/bin/patroni");
    QString binDir; // PostgreSQL's bin directory on the hosts

    QString superuser = QStringLiteral("postgres");
    QString superuserSecret;
    QString replicationUser = QStringLiteral("replicator");
    QString replicationSecret;
    QString restUser; // empty: the REST API's write endpoints take no authentication
    QString restSecret;
    QStringList clientNetworks; // CIDRs allowed to connect besides the members themselves

    // Patroni's timing (bootstrap.dcs): a leader key lives ttl seconds, renewed every loop.
    int ttl = 30;
    int loopWait = 10;
    int retryTimeout = 10;
    qint64 maximumLagOnFailover = 1024 * 1024;

    QString systemdUnit(const PatroniMemberSpec &member) const;
};

} // namespace pgdeck
