#pragma once

#include "cleanitemdelegate.h"

namespace pgdeck {

// Paints a cell as a rounded badge in its health colour ("up", "DOWN", "stale"):
// the state reads at a glance from across the room. The health comes from healthRole.
class HealthBadgeDelegate : public CleanItemDelegate {
    Q_OBJECT
public:
    HealthBadgeDelegate(int healthRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_healthRole;
};

} // namespace pgdeck
