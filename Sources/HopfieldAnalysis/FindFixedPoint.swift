import Hopfield
import HopfieldSimulation
import LinearAlgebra
import Sundials

/// Finds a fixed point `r(x*) = 0` of `network`: integrates the network's flow until steady (CVODE, BDF,
/// dense analytic Jacobian), then polishes with KINSOL's Newton method and the analytic Jacobian
/// `∂r/∂x = C H − I` until the scaled residual meets the tolerance.
///
///     r(x) = τ ẋ = b − x + C g(x),   scaled residual = ‖r(x)‖_∞ / max(1, ‖x‖_∞) ≤ residualTolerance
///
/// With `options.integrate == false` the given state is polished directly: this reaches unstable fixed
/// points, which the flow leaves. A fixed point that is not found is a ``FixedPoint/status``, not an error.
///
/// - Parameters:
///   - network: the network.
///   - initialState: the flat starting state.
///   - options: integration and Newton settings.
/// - Returns: the fixed point, its residual and energy, the integrated state and (when recorded) the trace of
///   `E`, `V_α` and `‖r‖` along the integration.
/// - Throws: ``AnalysisError`` for bad options, a bad state, or a solver that cannot be set up.
public func findFixedPoint(
    _ network: Network, from initialState: [Double], options: FixedPointOptions = FixedPointOptions()
) throws(AnalysisError) -> FixedPoint {
    try options.validate()
    try validateState(initialState, network: network)
    let evaluator = NetworkEvaluator(network: network)
    var start = initialState
    var integratedState: [Double]? = nil
    var integrationStatus: SolverStatus? = nil
    var integrationTime: Double? = nil
    var trajectory: LyapunovTrace? = nil

    if options.integrate {
        let recorder = options.recordTrajectory
            ? LyapunovRecorder(network: network, couplingNorm: network.isBilinear ? try couplingNorm(evaluator) : nil) : nil
        initialState.withUnsafeBufferPointer { recorder?.record(t: 0, state: $0) }
        let tauMax = network.layers.map(\.tau).max() ?? 1
        let problem = ODEProblem(
            initialState: initialState, startTime: 0, endTime: options.endTime ?? 1000 * tauMax,
            vectorField: { _, y, ydot in evaluator.vectorField(y, into: ydot) },
            jacobian: { _, y, jacobian in evaluator.jacobian(at: y, into: jacobian) })
        var solverOptions = SolverOptions()
        solverOptions.relativeTolerance = options.relativeTolerance
        solverOptions.absoluteTolerance = .scalar(options.absoluteTolerance)
        solverOptions.maxSteps = options.maxSteps
        solverOptions.stopAtSteadyState = true
        let solution: ODESolution
        do {
            solution = try integrate(problem, options: solverOptions) { t, y in
                recorder?.record(t: t, state: y)
                return true
            }
        } catch {
            throw .solverSetup(error.description)
        }
        integratedState = solution.finalState
        integrationStatus = solution.status
        integrationTime = solution.finalTime
        trajectory = recorder?.trace(alpha: options.alpha)
        if solution.finalState.allSatisfy(\.isFinite) { start = solution.finalState }
    }

    let (state, newtonStatus, iterations) = try polish(start, evaluator: evaluator, options: options)
    let residual = scaledResidual(state, evaluator: evaluator)
    let status: FixedPointStatus
    if residual <= options.residualTolerance {
        status = .converged
    } else if let s = integrationStatus, !s.isSuccess {
        status = .integrationFailed(s)
    } else if newtonStatus.isConverged {
        status = .residualTooLarge
    } else {
        status = .newtonFailed(newtonStatus)
    }
    return FixedPoint(
        status: status, state: state, residual: residual, energy: evaluator.energy(state),
        initialState: initialState, integratedState: integratedState, integrationStatus: integrationStatus,
        integrationTime: integrationTime, newtonStatus: newtonStatus, newtonIterations: iterations,
        trajectory: trajectory)
}

/// The scaled residual `‖r(x)‖_∞ / max(1, ‖x‖_∞)`.
func scaledResidual(_ x: [Double], evaluator: NetworkEvaluator) -> Double {
    let r = evaluator.residual(x)
    let rMax = r.reduce(0) { max($0, abs($1)) }
    let xMax = x.reduce(0) { max($0, abs($1)) }
    return rMax.isFinite ? rMax / max(1, xMax) : .infinity
}

/// `‖C‖₂ = max |λ(C)|` (C is symmetric).
func couplingNorm(_ evaluator: NetworkEvaluator) throws(AnalysisError) -> Double {
    let n = evaluator.dimension
    do {
        let c = try Matrix(rows: n, columns: n, elements: evaluator.couplingMatrix())
        return try c.symmetricEigenvalues().reduce(0) { max($0, abs($1)) }
    } catch {
        throw .linearAlgebra("‖C‖₂: \(error.description)")
    }
}

/// Checks a flat state's length and entries.
func validateState(_ x: [Double], network: Network) throws(AnalysisError) {
    guard x.count == network.dimension else {
        throw .invalidState("has \(x.count) entries, the network has \(network.dimension) units")
    }
    if let bad = x.firstIndex(where: { !$0.isFinite }) {
        throw .invalidState("entry \(bad) is not finite (\(x[bad]))")
    }
}

/// Thrown by the Newton residual when `r(x)` overflows.
private struct NonFiniteResidual: Error, CustomStringConvertible {
    var description: String { "the residual is not finite" }
}

/// KINSOL Newton on `r(x) = 0` with `∂r/∂x = τ J = C H − I` (column-major), up to two passes (the second
/// with the tolerance rescaled to the first pass's answer).
private func polish(
    _ start: [Double], evaluator: NetworkEvaluator, options: FixedPointOptions
) throws(AnalysisError) -> (state: [Double], status: NewtonStatus, iterations: Int) {
    let n = evaluator.dimension
    let taus = evaluator.network.timeConstants
    var x = start
    var status = NewtonStatus.initialGuessOK
    var iterations = 0
    for _ in 0 ..< 2 {
        if scaledResidual(x, evaluator: evaluator) <= options.residualTolerance { break }
        let scale = max(1, x.reduce(0) { max($0, abs($1)) })
        let problem = NonlinearProblem(
            initialGuess: x,
            residual: { y, f in
                evaluator.residual(y, into: f)
                // KINSOL's line search does not terminate on NaN or ∞: stop it with a callback error instead.
                if !f.allSatisfy(\.isFinite) { throw NonFiniteResidual() }
            },
            jacobian: { y, jacobian in
                evaluator.jacobian(at: y, into: jacobian)
                for j in 0 ..< n { for i in 0 ..< n { jacobian[i + j * n] *= taus[i] } }
            })
        var newton = NewtonOptions()
        newton.functionTolerance = 0.1 * options.residualTolerance * scale
        newton.maxIterations = options.maxNewtonIterations
        let solution: NewtonSolution
        do { solution = try solveNewton(problem, options: newton) } catch {
            throw .solverSetup(error.description)
        }
        iterations += solution.iterations
        status = solution.status
        if solution.x.allSatisfy(\.isFinite) { x = solution.x }
        if !status.isConverged { break }
    }
    return (x, status, iterations)
}
