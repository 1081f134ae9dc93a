/// The plotting area of a two-axis chart: layout, coordinate maps, grid, frame, ticks and labels.
///
/// Shared by `LinePlot` and `ScatterPlot`; everything is in the chart's own pixel coordinates.
struct Axes {
    var xTicks: AxisTicks
    var yTicks: AxisTicks
    var xScale: AxisScale
    var yScale: AxisScale
    /// Plot area, in pixels.
    var left: Double, top: Double, width: Double, height: Double

    static let tickFontSize = 11.0
    static let labelFontSize = 13.0
    static let titleFontSize = 15.0

    /// Lays out a chart of `totalWidth × totalHeight` keeping `rightReserve` pixels free for a legend.
    init(
        totalWidth: Double, totalHeight: Double, title: String, xLabel: String, yLabel: String,
        xTicks: AxisTicks, yTicks: AxisTicks, xScale: AxisScale, yScale: AxisScale, rightReserve: Double
    ) {
        self.xTicks = xTicks
        self.yTicks = yTicks
        self.xScale = xScale
        self.yScale = yScale
        let yLabelWidth = yTicks.labels.map { SVGWriter.textWidth($0, size: Axes.tickFontSize) }.max() ?? 0
        let lastXLabelHalf = (xTicks.labels.last.map { SVGWriter.textWidth($0, size: Axes.tickFontSize) } ?? 0) / 2
        top = title.isEmpty ? 14 : 40
        left = 10 + (yLabel.isEmpty ? 0 : 22) + yLabelWidth + 8
        let bottom: Double = 8 + 18 + (xLabel.isEmpty ? 0 : 22)
        let right = max(16, lastXLabelHalf + 4) + rightReserve
        width = max(40, totalWidth - left - right)
        height = max(40, totalHeight - top - bottom)
    }

    /// Horizontal pixel position of data value `x` (may lie outside the area).
    func px(_ x: Double) -> Double {
        let lo = xScale.transform(xTicks.lower), hi = xScale.transform(xTicks.upper)
        return left + (xScale.transform(x) - lo) / (hi - lo) * width
    }

    /// Vertical pixel position of data value `y` (may lie outside the area).
    func py(_ y: Double) -> Double {
        let lo = yScale.transform(yTicks.lower), hi = yScale.transform(yTicks.upper)
        return top + height - (yScale.transform(y) - lo) / (hi - lo) * height
    }

    /// Defines the clip path `id` covering the plot area.
    func clipDefinition(id: String, into w: inout SVGWriter) {
        w.raw("<defs><clipPath id=\"\(id)\">")
        w.rect(left, top, width, height, fill: .black)
        w.raw("</clipPath></defs>\n")
    }

    /// Minor and major grid lines (drawn first, under the data).
    func drawGrid(into w: inout SVGWriter) {
        w.openGroup("shape-rendering=\"crispEdges\"")
        for x in xTicks.minor where x > xTicks.lower && x < xTicks.upper && xScale == .log {
            w.line(px(x), top, px(x), top + height, stroke: .minorGrid)
        }
        for y in yTicks.minor where y > yTicks.lower && y < yTicks.upper && yScale == .log {
            w.line(left, py(y), left + width, py(y), stroke: .minorGrid)
        }
        for x in xTicks.major where x > xTicks.lower && x < xTicks.upper {
            w.line(px(x), top, px(x), top + height, stroke: .grid)
        }
        for y in yTicks.major where y > yTicks.lower && y < yTicks.upper {
            w.line(left, py(y), left + width, py(y), stroke: .grid)
        }
        w.closeGroup()
    }

    /// Frame, tick marks, tick labels, axis labels and the title (drawn last, over the data).
    func drawFrame(into w: inout SVGWriter, title: String, xLabel: String, yLabel: String, totalWidth: Double) {
        w.openGroup("shape-rendering=\"crispEdges\"")
        w.rect(left, top, width, height, fill: nil, stroke: .axis)
        for x in xTicks.minor where x >= xTicks.lower && x <= xTicks.upper {
            w.line(px(x), top + height, px(x), top + height + 3, stroke: .axis)
        }
        for y in yTicks.minor where y >= yTicks.lower && y <= yTicks.upper {
            w.line(left - 3, py(y), left, py(y), stroke: .axis)
        }
        for x in xTicks.major { w.line(px(x), top + height, px(x), top + height + 5, stroke: .axis) }
        for y in yTicks.major { w.line(left - 5, py(y), left, py(y), stroke: .axis) }
        w.closeGroup()
        for (x, label) in zip(xTicks.major, xTicks.labels) {
            w.text(label, x: px(x), y: top + height + 15, size: Axes.tickFontSize, anchor: .middle)
        }
        for (y, label) in zip(yTicks.major, yTicks.labels) {
            w.text(label, x: left - 8, y: py(y), size: Axes.tickFontSize, anchor: .end)
        }
        if !xLabel.isEmpty {
            w.text(xLabel, x: left + width / 2, y: top + height + 36, size: Axes.labelFontSize, anchor: .middle)
        }
        if !yLabel.isEmpty {
            w.text(yLabel, x: 18, y: top + height / 2, size: Axes.labelFontSize, anchor: .middle, rotate: -90)
        }
        if !title.isEmpty {
            // Centred over the plot area, or over the whole chart when it is wider than the area.
            let fits = SVGWriter.textWidth(title, size: Axes.titleFontSize) <= width
            w.text(title, x: fits ? left + width / 2 : totalWidth / 2, y: 20, size: Axes.titleFontSize,
                   anchor: .middle, bold: true)
        }
    }
}

/// A legend drawn to the right of the plot area: a swatch and a name per entry.
struct Legend {
    var entries: [(name: String, color: Color)]
    var marker: Bool

    static let fontSize = 11.0
    static let rowHeight = 16.0

    /// The horizontal space the legend needs, or 0 when it is not drawn (fewer than two entries).
    var reservedWidth: Double {
        guard entries.count > 1 else { return 0 }
        let longest = entries.map { SVGWriter.textWidth($0.name, size: Legend.fontSize) }.max() ?? 0
        return 12 + 22 + 6 + min(longest, 220) + 4
    }

    func draw(into w: inout SVGWriter, x: Double, top: Double, maxHeight: Double) {
        guard entries.count > 1 else { return }
        let fitting = max(1, Int(maxHeight / Legend.rowHeight))
        let shown = entries.count <= fitting ? entries.count : fitting - 1
        let x0 = x + 12
        for (k, entry) in entries.prefix(shown).enumerated() {
            let y = top + 8 + Double(k) * Legend.rowHeight
            if marker {
                w.circle(x0 + 11, y, 3.5, fill: entry.color)
            } else {
                w.line(x0, y, x0 + 22, y, stroke: entry.color, width: 2.5)
            }
            var name = entry.name
            let maxCharacters = Int(220 / (0.6 * Legend.fontSize))
            if name.count > maxCharacters { name = String(name.prefix(maxCharacters - 1)) + "…" }
            w.text(name, x: x0 + 28, y: y, size: Legend.fontSize)
        }
        if shown < entries.count {
            let y = top + 8 + Double(shown) * Legend.rowHeight
            w.text("… \(entries.count - shown) more", x: x0 + 28, y: y, size: Legend.fontSize, fill: .axis)
        }
    }
}
