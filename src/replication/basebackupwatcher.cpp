#include "basebackupwatcher.h"

#include "pg/pgconnection.h"

#include <QLocale>
#include <QTimer>

namespace pgdeck {

BasebackupWatcher::BasebackupWatcher(const ConnectionParams &primary,
                                     const QString &applicationName, QObject *parent)
    : QObject(parent)
    , m_connection(new PgConnection(this))
    , m_applicationName(applicationName)
    , m_timer(new QTimer(this))
{
    m_connection->setParams(primary);
    m_connection->setApplicationName(QStringLiteral("pgdeck basebackup watcher"));
    connect(m_timer, &QTimer::timeout, this, &BasebackupWatcher::poll);
}

BasebackupWatcher::~BasebackupWatcher() = default;

void BasebackupWatcher::start(int intervalMs)
{
    m_timer->start(intervalMs);
}

void BasebackupWatcher::stop()
{
    m_timer->stop();
}

void BasebackupWatcher::poll()
{
    if (m_asking)
        return;
    if (m_connection->state() == PgConnection::State::Disconnected)
        m_connection->open();
    m_asking = true;
    m_connection->exec(basebackupProgressSql(), {m_applicationName}, this,
                       [this](const PgResult &r) {
                           m_asking = false;
                           const BasebackupProgress p = basebackupProgress(r);
                           if (p.running)
                               Q_EMIT progress(p);
                       });
}

QString BasebackupWatcher::describe(const BasebackupProgress &p)
{
    const QLocale l;
    if (p.total <= 0)
        return QStringLiteral("%1: %2").arg(p.phase, l.formattedDataSize(p.streamed));
    return QStringLiteral("%1: %2 of %3 (%4 %)")
        .arg(p.phase, l.formattedDataSize(p.streamed), l.formattedDataSize(p.total))
        .arg(qMin<qint64>(100, p.streamed * 100 / p.total));
}

} // namespace pgdeck
