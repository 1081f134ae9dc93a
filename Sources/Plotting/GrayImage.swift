/// A grey-scale image: `rows × columns` pixel values in row-major order.
public struct GrayImage: Sendable, Equatable {
    /// Number of pixel rows.
    public let rows: Int
    /// Number of pixel columns.
    public let columns: Int
    /// Pixel values, row after row; NaN and ±∞ are drawn in a warning colour.
    public let pixels: [Double]

    /// Creates an image from row-major pixel values.
    ///
    /// - Parameters:
    ///   - rows: number of pixel rows (≥ 0).
    ///   - columns: number of pixel columns (≥ 0).
    ///   - pixels: `rows * columns` values.
    /// - Throws: `PlotError.pixelCountMismatch` when the count is wrong or a dimension negative.
    public init(rows: Int, columns: Int, pixels: [Double]) throws(PlotError) {
        guard rows >= 0, columns >= 0, pixels.count == rows * columns else {
            throw .pixelCountMismatch(expected: max(0, rows) * max(0, columns), actual: pixels.count)
        }
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
    }

    /// The smallest and largest finite pixel values, or `nil` when there are none.
    var finiteRange: (Double, Double)? {
        var lo = Double.infinity, hi = -Double.infinity
        for p in pixels where p.isFinite {
            lo = min(lo, p)
            hi = max(hi, p)
        }
        return lo <= hi ? (lo, hi) : nil
    }
}
