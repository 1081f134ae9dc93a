/// One fixed point reached from one or more initial states.
public struct DistinctFixedPoint: Sendable {
    /// The fixed point (of the first state that reached it).
    public var state: [Double]
    /// The indices of the reports that reached it.
    public var members: [Int]
    /// Its stability (nil when not analysed).
    public var stability: Stability?
    /// Its energy.
    public var energy: Double
}

/// Groups the converged fixed points of a batch: two are the same when
/// `‖x₁ − x₂‖_∞ ≤ tolerance · max(1, ‖x₁‖_∞)`. Fixed points are isolated (a flat region holds exactly one:
/// `x* = b + C g*`), so a small tolerance separates distinct ones.
///
/// - Parameters:
///   - reports: one report per initial state; reports without a converged fixed point are skipped.
///   - tolerance: the relative distance below which two fixed points are the same.
/// - Returns: the distinct fixed points, in order of first appearance.
public func distinctFixedPoints(_ reports: [SteadyStateReport], tolerance: Double = 1e-6) -> [DistinctFixedPoint] {
    var groups: [DistinctFixedPoint] = []
    for (index, report) in reports.enumerated() where report.isConverged {
        let x = report.fixedPoint.state
        if let g = groups.firstIndex(where: { group in
            let scale = max(1, group.state.reduce(0) { max($0, abs($1)) })
            return zip(group.state, x).allSatisfy { abs($0 - $1) <= tolerance * scale }
        }) {
            groups[g].members.append(index)
        } else {
            groups.append(DistinctFixedPoint(
                state: x, members: [index], stability: report.stability?.stability ?? report.jacobianStability?.stability, energy: report.fixedPoint.energy))
        }
    }
    return groups
}
