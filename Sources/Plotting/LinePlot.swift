/// A line chart of one or more series, written as SVG.
///
/// Axes get "nice" ticks (1-2-5 steps on linear axes, decades with minor ticks on log axes), a legend
/// appears when there is more than one series, and points that cannot be drawn (NaN, ±∞, ≤ 0 on a
/// log axis) are skipped, breaking the line. Series without a colour take `Color.palette` in order;
/// lines get thinner as series are added so that 16 trajectories stay readable.
public struct LinePlot: Sendable, Equatable {
    /// Title above the chart (empty for none).
    public var title: String
    /// Label under the horizontal axis.
    public var xLabel: String
    /// Label left of the vertical axis.
    public var yLabel: String
    /// The curves.
    public var series: [Series]
    /// Horizontal axis scale.
    public var xScale: AxisScale
    /// Vertical axis scale.
    public var yScale: AxisScale
    /// Fixed horizontal data range; `nil` fits the data.
    public var xRange: ClosedRange<Double>?
    /// Fixed vertical data range; `nil` fits the data.
    public var yRange: ClosedRange<Double>?
    /// Line width in pixels; `nil` chooses from the number of series.
    public var lineWidth: Double?
    /// Total width of the SVG in pixels.
    public var width: Double
    /// Total height of the SVG in pixels.
    public var height: Double

    /// Creates a line plot.
    ///
    /// - Parameters:
    ///   - title: title text (empty for none).
    ///   - xLabel: horizontal axis label.
    ///   - yLabel: vertical axis label.
    ///   - series: the curves.
    ///   - xScale: `.linear` or `.log`; see `AxisScale.automatic(for:)`.
    ///   - yScale: `.linear` or `.log`.
    ///   - width: SVG width in pixels.
    ///   - height: SVG height in pixels.
    public init(
        title: String = "", xLabel: String = "", yLabel: String = "", series: [Series],
        xScale: AxisScale = .linear, yScale: AxisScale = .linear, width: Double = 640, height: Double = 400
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xScale = xScale
        self.yScale = yScale
        self.width = width
        self.height = height
    }

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        var w = SVGWriter()
        render(into: &w, idPrefix: "")
        return SVGWriter.document(width: width, height: height, body: w.output)
    }

    /// The line width used for the series.
    var effectiveLineWidth: Double {
        if let lineWidth { return lineWidth }
        switch series.count {
        case ...4: return 1.8
        case ...8: return 1.4
        default: return 1.0
        }
    }

    /// Draws the chart into `w` in its own `width × height` coordinates.
    func render(into w: inout SVGWriter, idPrefix: String) {
        let visible = series.map { s in
            zip(s.xs, s.ys).filter { xScale.accepts($0.0) && yScale.accepts($0.1) }
        }
        let allX = visible.flatMap { $0.map(\.0) }, allY = visible.flatMap { $0.map(\.1) }
        let frame = PlotFrame(
            width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel,
            xData: (xScale, xRange?.lowerBound ?? allX.min() ?? .nan, xRange?.upperBound ?? allX.max() ?? .nan),
            yData: (yScale, yRange?.lowerBound ?? allY.min() ?? .nan, yRange?.upperBound ?? allY.max() ?? .nan),
            entries: series.map { ($0.name, $0.color) }, marker: false)
        let lineWidth = effectiveLineWidth
        frame.draw(into: &w, idPrefix: idPrefix) { axes, w in
            for (index, s) in series.enumerated() {
                drawSeries(s, color: s.color ?? Color.palette(index), axes: axes, lineWidth: lineWidth, into: &w)
            }
        }
    }

    /// One path per series; a skipped point starts a new sub-path, lone points become dots.
    private func drawSeries(_ s: Series, color: Color, axes: Axes, lineWidth: Double, into w: inout SVGWriter) {
        var d = ""
        var segment: [(Double, Double)] = []
        var dots: [(Double, Double)] = []
        func flush() {
            if segment.count == 1 {
                dots.append(segment[0])
            } else if segment.count > 1 {
                d += "M" + point(segment[0])
                for p in segment.dropFirst() { d += "L" + point(p) }
            }
            segment.removeAll(keepingCapacity: true)
        }
        for (x, y) in zip(s.xs, s.ys) {
            guard xScale.accepts(x), yScale.accepts(y) else {
                flush()
                continue
            }
            let p = (axes.px(x), axes.py(y))
            // Drop points closer than a quarter pixel to the previous one (keeps long trajectories small).
            if let last = segment.last, abs(last.0 - p.0) < 0.25, abs(last.1 - p.1) < 0.25 { continue }
            segment.append(p)
        }
        flush()
        if !d.isEmpty {
            w.path(d, stroke: color, width: lineWidth, extra: series.count > 8 ? "stroke-opacity=\"0.85\"" : "")
        }
        for (x, y) in dots { w.circle(x, y, max(1.5, lineWidth), fill: color) }
    }

    private func point(_ p: (Double, Double)) -> String {
        NumberFormatting.coordinate(clampCoordinate(p.0)) + " " + NumberFormatting.coordinate(clampCoordinate(p.1))
    }
}

/// Keeps far-off-screen coordinates within a range every SVG renderer handles (the clip hides them).
func clampCoordinate(_ v: Double) -> Double {
    max(-1e5, min(1e5, v))
}
