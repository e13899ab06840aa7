#pragma once

#include <QColor>
#include <QGraphicsItem>
#include <QList>
#include <QPointF>
#include <QPolygonF>
#include <QRectF>

namespace pgdeck {

// What a LagChartView draws itself inside its QChart's plot area: the grid, the two axis
// lines with their ticks, and the lag lines. Qt Charts draws the rest (frame, labels,
// legend, threshold). Measured with bench_chartredraw (10 lines of 740 points, 1600x900):
// - QLineSeries rebuilds a stroked hover shape of the whole line on every replace()
//   (~1 ms a line) and strokes each segment of a 2 px pen through QStroker. Here a dense
//   line (more than a point per kDensePixels pixels) is 1 px wide and drawn with one
//   drawPolyline, which the raster engine draws with its cosmetic fast path.
// - Qt Charts' grid and axis lines are antialiased QGraphicsLineItems: each vertical one
//   is a span per pixel row, blended in batches that Qt 6's raster engine hands to its
//   thread pool, most of the frame's cost. Here they are opaque, pixel-aligned fillRect()s.
// It knows no Qt Charts type: the owner passes the plot area, the axes' ranges and ticks.
class LagPlotItem : public QGraphicsItem {
public:
    // A line with more points than (plot width / kDensePixels) is drawn 1 px wide.
    static constexpr int kDensePixels = 4;
    static constexpr qreal kTickLength = 4; // outside the area, as Qt Charts' axes have them

    explicit LagPlotItem(QGraphicsItem *parent = nullptr);

    void setLineCount(int count); // all lines empty
    int lineCount() const { return int(m_lines.size()); }
    // x and y in the axes' units (x in ms since the epoch), in time order.
    void setPoints(int line, const QList<QPointF> &points);
    void setColor(int line, const QColor &color);
    void setLineWidth(qreal width); // pixels, for sparse lines
    // The rectangle, in the parent's coordinates, and the axis values at its edges.
    void setPlotArea(const QRectF &area);
    void setRange(double xMin, double xMax, double yMin, double yMax);
    // Grid lines at ticks evenly spread over the area, edges included, as Qt Charts' value
    // and date-time axes place their labels. Opaque colours: translucent ones would be
    // blended span by span again.
    void setTicks(int xTicks, int yTicks);
    void setGridColors(const QColor &grid, const QColor &axis);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option,
               QWidget *widget = nullptr) override;

private:
    struct Line {
        QList<QPointF> points;
        QColor color;
        QPolygonF pixels; // points mapped to the plot area, cut to it; empty while stale
    };

    void invalidate();
    QPolygonF map(const QList<QPointF> &points) const;
    void paintGrid(QPainter *painter, qreal scale) const;
    void paintLines(QPainter *painter, qreal scale);

    QList<Line> m_lines;
    QRectF m_area;
    double m_xMin = 0, m_xMax = 1, m_yMin = 0, m_yMax = 1;
    int m_xTicks = 2, m_yTicks = 2;
    QColor m_grid = Qt::lightGray, m_axis = Qt::gray;
    qreal m_lineWidth = 2.0;
};

} // namespace pgdeck
