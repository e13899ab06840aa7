#include "pgconnection.h"
#include "pgresultbuilder.h"
#include "socketpoller.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <libpq-fe.h>

namespace pgdeck {

struct PgConnection::Job {
    QList<PgQuery> queries;
    bool batch = false;
    bool hasContext = false;
    QPointer<QObject> context;
    Callback single;
    BatchCallback multi;

    QList<PgResult> results; // one per query
    QList<bool> answered;
    bool pipeline = false;
    struct Slot {
        int query;
        bool isPrepare;
        QString prepareName;
    };
    QList<Slot> pending;
    int currentSlot = 0;
    bool gotResultInSlot = false;
};

namespace {

QByteArray paramText(const QVariant &v)
{
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? "t" : "f";
    if (v.typeId() == QMetaType::QByteArray)
        return v.toByteArray();
    return v.toString().toUtf8();
}

// Parameter arrays that stay alive while libpq reads them.
struct ParamArrays {
    QList<QByteArray> storage;
    QList<const char *> values;
    explicit ParamArrays(const QVariantList &params)
    {
        storage.reserve(params.size());
        for (const QVariant &v : params) {
            if (v.isNull() || !v.isValid()) {
                storage << QByteArray();
                values << nullptr;
            } else {
                storage << paramText(v);
                values << storage.last().constData();
            }
        }
    }
};

bool isIpLiteral(const QString &host)
{
    return !QHostAddress(host).isNull();
}

} // namespace

PgConnection::PgConnection(QObject *parent)
    : QObject(parent)
    , m_connectTimer(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
{
    m_connectTimer->setSingleShot(true);
    m_reconnectTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, &PgConnection::onConnectTimeout);
    connect(m_reconnectTimer, &QTimer::timeout, this, &PgConnection::startConnect);
}

PgConnection::~PgConnection()
{
    // Callbacks must not run into a half-destroyed owner: drop them silently.
    m_jobs.clear();
    close();
}

QString PgConnection::displayName() const
{
    return m_displayName.isEmpty() ? m_params.displayName() : m_displayName;
}

void PgConnection::setAutoReconnect(bool on, int initialMs, int maxMs)
{
    m_autoReconnect = on;
    m_backoffInitialMs = initialMs;
    m_backoffMaxMs = maxMs;
    m_backoffMs = initialMs;
}

void PgConnection::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void PgConnection::open()
{
    if (m_state == State::Ready || m_state == State::Connecting || m_state == State::Resolving)
        return;
    m_backoffMs = m_backoffInitialMs;
    startConnect();
}

void PgConnection::close()
{
    m_reconnectTimer->stop();
    m_connectTimer->stop();
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    ++m_generation;
    clearNotifiers();
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
    m_prepared.clear();
    const bool hadJobs = !m_jobs.empty();
    if (hadJobs)
        failAllJobs(PgResult::Status::ConnectionLost,
                    QStringLiteral("%1: connection closed").arg(displayName()));
    setState(State::Disconnected);
}

void PgConnection::startConnect()
{
    ++m_generation;
    clearNotifiers();
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
    m_prepared.clear();
    m_connectTimer->start(m_connectTimeoutMs);

    // Resolve names with QHostInfo first: PQconnectStart would call getaddrinfo and block.
    const QStringList hosts = m_params.value(QStringLiteral("host")).split(QLatin1Char(','));
    const bool needLookup = !m_params.has(QStringLiteral("hostaddr")) &&
                            m_params.has(QStringLiteral("host")) && hosts.size() == 1 &&
                            !hosts[0].startsWith(QLatin1Char('/')) &&
                            !hosts[0].startsWith(QLatin1Char('@')) && !isIpLiteral(hosts[0]);
    if (!needLookup) {
        startLibpq({});
        return;
    }
    setState(State::Resolving);
    const quint64 generation = m_generation;
    m_lookupId = QHostInfo::lookupHost(hosts[0], this, [this, generation](const QHostInfo &info) {
        if (generation != m_generation)
            return; // a newer attempt or close() superseded this lookup
        m_lookupId = -1;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            fail(QStringLiteral("could not resolve host name \"%1\": %2")
                     .arg(info.hostName(), info.errorString()),
                 false);
            return;
        }
        // Hand libpq every address, as its own getaddrinfo would: "localhost" may be ::1
        // first while the server listens on 127.0.0.1 only.
        QStringList addrs;
        for (const QHostAddress &a : info.addresses())
            addrs << a.toString();
        startLibpq(addrs);
    });
}

