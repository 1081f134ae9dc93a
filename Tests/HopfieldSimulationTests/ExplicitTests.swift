import Foundation
import Hopfield
@testable import HopfieldSimulation
import TestSupport
import Testing

@Suite("Explicit Tsit5: analytic solutions, order, agreement with BDF, batches, monitor, failures")
struct ExplicitTests {
    func relativeError(_ x: [Double], _ y: [Double]) -> Double {
        let err = sqrt(zip(x, y).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
        return err / max(sqrt(y.map { $0 * $0 }.reduce(0, +)), 1e-300)
    }

    @Test("linear network: steps and dense output match the matrix exponential")
    func linearNetwork() throws {
        var rng = SplitMix64(seed: 7)
        let linear = try LinearTestNetwork(rng: &rng)
        let starts = (0 ..< 3).map { _ in rng.vector(5) }
        var options = RunSpec(endTime: 3, saveCount: 13, relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        options.method = .tsit5
        let results = try solved(linear.network, from: starts, options: options)
        for (b, result) in results.enumerated() {
            #expect(result.status == .success)
            #expect(result.times.count == 13)
            #expect(result.finalTime == 3)
            for (k, t) in result.times.enumerated() {
                let error = relativeError(Array(result.state(at: k)), linear.exact(starts[b], at: t))
                #expect(error <= 1e-8, "trajectory \(b), t = \(t): relative error \(error)")
            }
            #expect(result.monitor.violations == 0)
            #expect(result.statistics.steps > 10)
        }
    }

    /// Global error ∝ tol^{5/5}: at fixed tolerance ratio the error falls with the tolerance, and the
    /// number of steps grows like tol^{−1/5} (fifth order).
    @Test("steps grow like tol^(-1/5) and the error follows the tolerance")
    func order() throws {
        var rng = SplitMix64(seed: 8)
        let linear = try LinearTestNetwork(rng: &rng)
        let x0 = rng.vector(5)
        var steps: [Double] = []
        var errors: [Double] = []
        for tol in [1e-6, 1e-8, 1e-10] {
            var options = RunSpec(endTime: 3, saveCount: 2, relativeTolerance: tol, absoluteTolerance: tol)
            options.method = .tsit5
            let result = try solved(linear.network, from: x0, options: options)
            steps.append(Double(result.statistics.steps))
            errors.append(relativeError(result.finalState, linear.exact(x0, at: 3)))
        }
        // 100× tighter tolerance: 100^{1/5} ≈ 2.5× the steps (between 1.8 and 3.5 allowed).
        for i in 1 ..< 3 {
            let ratio = steps[i] / steps[i - 1]
            #expect(ratio > 1.8 && ratio < 3.5, "steps \(steps)")
            #expect(errors[i] < errors[i - 1] / 10, "errors \(errors)")
        }
        #expect(errors[2] <= 1e-9, "errors \(errors)")
    }

    @Test("nonlinear networks: Tsit5 agrees with tight BDF, and the monitor passes",
          arguments: ["softmax", "tanh", "relu", "sigmoid", "layernorm", "spherical", "repu", "ghostmax"])
    func agreesWithBDF(_ name: String) throws {
        var rng = SplitMix64(seed: 99)
        let network = try Network(
            layers: [
                Layer(name: "v", size: 8, lagrangian: .tanh(beta: 1.2), tau: 1, bias: rng.vector(8, scale: 0.3)),
                Layer(name: "h", size: 6, lagrangian: sampleLagrangian(name, size: 6, rng: &rng), tau: 0.2),
            ],
            synapses: [.dense(pre: "v", post: "h", weights: rng.vector(48, scale: 0.5))])
        let starts = (0 ..< 5).map { _ in rng.vector(14, scale: 0.8) }
        var reference = RunSpec(endTime: 5, saveCount: 6, relativeTolerance: 1e-11, absoluteTolerance: 1e-13)
        var options = RunSpec(endTime: 5, saveCount: 6, relativeTolerance: 1e-9, absoluteTolerance: 1e-11)
        options.method = .tsit5
        reference.method = .bdf
        let explicit = try solved(network, from: starts, options: options)
        let bdf = try solved(network, from: starts, options: reference, strategy: .independent)
        for b in starts.indices {
            #expect(explicit[b].status == .success)
            #expect(explicit[b].monitor.passed, "\(name) trajectory \(b): \(explicit[b].monitor)")
            for k in 0 ..< 6 {
                let d = zip(explicit[b].state(at: k), bdf[b].state(at: k)).map { abs($0 - $1) }.max()!
                #expect(d <= 1e-6, "\(name) trajectory \(b), save \(k): differs from BDF by \(d)")
            }
            // The trace's energies come from the FSAL stage; compare with the evaluator's own energy.
            let evaluator = NetworkEvaluator(network: network)
            let energy = explicit[b].finalState.withUnsafeBufferPointer { evaluator.energy($0) }
            #expect(abs(energy - explicit[b].energyFinal) <= 1e-12 * max(1, abs(energy)))
            #expect(explicit[b].energyTrace.count == explicit[b].statistics.steps + 1)
        }
    }

    @Test("a batch equals its trajectories integrated one by one, also when they finish at different times")
    func batchEqualsSingles() throws {
        var rng = SplitMix64(seed: 5)
        let network = try Network(
            layers: [
                Layer(name: "v", size: 10, lagrangian: .identity, tau: 1),
                Layer(name: "h", size: 7, lagrangian: .softmax(beta: 1.5), tau: 0.1),
            ],
            synapses: [.dense(pre: "v", post: "h", weights: rng.vector(70, scale: 0.6))])
        // Different scales make the trajectories reach their steady states at different times.
        let starts = (0 ..< 9).map { b in rng.vector(17, scale: 0.2 + 0.4 * Double(b)) }
        var options = RunSpec(endTime: 200, saveCount: 3, relativeTolerance: 1e-8, absoluteTolerance: 1e-10,
                                         untilSteady: true)
        options.method = .tsit5
        for threads in [1, 2] {
            let batch = try solved(network, from: starts, options: options, threads: threads)
            var finalTimes = Set<Double>()
            for (b, x0) in starts.enumerated() {
                let single = try solved(network, from: x0, options: options)
                #expect(batch[b].status == .steadyState)
                #expect(single.status == .steadyState)
                let d = zip(batch[b].finalState, single.finalState).map { abs($0 - $1) }.max()!
                #expect(d <= 1e-9, "trajectory \(b): batch and single differ by \(d)")
                #expect(batch[b].statistics.steps == single.statistics.steps)
                #expect(batch[b].monitor.violations == 0)
                finalTimes.insert(batch[b].finalTime)
            }
            #expect(finalTimes.count > 3, "trajectories should stop at different times: \(finalTimes)")
        }
    }

    @Test("until-steady stops at ‖ẋ‖_WRMS ≤ 1, close to the fixed point, and saves only the grid reached")
    func steadyStop() throws {
        var rng = SplitMix64(seed: 12)
        let linear = try LinearTestNetwork(rng: &rng)
        let x0 = rng.vector(5)
        var options = RunSpec(endTime: 1000, saveCount: 1001, relativeTolerance: 1e-6, absoluteTolerance: 1e-8,
                                        untilSteady: true)
        options.method = .tsit5
        let result = try solved(linear.network, from: x0, options: options)
        #expect(result.status == .steadyState)
        #expect(result.finalTime < 100)
        #expect(result.times.last! <= result.finalTime)
        #expect(result.times.count == Int(result.finalTime) + 1)
        let evaluator = NetworkEvaluator(network: linear.network)
        var xdot = [Double](repeating: 0, count: 5)
        result.finalState.withUnsafeBufferPointer { x in xdot.withUnsafeMutableBufferPointer { evaluator.vectorField(x, into: $0) } }
        let wrms = sqrt(zip(xdot, result.finalState).map { d, x in pow(d / (1e-8 + 1e-6 * abs(x)), 2) }.reduce(0, +) / 5)
        #expect(wrms <= 1)
        #expect(zip(result.finalState, linear.fixedPoint).map { abs($0 - $1) }.max()! <= 1e-5)
    }

    @Test("Euclidean synapses (row-by-row evaluation) agree with BDF")
    func euclidean() throws {
        var rng = SplitMix64(seed: 21)
        let n = 6, k = 4
        let memories = (0 ..< n * k).map { _ in rng.uniform(-1 ... 1) }
        let network = try Network(
            layers: [
                Layer(name: "v", size: n, lagrangian: .identity, tau: 1),
                Layer(name: "h", size: k, lagrangian: .softmax(beta: 2), tau: 0.2),
            ],
            synapses: [Synapse(pre: "v", post: "h", kind: .similarity(.euclidean, memories: memories))])
        #expect(!network.isBilinear)
        let starts = (0 ..< 3).map { _ in rng.vector(n + k, scale: 0.5) }
        var options = RunSpec(endTime: 3, saveCount: 2, relativeTolerance: 1e-9, absoluteTolerance: 1e-11)
        options.method = .tsit5
        let explicit = try solved(network, from: starts, options: options, threads: 2)
        options.method = .bdf
        let bdf = try solved(network, from: starts, options: options, strategy: .independent)
        for b in starts.indices {
            #expect(explicit[b].status == .success)
            #expect(explicit[b].monitor.violations == 0)
            let d = zip(explicit[b].finalState, bdf[b].finalState).map { abs($0 - $1) }.max()!
            #expect(d <= 1e-6, "trajectory \(b): differs from BDF by \(d)")
        }
    }

    @Test("failures: too much work at max-steps; the residual dynamics refuses tsit5; tsit5 ignores the batch strategy")
    func failures() throws {
        var rng = SplitMix64(seed: 3)
        let linear = try LinearTestNetwork(rng: &rng)
        var options = RunSpec(endTime: 100, saveCount: 2, maxSteps: 20)
        options.method = .tsit5
        let result = try solved(linear.network, from: rng.vector(5), options: options)
        #expect(result.status == .tooMuchWork)
        #expect(result.statistics.steps + result.statistics.solverStatistics.errorTestFailures == 20)
        #expect(result.finalTime > 0 && result.finalTime < 100)
        // Tsit5 integrates every trajectory with its own steps: a lockstep request does not apply.
        let problem = SimulationProblem(
            model: linear.network, flatInitialStates: [rng.vector(5)], isBatch: true, endTime: 100, saveCount: 2)
        let explicit = try solve(problem, .tsit5, options: SimulationOptions(maxSteps: 20, batchStrategy: .lockstep))
        #expect(explicit.strategy == nil && explicit.algorithm == .tsit5)
        #expect(explicit[0].status == .tooMuchWork)
        options.dynamics = .residual
        #expect(throws: SimulationError.self) { try solved(linear.network, from: rng.vector(5), options: options) }
    }

    @Test("a stiff network still succeeds, at the price of many more steps than BDF")
    func stiff() throws {
        var rng = SplitMix64(seed: 4)
        let network = try Network(
            layers: [
                Layer(name: "v", size: 6, lagrangian: .identity, tau: 1),
                Layer(name: "h", size: 5, lagrangian: .identity, tau: 1e-3),
            ],
            synapses: [.dense(pre: "v", post: "h", weights: rng.vector(30, scale: 0.3))])
        var options = RunSpec(endTime: 5, saveCount: 2, relativeTolerance: 1e-6, absoluteTolerance: 1e-8)
        options.method = .tsit5
        let explicit = try solved(network, from: rng.vector(11), options: options)
        options.method = .bdf
        let bdf = try solved(network, from: explicit.state(at: 0).map { $0 }, options: options)
        #expect(explicit.status == .success)
        #expect(explicit.statistics.steps > 5 * bdf.statistics.steps)
        let d = zip(explicit.finalState, bdf.finalState).map { abs($0 - $1) }.max()!
        #expect(d <= 1e-4)
    }
}
