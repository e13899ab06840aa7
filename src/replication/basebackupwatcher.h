#pragma once

#include "pg/connectionparams.h"
#include "replicaplanner.h"

#include <QObject>

class QTimer;

namespace pgdeck {

class PgConnection;

// Follows a pg_basebackup from the primary's side (pg_stat_progress_basebackup), on a
// connection of its own, without blocking: the wizard's progress bar and pgdeckctl's
// progress line.
class BasebackupWatcher : public QObject {
    Q_OBJECT
public:
    BasebackupWatcher(const ConnectionParams &primary, const QString &applicationName,
                      QObject *parent = nullptr);
    ~BasebackupWatcher() override;

    void start(int intervalMs = 500);
    void stop();

    // "streaming database files: 120 MB of 1.0 GB (12 %)"
    static QString describe(const BasebackupProgress &p);

Q_SIGNALS:
    void progress(const pgdeck::BasebackupProgress &p); // while a backup runs

private:
    void poll();

    PgConnection *m_connection;
    QString m_applicationName;
    QTimer *m_timer;
    bool m_asking = false;
};

} // namespace pgdeck
