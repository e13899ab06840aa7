#include "ctlcommand.h"

#include "inventory/inventoryloader.h"
#include "pg/pgconnection.h"
#include "plan/planexecutor.h"
#include "plan/planjournal.h"
#include "plan/runbookwriter.h"
#include "sandbox/sandbox.h"
#include "statuscommand.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace pgdeck {

namespace {

int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] auto n = ::write(g_signalFds[1], &c, 1);
}

const char *const kHelp = R"(Usage: pgdeckctl <command> [options]

Commands:
  sandbox up        Build (or finish building) the local sandbox cluster: a primary and
                    two streaming standbys on 127.0.0.1 with a light pgbench load.
                    --shape sharded builds a coordinator and two workers instead
                    (--workers N for more; worker3 and beyond start empty; Citus is
                    loaded when installed, unless --backend native)
                    (independent servers, postgres_fdw, a 100,000-row users table).
  sandbox status    Show the sandbox's nodes, roles and replication state.
  sandbox down      Stop every sandbox server and remove its directory.
  run PLAN.json     Run a plan file, journaling each step.
  resume PLAN-ID    Continue an interrupted or failed plan where it stopped.
  plans             List journaled plans and their state.
  show PLAN         Print a plan (an id or a file) as text, a bash runbook (--format sh)
                    or JSON (--format json).
  inventory check FILE
                    Validate an inventory file; errors name line and column.
  ping              Connect to every node of an inventory and report role and version.
  status [--watch] [--interval 1s] [--json]
                    Health, replication lag and slots of every node (default: the
                    sandbox's inventory; -i FILE for another), once or continuously.
  shard --table T --key K --strategy hash|range|geo [--shards N] [--ranges R]
        [--coordinator NODE] [--workers A,B] [--backend native|citus]
        [--plan | --apply | --rollback]
                    Shard table T (schema.table) of a cluster over its workers. Checks
                    first and stops, naming the problem, before anything changes; --plan
                    prints the Plan (--format sh for a runbook), --apply runs it (the
                    original is kept as T_pgdeck_original), --rollback undoes it.
                    Ranges: FROM:TO=WORKER,... with an empty bound open, e.g.
                    ":N=worker1,N:=worker2". Default inventory: the sharded sandbox's.
  shards [--json]   Shards per worker of every sharded table: rows, bytes, skew.
  replica add --name N --data-dir D --port P [--primary NODE] [--host SSH-DEST]
        [--run-as USER] [--address A] [--slot S] [--replication-user U]
        [--password-secret NAME] [--bin-dir D] [--allow-restart] [--plan | --apply]
                    A streaming replica of the primary, here or on an ssh host (your
                    ssh config and agent). Checks the primary first (wal_level, WAL
                    senders, slots, wal_keep_size, listen_addresses, pg_hba.conf, the
                    replication role) and fixes it in the Plan; a restart only with
                    --allow-restart. Never touches a non-empty data directory. The
                    password comes from PGDECK_SECRET_<NAME> and goes to a 0600 file
                    beside the data directory. The node joins the inventory.
  promote NODE [--run-as USER] [--no-rewind] [--plan | --apply]
                    Make standby NODE the primary. When the primary answers it is
                    stopped first (a switchover: no write is lost), else it is a
                    failover. The other standbys follow the new primary; the old one
                    comes back as its standby through pg_rewind (--no-rewind: it stays
                    down). Refused while NODE lags or does not stream.
  rebalance [--workers A,B,C] [--drain W] [--plan | --apply | --abort | --stop]
                    Even out the shards' bytes over the workers (default: those holding
                    shards), or empty worker W. Shows the moves and the load before and
                    after; --apply copies, verifies and swaps shard by shard while writes
                    to a moving shard are refused. --abort undoes the moves an
                    interrupted rebalance left unfinished (with --apply: runs it).
                    --stop stops a running Citus rebalance (moves done stay done).
  add-worker W[,W2] [--plan | --apply]
                    Make W reachable from the coordinator (checked through
                    postgres_fdw, or citus_add_node) and move shards onto it.

  patroni create --cluster S --member name=N,port=P,rest=R,data=D[,host=DEST]... 
        (--etcd HOST:PORT | --raft) --password-secret NAME --replication-secret NAME
        [--run-as USER] [--systemd] [--rest-user U --rest-secret NAME] [--networks CIDRS]
        [--loop-wait S] [--ttl S] [-i INVENTORY] [--plan | --apply]
                    A Patroni cluster: each host checked first (Patroni, PostgreSQL, an
                    empty data directory, free ports) and the DCS, then patroni.yml per
                    member, the first member started and waited on as leader, then the
                    others as replicas. The cluster joins the inventory given with -i.
  patroni stop|start (the same options) [--plan | --apply]
                    Stop every member (replicas first; data directories stay), or start
                    them again.
  patroni list [--cluster S] [--json]
                    Members of an inventory cluster whose nodes name a Patroni REST API
                    (patroni: URL): role, state, timeline, lag, pending restart, paused,
                    and the timeline history.
  patroni switchover --candidate M [--at TIME] | failover --candidate M
        | restart M | reinit M [--force] | pause | resume
        [--cluster S] [--rest-user U --rest-secret NAME] [--apply]
                    Patroni's actions through its REST API. Without --apply, says what
                    it would do; with it, prints Patroni's answer, refusals (such as a
                    412 for a lagging candidate) as Patroni wrote them. Each is logged.

  docker init [--dir D] [--project P] [--app node|python|binary|none] [--entry F]
        [--app-port 3000] [--db single|replicated|citus] [--replicas N] [--workers N]
        [--port 5432] [--open-ports] [--write [--force]]
                    A Dockerfile and .dockerignore for the app, docker-compose.yml with
                    PostgreSQL (health checks, depends_on healthy, named volumes, ports on
                    127.0.0.1), and the .env its secrets live in. Shows each file as new,
                    unchanged or changed (with a diff); --write writes new files, --force
                    also replaces changed ones; an existing .env is never replaced.
  docker validate [--dir D]
                    `docker compose config` (or docker-compose's) on the project.
  docker up [--dir D] [--project P] [-i F] [--apply]
                    Checks the compose file, builds the app's image, `up -d`, then waits
                    until every service is healthy (or running, without a health check),
                    with Compose's output shown as it comes. With -i the project's
                    PostgreSQL services join the inventory as cluster P, and their
                    passwords (from .env) go to ~/.pgpass (or PGPASSFILE).
  docker down [--volumes] | restart [SERVICE...] | build [SERVICE...]
        | pull [SERVICE...] [--dir D] [--project P] [--apply]
                    Compose's actions as plans. down keeps the volumes (the databases)
                    unless --volumes is given.
  docker logs [SERVICE...] [--tail N]
                    The last N (100) lines of each service.
  docker ps [--project P] [--json]
                    The project's containers from the Docker Engine API: state, health,
                    ports.
  docker pgpass [--dir D] [--project P]
                    Writes ~/.pgpass (or PGPASSFILE) lines for the project's PostgreSQL
                    services, with the passwords from its .env.

  pipeline init [--dir D] [--ci github,gitlab,jenkins,circleci|all] [--name deploy]
        [--branch main] [--node 18] [--image REGISTRY/OWNER/APP] [--registry R]
        [--deploy ssh|context|none] [--deploy-host USER@HOST] [--deploy-dir /srv/app]
        [--write [--force] [--commit [--git-branch B]]]
                    One pipeline for GitHub Actions, GitLab CI, Jenkins and CircleCI:
                    install, test against a PostgreSQL service, build and push the image,
                    deploy with ssh + docker compose pull/up -d (or a Docker context).
                    Secrets are named, never written; the files are shown as a diff.
                    --commit commits them on a new branch (pgdeck/pipeline-NAME); nothing
                    is pushed.
  pipeline run-local [--dir D] [--containers | --no-containers] (the init options)
                    Runs the pipeline's steps here before it is pushed: a copy of the
                    repository, the PostgreSQL service of the test job on 127.0.0.1, each
                    step with its status, duration and output, in containers of the jobs'
                    images when Docker answers. Login, push and deploy are skipped.
  pipeline runs|trigger|watch --service github|gitlab|jenkins|circleci --repo R
        [--workflow F] [--url BASE] [--limit N] [--json] [--branch B] [--param K=V]...
        [--run ID] [--watch] [--logs] [--interval S]
                    The pipeline's runs on the CI service: list them, start one (workflow
                    dispatch, pipeline trigger, build with parameters), follow a run job by
                    job until it ends (exit 0 only on success), --logs prints the failed
                    jobs' logs. R: owner/repo (GitHub), a project id or path (GitLab), a job
                    (Jenkins, with --url), a slug like gh/owner/repo (CircleCI). Tokens come
                    from GITHUB_TOKEN, GITLAB_TOKEN, JENKINS_USER + JENKINS_TOKEN or
                    CIRCLECI_TOKEN, else from the OS keychain; rate limits are waited out.
  pipeline token set|forget --service S [--url BASE]
                    Stores the service's token in the OS keychain (read from standard
                    input, without echo on a terminal; Jenkins: the user, then the API
                    token), or removes it. One entry per service and API server.
  pipeline validate [--dir D]
                    Checks every pipeline file in the repository as its system reads it
                    (keys, job graph, steps) and lists the secrets they read.

