/// A scatter chart for points in the plane, made for eigenvalues in the complex plane.
///
/// Both axes include 0 by default, thin axes are drawn through the origin, and dashed reference
/// lines mark chosen abscissas (by default `Re λ = 0`, the boundary of linear stability).
public struct ScatterPlot: Sendable, Equatable {
    /// Title above the chart (empty for none).
    public var title: String
    /// Label under the horizontal axis.
    public var xLabel: String
    /// Label left of the vertical axis.
    public var yLabel: String
    /// The point groups.
    public var sets: [PointSet]
    /// Abscissas of dashed vertical reference lines (default `[0]`).
    public var verticalLines: [Double]
    /// Whether both axis ranges include 0 and axes are drawn through the origin.
    public var showsOrigin: Bool
    /// Marker radius in pixels.
    public var markerRadius: Double
    /// Total width of the SVG in pixels.
    public var width: Double
    /// Total height of the SVG in pixels.
    public var height: Double

    /// Creates a scatter plot.
    ///
    /// - Parameters:
    ///   - title: title text (empty for none).
    ///   - xLabel: horizontal axis label (default `Re λ`).
    ///   - yLabel: vertical axis label (default `Im λ`).
    ///   - sets: the point groups.
    ///   - verticalLines: abscissas of dashed reference lines.
    ///   - showsOrigin: include 0 in both ranges and draw axes through it.
    ///   - markerRadius: radius of each point's marker in pixels.
    ///   - width: SVG width in pixels.
    ///   - height: SVG height in pixels.
    public init(
        title: String = "", xLabel: String = "Re λ", yLabel: String = "Im λ", sets: [PointSet],
        verticalLines: [Double] = [0], showsOrigin: Bool = true, markerRadius: Double = 3.5,
        width: Double = 600, height: Double = 420
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.sets = sets
        self.verticalLines = verticalLines
        self.showsOrigin = showsOrigin
        self.markerRadius = markerRadius
        self.width = width
        self.height = height
    }

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        var w = SVGWriter()
        render(into: &w, idPrefix: "")
        return SVGWriter.document(width: width, height: height, body: w.output)
    }

    /// Draws the chart into `w` in its own `width × height` coordinates.
    func render(into w: inout SVGWriter, idPrefix: String) {
        let points = sets.map { s in zip(s.xs, s.ys).filter { $0.0.isFinite && $0.1.isFinite } }
        var allX = points.flatMap { $0.map(\.0) } + verticalLines.filter(\.isFinite)
        var allY = points.flatMap { $0.map(\.1) }
        if showsOrigin {
            allX.append(0)
            allY.append(0)
        }
        let frame = PlotFrame(
            width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel,
            xData: (.linear, allX.min() ?? -1, allX.max() ?? 1), yData: (.linear, allY.min() ?? -1, allY.max() ?? 1),
            entries: sets.map { ($0.name, $0.color) }, marker: true)
        frame.draw(into: &w, idPrefix: idPrefix) { axes, w in
            if showsOrigin {
                w.openGroup("shape-rendering=\"crispEdges\"")
                w.line(axes.left, axes.py(0), axes.left + axes.width, axes.py(0), stroke: .axis)
                w.line(axes.px(0), axes.top, axes.px(0), axes.top + axes.height, stroke: .axis)
                w.closeGroup()
            }
            for x in verticalLines where x.isFinite {
                w.line(axes.px(x), axes.top, axes.px(x), axes.top + axes.height,
                       stroke: .reference, width: 1.5, dash: "6 4")
            }
        } unclipped: { axes, w in
            // Markers are not clipped: the axis ranges cover every point, and a marker on the frame stays whole.
            for (index, group) in points.enumerated() {
                let color = sets[index].color ?? Color.palette(index)
                for (x, y) in group {
                    w.circle(clampCoordinate(axes.px(x)), clampCoordinate(axes.py(y)), markerRadius,
                             fill: color, opacity: 0.8)
                }
            }
        }
    }
}
