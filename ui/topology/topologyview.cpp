#include "topologyview.h"

#include "common/healthstyle.h"

#include <QContextMenuEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHelpEvent>
#include <QImage>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSet>
#include <QSvgGenerator>
#include <QToolTip>

#include <algorithm>
#include <functional>

namespace pgdeck {

namespace {

// Logical sizes at scale 1; the whole picture is scaled to fit the widget.
constexpr qreal kCardW = 200;
constexpr qreal kCardH = 78;
constexpr qreal kMargin = 22;
// Horizontal layout: levels are columns, siblings stacked. The column gap holds the label.
constexpr qreal kLevelGapH = 190;
constexpr qreal kSiblingGapH = 26;
// Vertical layout: levels are rows; siblings need room side by side for their labels.
constexpr qreal kLevelGapV = 92;
constexpr qreal kSiblingGapV = 48;
constexpr qreal kTreeGap = 0.3; // extra slots between separate trees (primaries)
constexpr qreal kArrowLen = 9;

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                            a.greenF() + (b.greenF() - a.greenF()) * t,
                            a.blueF() + (b.blueF() - a.blueF()) * t);
}

QColor edgeColor()
{
    return QColor(0x5d, 0x6b, 0x7a);
}

QColor staleEdgeColor()
{
    return QColor(0xb0, 0xb8, 0xc1);
}

