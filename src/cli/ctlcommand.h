#pragma once

#include <QCommandLineParser>
#include <QObject>
#include <QTextStream>

#include <memory>

namespace pgdeck {

class Plan;
struct ClusterSpec;
struct PatroniClusterSpec;
struct PatroniSnapshot;
struct Deployment;
struct GeneratedFile;
class CiClient;
struct PipelineSpec;
enum class CiSystem;
struct ComposeProject;
class ComposeFile;
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
    int replica(const QStringList &args);       // replicacommand.cpp
    int promote(const QString &candidate);      // replicacommand.cpp
    int patroni(const QStringList &args);       // patronicommand.cpp
    int patroniCreate();                        // patronicommand.cpp
    int patroniList();                          // patronirestcommand.cpp
    int patroniAction(const QStringList &args); // patronirestcommand.cpp
    bool patroniCluster(ClusterSpec *cluster);  // patronirestcommand.cpp
    bool patroniSnapshot(const ClusterSpec &cluster, PatroniSnapshot *snapshot);
    // The Patroni cluster of the inventory and what its REST API says; 0, or the exit code.
    int patroniLoad(ClusterSpec *cluster, PatroniSnapshot *snapshot);
    // Appends "write the inventory" to the plan, then prints it or (--apply) runs it.
    // The inventory at path, or an empty one when the file does not exist yet; false (with
    // the loader's errors printed) when it exists but does not load.
    bool inventoryToExtend(const QString &path, Inventory *inv);
    int printOrRun(const Plan &plan); // --apply runs the plan, else it is printed
    int applyWithInventory(Plan plan, const Inventory &inv, const QString &inventoryPath,
                           const QString &title);
    bool patroniSpec(PatroniClusterSpec *spec, bool creating = true); // patronicommand.cpp
    int docker(const QStringList &args);                              // dockercommand.cpp
    bool dockerDeployment(Deployment *d);                             // dockercommand.cpp
    QString dockerProjectDir() const;  // --dir, else the current directory
    QString dockerProjectName() const; // --project, else Compose's default for the directory
    int dockerAction(const QString &action, const QStringList &services); // dockerrun.cpp
    int dockerPs();                                                       // dockerrun.cpp
    int dockerPgPass();                                                   // dockerrun.cpp
    // Shows each file as new, unchanged or changed (with a diff) against dir; --write writes
    // Prints each error; false (and "nothing written") when there is any.
    bool noErrors(const QStringList &errors);
    // the new ones, --force also the changed ones. note comes after the list; *committable
    // gets the generated paths the directory holds afterwards.
    int proposeFiles(const QString &dir, const QList<GeneratedFile> &files,
                     const QString &note = {}, QStringList *committable = nullptr);
    int pipeline(const QStringList &args);                           // pipelinecommand.cpp
    bool pipelineSpec(PipelineSpec *spec, QList<CiSystem> *systems); // pipelinecommand.cpp
    int pipelineValidate(const QString &dir);                        // pipelinecommand.cpp
    int pipelineRunLocal(const QString &dir);
    std::unique_ptr<CiClient> ciClient();                 // pipelineservicecommand.cpp
    int pipelineToken(const QString &action);             // pipelineservicecommand.cpp
    int pipelineRuns();                                   // pipelineservicecommand.cpp
    int pipelineTrigger();                                // pipelineservicecommand.cpp
    int pipelineWatch();                                  // pipelineservicecommand.cpp
    int watchRun(CiClient *client, const QString &runId); // pipelinecommand.cpp
    bool dockerComposeProject(ComposeProject *project, ComposeFile *file);
    // The inventory named by -i, else the sandbox's (of `defaultShape`, or --dir).
    bool loadInventory(SandboxShape defaultShape, Inventory *inventory, QString *path);
    int runPlan(const Plan &plan, const QString &resumeId = {});
    int printPlan(const Plan &plan);
    int sandboxStatus(const QString &dir);
    int usage(const QString &message);

    QCommandLineParser m_parser;
    QTextStream m_out;
    QTextStream m_err;
    bool m_liveOutput = false; // runPlan shows the commands' output as it comes
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