void PgConnection::startLibpq(const QStringList &hostaddrs)
{
    setState(State::Connecting);
    QList<QPair<QString, QString>> items = m_params.items();
    auto setDefault = [&](const QString &k, const QString &v) {
        for (const auto &item : items)
            if (item.first == k)
                return;
        items.append({k, v});
    };
    if (!hostaddrs.isEmpty()) {
        const QString host = m_params.value(QStringLiteral("host"));
        for (auto &item : items)
            if (item.first == QLatin1String("host"))
                item.second = QStringList(hostaddrs.size(), host).join(QLatin1Char(','));
        items.append({QStringLiteral("hostaddr"), hostaddrs.join(QLatin1Char(','))});
    }
    setDefault(QStringLiteral("application_name"), m_applicationName);
    setDefault(QStringLiteral("connect_timeout"),
               QString::number(qMax(2, m_connectTimeoutMs / 1000)));
    // Notice a dead peer in seconds rather than the kernel's two hours.
    setDefault(QStringLiteral("keepalives"), QStringLiteral("1"));
    setDefault(QStringLiteral("keepalives_idle"), QStringLiteral("10"));
    setDefault(QStringLiteral("keepalives_interval"), QStringLiteral("5"));
    setDefault(QStringLiteral("keepalives_count"), QStringLiteral("3"));
    if (m_statementTimeoutMs > 0) {
        const QString opt = QStringLiteral("-c statement_timeout=%1").arg(m_statementTimeoutMs);
        bool merged = false;
        for (auto &item : items)
            if (item.first == QLatin1String("options")) {
                item.second += QLatin1Char(' ') + opt;
                merged = true;
            }
        if (!merged)
            items.append({QStringLiteral("options"), opt});
    }

    QList<QByteArray> keys, values;
    QList<const char *> kp, vp;
    for (const auto &item : items) {
        keys << item.first.toUtf8();
        values << item.second.toUtf8();
    }
    for (int i = 0; i < keys.size(); ++i) {
        kp << keys[i].constData();
        vp << values[i].constData();
    }
    kp << nullptr;
    vp << nullptr;

    m_conn = PQconnectStartParams(kp.constData(), vp.constData(), 0);
    if (!m_conn) {
        fail(QStringLiteral("out of memory starting a connection"), false);
        return;
    }
    if (PQstatus(m_conn) == CONNECTION_BAD) {
        fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed(), false);
        return;
    }
    PQsetnonblocking(m_conn, 1);
    PQsetNoticeReceiver(m_conn, &PgConnection::noticeReceiver, this);
    // libpq: after PQconnectStart, behave as if PQconnectPoll returned WRITING.
    armNotifiers(false, true);
}

void PgConnection::pollConnect()
{
    switch (PQconnectPoll(m_conn)) {
    case PGRES_POLLING_READING:
        armNotifiers(true, false);
        break;
    case PGRES_POLLING_WRITING:
        armNotifiers(false, true);
        break;
    case PGRES_POLLING_OK:
        m_connectTimer->stop();
        m_backoffMs = m_backoffInitialMs;
        m_lastError.clear();
        armNotifiers(true, false);
        setState(State::Ready);
        Q_EMIT connected();
        startNextJob();
        break;
    case PGRES_POLLING_FAILED:
    default:
        fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed(), false);
        break;
    }
}

void PgConnection::onConnectTimeout()
{
    if (m_state == State::Resolving || m_state == State::Connecting)
        fail(QStringLiteral("timeout expired after %1 ms while connecting").arg(m_connectTimeoutMs),
             false);
}

void PgConnection::fail(const QString &error, bool wasReady)
{
    m_connectTimer->stop();
    clearNotifiers();
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
    m_prepared.clear();
    m_busy = false;
    m_lastError = error;
    const QString message = QStringLiteral("%1: %2").arg(displayName(), error);
    failAllJobs(PgResult::Status::ConnectionLost, message);
    if (wasReady)
        Q_EMIT connectionLost(error);
    else
        Q_EMIT connectFailed(error);
    if (m_autoReconnect)
        scheduleReconnect();
    else
        setState(State::Disconnected);
}

void PgConnection::scheduleReconnect()
{
    setState(State::WaitingToReconnect);
    // Jitter keeps a wall of consoles from reconnecting in lockstep after an outage.
    const int jitter = QRandomGenerator::global()->bounded(qMax(1, m_backoffMs / 5));
    m_reconnectTimer->start(m_backoffMs + jitter);
    m_backoffMs = qMin(m_backoffMs * 2, m_backoffMaxMs);
}

void PgConnection::armNotifiers(bool read, bool write)
{
    const int sock = m_conn ? PQsocket(m_conn) : -1;
    if (sock != m_socket || (m_poller && m_poller->thread() != QThread::currentThread())) {
        // libpq may switch sockets between PQconnectPoll calls (several hosts/addresses).
        clearNotifiers();
        m_socket = sock;
        if (sock < 0)
            return;
        m_poller = SocketPoller::forCurrentThread();
        m_poller->watch(sock, 0, [this](int event) {
            if (event == SocketPoller::Read)
                onReadable();
            else
                onWritable();
        });
    }
    m_poller->watch(m_socket, (read ? SocketPoller::Read : 0) | (write ? SocketPoller::Write : 0));
}

