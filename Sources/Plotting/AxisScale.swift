/// How data values map to positions along an axis.
public enum AxisScale: Sendable, Equatable {
    /// Position proportional to the value.
    case linear
    /// Position proportional to `log₁₀` of the value; values ≤ 0 are not drawn.
    case log

    /// Picks `.log` when the data are non-negative and their positive values span at least three decades.
    ///
    /// ```
    /// log  ⇔  min(finite values) ≥ 0  and  max(positive) / min(positive) ≥ 10³
    /// ```
    /// Zeros are allowed (they are skipped on a log axis, as for `−dE/dt` reaching 0); any negative
    /// value keeps the axis linear. Non-finite values are ignored.
    /// - Parameters:
    ///   - values: the data that will be drawn along the axis.
    ///   - decades: the span that triggers a log axis (default 3).
    public static func automatic(for values: [Double], decades: Double = 3) -> AxisScale {
        var smallestPositive = Double.infinity, largest = 0.0
        for v in values where v.isFinite {
            if v < 0 { return .linear }
            if v > 0 {
                smallestPositive = min(smallestPositive, v)
                largest = max(largest, v)
            }
        }
        guard largest > 0 else { return .linear }
        return Math.log10(largest) - Math.log10(smallestPositive) >= decades - 1e-12 ? .log : .linear
    }

    /// Whether `value` can be drawn on this scale.
    func accepts(_ value: Double) -> Bool {
        value.isFinite && (self == .linear || value > 0)
    }

    /// The coordinate in which the scale is linear: `v` or `log₁₀ v`.
    func transform(_ value: Double) -> Double {
        self == .linear ? value : Math.log10(value)
    }
}
