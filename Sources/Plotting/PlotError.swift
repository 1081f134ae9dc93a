/// Errors thrown when plot data is inconsistent.
public enum PlotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A series' `xs` and `ys` have different lengths.
    case lengthMismatch(series: String, xs: Int, ys: Int)
    /// An image's pixel buffer does not hold `rows × columns` values.
    case pixelCountMismatch(expected: Int, actual: Int)
    /// A colour string is not of the form `#rrggbb`.
    case invalidColor(String)

    public var description: String {
        switch self {
        case let .lengthMismatch(series, xs, ys):
            return "series \"\(series)\": \(xs) x values but \(ys) y values"
        case let .pixelCountMismatch(expected, actual):
            return "image needs \(expected) pixels but got \(actual)"
        case let .invalidColor(text):
            return "invalid colour \"\(text)\" (expected #rrggbb)"
        }
    }
}

extension PlotError {
    /// Checks that a named point group (`Series`, `PointSet`) has as many `ys` as `xs`.
    ///
    /// - Throws: `PlotError.lengthMismatch` when `xs.count ≠ ys.count`.
    static func checkLengths(of name: String, xs: [Double], ys: [Double]) throws(PlotError) {
        guard xs.count == ys.count else { throw .lengthMismatch(series: name, xs: xs.count, ys: ys.count) }
    }
}
