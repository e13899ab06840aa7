#pragma once

#include "inventory/inventory.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace pgdeck::test {

// A native sharded sandbox (coordinator + worker1 + worker2, or more workers; no Citus even
// where it is installed) built by the real pgdeckctl
// in a temporary directory on free loopback ports; taken down when destroyed. pgdeckctl runs with
// PGDECK_STATE_DIR in the same temporary directory, as does this process.
class ShardedSandbox {
public:
    ShardedSandbox();
    ~ShardedSandbox();

    // Empty when the sandbox can be built here; else why not (a reason to skip).
    static QString unavailableReason();
    // Builds it with `workers` workers, searching free ports from `portFrom`. False with the
    // error in *error.
    bool start(int portFrom, QString *error, int workers = 2);

    const ClusterSpec &cluster() const { return m_cluster; }
    QString inventoryPath() const { return m_dir + QStringLiteral("/inventory.yaml"); }
    QString tempPath() const { return m_tmp.path(); }

    // Runs pgdeckctl with `args`; its exit code (-1 when it crashed or hung), output in *out.
    int ctl(const QStringList &args, QString *out = nullptr) const;
    // The first value of `sql` on `node`, or "<error: …>".
    QString query(const QString &node, const QString &sql) const;
    // Runs `sql` on `node`; false with the server's message in *error.
    bool exec(const QString &node, const QString &sql, QString *error) const;

private:
    QTemporaryDir m_tmp;
    QString m_dir;
    ClusterSpec m_cluster;
};

} // namespace pgdeck::test
