#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace pgdeck::test {

class EtcdFixture;

// A real Patroni cluster on 127.0.0.1 for integration tests: etcd from EtcdFixture, the
// members created by the real `pgdeckctl patroni create` (path from $PGDECKCTL) with short
// loop_wait/ttl, and an inventory file naming them. Passwords come from secrets this
// fixture exports (PGDECK_SECRET_*), and PGPASSFILE points at a file holding the
// superuser's password so libpq connections from tests and from pgdeck just work. The REST
// API takes no authentication unless setRestCredentials() was called before up().
class PatroniCluster {
public:
    PatroniCluster();
    ~PatroniCluster(); // stops the members, then etcd

    PatroniCluster(const PatroniCluster &) = delete;
    PatroniCluster &operator=(const PatroniCluster &) = delete;

    // Before up(): the members' REST API then wants this user and password for its unsafe
    // calls (POST, PATCH, DELETE), given to `patroni create` as --rest-user/--rest-secret.
    void setRestCredentials(const QString &user, const QString &password);
    QString restUser() const { return m_restUser; } // empty: no REST authentication
    QString restPassword() const { return m_restPassword; }

    // Returns once the first member leads and the others run as replicas.
    bool up(int members, QString *error, const QString &scope = QStringLiteral("pgha"));
    void down();

    QString scope() const { return m_scope; }
    QString inventoryPath() const { return m_dir.path() + QStringLiteral("/inventory.yaml"); }
    QString memberName(int index) const { return QStringLiteral("m%1").arg(index + 1); }
    int pgPort(int index) const { return m_pgPort + index; }
    int restPort(int index) const { return m_restPort + index; }
    QString restUrl(int index) const;
    QString conninfo(int index) const; // host=127.0.0.1 port=... user=postgres dbname=postgres
    QString dataDir(int index) const;
    QString configDir(int index) const { return dataDir(index) + QStringLiteral(".patroni"); }
    qint64 patroniPid(int index) const; // from the member's pid file; 0 when not running
    QString etcdHost() const;           // 127.0.0.1:PORT
    // The arguments `pgdeckctl patroni create|stop` took, for tests that drive the CLI.
    QStringList memberArgs() const;
    QString dir() const { return m_dir.path(); }
    static QString superuserPassword() { return QStringLiteral("pgdeck-test-su"); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<EtcdFixture> m_etcd;
    QString m_scope;
    int m_members = 0;
    int m_pgPort = 0;
    int m_restPort = 0;
    QString m_restUser;
    QString m_restPassword;
    bool m_started = false;
};

} // namespace pgdeck::test
