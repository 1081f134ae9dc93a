/// Whether `a` and `b` agree to the tolerances: `|a − b| ≤ absoluteTolerance + relativeTolerance · max(|a|, |b|)`
/// (equal values, infinities included, always agree).
public func isApproximatelyEqual(
    _ a: Double, _ b: Double, relativeTolerance: Double = 1e-9, absoluteTolerance: Double = 1e-9
) -> Bool {
    if a == b { return true }
    return abs(a - b) <= absoluteTolerance + relativeTolerance * max(abs(a), abs(b))
}

/// Whether two arrays have the same length and agree entry by entry (see the scalar version).
public func isApproximatelyEqual(
    _ a: [Double], _ b: [Double], relativeTolerance: Double = 1e-9, absoluteTolerance: Double = 1e-9
) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy {
        isApproximatelyEqual($0, $1, relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance)
    }
}

/// `max_i |v_i|` (0 for an empty array).
public func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

/// `max_i |a_i − b_i|` over the common prefix.
public func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) } }

/// The largest `|a_i − b_i| / (rtol (|a_i| + scale) + atol)`: ≤ 1 means every entry agrees. `scale`
/// defaults to `max |a|`, making the tolerance relative to the whole vector or matrix.
public func worstRatio(
    _ a: [Double], _ b: [Double], relative rtol: Double, scale: Double? = nil, absolute atol: Double = 0
) -> Double {
    precondition(a.count == b.count)
    let s = scale ?? maxAbs(a)
    var worst = 0.0
    for i in a.indices {
        let ratio = abs(a[i] - b[i]) / (rtol * (abs(a[i]) + s) + atol)
        if ratio.isNaN { return .infinity }
        worst = max(worst, ratio)
    }
    return worst
}
