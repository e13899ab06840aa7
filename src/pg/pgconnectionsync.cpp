// Blocking helpers for pgdeckctl and tests, which have no event loop of their own to
// return to. They spin a local one; the GUI never calls them.
#include "pgconnection.h"

#include <QEventLoop>
#include <QTimer>

namespace pgdeck {

bool PgConnection::waitForReady(int timeoutMs)
{
    if (m_state == State::Ready)
        return true;
    if (m_state == State::Disconnected)
        open();
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &PgConnection::connected, &loop, &QEventLoop::quit);
    connect(this, &PgConnection::connectFailed, &loop, [&] {
        if (!m_autoReconnect)
            loop.quit();
    });
    if (timeoutMs >= 0)
        timer.start(timeoutMs);
    if (m_state != State::Ready && m_state != State::Disconnected)
        loop.exec();
    return m_state == State::Ready;
}

PgResult PgConnection::execSync(const QString &sql, const QVariantList &params, int timeoutMs)
{
    return execBatchSync({PgQuery{sql, params, {}}}, timeoutMs).value(0);
}

QList<PgResult> PgConnection::execBatchSync(const QList<PgQuery> &queries, int timeoutMs)
{
    QEventLoop loop;
    QList<PgResult> results;
    bool done = false;
    auto finish = [&](const QList<PgResult> &r) {
        results = r;
        done = true;
        loop.quit();
    };
    if (m_state == State::Disconnected)
        open();
    if (queries.size() == 1 && queries[0].prepareAs.isEmpty())
        exec(queries[0], &loop, [&](const PgResult &r) { finish({r}); });
    else
        execBatch(queries, &loop, finish);
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, &loop, [&] {
        cancel();
        loop.quit();
    });
    if (timeoutMs >= 0)
        timer.start(timeoutMs);
    if (!done)
        loop.exec();
    if (!done) {
        // Timed out: the job is still queued with &loop as context and will be dropped.
        return QList<PgResult>(
            queries.size(),
            PgResult::failure(
                PgResult::Status::Error,
                QStringLiteral("%1: no answer within %2 ms").arg(displayName()).arg(timeoutMs)));
    }
    return results;
}

} // namespace pgdeck
