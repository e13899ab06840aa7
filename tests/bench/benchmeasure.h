#pragma once

// Measuring for the benchmarks: one clock, simple statistics, what /proc says about CPU and
// memory, CPU placement, and the event loop's responsiveness.
#include "sandboxfixture.h"

#include <QByteArray>
#include <QEvent>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace pgdeck::bench {

// One clock for every timestamp, monotonic, in nanoseconds since its first use.
qint64 nowNs();

double percentile(QList<double> v, double p);
double median(const QList<double> &v);
double maximum(const QList<double> &v);

qint64 threadCpuNs(); // this thread's CPU time
qint64 selfCpuUs();   // the process's user + system time
QByteArray readProcFile(const QString &path);
qint64 rssKb();
QString loadAverage();
QString cpuModel();

// CPU used so far by a set of server backends. utime+stime from /proc/<pid>/stat is what
// top shows but comes in clock ticks (10 ms); schedstat's run time is the same figure in
// nanoseconds, so both are kept: over 200 backends the tick rounding mostly cancels out.
struct BackendCpu {
    int readable = 0;
    qint64 statNs = 0;
    qint64 schedNs = 0;
    bool hasSched = true;
};

BackendCpu readBackendCpu(const QList<int> &pids);
BackendCpu operator-(const BackendCpu &a, const BackendCpu &b);

// --split-cpus: the servers' processes on every CPU but the first, this process on the
// first. The nearest this machine gets to a fleet whose servers are other hosts.
bool splitCpus(const test::SandboxFixture &fx, QString *error);
// Pins a process (the latency proxy, say) to the CPUs --split-cpus gives the servers.
bool pinToServerCpus(int pid);

// A 1 ms timer on the loop under test: any time past 1 ms between two of its timeouts is
// time the loop could not react (repaint, click, scroll).
class GapMeter {
public:
    GapMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const qint64 now = nowNs();
            m_gapsMs << double(now - m_last) / 1e6 - 1.0;
            m_last = now;
        });
    }
    void start()
    {
        m_gapsMs.clear();
        m_last = nowNs();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    const QList<double> &gapsMs() const { return m_gapsMs; }

private:
    QTimer m_timer;
    QList<double> m_gapsMs;
    qint64 m_last = 0;
};

// Runs a callback when a QTimer's time is up, before the timer emits timeout(): the start
// of a NodeProbe round, before its tick() has sent anything. Returning true swallows the
// tick.
class TimerEventHook : public QObject {
public:
    explicit TimerEventHook(std::function<bool()> before)
        : m_before(std::move(before))
    {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Timer && m_before())
            return true;
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<bool()> m_before;
};

} // namespace pgdeck::bench
