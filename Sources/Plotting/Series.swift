/// One named curve of a `LinePlot`: points `(xs[i], ys[i])` joined in order.
///
/// Points with a NaN or infinite coordinate (or a coordinate ≤ 0 on a log axis) are skipped
/// and break the line in two.
public struct Series: Sendable, Equatable {
    /// The name shown in the legend.
    public var name: String
    /// Horizontal coordinates.
    public private(set) var xs: [Double]
    /// Vertical coordinates, as many as `xs`.
    public private(set) var ys: [Double]
    /// The line colour; `nil` takes the next palette colour.
    public var color: Color?

    /// Creates a series from matching coordinate arrays.
    ///
    /// - Parameters:
    ///   - name: legend text.
    ///   - xs: horizontal coordinates.
    ///   - ys: vertical coordinates.
    ///   - color: line colour, or `nil` for the palette.
    /// - Throws: `PlotError.lengthMismatch` when `xs.count ≠ ys.count`.
    public init(name: String, xs: [Double], ys: [Double], color: Color? = nil) throws(PlotError) {
        try PlotError.checkLengths(of: name, xs: xs, ys: ys)
        self.name = name
        self.xs = xs
        self.ys = ys
        self.color = color
    }

    /// Creates a series plotted against its index `0, 1, 2, …`.
    public init(name: String, ys: [Double], color: Color? = nil) {
        self.name = name
        self.xs = ys.indices.map(Double.init)
        self.ys = ys
        self.color = color
    }
}
