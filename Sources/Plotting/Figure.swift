/// One panel of a `Figure`.
public enum Panel: Sendable, Equatable {
    /// A line chart.
    case line(LinePlot)
    /// A scatter chart.
    case scatter(ScatterPlot)
    /// A grid of grey-scale images.
    case images(ImageGrid)

    var size: (width: Double, height: Double) {
        switch self {
        case let .line(p): (p.width, p.height)
        case let .scatter(p): (p.width, p.height)
        case let .images(p): (p.width, p.height)
        }
    }

    func render(into w: inout SVGWriter, idPrefix: String) {
        switch self {
        case let .line(p): p.render(into: &w, idPrefix: idPrefix)
        case let .scatter(p): p.render(into: &w, idPrefix: idPrefix)
        case let .images(p): p.render(into: &w, idPrefix: idPrefix)
        }
    }
}

/// Several panels in one SVG, laid out in a grid filled row by row.
///
/// `columns = panels.count` puts them side by side, `columns = 1` stacks them
/// (e.g. `E(t)` above `−dE/dt`). Each grid column is as wide as its widest panel and each grid row
/// as tall as its tallest panel.
public struct Figure: Sendable, Equatable {
    /// Title above all panels (empty for none).
    public var title: String
    /// The panels, in reading order.
    public var panels: [Panel]
    /// Number of panels per row (at least 1).
    public var columns: Int

    /// Creates a figure.
    ///
    /// - Parameters:
    ///   - title: overall title (empty for none).
    ///   - panels: the panels, in reading order.
    ///   - columns: panels per row; `nil` puts all panels side by side.
    public init(title: String = "", panels: [Panel], columns: Int? = nil) {
        self.title = title
        self.panels = panels
        self.columns = max(1, columns ?? panels.count)
    }

    /// Panels stacked top to bottom.
    public static func stacked(title: String = "", _ panels: [Panel]) -> Figure {
        Figure(title: title, panels: panels, columns: 1)
    }

    /// Panels side by side, left to right.
    public static func sideBySide(title: String = "", _ panels: [Panel]) -> Figure {
        Figure(title: title, panels: panels, columns: panels.count)
    }

    private var titleHeight: Double { title.isEmpty ? 0 : 34 }

    private var grid: (widths: [Double], heights: [Double]) {
        let gridColumns = min(columns, max(1, panels.count))
        let gridRows = (panels.count + gridColumns - 1) / gridColumns
        var widths = [Double](repeating: 0, count: gridColumns)
        var heights = [Double](repeating: 0, count: gridRows)
        for (k, panel) in panels.enumerated() {
            widths[k % gridColumns] = max(widths[k % gridColumns], panel.size.width)
            heights[k / gridColumns] = max(heights[k / gridColumns], panel.size.height)
        }
        return (widths, heights)
    }

    /// Total width of the SVG.
    public var width: Double { max(grid.widths.reduce(0, +), SVGWriter.textWidth(title, size: 17) + 20, 1) }

    /// Total height of the SVG.
    public var height: Double { max(titleHeight + grid.heights.reduce(0, +), 1) }

    /// The figure as a standalone SVG document.
    public func svg() -> String {
        var w = SVGWriter()
        if !title.isEmpty {
            w.text(title, x: width / 2, y: 18, size: 17, anchor: .middle, bold: true)
        }
        let (widths, heights) = grid
        for (k, panel) in panels.enumerated() {
            let column = k % widths.count, row = k / widths.count
            let x = widths.prefix(column).reduce(0, +)
            let y = titleHeight + heights.prefix(row).reduce(0, +)
            w.translate(x, y)
            panel.render(into: &w, idPrefix: "panel\(k)-")
            w.closeGroup()
        }
        return SVGWriter.document(width: width, height: height, body: w.output)
    }
}
