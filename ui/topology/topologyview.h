#pragma once

#include "topology/topology.h"

#include <QHash>
#include <QList>
#include <QRectF>
#include <QWidget>

class QPainter;

namespace pgdeck {

// Paints a cluster's Topology: primaries on the left (or on top when the widget is tall),
// standbys one column further per level of cascading, arrows from upstream to standby
// labelled with the replay lag. Painted by hand so the same code draws on screen, into a
// PNG and into an SVG, and scales with the widget.
class TopologyView : public QWidget {
    Q_OBJECT
public:
    explicit TopologyView(QWidget *parent = nullptr);

    void setTopology(const Topology &topology);
    const Topology &topology() const { return m_topology; }
    void setMaxScale(qreal scale)
    {
        m_maxScale = scale;
        update();
    }
    // An edge turns amber at or over either threshold (the cluster's lag_warn_*).
    void setThresholds(qint64 lagWarnBytes, double lagWarnSeconds);
    qint64 lagWarnBytes() const { return m_lagWarnBytes; }
    double lagWarnSeconds() const { return m_lagWarnSeconds; }

    // Draws the picture fitted into rect; what paintEvent and the exports use.
    void render(QPainter *painter, const QRectF &rect) const;
    // The picture at its natural size (scale 1), for export; devicePixelRatio 2 keeps it
    // sharp on HiDPI screens and in documents.
    QImage toImage(qreal devicePixelRatio = 2.0) const;
    QSize naturalSize() const;
    bool exportPng(const QString &path, QString *error = nullptr) const;
    bool exportSvg(const QString &path, QString *error = nullptr) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // "1.2 MB · 0.3 s", "streaming", or the walsender state when not streaming.
    static QString edgeLabel(const TopologyEdge &edge);

Q_SIGNALS:
    void nodeClicked(const QString &node);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override; // Export as PNG or SVG

private:
    enum class EdgeLook { Normal, Warn, Stale };
    EdgeLook edgeLook(const TopologyEdge &edge) const;
    void draw(QPainter *painter, const QRectF &rect, bool recordHits) const;
    QString nodeAt(const QPointF &pos) const;
    int edgeAt(const QPointF &pos) const;

    Topology m_topology;
    qreal m_maxScale = 1.25; // cards stop growing here on a desktop; a wall screen allows more
    qint64 m_lagWarnBytes;
    double m_lagWarnSeconds;
    // Where the last paint put things, in widget coordinates, for tooltips and clicks.
    mutable QHash<QString, QRectF> m_hitCards;
    mutable QList<QRectF> m_hitLabels; // parallel to m_topology.edges; empty rect: not drawn
};

} // namespace pgdeck
