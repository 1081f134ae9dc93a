/// How pixel values map to grey levels in an `ImageGrid`.
public enum IntensityRange: Sendable, Equatable {
    /// One range, the smallest to the largest finite pixel over all images.
    case shared
    /// Each image stretched over its own smallest to largest finite pixel.
    case perImage
    /// A fixed range `low…high`; values outside are clamped.
    case fixed(low: Double, high: Double)
}

/// Grey-scale images in a grid with row and column captions, written as SVG.
///
/// For example rows = queries and columns = initial state / final state / nearest stored pattern.
/// By default low values are black and high values white; NaN or infinite pixels are drawn red.
/// Each pixel row is written as `<rect>` runs of equal grey, so files stay small.
public struct ImageGrid: Sendable, Equatable {
    /// Title above the grid (empty for none).
    public var title: String
    /// Caption left of each row (may be shorter than the number of rows).
    public var rowCaptions: [String]
    /// Caption above each column (may be shorter than the number of columns).
    public var columnCaptions: [String]
    /// The images, `cells[row][column]`; `nil` leaves a cell empty.
    public var cells: [[GrayImage?]]
    /// Pixel-value to grey-level mapping.
    public var range: IntensityRange
    /// Draw low values white and high values black instead.
    public var inverted: Bool
    /// Side of one pixel in SVG units.
    public var pixelSize: Double
    /// Gap between cells in SVG units.
    public var spacing: Double

    /// Creates an image grid.
    ///
    /// - Parameters:
    ///   - title: title text (empty for none).
    ///   - rowCaptions: one caption per row.
    ///   - columnCaptions: one caption per column.
    ///   - cells: the images, row by row; `nil` for an empty cell.
    ///   - range: how pixel values become grey levels.
    ///   - inverted: draw high values dark.
    ///   - pixelSize: side of one pixel (default 4, so a 28 × 28 image is 112 units wide).
    ///   - spacing: gap between cells.
    public init(
        title: String = "", rowCaptions: [String] = [], columnCaptions: [String] = [], cells: [[GrayImage?]],
        range: IntensityRange = .shared, inverted: Bool = false, pixelSize: Double = 4, spacing: Double = 10
    ) {
        self.title = title
        self.rowCaptions = rowCaptions
        self.columnCaptions = columnCaptions
        self.cells = cells
        self.range = range
        self.inverted = inverted
        self.pixelSize = pixelSize
        self.spacing = spacing
    }

    static let captionFontSize = 12.0

    private var rowCount: Int { cells.count }
    private var columnCount: Int { max(cells.map(\.count).max() ?? 0, columnCaptions.count) }

    /// Pixel width of each column and pixel height of each row of the grid.
    private var cellSizes: (widths: [Double], heights: [Double]) {
        var widths = [Double](repeating: 0, count: columnCount)
        var heights = [Double](repeating: 0, count: rowCount)
        for (i, row) in cells.enumerated() {
            for (j, image) in row.enumerated() {
                guard let image else { continue }
                widths[j] = max(widths[j], Double(image.columns) * pixelSize)
                heights[i] = max(heights[i], Double(image.rows) * pixelSize)
            }
        }
        return (widths.map { max($0, 8 * pixelSize) }, heights.map { max($0, 8 * pixelSize) })
    }

    private var leftMargin: Double {
        let longest = rowCaptions.map { SVGWriter.textWidth($0, size: ImageGrid.captionFontSize) }.max() ?? 0
        return 10 + (longest > 0 ? longest + 10 : 0)
    }

    private var topMargin: Double {
        (title.isEmpty ? 10 : 38) + (columnCaptions.contains { !$0.isEmpty } ? 22 : 0)
    }