void PgConnection::clearNotifiers()
{
    if (m_poller)
        m_poller->unwatch(m_socket);
    m_poller.reset();
    m_socket = -1;
}

void PgConnection::onReadable()
{
    if (!m_conn)
        return;
    if (m_state == State::Connecting) {
        pollConnect();
        return;
    }
    if (!PQconsumeInput(m_conn)) {
        fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed(), true);
        return;
    }
    if (m_busy)
        drainResults();
    else if (PQstatus(m_conn) == CONNECTION_BAD)
        fail(QStringLiteral("server closed the connection"), true);
    else
        while (PGnotify *n = PQnotifies(m_conn))
            PQfreemem(n);
}

void PgConnection::onWritable()
{
    if (!m_conn)
        return;
    if (m_state == State::Connecting)
        pollConnect();
    else
        flushOutput();
}

void PgConnection::flushOutput()
{
    const int r = PQflush(m_conn);
    if (r < 0) {
        fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed(), true);
        return;
    }
    armNotifiers(true, r == 1); // 1: more to send once the socket is writable again
}

void PgConnection::exec(const QString &sql, const QVariantList &params, QObject *context,
                        Callback done)
{
    exec(PgQuery{sql, params, {}}, context, std::move(done));
}

void PgConnection::exec(const PgQuery &query, QObject *context, Callback done)
{
    auto job = std::make_unique<Job>();
    job->queries = {query};
    job->hasContext = context != nullptr;
    job->context = context;
    job->single = std::move(done);
    m_jobs.push_back(std::move(job));
    startNextJob();
}

void PgConnection::execBatch(const QList<PgQuery> &queries, QObject *context, BatchCallback done)
{
    auto job = std::make_unique<Job>();
    job->queries = queries;
    job->batch = true;
    job->hasContext = context != nullptr;
    job->context = context;
    job->multi = std::move(done);
    m_jobs.push_back(std::move(job));
    startNextJob();
}

void PgConnection::startNextJob()
{
    if (m_busy || m_jobs.empty())
        return;
    if (m_state != State::Ready) {
        if (m_state == State::Disconnected)
            failAllJobs(PgResult::Status::ConnectionLost,
                        QStringLiteral("%1: not connected%2")
                            .arg(displayName(), m_lastError.isEmpty()
                                                    ? QString()
                                                    : QStringLiteral(" (%1)").arg(m_lastError)));
        return; // runs once connected
    }
    Job &job = *m_jobs.front();
    if (job.queries.isEmpty()) {
        finishJob();
        return;
    }
    m_busy = true;
    m_cancelRequested = false;
    if (!sendJob(job)) {
        fail(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed(), true);
        return;
    }
    flushOutput();
}

bool PgConnection::sendJob(Job &job)
{
    job.results =
        QList<PgResult>(job.queries.size(),
                        PgResult::failure(PgResult::Status::Skipped, QStringLiteral("no result")));
    job.answered = QList<bool>(job.queries.size(), false);
    const PgQuery &first = job.queries.constFirst();
    job.pipeline = job.batch || !first.prepareAs.isEmpty();
    if (!job.pipeline) {
        // The simple protocol allows scripts of several statements; parameters need the
        // extended one.
        if (first.params.isEmpty())
            return PQsendQuery(m_conn, first.sql.toUtf8().constData());
        ParamArrays p(first.params);
        return PQsendQueryParams(m_conn, first.sql.toUtf8().constData(), int(p.values.size()),
                                 nullptr, p.values.constData(), nullptr, nullptr, 0);
    }
    if (!PQenterPipelineMode(m_conn))
        return false;
    job.pending.clear();
    job.currentSlot = 0;
    job.gotResultInSlot = false;
    for (int i = 0; i < job.queries.size(); ++i) {
        const PgQuery &q = job.queries[i];
        ParamArrays p(q.params);
        const QByteArray sql = q.sql.toUtf8();
        if (!q.prepareAs.isEmpty()) {
            const QByteArray name = q.prepareAs.toUtf8();
            if (!m_prepared.contains(q.prepareAs)) {
                if (!PQsendPrepare(m_conn, name.constData(), sql.constData(), 0, nullptr))
                    return false;
                job.pending.append({i, true, q.prepareAs});
            }
            if (!PQsendQueryPrepared(m_conn, name.constData(), int(p.values.size()),
                                     p.values.constData(), nullptr, nullptr, 0))
                return false;
        } else if (!PQsendQueryParams(m_conn, sql.constData(), int(p.values.size()), nullptr,
                                      p.values.constData(), nullptr, nullptr, 0)) {
            return false;
        }
        job.pending.append({i, false, {}});
    }
    return PQpipelineSync(m_conn);
}

