import Foundation
import HopfieldAnalysis
import Plotting

/// The SVG figures of `analyze --out`.
enum AnalyzePlots {
    /// `spec(J)` in the complex plane, with the predicted spectrum (range ∪ kernel) overlaid.
    static func spectrum(_ stability: RangeStability) -> String {
        var sets: [PointSet] = []
        if let s = try? PointSet(
            name: "range operator", xs: stability.rangeEigenvalues.map(\.re), ys: stability.rangeEigenvalues.map(\.im)) {
            sets.append(s)
        }
        if let s = try? PointSet(
            name: "kernel −1/τ", xs: stability.kernelEigenvalues, ys: stability.kernelEigenvalues.map { _ in 0 }) {
            sets.append(s)
        }
        // spec(J) last, so that its points are drawn over the predicted ones they coincide with.
        if let s = try? PointSet(
            name: "spec(J)", xs: stability.jacobianEigenvalues.map(\.re), ys: stability.jacobianEigenvalues.map(\.im)) {
            sets.append(s)
        }
        return ScatterPlot(
            title: "Jacobian spectrum (\(stability.stability.rawValue.replacingOccurrences(of: "_", with: " ")), mismatch \(String(format: "%.2g", stability.mismatch)))",
            sets: sets
        ).svg()
    }

    /// E and V_α (top) and ‖r‖ (bottom) along the trajectory to the fixed point.
    static func lyapunov(_ trace: LyapunovTrace) -> String {
        let t = trace.samples.map(\.t)
        var top: [Series] = []
        if let s = try? Series(name: "E", xs: t, ys: trace.samples.map(\.energy)) { top.append(s) }
        if let s = try? Series(name: "V_α (α = \(String(format: "%.3g", trace.alpha)))", xs: t, ys: trace.samples.map(\.lyapunov)) {
            top.append(s)
        }
        let residual = trace.samples.map(\.residualNorm)
        let bottom = (try? Series(name: "‖r‖", xs: t, ys: residual)).map { [$0] } ?? []
        let plateaus = trace.plateauSteps.count
        var upper = LinePlot(
            title: "E and V_α = E + (α/2)‖r‖²: \(plateaus) plateau steps of E",
            xLabel: "t", yLabel: "value", series: top)
        // E and V_α settle long before ‖r‖ reaches the tolerance: show them until ‖r‖ ≤ 1e-3 ‖r(0)‖.
        if let r0 = residual.first, let cut = trace.samples.first(where: { $0.residualNorm <= 1e-3 * r0 })?.t, cut > 0 {
            upper.xRange = 0 ... 1.2 * cut
        }
        let lower = LinePlot(
            title: "Residual ‖r‖ = ‖τẋ‖", xLabel: "t", yLabel: "‖r‖", series: bottom,
            yScale: AxisScale.automatic(for: residual))
        return Figure.stacked([.line(upper), .line(lower)]).svg()
    }
}
