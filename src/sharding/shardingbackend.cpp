#include "shardingbackend.h"

#include "citusbackend.h"
#include "nativebackend.h"
#include "pg/pgconnection.h"

namespace pgdeck {

std::unique_ptr<ShardingBackend> detectBackend(PgConnection &coordinator, QString *error,
                                               const QString &wanted)
{
    if (wanted == QLatin1String("native"))
        return std::make_unique<NativeBackend>();
    // Created, or installable and preloaded (Citus cannot be created without the preload).
    const PgResult r = coordinator.execSync(
        QStringLiteral("select coalesce((select extversion from pg_extension where extname = "
                       "'citus'), (select default_version from pg_available_extensions where "
                       "name = 'citus' and current_setting('shared_preload_libraries') ~ "
                       "'(^|[ ,])citus($|[ ,])'), '')"),
        {}, 15000);
    if (!r.ok()) {
        *error = r.errorMessage().trimmed();
        return nullptr;
    }
    if (!r.text(0, 0).isEmpty())
        return std::make_unique<CitusBackend>(r.text(0, 0));
    if (wanted == QLatin1String("citus")) {
        *error = QStringLiteral("the coordinator cannot load Citus (not installed, or not in "
                                "shared_preload_libraries)");
        return nullptr;
    }
    return std::make_unique<NativeBackend>();
}

} // namespace pgdeck
