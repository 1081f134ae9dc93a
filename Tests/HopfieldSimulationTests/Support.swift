import Foundation
import Hopfield
@testable import HopfieldSimulation
import TestSupport

/// Reproducible test data from the library's seeded `SplitMix64`.
extension SplitMix64 {
    mutating func vector(_ n: Int, scale: Double = 1) -> [Double] { (0 ..< n).map { _ in scale * normal() } }
}

/// Dense matrix exponential by scaling and squaring of a Taylor series (independent of the library).
func matrixExponential(_ a: [Double], n: Int) -> [Double] {
    let norm = (0 ..< n).map { i in (0 ..< n).reduce(0.0) { $0 + abs(a[i * n + $1]) } }.max() ?? 0
    var squarings = 0
    var scale = 1.0
    while norm * scale > 0.25 { scale /= 2; squarings += 1 }
    let s = a.map { $0 * scale }
    func mul(_ x: [Double], _ y: [Double]) -> [Double] {
        var z = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { for k in 0 ..< n { let xik = x[i * n + k]; for j in 0 ..< n { z[i * n + j] += xik * y[k * n + j] } } }
        return z
    }
    var result = [Double](repeating: 0, count: n * n)
    for i in 0 ..< n { result[i * n + i] = 1 }
    var term = result
    for k in 1 ... 30 {
        term = mul(term, s).map { $0 / Double(k) }
        result = zip(result, term).map(+)
    }
    for _ in 0 ..< squarings { result = mul(result, result) }
    return result
}

/// A linear two-layer network `ẋ = A x + τ⁻¹ b` and its exact flow `x* + e^{At}(x0 − x*)`.
struct LinearTestNetwork {
    let network: Network
    let a: [Double]
    let fixedPoint: [Double]
    var n: Int { 5 }

    init(rng: inout SplitMix64) throws {
        let n1 = 3, n2 = 2, n = 5
        let w = rng.vector(n2 * n1, scale: 0.4)
        let b1 = rng.vector(n1), b2 = rng.vector(n2)
        network = try Network(
            layers: [
                Layer(name: "a", size: n1, lagrangian: .identity, tau: 1.0, bias: b1),
                Layer(name: "b", size: n2, lagrangian: .identity, tau: 0.5, bias: b2),
            ],
            synapses: [.dense(pre: "a", post: "b", weights: w)])
        var c = [Double](repeating: 0, count: n * n)
        for q in 0 ..< n2 { for p in 0 ..< n1 { c[(n1 + q) * n + p] = w[q * n1 + p]; c[p * n + n1 + q] = w[q * n1 + p] } }
        let tau = [1.0, 1, 1, 0.5, 0.5]
        var a = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { for j in 0 ..< n { a[i * n + j] = (c[i * n + j] - (i == j ? 1 : 0)) / tau[i] } }
        self.a = a
        // x* solves A x* = −τ⁻¹ b, by Gaussian elimination with partial pivoting.
        var m = a
        let bias = b1 + b2
        var rhs = (0 ..< n).map { -bias[$0] / tau[$0] }
        for col in 0 ..< n {
            let pivot = (col ..< n).max { abs(m[$0 * n + col]) < abs(m[$1 * n + col]) }!
            for j in 0 ..< n { m.swapAt(col * n + j, pivot * n + j) }
            rhs.swapAt(col, pivot)
            for row in col + 1 ..< n {
                let f = m[row * n + col] / m[col * n + col]
                for j in col ..< n { m[row * n + j] -= f * m[col * n + j] }
                rhs[row] -= f * rhs[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = rhs[row]
            for j in row + 1 ..< n { s -= m[row * n + j] * x[j] }
            x[row] = s / m[row * n + row]
        }
        fixedPoint = x
    }

    func exact(_ x0: [Double], at t: Double) -> [Double] {
        let e = matrixExponential(a.map { $0 * t }, n: n)
        var x = fixedPoint
        for i in 0 ..< n {
            for j in 0 ..< n { x[i] += e[i * n + j] * (x0[j] - fixedPoint[j]) }
        }
        return x
    }
}

/// The settings the simulation tests vary, turned into a ``SimulationProblem``, a ``SimulationAlgorithm``
/// and ``SimulationOptions`` for the one entry point ``solve(_:_:options:)``.
struct RunSpec {
    var endTime: Double = 10
    var saveCount: Int = 101
    var relativeTolerance: Double = 1e-6
    var absoluteTolerance: Double = 1e-8
    var method: SimulationMethod = .bdf
    var linearSolver: LinearSolverKind = .dense
    var untilSteady = false
    var maxSteps = 100_000
    var maxStepSize: Double? = nil
    var dynamics: Dynamics = .gradient

    init(
        endTime: Double = 10, saveCount: Int = 101, relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-8,
        method: SimulationMethod = .bdf, linearSolver: LinearSolverKind = .dense, untilSteady: Bool = false,
        maxSteps: Int = 100_000
    ) {
        self.endTime = endTime
        self.saveCount = saveCount
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.method = method
        self.linearSolver = linearSolver
        self.untilSteady = untilSteady
        self.maxSteps = maxSteps
    }

    func options(strategy: BatchStrategy = .automatic, threads: Int = ProcessInfo.processInfo.activeProcessorCount)
        -> SimulationOptions
    {
        var o = SimulationOptions(
            relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance, maxSteps: maxSteps,
            threads: threads, batchStrategy: strategy, dynamics: dynamics)
        o.maxStepSize = maxStepSize
        return o
    }

    var algorithm: SimulationAlgorithm { SimulationAlgorithm(method: method, linearSolver: linearSolver) }
}

/// One flat initial state through ``solve(_:_:options:)``.
func solved(_ model: any DynamicalModel, from x0: [Double], options spec: RunSpec = RunSpec()) throws(SimulationError)
    -> TrajectorySolution
{
    let problem = SimulationProblem(
        model: model, flatInitialStates: [x0], isBatch: false, endTime: spec.endTime, saveCount: spec.saveCount,
        stopAtSteadyState: spec.untilSteady)
    return try solve(problem, spec.algorithm, options: spec.options())[0]
}

/// A batch of flat initial states through ``solve(_:_:options:)``.
func solved(
    _ model: any DynamicalModel, from states: [[Double]], options spec: RunSpec = RunSpec(),
    strategy: BatchStrategy = .automatic, threads: Int = ProcessInfo.processInfo.activeProcessorCount
) throws(SimulationError) -> [TrajectorySolution] {
    let problem = SimulationProblem(
        model: model, flatInitialStates: states, isBatch: true, endTime: spec.endTime, saveCount: spec.saveCount,
        stopAtSteadyState: spec.untilSteady)
    return try solve(problem, spec.algorithm, options: spec.options(strategy: strategy, threads: threads)).trajectories
}