QString formatBytes(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString formatSeconds(double s)
{
    if (s < 10)
        return QStringLiteral("%1 s").arg(s, 0, 'f', 1);
    if (s < 120)
        return QStringLiteral("%1 s").arg(qRound(s));
    if (s < 7200)
        return QStringLiteral("%1 min").arg(qRound(s / 60));
    return QStringLiteral("%1 h").arg(s / 3600, 0, 'f', 1);
}

QFont pixelFont(const QFont &base, qreal px, bool bold = false)
{
    QFont f = base;
    f.setPixelSize(qMax(1, qRound(px)));
    f.setBold(bold);
    return f;
}

// Where every card goes, in logical coordinates. A tidy tree: leaves take consecutive
// slots, a parent sits centred on its children, so cascades line up with their upstream.
struct Layout {
    bool vertical = false;
    QHash<QString, QRectF> cards;
    QSizeF extent;
};

Layout computeLayout(const Topology &t, bool vertical)
{
    Layout out;
    out.vertical = vertical;
    if (t.nodes.isEmpty())
        return out;

    QHash<QString, int> index;
    for (int i = 0; i < t.nodes.size(); ++i)
        index.insert(t.nodes[i].name, i);
    // Parent: who the standby streams from. Edges are what the servers report; the
    // node's upstream covers a standby that is down and has no walsender.
    QHash<QString, QString> parent;
    for (const TopologyEdge &e : t.edges)
        if (index.contains(e.from) && index.contains(e.to) && e.from != e.to)
            parent.insert(e.to, e.from);
    for (const TopologyNode &n : t.nodes)
        if (!parent.contains(n.name) && index.contains(n.upstream) && n.upstream != n.name)
            parent.insert(n.name, n.upstream);
    // Break cycles (a promoted standby can briefly appear on both sides).
    for (const TopologyNode &n : t.nodes) {
        QSet<QString> seen{n.name};
        QString cur = n.name;
        while (parent.contains(cur)) {
            const QString up = parent.value(cur);
            if (seen.contains(up)) {
                parent.remove(cur);
                break;
            }
            seen.insert(up);
            cur = up;
        }
    }
    QHash<QString, QStringList> children;
    QStringList roots;
    for (const TopologyNode &n : t.nodes) {
        if (parent.contains(n.name))
            children[parent.value(n.name)] << n.name;
        else
            roots << n.name;
    }
    // Primaries first, then orphaned standbys, nodes of unknown role last.
    auto rank = [&](const QString &name) {
        const TopologyNode &n = t.nodes[index.value(name)];
        if (n.role == TopologyNode::Role::Primary)
            return 0;
        return n.role == TopologyNode::Role::Standby ? 1 : 2;
    };
    std::stable_sort(roots.begin(), roots.end(),
                     [&](const QString &a, const QString &b) { return rank(a) < rank(b); });

    QHash<QString, QPointF> slot; // x: level, y: slot
    qreal nextLeaf = 0;
    int maxLevel = 0;
    std::function<qreal(const QString &, int)> place = [&](const QString &name, int level) {
        maxLevel = qMax(maxLevel, level);
        const QStringList kids = children.value(name);
        qreal s;
        if (kids.isEmpty()) {
            s = nextLeaf;
            nextLeaf += 1;
        } else {
            qreal first = 0, last = 0;
            for (int i = 0; i < kids.size(); ++i) {
                const qreal k = place(kids[i], level + 1);
                if (i == 0)
                    first = k;
                last = k;
            }
            s = (first + last) / 2;
        }
        slot.insert(name, QPointF(level, s));
        return s;
    };
    for (int i = 0; i < roots.size(); ++i) {
        if (i > 0)
            nextLeaf += kTreeGap;
        const TopologyNode &n = t.nodes[index.value(roots[i])];
        // An orphaned standby stays in its own level's column.
        place(roots[i], n.role == TopologyNode::Role::Primary ? 0 : qMax(0, n.depth));
    }
    const qreal slots = nextLeaf;

    const qreal levelPitch = vertical ? kCardH + kLevelGapV : kCardW + kLevelGapH;
    const qreal slotPitch = vertical ? kCardW + kSiblingGapV : kCardH + kSiblingGapH;
    for (auto it = slot.constBegin(); it != slot.constEnd(); ++it) {
        const qreal a = it->x() * levelPitch;
        const qreal b = it->y() * slotPitch;
        const QPointF topLeft =
            vertical ? QPointF(kMargin + b, kMargin + a) : QPointF(kMargin + a, kMargin + b);
        out.cards.insert(it.key(), QRectF(topLeft, QSizeF(kCardW, kCardH)));
    }
    const qreal levelsExtent =
        (maxLevel + 1) * levelPitch - (levelPitch - (vertical ? kCardH : kCardW));
    const qreal slotsExtent = slots * slotPitch - (slotPitch - (vertical ? kCardW : kCardH));
    out.extent = vertical ? QSizeF(slotsExtent + 2 * kMargin, levelsExtent + 2 * kMargin)
                          : QSizeF(levelsExtent + 2 * kMargin, slotsExtent + 2 * kMargin);
    return out;
}

qreal fitScale(const QSizeF &extent, const QSizeF &room, qreal maxScale = 1.25)
{
    if (extent.isEmpty())
        return 1;
    return qMin(maxScale, qMin(room.width() / extent.width(), room.height() / extent.height()));
}

// Vertical when that gives clearly bigger cards: a wide widget keeps the left-to-right
// reading order even when a top-down picture would be marginally larger.
Layout chooseLayout(const Topology &t, const QSizeF &room)
{
    Layout h = computeLayout(t, false);
    Layout v = computeLayout(t, true);
    return fitScale(v.extent, room) > fitScale(h.extent, room) * 1.15 ? v : h;
}

QString roleText(const TopologyNode &n)
{
    QString text = TopologyNode::roleName(n.role).toUpper() +
                   (n.inInventory ? QString() : QStringLiteral("?"));
    // Patroni's word beside the server's, when it says more (sync standby) or disagrees
    // (for a moment during a failover).
    const bool agrees =
        (n.role == TopologyNode::Role::Primary && n.patroniRole == QLatin1String("leader")) ||
        (n.role == TopologyNode::Role::Standby && n.patroniRole == QLatin1String("replica"));
    if (!n.patroniRole.isEmpty() && !agrees)
        text += QStringLiteral(" · ") +
                n.patroniRole.toUpper().replace(QLatin1Char('_'), QLatin1Char(' '));
    if (n.timeline >= 0)
        text += QStringLiteral(" · TL %1").arg(n.timeline);
    if (n.pendingRestart)
        text += QObject::tr(" · RESTART PENDING");
    return text;
}

QString healthText(const TopologyNode &n)
{
    // A node outside the inventory is never probed: "connecting" would be a lie.
    if (!n.inInventory)
        return QObject::tr("not probed");
    return HealthStyle::label(n.health);
}

} // namespace

TopologyView::TopologyView(QWidget *parent)
    : QWidget(parent)
    , m_lagWarnBytes(MonitorSettings{}.lagWarnBytes)
    , m_lagWarnSeconds(MonitorSettings{}.lagWarnSeconds)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void TopologyView::setTopology(const Topology &topology)
{
    if (topology == m_topology)
        return;
    const bool shapeChanged = topology.nodes.size() != m_topology.nodes.size();
    m_topology = topology;
    if (shapeChanged)
        updateGeometry();
    update();
}