    /// Total width of the SVG.
    public var width: Double {
        let (widths, _) = cellSizes
        let columnsWidth = max(widths.reduce(0, +) + spacing * Double(max(0, widths.count - 1)), 0)
        // Captions wider than their image widen the figure on the right only.
        let captionOverhang = zip(columnCaptions, widths).map { caption, w in
            max(0, SVGWriter.textWidth(caption, size: ImageGrid.captionFontSize) - w) / 2
        }.last ?? 0
        return max(leftMargin + columnsWidth + captionOverhang + 10,
                   SVGWriter.textWidth(title, size: 15) + 20)
    }

    /// Total height of the SVG.
    public var height: Double {
        let (_, heights) = cellSizes
        return topMargin + heights.reduce(0, +) + spacing * Double(max(0, heights.count - 1)) + 10
    }

    /// The grid as a standalone SVG document.
    public func svg() -> String {
        var w = SVGWriter()
        render(into: &w, idPrefix: "")
        return SVGWriter.document(width: width, height: height, body: w.output)
    }

    /// Draws the grid into `w` in its own `width × height` coordinates.
    func render(into w: inout SVGWriter, idPrefix: String) {
        let (widths, heights) = cellSizes
        let left = leftMargin, top = topMargin
        if !title.isEmpty {
            w.text(title, x: width / 2, y: 20, size: 15, anchor: .middle, bold: true)
        }
        var x = left
        for (j, cellWidth) in widths.enumerated() {
            if j < columnCaptions.count {
                w.text(columnCaptions[j], x: x + cellWidth / 2, y: top - 12, size: ImageGrid.captionFontSize,
                       anchor: .middle)
            }
            x += cellWidth + spacing
        }
        let shared = cells.flatMap { $0.compactMap { $0?.finiteRange } }
            .reduce(nil as (Double, Double)?) { acc, r in acc.map { (min($0.0, r.0), max($0.1, r.1)) } ?? r }
        var y = top
        for (i, cellHeight) in heights.enumerated() {
            if i < rowCaptions.count {
                w.text(rowCaptions[i], x: left - 10, y: y + cellHeight / 2, size: ImageGrid.captionFontSize,
                       anchor: .end)
            }
            var x = left
            for (j, cellWidth) in widths.enumerated() {
                if j < cells[i].count, let image = cells[i][j] {
                    let bounds: (Double, Double)?
                    switch range {
                    case .shared: bounds = shared
                    case .perImage: bounds = image.finiteRange
                    case let .fixed(low, high): bounds = (low, high)
                    }
                    drawImage(image, x: x, y: y, bounds: bounds ?? (0, 1), into: &w)
                }
                x += cellWidth + spacing
            }
            y += cellHeight + spacing
        }
    }

    /// The 0…255 grey level of `value`, or `nil` for a non-finite value.
    static func greyLevel(_ value: Double, low: Double, high: Double, inverted: Bool) -> Int? {
        guard value.isFinite else { return nil }
        let t = high > low ? (value - low) / (high - low) : 0.5
        let level = Int((max(0, min(1, t)) * 255).rounded())
        return inverted ? 255 - level : level
    }

    private func drawImage(_ image: GrayImage, x: Double, y: Double, bounds: (Double, Double), into w: inout SVGWriter) {
        let size = pixelSize
        w.openGroup("shape-rendering=\"crispEdges\"")
        for r in 0..<image.rows {
            var c = 0
            while c < image.columns {
                let level = ImageGrid.greyLevel(
                    image.pixels[r * image.columns + c], low: bounds.0, high: bounds.1, inverted: inverted)
                var end = c + 1
                while end < image.columns,
                      ImageGrid.greyLevel(image.pixels[r * image.columns + end], low: bounds.0, high: bounds.1,
                                          inverted: inverted) == level {
                    end += 1
                }
                let color = level.map { Color(red: UInt8($0), green: UInt8($0), blue: UInt8($0)) } ?? .reference
                w.rect(x + Double(c) * size, y + Double(r) * size, Double(end - c) * size, size, fill: color)
                c = end
            }
        }
        w.rect(x, y, Double(image.columns) * size, Double(image.rows) * size, fill: nil, stroke: .axis,
               strokeWidth: 0.5)
        w.closeGroup()
    }
}
