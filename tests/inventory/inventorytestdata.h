#pragma once

// Shared by the inventory tests: parse helpers and small builders.
#include "inventory/inventory.h"
#include "inventory/inventoryloader.h"

#include <QDebug>
#include <QStringList>

Q_DECLARE_METATYPE(pgdeck::Inventory)

namespace pgdeck::test {

inline QList<InventoryError> errorsOf(const QByteArray &yaml)
{
    Inventory inv;
    QList<InventoryError> errors;
    InventoryLoader::parse(yaml, QStringLiteral("orders.yaml"), &inv, &errors);
    return errors;
}

inline QString joined(const QList<InventoryError> &errors)
{
    QStringList lines;
    for (const InventoryError &e : errors)
        lines << e.toString();
    return lines.join(QLatin1Char('\n'));
}

inline Inventory parseOk(const QByteArray &yaml)
{
    Inventory inv;
    QList<InventoryError> errors;
    const bool ok = InventoryLoader::parse(yaml, QStringLiteral("t.yaml"), &inv, &errors);
    if (!ok || !errors.isEmpty())
        qWarning().noquote() << joined(errors);
    return inv;
}

// Positions depend on the layout the writer chose; round trips compare the rest.
inline Inventory withoutPositions(Inventory inv)
{
    for (ClusterSpec &c : inv.clusters) {
        for (NodeSpec &n : c.nodes) {
            n.line = 0;
            n.column = 0;
        }
    }
    return inv;
}

inline QString sourceDir()
{
    const QString env = qEnvironmentVariable("PGDECK_SOURCE_DIR");
    return env.isEmpty() ? QStringLiteral(PGDECK_TEST_SOURCE_DIR) : env;
}

inline NodeSpec node(const QString &name, const QString &host, int port = 0)
{
    NodeSpec n;
    n.name = name;
    n.host = host;
    n.port = port;
    return n;
}

} // namespace pgdeck::test
