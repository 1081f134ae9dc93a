/// One named group of points of a `ScatterPlot`, e.g. the eigenvalues of one Jacobian.
///
/// Points with a NaN or infinite coordinate are skipped.
public struct PointSet: Sendable, Equatable {
    /// The name shown in the legend.
    public var name: String
    /// Horizontal coordinates (real parts, for eigenvalues).
    public private(set) var xs: [Double]
    /// Vertical coordinates (imaginary parts), as many as `xs`.
    public private(set) var ys: [Double]
    /// Marker colour; `nil` takes the next palette colour.
    public var color: Color?

    /// Creates a point set from matching coordinate arrays.
    ///
    /// - Parameters:
    ///   - name: legend text.
    ///   - xs: horizontal coordinates.
    ///   - ys: vertical coordinates.
    ///   - color: marker colour, or `nil` for the palette.
    /// - Throws: `PlotError.lengthMismatch` when `xs.count ≠ ys.count`.
    public init(name: String, xs: [Double], ys: [Double], color: Color? = nil) throws(PlotError) {
        try PlotError.checkLengths(of: name, xs: xs, ys: ys)
        self.name = name
        self.xs = xs
        self.ys = ys
        self.color = color
    }
}