void TopologyView::setThresholds(qint64 lagWarnBytes, double lagWarnSeconds)
{
    m_lagWarnBytes = lagWarnBytes;
    m_lagWarnSeconds = lagWarnSeconds;
    update();
}

QString TopologyView::edgeLabel(const TopologyEdge &edge)
{
    QStringList parts;
    const bool streaming = edge.state.isEmpty() ||
                           edge.state.compare(QLatin1String("streaming"), Qt::CaseInsensitive) == 0;
    if (!streaming)
        parts << edge.state;
    const bool noLag = edge.replayLagBytes <= 0 && edge.replayLagSeconds <= 0;
    if (!noLag) {
        if (edge.replayLagBytes >= 0)
            parts << formatBytes(edge.replayLagBytes);
        if (edge.replayLagSeconds >= 0)
            parts << formatSeconds(edge.replayLagSeconds);
    } else if (streaming) {
        parts << QStringLiteral("streaming");
    }
    // Synchronous standbys hold up commits on the primary: worth seeing on the picture.
    if (edge.syncState == QLatin1String("sync") || edge.syncState == QLatin1String("quorum"))
        parts << edge.syncState;
    return parts.join(QStringLiteral(" · "));
}

TopologyView::EdgeLook TopologyView::edgeLook(const TopologyEdge &edge) const
{
    // The numbers come from the upstream's pg_stat_replication: only as fresh as it is.
    const TopologyNode *from = m_topology.node(edge.from);
    const TopologyNode *to = m_topology.node(edge.to);
    if (!from || from->health != NodeStatus::Health::Up)
        return EdgeLook::Stale;
    if (to && to->inInventory &&
        (to->health == NodeStatus::Health::Down || to->health == NodeStatus::Health::Stale))
        return EdgeLook::Stale;
    if ((m_lagWarnBytes > 0 && edge.replayLagBytes >= m_lagWarnBytes) ||
        (m_lagWarnSeconds > 0 && edge.replayLagSeconds >= m_lagWarnSeconds))
        return EdgeLook::Warn;
    return EdgeLook::Normal;
}

QSize TopologyView::naturalSize() const
{
    if (m_topology.nodes.isEmpty())
        return QSize(480, 200);
    const Layout l = computeLayout(m_topology, false);
    return l.extent.toSize();
}

QSize TopologyView::sizeHint() const
{
    return naturalSize().expandedTo(QSize(480, 200)).boundedTo(QSize(1400, 900));
}

QSize TopologyView::minimumSizeHint() const
{
    return QSize(240, 140);
}

void TopologyView::render(QPainter *painter, const QRectF &rect) const
{
    draw(painter, rect, false);
}

