#include "shardingbackend.h"

#include "citusbackend.h"
#include "nativebackend.h"
#include "pg/pgconnection.h"

namespace pgdeck {

std::unique_ptr<ShardingBackend> detectBackend(PgConnection &coordinator, QString *error)
{
    // Installed or installable: Citus does the work when the coordinator can load it.
    const PgResult r = coordinator.execSync(
        QStringLiteral("select coalesce((select extversion from pg_extension where extname = "
                       "'citus'), (select default_version from pg_available_extensions where "
                       "name = 'citus'), '')"),
        {}, 15000);
    if (!r.ok()) {
        *error = r.errorMessage().trimmed();
        return nullptr;
    }
    if (!r.text(0, 0).isEmpty())
        return std::make_unique<CitusBackend>(r.text(0, 0));
    return std::make_unique<NativeBackend>();
}

} // namespace pgdeck
