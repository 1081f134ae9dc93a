import Foundation
import Hopfield

/// A fixed point of a gradient-flow model and its stability (docs/math.md §7, §8).
public struct GradientSteadyStateReport: Sendable {
    /// The state reached (clamped units at their initial values).
    public var state: [Double]
    /// The integration's status (`steady_state`, `success`, or the failure).
    public var integrationStatus: SolverStatus
    /// The time integrated.
    public var time: Double
    /// Newton iterations of the polish.
    public var newtonIterations: Int
    /// Whether `‖∇E‖∞` on the free units reached the tolerance.
    public var converged: Bool
    /// `max_{i free} |∂E/∂x_i|` at ``state``.
    public var gradientNorm: Double
    /// `E` at ``state``.
    public var energy: Double
    /// The number of free units.
    public var freeUnits: Int
    /// The eigenvalues of `∇²E` restricted to the free units, ascending.
    public var hessianEigenvalues: [Double]
    /// Asymptotically stable: `∇²E` restricted to the free units is positive definite
    /// (smallest eigenvalue > `1e-9 · max(1, max |λ|)`).
    public var isStable: Bool
}

/// Finds a fixed point of a gradient-flow model from `x0` and analyses it:
///
///     integrate τ ẋ = −∇E (BDF, until ‖ẋ‖ is steady or endTime), then Newton on the free units,
///     x_F ← x_F − (∇²E)_FF⁻¹ (∇E)_F   while ‖(∇E)_F‖∞ > tolerance · max(1, ‖x‖∞) (at most 20 steps,
///     each accepted only if it lowers the residual);
///     stable  ⇔  (∇²E)_FF ≻ 0
///
/// - Parameters:
///   - model: the model.
///   - x0: the initial state (`model.dimension` entries).
///   - endTime: the longest integration (default 1000 · max τ).
///   - relativeTolerance: the integration's relative tolerance.
///   - absoluteTolerance: the integration's absolute tolerance.
///   - tolerance: the target of the scaled residual.
/// - Returns: the report.
/// - Throws: `SimulationError` for a bad state or options; `LinearAlgebraError` when the
///   eigensolver fails.
public func analyzeGradientSteadyState(
    _ model: GradientModel, from x0: [Double], endTime: Double? = nil, relativeTolerance: Double = 1e-8,
    absoluteTolerance: Double = 1e-10, tolerance: Double = 1e-10
) throws -> GradientSteadyStateReport {
    let problem = SimulationProblem(
        model: model, flatInitialStates: [x0], isBatch: false,
        endTime: endTime ?? 1000 * (model.timeConstants.max() ?? 1), saveCount: 2, stopAtSteadyState: true)
    let solution = try solve(
        problem, .bdf(), options: SimulationOptions(relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance))
    var x = solution.trajectories[0].finalState
    let n = model.dimension
    let free = (0 ..< n).filter { !model.clampMask[$0] }
    let evaluator = GradientEvaluator(model: model, capacity: 1)
    func residual(_ x: [Double]) -> (Double, [Double]) {
        let g = evaluator.energyGradients([x])[0]
        return (free.map { abs(g[$0]) }.max() ?? 0, g)
    }
    var (norm, gradient) = residual(x)
    var iterations = 0
    let scale = { (x: [Double]) in max(1, x.map(abs).max() ?? 0) }
    while norm > tolerance * scale(x) && iterations < 20 && !free.isEmpty {
        let h = evaluator.hessian(at: x)
        let block = Matrix(rows: free.count, columns: free.count) { i, j in h[free[i] + free[j] * n] }
        guard let step = try? block.solve(free.map { gradient[$0] }) else { break }
        var trial = x
        for (k, i) in free.enumerated() { trial[i] -= step[k] }
        let (trialNorm, trialGradient) = residual(trial)
        guard trialNorm < norm else { break }
        (x, norm, gradient) = (trial, trialNorm, trialGradient)
        iterations += 1
    }
    let h = evaluator.hessian(at: x)
    let block = Matrix(rows: free.count, columns: free.count) { i, j in h[free[i] + free[j] * n] }
    let eigenvalues = free.isEmpty ? [] : try block.symmetricEigenvalues().sorted()
    let largest = eigenvalues.map(abs).max() ?? 0
    return GradientSteadyStateReport(
        state: x, integrationStatus: solution.trajectories[0].status, time: solution.trajectories[0].finalTime,
        newtonIterations: iterations, converged: norm <= tolerance * scale(x), gradientNorm: norm,
        energy: evaluator.energies([x])[0], freeUnits: free.count, hessianEigenvalues: eigenvalues,
        isStable: (eigenvalues.first ?? 1) > 1e-9 * max(1, largest))
}
