#pragma once

#include "pg/pgconnection.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <memory>
#include <type_traits>
#include <utility>

namespace pgdeck {

// Worker threads only. A PgConnection belongs to the thread that made it, so every lookup
// opens its own here, uses it with the blocking helpers (they spin this thread's event loop)
// and drops it before returning. Null with *error set when the server cannot be reached.
inline std::unique_ptr<PgConnection> openLookupConnection(const ConnectionParams &params,
                                                          const QString &name, QString *error,
                                                          int timeoutMs = 10000)
{
    auto conn = std::make_unique<PgConnection>();
    conn->setParams(params);
    conn->setDisplayName(name);
    conn->setConnectTimeout(timeoutMs);
    if (conn->waitForReady(timeoutMs))
        return conn;
    *error = conn->lastError().trimmed();
    if (error->isEmpty())
        *error = QStringLiteral("no connection within %1 s").arg(timeoutMs / 1000);
    return nullptr;
}

// Runs `work` (a callable returning a plain value, capturing values only) on the global
// thread pool and hands its result to `done` on `context`'s thread. The watcher is a child
// of `context`: if the page is destroyed first, the result is dropped with it, and the
// worker finishes on its own without touching any widget.
template <typename Work, typename Done> void runLookup(QObject *context, Work work, Done done)
{
    using Result = std::invoke_result_t<Work>;
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::move(done)] {
                         watcher->deleteLater();
                         done(watcher->result());
                     });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

} // namespace pgdeck