Connection passwords come from ~/.pgpass, PGPASSFILE or PG* variables, as for psql.
Plan journals and the audit log live in $XDG_STATE_HOME/pgdeck (~/.local/state/pgdeck).
)";

} // namespace

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{
    if (g_signalFds[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalFds[0], QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [this] {
        char c;
        [[maybe_unused]] auto n = ::read(g_signalFds[0], &c, 1);
        Q_EMIT interrupted();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

CtlCommand::CtlCommand(QObject *parent)
    : QObject(parent)
    , m_out(stdout)
    , m_err(stderr)
{
    m_parser.setApplicationDescription(
        QStringLiteral("pgdeck command line: sandbox, plans, inventory."));
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOptions({
        {QStringLiteral("dir"), QStringLiteral("Sandbox directory."), QStringLiteral("path")},
        {QStringLiteral("port"),
         QStringLiteral("Sandbox base port (default 54320; 54330 for --shape sharded)."),
         QStringLiteral("port")},
        {QStringLiteral("shape"),
         QStringLiteral("Sandbox shape: replicated (primary and standbys, the default) or "
                        "sharded (coordinator and two workers)."),
         QStringLiteral("shape")},
        {QStringLiteral("standbys"), QStringLiteral("Number of sandbox standbys (default 2)."),
         QStringLiteral("n")},
        {QStringLiteral("cascade"), QStringLiteral("Second standby streams from the first.")},
        {QStringLiteral("no-load"), QStringLiteral("Do not start the pgbench load.")},
        {QStringLiteral("dry-run"), QStringLiteral("Print the plan instead of running it.")},
        {QStringLiteral("format"), QStringLiteral("Plan output: text, sh or json."),
         QStringLiteral("format"), QStringLiteral("text")},
        {{QStringLiteral("i"), QStringLiteral("inventory")},
         QStringLiteral("Inventory file."),
         QStringLiteral("file")},
        {QStringLiteral("cluster"), QStringLiteral("Only this cluster of the inventory."),
         QStringLiteral("name")},
        {QStringLiteral("watch"), QStringLiteral("status: keep redrawing until Ctrl-C.")},
        {QStringLiteral("interval"), QStringLiteral("status: sampling interval, e.g. 1s."),
         QStringLiteral("duration")},
        {QStringLiteral("json"), QStringLiteral("status: one JSON object per sample round.")},
        {QStringLiteral("table"), QStringLiteral("shard: schema.table to shard."),
         QStringLiteral("table")},
        {QStringLiteral("key"), QStringLiteral("shard: distribution column."),
         QStringLiteral("column")},
        {QStringLiteral("strategy"), QStringLiteral("shard: hash, range or geo."),
         QStringLiteral("strategy"), QStringLiteral("hash")},
        {QStringLiteral("shards"), QStringLiteral("shard: number of hash shards."),
         QStringLiteral("n")},
        {QStringLiteral("ranges"), QStringLiteral("shard: FROM:TO=WORKER,..."),
         QStringLiteral("ranges")},
        {QStringLiteral("coordinator"), QStringLiteral("shard: coordinator node."),
         QStringLiteral("node")},
        {QStringLiteral("workers"), QStringLiteral("shard: worker nodes, comma-separated."),
         QStringLiteral("nodes")},
        {QStringLiteral("plan"), QStringLiteral("shard: print the plan only.")},
        {QStringLiteral("apply"), QStringLiteral("shard: run the plan.")},
        {QStringLiteral("rollback"), QStringLiteral("shard: undo a sharding of --table.")},
        {QStringLiteral("primary"), QStringLiteral("replica: the node to copy."),
         QStringLiteral("node")},
        {QStringLiteral("name"),
         QStringLiteral("replica: the new node's name; pipeline init: the pipeline's."),
         QStringLiteral("name")},
        {QStringLiteral("host"), QStringLiteral("replica: ssh destination (default: here)."),
         QStringLiteral("dest")},
        {QStringLiteral("run-as"), QStringLiteral("replica: OS user owning the data directory."),
         QStringLiteral("user")},
        {QStringLiteral("address"), QStringLiteral("replica: address the new node listens on."),
         QStringLiteral("addr")},
        {QStringLiteral("data-dir"), QStringLiteral("replica: the new data directory."),
         QStringLiteral("dir")},
        {QStringLiteral("slot"), QStringLiteral("replica: replication slot name."),
         QStringLiteral("slot")},
        {QStringLiteral("replication-user"),
         QStringLiteral("replica: role to replicate as (default replicator)."),
         QStringLiteral("role")},
        {QStringLiteral("password-secret"),
         QStringLiteral("replica: secret NAME; the password is in PGDECK_SECRET_NAME."),
         QStringLiteral("name")},
        {QStringLiteral("bin-dir"), QStringLiteral("replica: PostgreSQL bin dir on the target."),
         QStringLiteral("dir")},
        {QStringLiteral("no-rewind"), QStringLiteral("promote: leave the old primary stopped.")},
        {QStringLiteral("allow-restart"),
         QStringLiteral("replica: fixes may restart the primary.")},
        {QStringLiteral("backend"),
         QStringLiteral("shard, sandbox up: native or citus (default: Citus when the coordinator "
                        "can load it)."),
         QStringLiteral("name")},
        {QStringLiteral("drain"), QStringLiteral("rebalance: workers to empty, comma-separated."),
         QStringLiteral("nodes")},
        {QStringLiteral("stop"), QStringLiteral("rebalance: stop a running Citus rebalance.")},
        {QStringLiteral("abort"),
         QStringLiteral("rebalance: undo the unfinished moves of an interrupted rebalance.")},
        {QStringLiteral("member"),
         QStringLiteral("patroni create: name=N,address=A,port=P,rest=R,data=D[,host=DEST]"
                        "[,raft=PORT][,config=DIR]; once per member."),
         QStringLiteral("spec")},
        {QStringLiteral("etcd"), QStringLiteral("patroni create: etcd client host:port[,...]."),
         QStringLiteral("hosts")},
        {QStringLiteral("raft"), QStringLiteral("patroni create: Patroni's raft instead of etcd.")},
        {QStringLiteral("systemd"),
         QStringLiteral("patroni create: run members as systemd units, not processes.")},
        {QStringLiteral("replication-secret"),
         QStringLiteral("patroni create: secret NAME of the replication password."),
         QStringLiteral("name")},
        {QStringLiteral("rest-user"), QStringLiteral("patroni: REST API user."),
         QStringLiteral("user")},
        {QStringLiteral("rest-secret"),
         QStringLiteral("patroni: secret NAME of the REST API password."), QStringLiteral("name")},
        {QStringLiteral("networks"),
         QStringLiteral("patroni create: client CIDRs allowed besides the members."),
         QStringLiteral("cidrs")},
        {QStringLiteral("loop-wait"), QStringLiteral("patroni create: loop_wait in seconds."),
         QStringLiteral("s")},
        {QStringLiteral("ttl"), QStringLiteral("patroni create: leader key ttl in seconds."),
         QStringLiteral("s")},
        {QStringLiteral("candidate"),
         QStringLiteral("patroni switchover/failover: the member to lead."),
         QStringLiteral("member")},
        {QStringLiteral("at"),
         QStringLiteral("patroni switchover: when, ISO 8601 with offset (default: now)."),
         QStringLiteral("time")},
        {QStringLiteral("force"),
         QStringLiteral("patroni reinit: even while it runs; docker init: replace edited files.")},
        {QStringLiteral("project"), QStringLiteral("docker: compose project name."),
         QStringLiteral("name")},
        {QStringLiteral("app"), QStringLiteral("docker init: node, python, binary or none."),
         QStringLiteral("kind")},
        {QStringLiteral("db"), QStringLiteral("docker init: single, replicated or citus."),
         QStringLiteral("shape")},
        {QStringLiteral("replicas"), QStringLiteral("docker init: streaming replicas."),
         QStringLiteral("n")},
        {QStringLiteral("entry"),
         QStringLiteral("docker init: the app's script, module or binary."),
         QStringLiteral("file")},
        {QStringLiteral("app-port"), QStringLiteral("docker init: the app's port (3000)."),
         QStringLiteral("port")},
        {QStringLiteral("open-ports"),
         QStringLiteral("docker init: publish on every interface, not 127.0.0.1.")},
        {QStringLiteral("write"), QStringLiteral("docker init: write the files.")},
        {QStringLiteral("ci"), QStringLiteral("pipeline init: CI systems (default all)."),
         QStringLiteral("list")},
        {QStringLiteral("branch"), QStringLiteral("pipeline init: the branch that deploys."),
         QStringLiteral("name")},
        {QStringLiteral("node"), QStringLiteral("pipeline init: Node.js version (18)."),
         QStringLiteral("version")},
        {QStringLiteral("image"), QStringLiteral("pipeline init: image to push, without tag."),
         QStringLiteral("name")},
        {QStringLiteral("registry"), QStringLiteral("pipeline init: registry to log in to."),
         QStringLiteral("host")},
        {QStringLiteral("deploy"), QStringLiteral("pipeline init: ssh, context or none."),
         QStringLiteral("how")},
        {QStringLiteral("deploy-host"), QStringLiteral("pipeline init: user@host to deploy to."),
         QStringLiteral("dest")},
        {QStringLiteral("deploy-dir"),
         QStringLiteral("pipeline init: the compose project's directory there."),
         QStringLiteral("dir")},
        {QStringLiteral("commit"),
         QStringLiteral("pipeline init: commit the files on a new branch (never pushed).")},
        {QStringLiteral("git-branch"), QStringLiteral("pipeline init --commit: the branch."),
         QStringLiteral("name")},
        {QStringLiteral("service"),
         QStringLiteral("pipeline: github, gitlab, jenkins or circleci."), QStringLiteral("name")},
        {QStringLiteral("repo"), QStringLiteral("pipeline: the project on the CI service."),
         QStringLiteral("name")},
        {QStringLiteral("workflow"), QStringLiteral("pipeline (GitHub): the workflow file."),
         QStringLiteral("file")},
        {QStringLiteral("url"), QStringLiteral("pipeline: the service's API address."),
         QStringLiteral("url")},
        {QStringLiteral("limit"), QStringLiteral("pipeline runs: how many (10)."),
         QStringLiteral("n")},
        {QStringLiteral("param"), QStringLiteral("pipeline trigger: KEY=VALUE, repeatable."),
         QStringLiteral("pair")},
        {QStringLiteral("run"), QStringLiteral("pipeline watch: the run (default: the newest)."),
         QStringLiteral("id")},
        {QStringLiteral("logs"), QStringLiteral("pipeline watch: print the failed jobs' logs.")},
        {QStringLiteral("containers"),
         QStringLiteral("pipeline run-local: in containers of the jobs' images.")},
        {QStringLiteral("no-containers"),
         QStringLiteral("pipeline run-local: in a scratch directory, with this machine's tools.")},
        {QStringLiteral("volumes"),
         QStringLiteral("docker down: also remove the volumes, i.e. the databases' data.")},
        {QStringLiteral("tail"), QStringLiteral("docker logs: lines per service (100)."),
         QStringLiteral("n")},
    });
    m_parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("See below."));
}

int CtlCommand::usage(const QString &message)
{
    m_err << "pgdeckctl: " << message << "\nTry 'pgdeckctl --help'.\n";
    m_err.flush();
    return 2;
}

int CtlCommand::run(const QStringList &arguments)
{
    if (!m_parser.parse(arguments))
        return usage(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("version"))) {
        m_out << "pgdeckctl " << PGDECK_VERSION << "\n";
        return 0;
    }
    if (m_parser.isSet(QStringLiteral("help"))) {
        m_out << m_parser.helpText() << "\n" << kHelp;
        return 0;
    }
    const QStringList args = m_parser.positionalArguments();
    if (args.isEmpty()) {
        m_out << kHelp;
        return 2;
    }
    const QString cmd = args.first();
    if (cmd == QLatin1String("sandbox"))
        return sandbox(args.mid(1));
    if (cmd == QLatin1String("run") && args.size() == 2)
        return runPlanFile(args[1]);
    if (cmd == QLatin1String("resume") && args.size() == 2)
        return resume(args[1]);
    if (cmd == QLatin1String("plans"))
        return listPlans();
    if (cmd == QLatin1String("show") && args.size() == 2)
        return show(args[1]);
    if (cmd == QLatin1String("inventory") && args.size() == 3 && args[1] == QLatin1String("check"))
        return checkInventory(args[2]);
    if (cmd == QLatin1String("ping"))
        return ping();
    if (cmd == QLatin1String("shard") && args.size() == 1)
        return shard();
    if (cmd == QLatin1String("shards") && args.size() == 1)
        return shards();
    if (cmd == QLatin1String("promote") && args.size() == 2)
        return promote(args[1]);
    if (cmd == QLatin1String("replica"))
        return replica(args.mid(1));
    if (cmd == QLatin1String("patroni"))
        return patroni(args.mid(1));
    if (cmd == QLatin1String("docker"))
        return docker(args.mid(1));
    if (cmd == QLatin1String("pipeline"))
        return pipeline(args.mid(1));
    if (cmd == QLatin1String("rebalance") && args.size() == 1)
        return rebalance();
    if (cmd == QLatin1String("add-worker") && args.size() == 2)
        return addWorker(args[1]);
    if (cmd == QLatin1String("status") && args.size() == 1) {
        StatusOptions o;
        o.inventoryPath = m_parser.value(QStringLiteral("inventory"));
        o.sandboxDir = m_parser.value(QStringLiteral("dir"));
        o.cluster = m_parser.value(QStringLiteral("cluster"));
        o.watch = m_parser.isSet(QStringLiteral("watch"));
        o.json = m_parser.isSet(QStringLiteral("json"));
        if (m_parser.isSet(QStringLiteral("interval"))) {
            QString e;
            if (!StatusCommand::parseInterval(m_parser.value(QStringLiteral("interval")),
                                              &o.intervalMs, &e))
                return usage(e);
        }
        m_out.flush();
        StatusCommand status;
        return status.run(o);
    }
    return usage(
        QStringLiteral("unknown command or wrong arguments: %1").arg(args.join(QLatin1Char(' '))));
}

int CtlCommand::printPlan(const Plan &plan)
{
    const QString format = m_parser.value(QStringLiteral("format"));
    if (format == QLatin1String("sh"))
        m_out << RunbookWriter::toShell(plan);
    else if (format == QLatin1String("json"))
        m_out << QJsonDocument(plan.toJson()).toJson(QJsonDocument::Indented);
    else if (format == QLatin1String("text"))
        m_out << RunbookWriter::toText(plan);
    else
        return usage(QStringLiteral("unknown format \"%1\" (text, sh or json)").arg(format));
    return 0;
}

int CtlCommand::runPlan(const Plan &plan, const QString &resumeId)
{
    PlanExecutor executor;
    SignalWatcher signals;
    QEventLoop loop;
    int exitCode = 1;
    QElapsedTimer stepClock;
    connect(&signals, &SignalWatcher::interrupted, &executor, [&] {
        m_err << "\ninterrupted: cancelling the running step...\n";
        m_err.flush();
        executor.cancel();
    });
    connect(&executor, &PlanExecutor::stepStarted, this,
            [&](int i, int total, const QString &title) {
                stepClock.start();
                m_out << QStringLiteral("[%1/%2] %3 ... ").arg(i + 1).arg(total).arg(title);
                m_out.flush();
            });
    bool outputShown = false; // the step's "... " line was broken by output lines
    if (m_liveOutput)
        connect(&executor, &PlanExecutor::output, this, [&](const QString &line) {
            if (!outputShown)
                m_out << "\n";
            outputShown = true;
            m_out << "      | " << line << "\n";
            m_out.flush();
        });
    connect(&executor, &PlanExecutor::stepFinished, this,
            [&](int, PlanExecutor::StepOutcome outcome, const QString &message) {
                if (outputShown)
                    m_out << "      -> ";
                outputShown = false;
                m_out << PlanExecutor::outcomeName(outcome);
                if (outcome == PlanExecutor::StepOutcome::Done)
                    m_out << QStringLiteral(" (%1 s)").arg(stepClock.elapsed() / 1000.0, 0, 'f', 1);
                m_out << "\n";
                // Output shown as it came is not repeated: its first line says enough.
                const QString shown =
                    m_liveOutput ? message.section(QLatin1Char('\n'), 0, 0) : message;
                if (outcome == PlanExecutor::StepOutcome::Failed && !shown.isEmpty())
                    m_out << "      "
                          << QString(shown).replace(QLatin1Char('\n'), QStringLiteral("\n      "))
                          << "\n";
                m_out.flush();
            });
    connect(&executor, &PlanExecutor::finished, this, [&](bool ok, const QString &summary) {
        QStringList lines = summary.split(QLatin1Char('\n'));
        if (m_liveOutput && lines.size() > 2) // the failed command's output was shown above
            lines = {lines.first(), lines.last()};
        (ok ? m_out : m_err) << lines.join(QLatin1Char('\n')) << "\n";
        m_out.flush();
        m_err.flush();
        exitCode = ok ? 0 : 1;
        loop.quit();
    });
    QString error;
    const bool started =
        resumeId.isEmpty() ? executor.start(plan, &error) : executor.resume(resumeId, &error);
    if (!started) {
        m_err << "pgdeckctl: " << error << "\n";
        return 1;
    }
    m_out << QStringLiteral("plan %1: %2\n").arg(executor.plan().id(), executor.plan().title());
    m_out.flush();
    loop.exec();
    return exitCode;
}

int CtlCommand::runPlanFile(const QString &path)
{
    Plan plan;
    QString error;
    if (!Plan::load(path, &plan, &error)) {
        m_err << "pgdeckctl: " << error << "\n";
        return 1;
    }
    if (m_parser.isSet(QStringLiteral("dry-run")))
        return printPlan(plan);
    return runPlan(plan);
}

int CtlCommand::resume(const QString &planId)
{
    return runPlan(Plan(), planId);
}

int CtlCommand::listPlans()
{
    const QStringList ids = PlanJournal::listIds();
    if (ids.isEmpty()) {
        m_out << "no plans journaled yet\n";
        return 0;
    }
    for (const QString &id : ids) {
        PlanJournal j;
        QString error;
        if (!PlanJournal::open(id, &j, &error)) {
            m_out << id << "  (unreadable: " << error << ")\n";
            continue;
        }
        const QDateTime last = j.entries().isEmpty() ? j.plan().created() : j.entries().last().time;
        m_out << QStringLiteral("%1  %2  %3  %4\n")
                     .arg(id, last.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                          PlanJournal::runStateName(j.runState()).leftJustified(22),
                          j.plan().title());
    }
    return 0;
}

int CtlCommand::show(const QString &what)
{
    Plan plan;
    QString error;
    if (QFileInfo::exists(what)) {
        if (!Plan::load(what, &plan, &error)) {
            m_err << "pgdeckctl: " << error << "\n";
            return 1;
        }
    } else {
        PlanJournal j;
        if (!PlanJournal::open(what, &j, &error)) {
            m_err << "pgdeckctl: " << error << "\n";
            return 1;
        }
        plan = j.plan();
    }
    return printPlan(plan);
}

int CtlCommand::checkInventory(const QString &path)
{
    Inventory inv;
    QList<InventoryError> errors;
    if (!InventoryLoader::load(path, &inv, &errors)) {
        for (const InventoryError &e : errors)
            m_err << e.toString() << "\n";
        return 1;
    }
    int nodes = 0;
    for (const ClusterSpec &c : inv.clusters)
        nodes += c.nodes.size();
    m_out << QStringLiteral("%1: ok, %2 clusters, %3 nodes\n")
                 .arg(path)
                 .arg(inv.clusters.size())
                 .arg(nodes);
    return 0;
}

int CtlCommand::ping()
{
    Inventory inv;
    QString path;
    if (!loadInventory(SandboxShape::Replicated, &inv, &path))
        return 2;
    int failures = 0;
    for (const ClusterSpec &cluster : inv.clusters) {
        if (m_parser.isSet(QStringLiteral("cluster")) &&
            cluster.name != m_parser.value(QStringLiteral("cluster")))
            continue;
        m_out << "cluster " << cluster.name << "\n";
        // All nodes connect at once; the slowest bounds the wait, not the sum.
        QList<PgConnection *> conns;
        QList<QList<PgResult>> results(cluster.nodes.size());
        int pending = int(cluster.nodes.size());
        QEventLoop loop;
        for (int i = 0; i < cluster.nodes.size(); ++i) {
            auto *c = new PgConnection(&loop);
            c->setParams(ConnectionParams::fromNode(cluster.nodes[i]));
            c->setDisplayName(cluster.nodes[i].name);
            c->setConnectTimeout(5000);
            c->open();
            c->execBatch({{QStringLiteral("select current_setting('server_version')"), {}, {}},
                          {QStringLiteral("select pg_is_in_recovery()"), {}, {}},
                          {QStringLiteral("select count(*) from pg_stat_replication"), {}, {}}},
                         &loop, [&, i](const QList<PgResult> &r) {
                             results[i] = r;
                             if (--pending == 0)
                                 loop.quit();
                         });
            conns << c;
        }
        if (pending > 0)
            loop.exec();
        for (int i = 0; i < cluster.nodes.size(); ++i) {
            const NodeSpec &n = cluster.nodes[i];
            const QList<PgResult> &r = results[i];
            if (r.isEmpty() || !r[0].ok()) {
                ++failures;
                m_out << QStringLiteral("  %1  DOWN  %2\n")
                             .arg(n.name.leftJustified(12),
                                  r.isEmpty() ? QStringLiteral("?") : r[0].errorMessage());
                continue;
            }
            const bool standby = r[1].scalar().toBool();
            m_out << QStringLiteral("  %1  up    PostgreSQL %2  %3  %4 standbys attached\n")
                         .arg(n.name.leftJustified(12),
                              r[0].text(0, 0).section(QLatin1Char(' '), 0, 0),
                              standby ? QStringLiteral("standby") : QStringLiteral("primary"),
                              r[2].text(0, 0));
        }
    }
    return failures ? 1 : 0;
}

} // namespace pgdeck