void TopologyView::draw(QPainter *painter, const QRectF &rect, bool recordHits) const
{
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor muted = mix(text, base, 0.45);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::TextAntialiasing);
    painter->fillRect(rect, base);
    if (recordHits) {
        m_hitCards.clear();
        m_hitLabels = QList<QRectF>(m_topology.edges.size());
    }

    if (m_topology.nodes.isEmpty()) {
        painter->setPen(muted);
        painter->setFont(pixelFont(font(), 14));
        painter->drawText(rect, Qt::AlignCenter, tr("No topology yet: waiting for the nodes"));
        painter->restore();
        return;
    }

    const Layout layout = chooseLayout(m_topology, rect.size());
    const qreal scale = fitScale(layout.extent, rect.size(), m_maxScale);
    const QPointF origin(rect.left() + (rect.width() - layout.extent.width() * scale) / 2,
                         rect.top() + (rect.height() - layout.extent.height() * scale) / 2);
    painter->translate(origin);
    painter->scale(scale, scale);
    const QTransform toWidget =
        QTransform::fromScale(scale, scale) * QTransform::fromTranslate(origin.x(), origin.y());

    // Edges first so the cards sit on top of their ends.
    const QFont labelFont = pixelFont(font(), 11.5, true);
    const QFontMetricsF lfm(labelFont);
    // A standby with a known upstream but no walsender (down, or not yet connected) still
    // gets its line, dashed: the picture shows where it belongs and that it is not there.
    QList<TopologyEdge> edges = m_topology.edges;
    const qsizetype reported = edges.size();
    for (const TopologyNode &n : m_topology.nodes) {
        if (n.upstream.isEmpty() || n.upstream == n.name)
            continue;
        const bool streams = std::any_of(m_topology.edges.cbegin(), m_topology.edges.cend(),
                                         [&](const TopologyEdge &e) { return e.to == n.name; });
        if (streams)
            continue;
        TopologyEdge ghost;
        ghost.from = n.upstream;
        ghost.to = n.name;
        edges << ghost;
    }
    for (int i = 0; i < edges.size(); ++i) {
        const TopologyEdge &e = edges[i];
        if (!layout.cards.contains(e.from) || !layout.cards.contains(e.to))
            continue;
        const bool isGhost = i >= reported;
        const QRectF a = layout.cards.value(e.from);
        const QRectF b = layout.cards.value(e.to);
        QPointF p0, p1, dir;
        if (layout.vertical) {
            p0 = QPointF(a.center().x(), a.bottom());
            p1 = QPointF(b.center().x(), b.top());
            dir = QPointF(0, 1);
        } else {
            p0 = QPointF(a.right(), a.center().y());
            p1 = QPointF(b.left(), b.center().y());
            dir = QPointF(1, 0);
        }
        const QPointF tip = p1 - dir * 1.5;
        const QPointF end = tip - dir * kArrowLen;
        const qreal span = layout.vertical ? end.y() - p0.y() : end.x() - p0.x();

        // The edge bends in its first part and runs straight into the arrow; the label
        // sits on that straight run, on the standby's own line, where labels of sibling
        // edges are a card apart and clear of the other curves.
        QString label = isGhost ? QString() : edgeLabel(e);
        if (isGhost) {
            // Only say "not streaming" when both ends are known to be answering or down.
            const TopologyNode *up = m_topology.node(e.from);
            const TopologyNode *down = m_topology.node(e.to);
            if (up && down && up->health == NodeStatus::Health::Up &&
                down->health != NodeStatus::Health::Unknown)
                label = tr("not streaming");
        }
        const QSizeF ts(lfm.horizontalAdvance(label) + 16, lfm.height() + 6);
        const qreal along = layout.vertical ? ts.height() : ts.width();
        const qreal straight = label.isEmpty() ? span * 0.3 : qMin(along + 16, span * 0.6);
        const QPointF bendEnd = end - dir * straight;
        const qreal reach = (span - straight) / 2;
        QPainterPath path(p0);
        path.cubicTo(p0 + dir * reach, bendEnd - dir * reach, bendEnd);
        path.lineTo(end);

        const EdgeLook look = isGhost ? EdgeLook::Stale : edgeLook(e);
        const QColor amber = HealthStyle::color(NodeStatus::Health::Stale);
        const QColor color = look == EdgeLook::Warn    ? amber
                             : look == EdgeLook::Stale ? staleEdgeColor()
                                                       : edgeColor();
        QPen pen(color, look == EdgeLook::Warn ? 2.4 : 1.8);
        pen.setCapStyle(Qt::FlatCap);
        if (look == EdgeLook::Stale)
            pen.setDashPattern({4, 3});
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(path);

        const QPointF side(-dir.y(), dir.x());
        QPolygonF head;
        head << tip << end + side * 5 << end - side * 5;
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawPolygon(head);

        if (label.isEmpty())
            continue;
        const QPointF mid = end - dir * qMax(straight / 2, along / 2 + 4);
        const QRectF pill(mid - QPointF(ts.width() / 2, ts.height() / 2), ts);
        const QColor fill = look == EdgeLook::Warn ? mix(base, amber, 0.14) : base;
        painter->setPen(QPen(look == EdgeLook::Warn ? amber : mix(color, base, 0.55), 1));
        painter->setBrush(fill);
        painter->drawRoundedRect(pill, ts.height() / 2, ts.height() / 2);
        painter->setFont(labelFont);
        painter->setPen(look == EdgeLook::Warn    ? amber.darker(135)
                        : look == EdgeLook::Stale ? muted
                                                  : mix(text, color, 0.35));
        painter->drawText(pill, Qt::AlignCenter, label);
        if (recordHits && !isGhost)
            m_hitLabels[i] = toWidget.mapRect(pill);
    }

    const QFont roleFont = [&] {
        QFont f = pixelFont(font(), 10, true);
        f.setLetterSpacing(QFont::AbsoluteSpacing, 0.9);
        return f;
    }();
    const QFont healthFont = pixelFont(font(), 10.5, true);
    const QFont nameFont = pixelFont(font(), 15.5, true);
    const QFont addrFont = pixelFont(font(), 11.5);
    for (const TopologyNode &n : m_topology.nodes) {
        const QRectF r = layout.cards.value(n.name);
        if (r.isNull())
            continue;
        const QColor hc =
            HealthStyle::color(n.inInventory ? n.health : NodeStatus::Health::Unknown);
        const qreal radius = 9;

        // A soft two-step shadow: cheap, and it survives the SVG export.
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0, 0, 0, 10));
        painter->drawRoundedRect(r.translated(0, 3).adjusted(-1, -1, 1, 1), radius + 1, radius + 1);
        painter->setBrush(QColor(0, 0, 0, 14));
        painter->drawRoundedRect(r.translated(0, 1.2), radius, radius);

        const bool down = n.health == NodeStatus::Health::Down;
        painter->setBrush(mix(base, hc, down ? 0.11 : 0.06));
        QPen border(mix(hc, base, 0.15), n.inInventory ? 1.4 : 1.6);
        if (!n.inInventory)
            border.setDashPattern({4, 3});
        painter->setPen(border);
        painter->drawRoundedRect(r, radius, radius);

        // The health stripe on the left edge, clipped to the card's rounded corners.
        QPainterPath shape;
        shape.addRoundedRect(r, radius, radius);
        QPainterPath stripe;
        stripe.addRect(QRectF(r.left(), r.top(), 6, r.height()));
        painter->setPen(Qt::NoPen);
        painter->setBrush(hc);
        painter->drawPath(shape.intersected(stripe));

        const qreal left = r.left() + 18;
        const qreal right = r.right() - 12;
        const qreal width = right - left;

        // Top line: role on the left, health on the right.
        const QString health = healthText(n);
        const QFontMetricsF hfm(healthFont);
        const qreal hw = hfm.horizontalAdvance(health);
        const qreal lineY = r.top() + 10;
        const QRectF healthRect(right - hw, lineY, hw, hfm.height());
        painter->setFont(healthFont);
        painter->setPen(n.inInventory ? hc.darker(115) : muted);
        painter->drawText(healthRect, Qt::AlignRight | Qt::AlignVCenter, health);
        painter->setBrush(n.inInventory ? hc : Qt::transparent);
        painter->setPen(n.inInventory ? Qt::NoPen : QPen(muted, 1.2));
        painter->drawEllipse(QPointF(healthRect.left() - 7, healthRect.center().y()), 3.2, 3.2);

        painter->setFont(roleFont);
        painter->setPen(muted);
        const QFontMetricsF rfm(roleFont);
        painter->drawText(QRectF(left, lineY, width - hw - 20, hfm.height()),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          rfm.elidedText(roleText(n), Qt::ElideRight, width - hw - 20));

        const QFontMetricsF nfm(nameFont);
        const QRectF nameRect(left, lineY + hfm.height() + 4, width, nfm.height());
        painter->setFont(nameFont);
        painter->setPen(text);
        painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                          nfm.elidedText(n.name, Qt::ElideRight, width));

        const QFontMetricsF afm(addrFont);
        painter->setFont(addrFont);
        painter->setPen(muted);
        const QString address =
            n.inInventory ? n.address : tr("%1 · not in inventory").arg(n.address);
        painter->drawText(QRectF(left, nameRect.bottom() + 2, width, afm.height()),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          afm.elidedText(address, Qt::ElideMiddle, width));

        if (recordHits)
            m_hitCards.insert(n.name, toWidget.mapRect(r));
    }
    painter->restore();

    if (m_topology.patroniPaused) {
        painter->save();
        painter->setFont(pixelFont(font(), 12.5, true));
        painter->setPen(QColor(0xb2, 0x6a, 0x00));
        painter->drawText(rect.adjusted(14, 10, -14, -10), Qt::AlignTop | Qt::AlignLeft,
                          tr("Patroni maintenance mode: no automatic failover"));
        painter->restore();
    }
}

