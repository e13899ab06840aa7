#include "statuscommand.h"
#include "texttable.h"

#include "cli/ctlcommand.h"
#include "inventory/inventoryloader.h"
#include "monitor/eventdetector.h"
#include "monitor/nodeprobe.h"
#include "sandbox/sandbox.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace pgdeck {

namespace {

constexpr int kMinIntervalMs = 100; // NodeProbe's own floor
constexpr int kMaxIntervalMs = 3600 * 1000;
constexpr int kRecentEvents = 8;

// SGR parameters.
constexpr const char *kBold = "1";
constexpr const char *kGreen = "32";
constexpr const char *kYellow = "33";
constexpr const char *kRed = "1;31";
constexpr const char *kDim = "2";

const QString kDash = QStringLiteral("-");

QString stateName(NodeStatus::Health h)
{
    switch (h) {
    case NodeStatus::Health::Up:
        return QStringLiteral("up");
    case NodeStatus::Health::Down:
        return QStringLiteral("down");
    case NodeStatus::Health::Stale:
        return QStringLiteral("stale");
    case NodeStatus::Health::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

// -1 is the monitor's "unknown"; JSON says null instead.
QJsonValue intOrNull(qint64 v)
{
    return v < 0 ? QJsonValue() : QJsonValue(v);
}

QJsonValue realOrNull(double v)
{
    return v < 0 ? QJsonValue() : QJsonValue(v);
}

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

// With the UTC offset, so rounds from machines in different zones line up.
QString isoTime(const QDateTime &t)
{
    return t.toOffsetFromUtc(t.offsetFromUtc()).toString(Qt::ISODateWithMs);
}

QString seconds(double s)
{
    if (s < 0)
        return kDash;
    return QStringLiteral("%1 s").arg(s, 0, 'f', s < 10 ? 3 : 1);
}

QString percent(double ratio)
{
    return ratio < 0 ? kDash : QStringLiteral("%1%").arg(ratio * 100.0, 0, 'f', 2);
}

} // namespace

struct StatusCommand::Cluster {
    ClusterSpec spec;
    std::unique_ptr<NodeProbe> probe;
    EventDetector detector;
};

StatusCommand::StatusCommand(QObject *parent)
    : QObject(parent)
    , m_out(stdout)
    , m_err(stderr)
{
    // Colour and redraws only for a person at a terminal; pipes and logs get plain text.
    const QByteArray term = qgetenv("TERM");
    m_terminal =
        ::isatty(STDOUT_FILENO) == 1 && qEnvironmentVariableIsEmpty("NO_COLOR") && term != "dumb";
}

StatusCommand::StatusCommand(QIODevice *out, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_out(out)
    , m_err(err)
{}

StatusCommand::~StatusCommand() = default;

QString StatusCommand::helpText()
{
    return QStringLiteral(
        R"(Usage: pgdeckctl status [-i FILE | --dir DIR] [--cluster NAME] [--watch]
                        [--interval DURATION] [--json]

Shows what the console's Nodes and Replication pages show: each node's state, role,
version, uptime, connections, TPS and cache hit ratio; each stream's lag in bytes
(sent/write/flush/replay) and seconds; the replication slots; the errors of nodes that
are down.

  -i, --inventory FILE  Inventory to watch (default: the sandbox's inventory.yaml).
  --dir DIR             Sandbox directory whose inventory is used when -i is not given.
  --cluster NAME        Only this cluster of the inventory.
  --watch               Redraw every interval and print events as they happen (node
                        down or up, role change, lag over its threshold, slot at risk)
                        until Ctrl-C.
  --interval DURATION   Sampling interval: 500ms, 1s, 2m ... from 100ms to 1h
                        (default: the inventory's monitor interval).
  --json                One JSON object per sample round, one a line; nulls for
                        unknown values; never coloured.

Exit status: 0 every node up (--watch: 0 when stopped), 1 a node down or stale or the
inventory unreadable, 2 bad usage.
)");
}

bool StatusCommand::parseInterval(const QString &text, int *ms, QString *error)
{
    double value = 0;
    // Written so that NaN fails too.
    if (!InventoryLoader::parseDurationMs(text, &value) ||
        !(value >= kMinIntervalMs && value <= kMaxIntervalMs)) {
        if (error)
            *error = QStringLiteral("--interval must be a duration from 100ms to 1h such as "
                                    "500ms, 1s or 2m, not \"%1\"")
                         .arg(text);
        return false;
    }
    *ms = int(std::llround(value));
    return true;
}

QString StatusCommand::formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return kDash;
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    static const char *const units[] = {"kB", "MB", "GB", "TB", "PB"};
    double v = double(bytes);
    int u = -1;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(v, 0, 'f', v < 10 ? 1 : 0).arg(QLatin1String(units[u]));
}

QString StatusCommand::formatUptime(qint64 s)
{
    if (s < 0)
        return kDash;
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s < 86400)
        return QStringLiteral("%1h %2m").arg(s / 3600).arg(s % 3600 / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1d %2h").arg(s / 86400).arg(s % 86400 / 3600, 2, 10, QLatin1Char('0'));
}

void StatusCommand::stop()
{
    m_stopped = true;
    if (m_loop)
        m_loop->quit();
}

int StatusCommand::usage(const QString &message)
{
    m_err << "pgdeckctl status: " << message << "\nTry 'pgdeckctl --help'.\n";
    m_err.flush();
    return 2;
}

int StatusCommand::fail(const QString &message)
{
    m_err << "pgdeckctl status: " << message << "\n";
    m_err.flush();
    return 1;
}

bool StatusCommand::loadInventory(const StatusOptions &options, Inventory *inv, int *exitCode)
{
    QString path = options.inventoryPath;
    if (path.isEmpty()) {
        SandboxConfig c;
        QString error;
        const QString dir =
            options.sandboxDir.isEmpty() ? Sandbox::defaultDir() : options.sandboxDir;
        if (!Sandbox::loadConfig(dir, &c, &error)) {
            *exitCode = usage(QStringLiteral("no --inventory given and %1").arg(error));
            return false;
        }
        path = c.inventoryPath();
    }
    QList<InventoryError> errors;
    if (!InventoryLoader::load(path, inv, &errors)) {
        // Every error, each as file:line:column, so one edit can fix them all.
        for (const InventoryError &e : errors)
            m_err << e.toString() << "\n";
        if (errors.isEmpty())
            m_err << path << ": cannot read the inventory\n";
        m_err.flush();
        *exitCode = 1;
        return false;
    }
    return true;
}

int StatusCommand::run(const StatusOptions &options)
{
    m_clusters.clear();
    m_pendingEvents.clear();
    m_recentEvents.clear();
    m_stopped = false;
    m_json = options.json;
    m_watch = options.watch;

    if (options.intervalMs != 0 &&
        (options.intervalMs < kMinIntervalMs || options.intervalMs > kMaxIntervalMs))
        return usage(QStringLiteral("--interval must be from 100ms to 1h, not %1 ms")
                         .arg(options.intervalMs));

    Inventory inv;
    int rc = 0;
    if (!loadInventory(options, &inv, &rc))
        return rc;
    QStringList names;
    for (const ClusterSpec &c : inv.clusters)
        names << c.name;
    if (!options.cluster.isEmpty() && !inv.cluster(options.cluster))
        return usage(QStringLiteral("no cluster \"%1\" in the inventory (it has: %2)")
                         .arg(options.cluster, names.join(QStringLiteral(", "))));

    int shortest = kMaxIntervalMs;
    int longest = 0;
    for (const ClusterSpec &spec : inv.clusters) {
        if (!options.cluster.isEmpty() && spec.name != options.cluster)
            continue;
        auto c = std::make_unique<Cluster>();
        c->spec = spec;
        c->detector.setSettings(spec.monitor);
        c->probe = std::make_unique<NodeProbe>(spec);
        if (options.intervalMs > 0)
            c->probe->setIntervalMs(options.intervalMs);
        shortest = qMin(shortest, c->probe->intervalMs());
        longest = qMax(longest, c->probe->intervalMs());
        Cluster *raw = c.get();
        connect(c->probe.get(), &NodeProbe::statusChanged, this,
                [this, raw](const NodeStatus &s) { onStatus(*raw, s); });
        m_clusters.push_back(std::move(c));
    }
    if (m_clusters.empty())
        return fail(QStringLiteral("the inventory has no clusters"));
    m_intervalMs = options.intervalMs > 0 ? options.intervalMs : shortest;
    m_longestIntervalMs = longest;

    std::unique_ptr<SignalWatcher> watcher;
    if (m_watch) {
        watcher = std::make_unique<SignalWatcher>();
        connect(watcher.get(), &SignalWatcher::interrupted, this, &StatusCommand::stop);
    }
    m_clock.start();
    for (auto &c : m_clusters)
        c->probe->start();

    // A one-shot waits for every node's answer; a watch shows its first frame within an
    // interval and lets slow nodes say "connecting" until they answer or time out.
    m_deadlineMs = m_longestIntervalMs + NodeProbe::kConnectTimeoutMs + 1000;
    waitFirstRound(m_watch ? m_longestIntervalMs + 500 : m_deadlineMs);
    if (!m_watch) {
        printRound();
        rc = exitCode();
    } else if (!m_stopped) {
        printRound();
        // Redraw half an interval after the probes' ticks (they started with m_clock): the
        // round's samples are in by then, so a frame never races the sample it should show.
        // Recomputed each time, so frames do not drift away from the ticks.
        QTimer redraw;
        redraw.setTimerType(Qt::PreciseTimer);
        redraw.setSingleShot(true);
        auto scheduleNext = [this, &redraw] {
            const qint64 phase = m_intervalMs / 2;
            qint64 delay =
                ((phase - m_clock.elapsed()) % m_intervalMs + m_intervalMs) % m_intervalMs;
            if (delay < m_intervalMs / 10)
                delay += m_intervalMs;
            redraw.start(int(delay));
        };
        connect(&redraw, &QTimer::timeout, this, [this, scheduleNext] {
            printRound();
            scheduleNext();
        });
        scheduleNext();
        QEventLoop loop;
        m_loop = &loop;
        loop.exec();
        m_loop = nullptr;
    }
    for (auto &c : m_clusters)
        c->probe->stop();
    m_clusters.clear();
    return rc;
}

void StatusCommand::onStatus(Cluster &cluster, const NodeStatus &status)
{
    for (const MonitorEvent &e : cluster.detector.update(status)) {
        if (m_json) {
            m_pendingEvents << e;
        } else if (m_watch) {
            m_recentEvents << e;
            while (m_recentEvents.size() > kRecentEvents)
                m_recentEvents.removeFirst();
            printEventLine(e);
            m_out.flush();
        }
    }
    if (m_loop && m_grace) {
        if (settled(true))
            m_loop->quit();
        else if (settled(false) && !m_grace->isActive())
            m_grace->start();
    }
}

bool StatusCommand::settled(bool wantTps) const
{
    for (const auto &c : m_clusters) {
        for (const NodeStatus &s : c->probe->statuses()) {
            const NodeStatus::Health h = s.health();
            if (h == NodeStatus::Health::Unknown)
                return false;
            if (wantTps && h == NodeStatus::Health::Up && s.tps < 0)
                return false;
        }
    }
    return true;
}

void StatusCommand::waitFirstRound(int limitMs)
{
    // Every node answers or fails within the connect timeout plus one interval. TPS is a
    // rate and needs a second sample: worth one more interval, not a longer wait.
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.setTimerType(Qt::PreciseTimer); // never early: effective() relies on it
    connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(limitMs);
    QTimer grace;
    grace.setSingleShot(true);
    grace.setInterval(m_longestIntervalMs + 500);
    connect(&grace, &QTimer::timeout, &loop, &QEventLoop::quit);
    m_grace = &grace;
    m_loop = &loop;
    if (!m_stopped && !settled(true))
        loop.exec();
    m_loop = nullptr;
    m_grace = nullptr;
}

NodeStatus StatusCommand::effective(const NodeStatus &s) const
{
    if (s.health() != NodeStatus::Health::Unknown || m_clock.elapsed() < m_deadlineMs)
        return s;
    // Still connecting after a connect timeout and an interval: as good as down.
    NodeStatus d = s;
    d.reachable = false;
    d.lastError =
        QStringLiteral("no answer after %1 s").arg(double(m_clock.elapsed()) / 1000.0, 0, 'f', 1);
    return d;
}

int StatusCommand::exitCode() const
{
    for (const auto &c : m_clusters)
        for (const NodeStatus &s : c->probe->statuses())
            if (effective(s).health() != NodeStatus::Health::Up)
                return 1;
    return 0;
}

QString StatusCommand::paint(const QString &text, const char *sgr) const
{
    if (!m_terminal || m_json || !sgr)
        return text;
    return QStringLiteral("\x1b[%1m%2\x1b[0m").arg(QLatin1String(sgr), text);
}

void StatusCommand::printEventLine(const MonitorEvent &e)
{
    const char *sgr = e.severity == MonitorEvent::Severity::Critical  ? kRed
                      : e.severity == MonitorEvent::Severity::Warning ? kYellow
                                                                      : kGreen;
    // libpq's messages span lines; an event is one.
    QString line = e.time.toString(QStringLiteral("HH:mm:ss")) + QLatin1Char(' ') +
                   paint(MonitorEvent::severityName(e.severity).toUpper(), sgr) + QLatin1Char(' ');
    if (m_clusters.size() > 1)
        line += QStringLiteral("[%1] ").arg(e.cluster);
    m_out << line << e.message.simplified() << "\n";
}

void StatusCommand::printRound()
{
    if (m_json) {
        m_out << QJsonDocument(roundJson()).toJson(QJsonDocument::Compact) << "\n";
        m_pendingEvents.clear();
        m_out.flush();
        return;
    }
    const QString now =
        QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (m_watch && m_terminal) {
        m_out << "\x1b[H\x1b[2J"; // home, clear: a redraw in place
        m_out << paint(QStringLiteral("pgdeckctl status  %1  every %2 s  (Ctrl-C quits)")
                           .arg(now)
                           .arg(m_intervalMs / 1000.0),
                       kDim)
              << "\n\n";
    } else if (m_watch) {
        m_out << "--- " << now << " ---\n";
    }
    printText();
    if (m_watch && m_terminal && !m_recentEvents.isEmpty()) {
        m_out << "\n" << paint(QStringLiteral("recent events"), kBold) << "\n";
        for (const MonitorEvent &e : m_recentEvents) {
            m_out << "  ";
            printEventLine(e);
        }
    }
    m_out.flush();
}

void StatusCommand::printText()
{
    using Cell = TextTable::Cell;
    bool first = true;
    for (const auto &c : m_clusters) {
        if (!first)
            m_out << "\n";
        first = false;
        const QList<NodeStatus> statuses = c->probe->statuses();
        int up = 0;
        for (const NodeStatus &raw : statuses)
            up += effective(raw).health() == NodeStatus::Health::Up;
        m_out << paint(QStringLiteral("cluster %1").arg(c->spec.name), kBold)
              << QStringLiteral(": %1 of %2 nodes up\n").arg(up).arg(statuses.size());

        TextTable nodes({QStringLiteral("NODE"), QStringLiteral("ROLE"), QStringLiteral("STATE"),
                         QStringLiteral("VERSION"), QStringLiteral("UPTIME"),
                         QStringLiteral("CONN"), QStringLiteral("TPS"),
                         QStringLiteral("CACHE HIT")},
                        {false, false, false, false, true, true, true, true});
        TextTable streams({QStringLiteral("UPSTREAM → STANDBY"), QStringLiteral("STATE"),
                           QStringLiteral("SYNC"), QStringLiteral("SENT"), QStringLiteral("WRITE"),
                           QStringLiteral("FLUSH"), QStringLiteral("REPLAY"),
                           QStringLiteral("REPLAY LAG")},
                          {false, false, false, true, true, true, true, true});
        TextTable slots({QStringLiteral("NODE"), QStringLiteral("SLOT"), QStringLiteral("ACTIVE"),
                         QStringLiteral("RETAINED"), QStringLiteral("WAL STATUS"),
                         QStringLiteral("SAFE WAL SIZE")},
                        {false, false, false, true, false, true});
        QStringList errors;
        const MonitorSettings &warn = c->spec.monitor;

        for (const NodeStatus &raw : statuses) {
            const NodeStatus s = effective(raw);
            const NodeStatus::Health h = s.health();
            // A stale node keeps its last values, marked by its state; a down one has none.
            const bool values = s.hasSample() && h != NodeStatus::Health::Down;
            Cell state;
            switch (h) {
            case NodeStatus::Health::Up:
                state = {QStringLiteral("up"), kGreen};
                break;
            case NodeStatus::Health::Down:
                state = {QStringLiteral("DOWN"), kRed};
                break;
            case NodeStatus::Health::Stale:
                state = {QStringLiteral("stale"), kYellow};
                break;
            case NodeStatus::Health::Unknown:
                state = {QStringLiteral("connecting"), kDim};
                break;
            }
            const QString role = s.roleName().isEmpty() ? kDash : s.roleName();
            if (!values) {
                nodes.add({{s.node}, {role}, state, {kDash}, {kDash}, {kDash}, {kDash}, {kDash}});
            } else {
                nodes.add({{s.node},
                           {role},
                           state,
                           {s.version.section(QLatin1Char(' '), 0, 0)},
                           {formatUptime(s.uptimeSeconds)},
                           {QStringLiteral("%1/%2").arg(s.activeConnections).arg(s.connections)},
                           {s.tps < 0 ? kDash : QString::number(s.tps, 'f', 1)},
                           {percent(s.cacheHitRatio)}});
                for (const StandbyLag &l : s.standbyLags) {
                    const bool lagHigh =
                        (warn.lagWarnBytes > 0 && l.replayLagBytes > warn.lagWarnBytes) ||
                        (warn.lagWarnSeconds > 0 && l.replayLagSeconds > warn.lagWarnSeconds);
                    const char *lagSgr = lagHigh ? kYellow : nullptr;
                    streams.add(
                        {{QStringLiteral("%1 → %2").arg(s.node, l.name)},
                         {l.state, l.state == QLatin1String("streaming") ? kGreen : kYellow},
                         {l.syncState},
                         {formatBytes(l.sentLagBytes)},
                         {formatBytes(l.writeLagBytes)},
                         {formatBytes(l.flushLagBytes)},
                         {formatBytes(l.replayLagBytes), lagSgr},
                         {seconds(l.replayLagSeconds), lagSgr}});
                }
                for (const ReplicationSlotInfo &slot : s.slots) {
                    const char *walSgr = slot.walStatus == QLatin1String("lost")         ? kRed
                                         : slot.walStatus == QLatin1String("unreserved") ? kYellow
                                                                                         : nullptr;
                    slots.add({{s.node},
                               {slot.name},
                               {slot.active ? QStringLiteral("yes") : QStringLiteral("no")},
                               {formatBytes(slot.retainedBytes)},
                               {slot.walStatus.isEmpty() ? kDash : slot.walStatus, walSgr},
                               {formatBytes(slot.safeWalSize)}});
                }
            }
            if (h != NodeStatus::Health::Up && !s.lastError.isEmpty()) {
                const QString pad(s.node.size() + 2, QLatin1Char(' '));
                QStringList lines = s.lastError.split(QLatin1Char('\n'));
                for (QString &l : lines)
                    l = l.trimmed();
                errors << QStringLiteral("%1: %2").arg(paint(s.node, kBold),
                                                       lines.join(QLatin1Char('\n') + pad));
            }
        }

        const bool colour = m_terminal && !m_json;
        m_out << nodes.render(colour) << "\n";
        if (streams.isEmpty())
            m_out << "no streaming standbys\n";
        else
            m_out << streams.render(colour);
        if (!slots.isEmpty())
            m_out << "\n" << slots.render(colour);
        if (!errors.isEmpty())
            m_out << "\n" << errors.join(QLatin1Char('\n')) << "\n";
    }
}

QJsonObject StatusCommand::roundJson() const
{
    QJsonArray clusters;
    for (const auto &c : m_clusters) {
        QJsonArray nodes;
        for (const NodeStatus &raw : c->probe->statuses()) {
            const NodeStatus s = effective(raw);
            const NodeStatus::Health h = s.health();
            const bool values = s.hasSample() && h != NodeStatus::Health::Down;
            QJsonObject n{
                {QStringLiteral("name"), s.node},
                {QStringLiteral("role"), textOrNull(s.roleName())},
                {QStringLiteral("state"), stateName(h)},
                {QStringLiteral("error"), textOrNull(s.lastError)},
                {QStringLiteral("sampled_at"),
                 s.hasSample() ? QJsonValue(isoTime(s.sampledAt.toLocalTime())) : QJsonValue()},
            };
            QJsonArray standbys;
            QJsonArray slots;
            QJsonValue receiver;
            if (values) {
                n[QStringLiteral("version")] = s.version;
                n[QStringLiteral("uptime_s")] = intOrNull(s.uptimeSeconds);
                n[QStringLiteral("connections")] = s.connections;
                n[QStringLiteral("active")] = s.activeConnections;
                n[QStringLiteral("tps")] = realOrNull(s.tps);
                n[QStringLiteral("cache_hit_ratio")] = realOrNull(s.cacheHitRatio);
                for (const StandbyLag &l : s.standbyLags)
                    standbys.append(QJsonObject{
                        {QStringLiteral("name"), l.name},
                        {QStringLiteral("client_addr"), textOrNull(l.clientAddr)},
                        {QStringLiteral("state"), textOrNull(l.state)},
                        {QStringLiteral("sync_state"), textOrNull(l.syncState)},
                        {QStringLiteral("sent_lag_bytes"), intOrNull(l.sentLagBytes)},
                        {QStringLiteral("write_lag_bytes"), intOrNull(l.writeLagBytes)},
                        {QStringLiteral("flush_lag_bytes"), intOrNull(l.flushLagBytes)},
                        {QStringLiteral("replay_lag_bytes"), intOrNull(l.replayLagBytes)},
                        {QStringLiteral("write_lag_s"), realOrNull(l.writeLagSeconds)},
                        {QStringLiteral("flush_lag_s"), realOrNull(l.flushLagSeconds)},
                        {QStringLiteral("replay_lag_s"), realOrNull(l.replayLagSeconds)},
                    });
                if (s.receiver.present)
                    receiver = QJsonObject{
                        {QStringLiteral("status"), textOrNull(s.receiver.status)},
                        {QStringLiteral("sender_host"), textOrNull(s.receiver.senderHost)},
                        {QStringLiteral("sender_port"), s.receiver.senderPort > 0
                                                            ? QJsonValue(s.receiver.senderPort)
                                                            : QJsonValue()},
                        {QStringLiteral("slot"), textOrNull(s.receiver.slotName)},
                        {QStringLiteral("replay_lag_bytes"), intOrNull(s.receiver.replayLagBytes)},
                        {QStringLiteral("seconds_since_replay"),
                         realOrNull(s.receiver.secondsSinceReplay)},
                    };
                for (const ReplicationSlotInfo &slot : s.slots)
                    slots.append(QJsonObject{
                        {QStringLiteral("name"), slot.name},
                        {QStringLiteral("type"), textOrNull(slot.type)},
                        {QStringLiteral("active"), slot.active},
                        {QStringLiteral("retained_bytes"), intOrNull(slot.retainedBytes)},
                        {QStringLiteral("wal_status"), textOrNull(slot.walStatus)},
                        {QStringLiteral("safe_wal_size"), intOrNull(slot.safeWalSize)},
                    });
            } else {
                for (const char *key :
                     {"version", "uptime_s", "connections", "active", "tps", "cache_hit_ratio"})
                    n[QLatin1String(key)] = QJsonValue();
            }
            n[QStringLiteral("standbys")] = standbys;
            n[QStringLiteral("receiver")] = receiver;
            n[QStringLiteral("slots")] = slots;
            nodes.append(n);
        }
        clusters.append(QJsonObject{
            {QStringLiteral("name"), c->spec.name},
            {QStringLiteral("interval_ms"), c->probe->intervalMs()},
            {QStringLiteral("nodes"), nodes},
        });
    }
    QJsonArray events;
    for (const MonitorEvent &e : m_pendingEvents)
        events.append(QJsonObject{
            {QStringLiteral("time"), isoTime(e.time)},
            {QStringLiteral("severity"), MonitorEvent::severityName(e.severity)},
            {QStringLiteral("kind"), MonitorEvent::kindName(e.kind)},
            {QStringLiteral("cluster"), e.cluster},
            {QStringLiteral("node"), e.node},
            {QStringLiteral("subject"), textOrNull(e.subject)},
            {QStringLiteral("message"), e.message},
        });
    return QJsonObject{
        {QStringLiteral("time"), isoTime(QDateTime::currentDateTime())},
        {QStringLiteral("clusters"), clusters},
        {QStringLiteral("events"), events},
    };
}

} // namespace pgdeck
