#include "inventory/inventory.h"

namespace pgdeck {

const NodeSpec *ClusterSpec::node(const QString &nodeName) const
{
    for (const NodeSpec &n : nodes) {
        if (n.name == nodeName)
            return &n;
    }
    return nullptr;
}

const ClusterSpec *Inventory::cluster(const QString &clusterName) const
{
    for (const ClusterSpec &c : clusters) {
        if (c.name == clusterName)
            return &c;
    }
    return nullptr;
}

QString InventoryError::toString() const
{
    // The "file:line:column: message" form is what compilers print, so editors,
    // terminals and CI logs already know how to turn it into a link.
    QString where = file;
    if (line > 0) {
        where += QLatin1Char(':') + QString::number(line);
        if (column > 0)
            where += QLatin1Char(':') + QString::number(column);
    }
    if (where.isEmpty())
        return message;
    return where + QLatin1String(": ") + message;
}

} // namespace pgdeck
