#include "lagplotitem.h"

#include <QPaintEngine>
#include <QPainter>
#include <QVarLengthArray>

#include <cmath>

namespace pgdeck {

LagPlotItem::LagPlotItem(QGraphicsItem *parent)
    : QGraphicsItem(parent)
{
    setAcceptedMouseButtons(Qt::NoButton);
}

void LagPlotItem::setLineCount(int count)
{
    m_lines = QList<Line>(qMax(0, count)); // new lines: nothing of the old ones carries over
    update();
}

void LagPlotItem::setPoints(int line, const QList<QPointF> &points)
{
    Line &l = m_lines[line];
    l.points = points;
    l.pixels.clear();
    update();
}

void LagPlotItem::setColor(int line, const QColor &color)
{
    if (m_lines[line].color == color)
        return;
    m_lines[line].color = color;
    update();
}

void LagPlotItem::setLineWidth(qreal width)
{
    if (width == m_lineWidth)
        return;
    prepareGeometryChange();
    m_lineWidth = width;
}

void LagPlotItem::setPlotArea(const QRectF &area)
{
    if (area == m_area)
        return;
    prepareGeometryChange();
    m_area = area;
    invalidate();
}

void LagPlotItem::setRange(double xMin, double xMax, double yMin, double yMax)
{
    if (xMin == m_xMin && xMax == m_xMax && yMin == m_yMin && yMax == m_yMax)
        return;
    m_xMin = xMin;
    m_xMax = xMax;
    m_yMin = yMin;
    m_yMax = yMax;
    invalidate();
}

void LagPlotItem::setTicks(int xTicks, int yTicks)
{
    xTicks = qMax(2, xTicks);
    yTicks = qMax(2, yTicks);
    if (xTicks == m_xTicks && yTicks == m_yTicks)
        return;
    m_xTicks = xTicks;
    m_yTicks = yTicks;
    update();
}

void LagPlotItem::setGridColors(const QColor &grid, const QColor &axis)
{
    m_grid = grid;
    m_axis = axis;
    update();
}

void LagPlotItem::invalidate()
{
    for (Line &l : m_lines)
        l.pixels.clear();
    update();
}

QRectF LagPlotItem::boundingRect() const
{
    const qreal m = qMax(kTickLength, m_lineWidth) + 1;
    return m_area.adjusted(-m, -m, m, m);
}

QPolygonF LagPlotItem::map(const QList<QPointF> &points) const
{
    // The polyline cut to the x range, with points interpolated where it crosses an edge,
    // and y held inside the area: no clip needed, which SVG export could not do anyway.
    QPolygonF out;
    if (m_xMax <= m_xMin || m_yMax <= m_yMin)
        return out;
    out.reserve(points.size() + 2);
    const double sx = m_area.width() / (m_xMax - m_xMin);
    const double sy = m_area.height() / (m_yMax - m_yMin);
    auto pixel = [&](double x, double y) {
        return QPointF(m_area.left() + (x - m_xMin) * sx,
                       qBound(m_area.top(), m_area.bottom() - (y - m_yMin) * sy, m_area.bottom()));
    };
    auto cross = [&](const QPointF &a, const QPointF &b, double x) {
        return pixel(x, a.y() + (b.y() - a.y()) * (x - a.x()) / (b.x() - a.x()));
    };
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF &p = points[i];
        if (i > 0) {
            const QPointF &q = points[i - 1];
            if (q.x() < m_xMin && p.x() > m_xMin)
                out.append(cross(q, p, m_xMin));
            if (q.x() < m_xMax && p.x() > m_xMax)
                out.append(cross(q, p, m_xMax));
        }
        if (p.x() >= m_xMin && p.x() <= m_xMax)
            out.append(pixel(p.x(), p.y()));
    }
    return out;
}

void LagPlotItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_area.isEmpty())
        return;
    // Device pixels per pixel of the item: 2 in a PNG export or on a 2x screen.
    const qreal scale = std::sqrt(std::abs(painter->deviceTransform().determinant()));
    painter->save();
    paintGrid(painter, scale);
    paintLines(painter, scale);
    painter->restore();
}

void LagPlotItem::paintGrid(QPainter *painter, qreal scale) const
{
    // One device pixel or more, snapped to whole device pixels and drawn without
    // antialiasing: an opaque fill of whole pixels, the cheapest thing the raster engine
    // draws.
    const QTransform device = painter->deviceTransform();
    const QTransform back = device.inverted();
    const qreal half = qMax<qreal>(1.0, std::round(scale)) / scale / 2;
    painter->setRenderHint(QPainter::Antialiasing, false);
    auto fill = [&](const QRectF &r, const QColor &color) {
        const QRectF d = device.mapRect(r);
        QRectF snapped(QPointF(std::round(d.left()), std::round(d.top())),
                       QPointF(std::round(d.right()), std::round(d.bottom())));
        if (snapped.width() < 1)
            snapped.setWidth(1);
        if (snapped.height() < 1)
            snapped.setHeight(1);
        painter->fillRect(back.mapRect(snapped), color);
    };
    auto xAt = [&](int i) { return m_area.left() + i * m_area.width() / (m_xTicks - 1); };
    auto yAt = [&](int i) { return m_area.bottom() - i * m_area.height() / (m_yTicks - 1); };
    const QRectF &a = m_area;
    for (int i = 0; i < m_xTicks; ++i)
        fill(QRectF(xAt(i) - half, a.top(), 2 * half, a.height()), m_grid);
    for (int i = 0; i < m_yTicks; ++i)
        fill(QRectF(a.left(), yAt(i) - half, a.width(), 2 * half), m_grid);
    // The axis lines on the left and bottom edges, with their ticks outside.
    fill(QRectF(a.left() - half, a.top(), 2 * half, a.height()), m_axis);
    fill(QRectF(a.left(), a.bottom() - half, a.width(), 2 * half), m_axis);
    for (int i = 0; i < m_xTicks; ++i)
        fill(QRectF(xAt(i) - half, a.bottom(), 2 * half, kTickLength), m_axis);
    for (int i = 0; i < m_yTicks; ++i)
        fill(QRectF(a.left() - kTickLength, yAt(i) - half, kTickLength, 2 * half), m_axis);
}

void LagPlotItem::paintLines(QPainter *painter, qreal scale)
{
    const bool raster =
        painter->paintEngine() && painter->paintEngine()->type() == QPaintEngine::Raster;
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setBrush(Qt::NoBrush);
    QVarLengthArray<QLineF, 512> segments;
    for (Line &line : m_lines) {
        if (line.pixels.isEmpty())
            line.pixels = map(line.points);
        const QPolygonF &px = line.pixels;
        if (px.size() < 2)
            continue;
        const bool dense = px.size() * kDensePixels > m_area.width();
        const qreal width = dense ? 1.0 : m_lineWidth;
        if (!raster || width * scale <= 1.0) {
            // At most one device pixel wide: the raster engine's fast path. Vector engines
            // (SVG) write one element.
            painter->setPen(QPen(line.color, width, Qt::SolidLine, Qt::FlatCap, Qt::BevelJoin));
            painter->drawPolyline(px);
            continue;
        }
        // Wider: one stroke per segment, as Qt Charts does. The raster engine strokes a wide
        // polyline as one self-crossing outline, tens of times slower.
        painter->setPen(QPen(line.color, width, Qt::SolidLine, Qt::SquareCap));
        segments.resize(px.size() - 1);
        for (qsizetype i = 1; i < px.size(); ++i)
            segments[i - 1] = QLineF(px[i - 1], px[i]);
        painter->drawLines(segments.constData(), int(segments.size()));
    }
}

} // namespace pgdeck