void PgConnection::drainResults()
{
    while (m_busy && m_conn && !PQisBusy(m_conn)) {
        Job &job = *m_jobs.front();
        PGresult *res = PQgetResult(m_conn);
        if (!job.pipeline) {
            if (!res) {
                finishJob();
                return;
            }
            const ExecStatusType st = PQresultStatus(res);
            if (st == PGRES_COPY_IN) {
                PQputCopyEnd(m_conn, "COPY FROM STDIN is not supported here");
            } else if (st == PGRES_COPY_OUT) {
                char *buf = nullptr;
                while (PQgetCopyData(m_conn, &buf, 1) > 0)
                    PQfreemem(buf);
            } else {
                PgResult r = PgResult::Builder::from(res, m_cancelRequested);
                // Scripts: keep the first error, else the last statement's result.
                if (!job.answered[0] || job.results[0].ok())
                    job.results[0] = r;
                job.answered[0] = true;
            }
            PQclear(res);
            continue;
        }
        if (!res) {
            // In pipeline mode a null ends one statement's results.
            if (job.gotResultInSlot) {
                ++job.currentSlot;
                job.gotResultInSlot = false;
            }
            continue;
        }
        if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            PQexitPipelineMode(m_conn);
            finishJob();
            return;
        }
        job.gotResultInSlot = true;
        if (job.currentSlot < job.pending.size()) {
            const Job::Slot &slot = job.pending[job.currentSlot];
            PgResult r = PgResult::Builder::from(res, m_cancelRequested);
            if (slot.isPrepare) {
                if (r.ok())
                    m_prepared.insert(slot.prepareName);
                else {
                    job.results[slot.query] = r;
                    job.answered[slot.query] = true;
                }
            } else if (!(job.answered[slot.query] && r.status() == PgResult::Status::Skipped)) {
                job.results[slot.query] = r;
                job.answered[slot.query] = true;
            }
        }
        PQclear(res);
    }
}

void PgConnection::finishJob()
{
    std::unique_ptr<Job> job = std::move(m_jobs.front());
    m_jobs.pop_front();
    m_busy = false;
    const bool deliver = !job->hasContext || job->context;
    if (deliver) {
        if (job->batch) {
            if (job->multi)
                job->multi(job->results);
        } else if (job->single) {
            job->single(job->results.value(0));
        }
    }
    // The callback may have closed or deleted-later us; only continue when still usable.
    if (m_state == State::Ready)
        QTimer::singleShot(0, this, &PgConnection::startNextJob);
}

void PgConnection::failAllJobs(PgResult::Status status, const QString &error)
{
    std::deque<std::unique_ptr<Job>> jobs;
    jobs.swap(m_jobs);
    m_busy = false;
    for (auto &job : jobs) {
        if (job->hasContext && !job->context)
            continue;
        const PgResult r = PgResult::failure(status, error);
        if (job->batch) {
            if (job->multi)
                job->multi(QList<PgResult>(job->queries.size(), r));
        } else if (job->single) {
            job->single(r);
        }
    }
}

void PgConnection::cancel()
{
    if (!m_conn || !m_busy)
        return;
    PGcancel *handle = PQgetCancel(m_conn);
    if (!handle)
        return;
    m_cancelRequested = true;
    QThread *thread = QThread::create([handle] {
        char err[256];
        PQcancel(handle, err, sizeof err);
        PQfreeCancel(handle);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

QString PgConnection::escapeIdentifier(const QString &ident) const
{
    if (!m_conn || m_state != State::Ready)
        return {};
    const QByteArray in = ident.toUtf8();
    char *out = PQescapeIdentifier(m_conn, in.constData(), size_t(in.size()));
    if (!out)
        return {};
    const QString s = QString::fromUtf8(out);
    PQfreemem(out);
    return s;
}

QString PgConnection::escapeLiteral(const QString &value) const
{
    if (!m_conn || m_state != State::Ready)
        return {};
    const QByteArray in = value.toUtf8();
    char *out = PQescapeLiteral(m_conn, in.constData(), size_t(in.size()));
    if (!out)
        return {};
    const QString s = QString::fromUtf8(out);
    PQfreemem(out);
    return s;
}

int PgConnection::serverVersion() const
{
    return m_conn && m_state == State::Ready ? PQserverVersion(m_conn) : 0;
}

int PgConnection::backendPid() const
{
    return m_conn && m_state == State::Ready ? PQbackendPID(m_conn) : 0;
}

void PgConnection::noticeReceiver(void *arg, const PGresult *res)
{
    auto *self = static_cast<PgConnection *>(arg);
    Q_EMIT self->notice(QString::fromUtf8(PQresultErrorMessage(res)).trimmed());
}

} // namespace pgdeck
