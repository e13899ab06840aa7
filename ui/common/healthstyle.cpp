#include "healthstyle.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace pgdeck {

QColor HealthStyle::color(NodeStatus::Health health)
{
    switch (health) {
    case NodeStatus::Health::Up:
        return QColor(0x1f, 0x9d, 0x55);
    case NodeStatus::Health::Down:
        return QColor(0xd1, 0x24, 0x2f);
    case NodeStatus::Health::Stale:
        return QColor(0xc7, 0x84, 0x00);
    case NodeStatus::Health::Unknown:
        break;
    }
    return QColor(0x8c, 0x95, 0x9f);
}

QString HealthStyle::label(NodeStatus::Health health)
{
    switch (health) {
    case NodeStatus::Health::Up:
        return QStringLiteral("up");
    case NodeStatus::Health::Down:
        return QStringLiteral("DOWN");
    case NodeStatus::Health::Stale:
        return QStringLiteral("stale");
    case NodeStatus::Health::Unknown:
        break;
    }
    return QStringLiteral("connecting");
}

QIcon HealthStyle::dot(const QColor &color, bool hollow)
{
    // Icons are cheap but not free: the table repaints them every second.
    static QHash<QString, QIcon> cache;
    const QString key = color.name() + (hollow ? QStringLiteral("h") : QString());
    auto it = cache.constFind(key);
    if (it != cache.constEnd())
        return *it;
    QIcon icon;
    for (int size : {16, 32}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        const qreal m = size * 0.22;
        const QRectF r(m, m, size - 2 * m, size - 2 * m);
        if (hollow) {
            p.setPen(QPen(color, size / 10.0));
            p.setBrush(Qt::NoBrush);
        } else {
            p.setPen(QPen(color.darker(115), size / 16.0));
            p.setBrush(color);
        }
        p.drawEllipse(r);
        p.end();
        icon.addPixmap(pm);
    }
    cache.insert(key, icon);
    return icon;
}

QIcon HealthStyle::icon(NodeStatus::Health health)
{
    return dot(color(health), health == NodeStatus::Health::Unknown);
}

int HealthStyle::severity(NodeStatus::Health health)
{
    switch (health) {
    case NodeStatus::Health::Down:
        return 3;
    case NodeStatus::Health::Stale:
        return 2;
    case NodeStatus::Health::Unknown:
        return 1;
    case NodeStatus::Health::Up:
        break;
    }
    return 0;
}

QColor HealthStyle::staleText()
{
    return QColor(0x8c, 0x95, 0x9f);
}

} // namespace pgdeck