void TopologyView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    draw(&p, rect(), true);
}

QImage TopologyView::toImage(qreal devicePixelRatio) const
{
    const QSize size = naturalSize();
    QImage image(size * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(palette().color(QPalette::Base));
    QPainter p(&image);
    render(&p, QRectF(QPointF(0, 0), QSizeF(size)));
    p.end();
    return image;
}

bool TopologyView::exportPng(const QString &path, QString *error) const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    const QImage image = toImage();
    if (image.isNull() || !image.save(path, "PNG")) {
        if (error)
            *error = tr("Could not write the picture to %1").arg(path);
        return false;
    }
    return true;
}

bool TopologyView::exportSvg(const QString &path, QString *error) const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    const QSize size = naturalSize();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setResolution(96);
    svg.setTitle(tr("Topology of %1").arg(m_topology.cluster));
    svg.setDescription(tr("pgdeck topology: nodes coloured by health, replay lag on the edges"));
    QPainter p;
    if (!p.begin(&svg)) {
        if (error)
            *error = tr("Could not write the picture to %1").arg(path);
        return false;
    }
    render(&p, QRectF(QPointF(0, 0), QSizeF(size)));
    p.end();
    if (!QFileInfo(path).isFile() || QFileInfo(path).size() == 0) {
        if (error)
            *error = tr("Could not write the picture to %1").arg(path);
        return false;
    }
    return true;
}

