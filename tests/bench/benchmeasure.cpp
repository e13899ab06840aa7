#include "benchmeasure.h"

#include "sandbox/sandboxconfig.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>

#include <sched.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>

namespace pgdeck::bench {

qint64 nowNs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.nsecsElapsed();
}

// ---- statistics -------------------------------------------------------------------------

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(v.size())));
    return v[std::clamp<qsizetype>(rank - 1, 0, v.size() - 1)];
}

double median(const QList<double> &v)
{
    return percentile(v, 50);
}

double maximum(const QList<double> &v)
{
    return v.isEmpty() ? 0 : *std::max_element(v.begin(), v.end());
}

// ---- what the operating system says -----------------------------------------------------

// User + system CPU of this whole process (all threads: QHostInfo's pool included).
qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

qint64 selfCpuUs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return qint64(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000 + u.ru_utime.tv_usec +
           u.ru_stime.tv_usec;
}

QByteArray readProcFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

qint64 rssKb()
{
    for (const QByteArray &line : readProcFile(QStringLiteral("/proc/self/status")).split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

QString loadAverage()
{
    const QList<QByteArray> f = readProcFile(QStringLiteral("/proc/loadavg")).split(' ');
    return f.size() >= 3 ? QString::fromLatin1(f[0] + ' ' + f[1] + ' ' + f[2]) : QString();
}

QString cpuModel()
{
    for (const QByteArray &line : readProcFile(QStringLiteral("/proc/cpuinfo")).split('\n'))
        if (line.startsWith("model name"))
            return QString::fromLatin1(line.mid(line.indexOf(':') + 1).trimmed());
    return QStringLiteral("?");
}

BackendCpu readBackendCpu(const QList<int> &pids)
{
    static const qint64 nsPerTick = 1000000000LL / sysconf(_SC_CLK_TCK);
    BackendCpu cpu;
    for (int pid : pids) {
        const QByteArray stat = readProcFile(QStringLiteral("/proc/%1/stat").arg(pid));
        // The command name may hold spaces: fields are counted after its closing ')'.
        const QList<QByteArray> f = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (f.size() < 13)
            continue;
        ++cpu.readable;
        cpu.statNs += (f[11].toLongLong() + f[12].toLongLong()) * nsPerTick; // fields 14, 15
        const QByteArray sched = readProcFile(QStringLiteral("/proc/%1/schedstat").arg(pid));
        if (sched.isEmpty())
            cpu.hasSched = false;
        cpu.schedNs += sched.split(' ').value(0).toLongLong();
    }
    return cpu;
}

BackendCpu operator-(const BackendCpu &a, const BackendCpu &b)
{
    BackendCpu d;
    d.readable = std::min(a.readable, b.readable);
    d.statNs = a.statNs - b.statNs;
    d.schedNs = a.schedNs - b.schedNs;
    d.hasSched = a.hasSched && b.hasSched;
    return d;
}

// ---- CPU placement -------------------------------------------------------------------------

// Pins a process and its threads to `cpus`. Children forked later (new backends) inherit it.
static bool pinProcess(int pid, const cpu_set_t &cpus)
{
    bool ok = true;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        ok = sched_setaffinity(tid.toInt(), sizeof cpus, &cpus) == 0 && ok;
    return ok;
}

// --split-cpus: the servers' processes on every CPU but the first, this process on the
// first. The nearest this machine gets to a fleet where the monitored servers are other
// hosts: the console's threads no longer queue behind 200 backends waking at once.
bool pinToServerCpus(int pid)
{
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    cpu_set_t servers;
    CPU_ZERO(&servers);
    for (int c = 1; c < n; ++c)
        CPU_SET(c, &servers);
    return n >= 2 && pinProcess(pid, servers);
}

bool splitCpus(const test::SandboxFixture &fx, QString *error)
{
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 2) {
        *error = QStringLiteral("--split-cpus needs at least 2 CPUs");
        return false;
    }
    cpu_set_t console, servers;
    CPU_ZERO(&console);
    CPU_ZERO(&servers);
    CPU_SET(0, &console);
    for (int c = 1; c < n; ++c)
        CPU_SET(c, &servers);
    const SandboxConfig &c = fx.config();
    QSet<int> postmasters;
    for (int i = 0; i < c.nodeCount(); ++i) {
        QFile f(c.dataDir(c.nodeName(i)) + QStringLiteral("/postmaster.pid"));
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1").arg(f.fileName());
            return false;
        }
        postmasters.insert(QString::fromLatin1(f.readLine()).trimmed().toInt());
    }
    // Postmasters and the processes they have already forked.
    const QStringList procs =
        QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : procs) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
        const int ppid = f.value(1).toInt();
        if (postmasters.contains(pid.toInt()) || postmasters.contains(ppid))
            pinProcess(pid.toInt(), servers);
    }
    if (!pinProcess(int(getpid()), console)) {
        *error = QStringLiteral("sched_setaffinity failed for this process");
        return false;
    }
    return true;
}

// ---- the event loop's responsiveness ------------------------------------------------------

} // namespace pgdeck::bench
