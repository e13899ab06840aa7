#pragma once

#include "pg/connectionparams.h"
#include "planstep.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

namespace pgdeck {

// An ordered list of typed steps that a wizard, pgdeckctl or the sandbox compiled.
// A Plan is plain data: it can be previewed, exported as a runbook, saved in the
// journal and resumed by another process.
class Plan {
public:
    Plan() = default;
    Plan(const QString &title, const QString &cluster);

    QString id() const { return m_id; }
    void setId(const QString &id) { m_id = id; }
    QString title() const { return m_title; }
    QString cluster() const { return m_cluster; }
    QDateTime created() const { return m_created; }

    // Connection parameters for the nodes SQL steps name. Never holds a password:
    // libpq finds it in .pgpass/PGPASSFILE as psql does.
    void setNode(const QString &name, const ConnectionParams &params);
    ConnectionParams node(const QString &name) const { return m_nodes.value(name); }
    const QMap<QString, ConnectionParams> &nodes() const { return m_nodes; }

    PlanStep &add(const PlanStep &step);
    const QList<PlanStep> &steps() const { return m_steps; }
    int indexOf(const QString &stepId) const;

    // Checks the plan is runnable: unique step ids, known nodes, no password keyword.
    bool validate(QString *error) const;

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &o, Plan *plan, QString *error);
    static bool load(const QString &path, Plan *plan, QString *error);
    bool save(const QString &path, QString *error) const;

private:
    QString m_id;
    QString m_title;
    QString m_cluster;
    QDateTime m_created;
    QMap<QString, ConnectionParams> m_nodes;
    QList<PlanStep> m_steps;
};

// Builders for the common step shapes, so planners read like the runbook they produce.
namespace steps {
PlanStep sql(const QString &id, const QString &title, const QString &node, const QString &sql,
             const QStringList &params = {});
PlanStep command(const QString &id, const QString &title, const HostTarget &host,
                 const QStringList &argv);
PlanStep writeFile(const QString &id, const QString &title, const HostTarget &host,
                   const QString &path, const QString &content, int mode = 0644);
PlanStep waitUntil(const QString &id, const QString &title, const QString &node, const QString &sql,
                   int timeoutMs);
// Waits until GET url answers 200, for services that report health over HTTP.
PlanStep waitForHttp(const QString &id, const QString &title, const QString &url, int timeoutMs);
// Waits until argv on host exits 0 with exactly `expect` on its output (trimmed; an empty
// expect means no output), for states only a tool can tell (e.g. a container's health).
PlanStep waitForCommand(const QString &id, const QString &title, const HostTarget &host,
                        const QStringList &argv, const QString &expect, int timeoutMs);
PlanStep verify(const QString &id, const QString &title, const QString &node, const QString &sql,
                const QString &expect);

StepGuard sqlTrue(const QString &node, const QString &sql);
StepGuard commandSucceeds(const HostTarget &host, const QStringList &argv);
StepGuard fileExists(const HostTarget &host, const QString &path);
} // namespace steps

} // namespace pgdeck
