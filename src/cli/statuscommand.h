#pragma once

#include "monitor/monitorevent.h"
#include "monitor/nodestatus.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QTextStream>
#include <memory>
#include <vector>

class QEventLoop;
class QIODevice;
class QTimer;

namespace pgdeck {

struct Inventory;

struct StatusOptions {
    QString inventoryPath; // empty: the sandbox's inventory
    QString sandboxDir;    // --dir; empty: Sandbox::defaultDir(); only used without -i
    QString cluster;       // empty: every cluster of the inventory
    bool watch = false;
    int intervalMs = 0; // 0: each cluster's monitor interval; else 100 ms .. 1 h
    bool json = false;
};

// `pgdeckctl status`: the GUI's health and lag figures in a terminal, for servers with no
// display. One NodeProbe per cluster, the same EventDetector as the Events page; prints a
// table (or newline-delimited JSON) once, or every interval with --watch until SIGINT/SIGTERM.
// Exit codes as CtlCommand: 0 every node up (always 0 for --watch), 1 some node down or stale
// or the inventory unreadable, 2 bad usage.
class StatusCommand : public QObject {
    Q_OBJECT
public:
    explicit StatusCommand(QObject *parent = nullptr); // writes to stdout/stderr
    // Writes to the given devices (opened for writing, not owned); for tests and embedding.
    StatusCommand(QIODevice *out, QIODevice *err, QObject *parent = nullptr);
    ~StatusCommand() override;

    int run(const StatusOptions &options);

    // ANSI colour and screen redraws. Default: on when writing to stdout and it is a
    // terminal (and NO_COLOR is not set); always off for JSON.
    void setTerminal(bool on) { m_terminal = on; }

    // The options' lines for `pgdeckctl --help`.
    static QString helpText();
    // "--interval" values: "500ms", "1s", "2m", bare seconds; 100 ms .. 1 h.
    static bool parseInterval(const QString &text, int *ms, QString *error);
    // 512 B, 1.5 kB, 16 MB, 2.0 GB (1024 multiples, like pg_size_pretty); "-" when < 0.
    static QString formatBytes(qint64 bytes);
    // 42s, 5m 12s, 2h 03m, 3d 04h; "-" when < 0.
    static QString formatUptime(qint64 seconds);

public Q_SLOTS:
    // Ends a --watch run as SIGINT does (run() returns 0), or cuts a one-shot wait short.
    void stop();

private:
    struct Cluster;
    int usage(const QString &message);
    int fail(const QString &message);
    bool loadInventory(const StatusOptions &options, Inventory *inv, int *exitCode);
    void onStatus(Cluster &cluster, const NodeStatus &status);
    bool settled(bool wantTps) const;
    void waitFirstRound(int limitMs);
    int exitCode() const;
    NodeStatus effective(const NodeStatus &s) const;

    void printRound();
    void printText();
    void printEventLine(const MonitorEvent &e);
    QJsonObject roundJson() const;

    QString paint(const QString &text, const char *sgr) const;

    QTextStream m_out;
    QTextStream m_err;
    bool m_terminal = false;
    bool m_json = false;
    bool m_watch = false;
    bool m_stopped = false;
    int m_intervalMs = 1000; // redraw
    int m_longestIntervalMs = 1000;
    int m_deadlineMs = 0; // since m_clock: a node still connecting is then down
    QElapsedTimer m_clock;
    QEventLoop *m_loop = nullptr; // the loop run() is waiting in, for stop()
    QTimer *m_grace = nullptr;    // first round: waiting for a second sample (TPS)
    std::vector<std::unique_ptr<Cluster>> m_clusters;
    QList<MonitorEvent> m_pendingEvents; // since the last JSON round
    QList<MonitorEvent> m_recentEvents;  // shown under a redrawn screen
};

} // namespace pgdeck