QString TopologyView::nodeAt(const QPointF &pos) const
{
    for (auto it = m_hitCards.constBegin(); it != m_hitCards.constEnd(); ++it)
        if (it->contains(pos))
            return it.key();
    return {};
}

int TopologyView::edgeAt(const QPointF &pos) const
{
    for (int i = 0; i < m_hitLabels.size(); ++i)
        if (m_hitLabels[i].contains(pos))
            return i;
    return -1;
}

bool TopologyView::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto *help = static_cast<QHelpEvent *>(event);
    QString tip;
    const QString name = nodeAt(help->pos());
    if (const TopologyNode *n = name.isEmpty() ? nullptr : m_topology.node(name)) {
        tip = QStringLiteral("<b>%1</b><br>%2 · %3<br>%4")
                  .arg(n->name.toHtmlEscaped(), TopologyNode::roleName(n->role), healthText(*n),
                       n->address.toHtmlEscaped());
        if (!n->upstream.isEmpty())
            tip += tr("<br>streams from %1").arg(n->upstream.toHtmlEscaped());
        if (!n->inInventory)
            tip += tr("<br>seen streaming, but not in the inventory");
        if (!n->patroniRole.isEmpty())
            tip += tr("<br>Patroni: %1, %2, timeline %3%4")
                       .arg(n->patroniRole, n->patroniState)
                       .arg(n->timeline)
                       .arg(n->pendingRestart ? tr(", restart pending") : QString());
    } else if (const int i = edgeAt(help->pos()); i >= 0) {
        const TopologyEdge &e = m_topology.edges[i];
        tip = tr("<b>%1 → %2</b><br>state: %3<br>sync: %4<br>replay lag: %5 · %6")
                  .arg(e.from.toHtmlEscaped(), e.to.toHtmlEscaped(),
                       e.state.isEmpty() ? tr("unknown") : e.state,
                       e.syncState.isEmpty() ? tr("unknown") : e.syncState,
                       e.replayLagBytes >= 0 ? formatBytes(e.replayLagBytes) : tr("unknown"),
                       e.replayLagSeconds >= 0 ? formatSeconds(e.replayLagSeconds) : tr("idle"));
        if (edgeLook(e) == EdgeLook::Stale)
            tip += tr("<br><i>not current: the upstream's last sample is stale</i>");
    }
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), tip, this);
    return true;
}

void TopologyView::mouseMoveEvent(QMouseEvent *event)
{
    setCursor(nodeAt(event->position()).isEmpty() ? Qt::ArrowCursor : Qt::PointingHandCursor);
    QWidget::mouseMoveEvent(event);
}

void TopologyView::mouseReleaseEvent(QMouseEvent *event)
{
    const QString name = nodeAt(event->position());
    if (event->button() == Qt::LeftButton && !name.isEmpty())
        Q_EMIT nodeClicked(name);
    QWidget::mouseReleaseEvent(event);
}

void TopologyView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    menu.addAction(tr("Export as PNG…"));
    QAction *svg = menu.addAction(tr("Export as SVG…"));
    QAction *chosen = menu.exec(event->globalPos());
    if (!chosen)
        return;
    const bool asSvg = chosen == svg;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export topology"),
        QStringLiteral("%1-topology.%2")
            .arg(m_topology.cluster, asSvg ? QStringLiteral("svg") : QStringLiteral("png")),
        asSvg ? tr("SVG image (*.svg)") : tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!(asSvg ? exportSvg(path, &error) : exportPng(path, &error)))
        QMessageBox::warning(this, tr("Export topology"), error);
}

} // namespace pgdeck
