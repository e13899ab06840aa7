#include "healthbadgedelegate.h"

#include "healthstyle.h"

#include <QApplication>
#include <QPainter>

namespace pgdeck {

namespace {
constexpr int kPadX = 10;
constexpr int kPadY = 3;
} // namespace

HealthBadgeDelegate::HealthBadgeDelegate(int healthRole, QObject *parent)
    : CleanItemDelegate(parent)
    , m_healthRole(healthRole)
{}

void HealthBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    // Selection and hover background first, without the text.
    QStyleOptionViewItem bg = option;
    initStyleOption(&bg, index);
    bg.text.clear();
    bg.icon = QIcon();
    const QWidget *w = option.widget;
    QStyle *style = w ? w->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &bg, painter, w);

    const auto health = NodeStatus::Health(index.data(m_healthRole).toInt());
    const QString text = index.data(Qt::DisplayRole).toString();
    QFont font = option.font;
    font.setBold(true);
    const QFontMetrics fm(font);
    const int width = fm.horizontalAdvance(text) + 2 * kPadX;
    const int height = fm.height() + 2 * kPadY;
    QRect badge(0, 0, width, height);
    badge.moveCenter(option.rect.center());
    badge.moveLeft(option.rect.left() + 6);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor c = HealthStyle::color(health);
    const bool solid = health == NodeStatus::Health::Up || health == NodeStatus::Health::Down;
    painter->setPen(solid ? Qt::NoPen : QPen(c, 1.2));
    painter->setBrush(solid ? c : QColor(c.red(), c.green(), c.blue(), 40));
    painter->drawRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), height / 2.0,
                             height / 2.0);
    painter->setFont(font);
    painter->setPen(solid ? QColor(Qt::white) : c.darker(130));
    painter->drawText(badge, Qt::AlignCenter, text);
    painter->restore();
}

QSize HealthBadgeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    QFont font = option.font;
    font.setBold(true);
    const QFontMetrics fm(font);
    const QString text = index.data(Qt::DisplayRole).toString();
    return QSize(fm.horizontalAdvance(text) + 2 * kPadX + 12, fm.height() + 2 * kPadY + 8);
}

} // namespace pgdeck
