#pragma once

#include "common/pgpassfile.h"
#include "composefile.h"
#include "inventory/inventory.h"
#include "plan/plan.h"

#include <QString>
#include <QStringList>

namespace pgdeck {

// A compose project on this machine: its directory, its name, and the Compose command the
// user has (`docker compose` or `docker-compose`).
struct ComposeProject {
    QString dir; // absolute
    QString name;
    QStringList compose;

    // The compose file Compose itself would pick in dir (docker-compose.yml first).
    QString composeFile() const;
    // compose --project-directory DIR -f FILE -p NAME args…: the same project from any cwd.
    QStringList command(const QStringList &args) const;
    // Compose v1 strips what it does not allow from a project name; v2 refuses it. Both
    // agree on this form, which is also what the containers' labels carry.
    static QString normalizedName(const QString &name);
};

// Docker Compose actions as Plans, so each is previewed, journaled, resumable and written
// to the audit log like every other change pgdeck makes. Commands run on this machine.
namespace composeplans {

// Checks the file, builds what is built here, `up -d`, then waits for every service to be
// healthy (services that report health) or running.
Plan up(const ComposeProject &project, const ComposeFile &file);
// `down`; the volumes (the databases' data) only when removeVolumes is set. Then waits
// until no container of the project is left.
Plan down(const ComposeProject &project, bool removeVolumes);
Plan restart(const ComposeProject &project, const ComposeFile &file, const QStringList &services);
Plan build(const ComposeProject &project, const QStringList &services);
Plan pull(const ComposeProject &project, const QStringList &services);
Plan logs(const ComposeProject &project, const QStringList &services, int tail);

// Waits until the service's container is healthy (reportsHealth) or running.
PlanStep waitServiceUp(const ComposeProject &project, const ComposeService &service,
                       int timeoutMs = 180000);

} // namespace composeplans

// The PostgreSQL services of a project as an inventory cluster named after the project:
// services labelled io.pgdeck.role (or running a postgres/citus image) that publish 5432,
// reached through 127.0.0.1 unless bound to one other address.
ClusterSpec composeInventoryCluster(const ComposeProject &project, const ComposeFile &file);

// One ~/.pgpass line per PostgreSQL node of composeInventoryCluster, with the password from
// the resolved configuration (a standby shares its primary's roles).
QList<PgPassEntry> composePgPassEntries(const ComposeProject &project, const ComposeFile &file);

} // namespace pgdeck
