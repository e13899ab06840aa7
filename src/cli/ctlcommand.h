#pragma once

#include <QCommandLineParser>
#include <QObject>
#include <QTextStream>

namespace pgdeck {

class Plan;
struct ClusterSpec;
struct Inventory;
enum class SandboxShape;

// pgdeckctl's commands. Each returns the process exit code: 0 ok, 1 failed, 2 bad usage.
// Lives in the core so the CLI stays a thin main and the commands can be tested.
class CtlCommand : public QObject {
    Q_OBJECT
public:
    explicit CtlCommand(QObject *parent = nullptr);
    int run(const QStringList &arguments);

private:
    int sandbox(const QStringList &args);
    int runPlanFile(const QString &path);
    int resume(const QString &planId);
    int listPlans();
    int show(const QString &what);
    int checkInventory(const QString &path);
    int ping();
    int shard();                                       // shardcommand.cpp
    int shards();                                      // shardcommand.cpp
    int rebalance(const QStringList &newWorkers = {}); // rebalancecommand.cpp
    int addWorker(const QString &workers);             // rebalancecommand.cpp
    bool loadShardingCluster(ClusterSpec *cluster);
    int replica(const QStringList &args);  // replicacommand.cpp
    int promote(const QString &candidate); // replicacommand.cpp
    // The inventory named by -i, else the sandbox's (of `defaultShape`, or --dir).
    bool loadInventory(SandboxShape defaultShape, Inventory *inventory, QString *path);
    int runPlan(const Plan &plan, const QString &resumeId = {});
    int printPlan(const Plan &plan);
    int sandboxStatus(const QString &dir);
    int usage(const QString &message);

    QCommandLineParser m_parser;
    QTextStream m_out;
    QTextStream m_err;
};

// Installs SIGINT/SIGTERM handlers that emit `interrupted` on the event loop.
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
Q_SIGNALS:
    void interrupted();
};

} // namespace pgdeck
