/// The frame that `LinePlot` and `ScatterPlot` share: ticks fitted to the data ranges, a legend, the axes
/// laid out around both, and the drawing order of a two-axis chart.
///
/// `draw` writes the clip path and grid, the clipped data, the unclipped data, then the frame with its
/// ticks and labels, and the legend last.
struct PlotFrame {
    var axes: Axes
    var legend: Legend
    var title: String
    var xLabel: String
    var yLabel: String
    var totalWidth: Double

    /// Lays out a `width × height` chart whose axes cover `xData` and `yData`.
    ///
    /// - Parameters:
    ///   - xData: scale and data range of the horizontal axis (NaN bounds for no data).
    ///   - yData: scale and data range of the vertical axis.
    ///   - entries: legend names and colours; a `nil` colour takes `Color.palette` at its index.
    ///   - marker: legend swatches as markers (scatter) rather than line segments.
    init(
        width: Double, height: Double, title: String, xLabel: String, yLabel: String,
        xData: (scale: AxisScale, min: Double, max: Double), yData: (scale: AxisScale, min: Double, max: Double),
        entries: [(name: String, color: Color?)], marker: Bool
    ) {
        let xTicks = AxisTicks(
            scale: xData.scale, dataMin: xData.min, dataMax: xData.max, targetCount: max(3, Int(width / 90)))
        let yTicks = AxisTicks(
            scale: yData.scale, dataMin: yData.min, dataMax: yData.max, targetCount: max(3, Int(height / 60)))
        legend = Legend(
            entries: entries.enumerated().map { ($0.element.name, $0.element.color ?? Color.palette($0.offset)) },
            marker: marker)
        axes = Axes(
            totalWidth: width, totalHeight: height, title: title, xLabel: xLabel, yLabel: yLabel,
            xTicks: xTicks, yTicks: yTicks, xScale: xData.scale, yScale: yData.scale,
            rightReserve: legend.reservedWidth)
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        totalWidth = width
    }

    /// Draws the chart: `clipped` inside the plot area's clip path, `unclipped` over it, then frame and legend.
    ///
    /// - Parameters:
    ///   - idPrefix: prefix of the clip path's id, unique per panel of a figure.
    ///   - clipped: draws what the plot area clips (lines, reference lines).
    ///   - unclipped: draws what may overlap the frame (markers).
    func draw(
        into w: inout SVGWriter, idPrefix: String, clipped: (Axes, inout SVGWriter) -> Void,
        unclipped: (Axes, inout SVGWriter) -> Void = { _, _ in }
    ) {
        let clip = idPrefix + "plot-area"
        axes.clipDefinition(id: clip, into: &w)
        axes.drawGrid(into: &w)
        w.openGroup("clip-path=\"url(#\(clip))\"")
        clipped(axes, &w)
        w.closeGroup()
        unclipped(axes, &w)
        axes.drawFrame(into: &w, title: title, xLabel: xLabel, yLabel: yLabel, totalWidth: totalWidth)
        legend.draw(into: &w, x: axes.left + axes.width, top: axes.top, maxHeight: axes.height)
    }
}
