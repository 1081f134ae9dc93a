import Foundation
import Hopfield
@testable import HopfieldSimulation
import TestSupport
import Testing

@Suite("Lockstep batches: analytic solutions, agreement with the independent path, per-trajectory monitors")
struct LockstepTests {
    /// A random two-layer network: identity features (n1) and a second layer of the given Lagrangian (n2).
    func network(_ second: Lagrangian, n1: Int, n2: Int, rng: inout SplitMix64, weightScale: Double = 0.4) throws -> Network {
        try Network(
            layers: [
                Layer(name: "v", size: n1, lagrangian: .identity, tau: 1, bias: rng.vector(n1, scale: 0.3)),
                Layer(name: "h", size: n2, lagrangian: second, tau: 0.3, bias: rng.vector(n2, scale: 0.3)),
            ],
            synapses: [.dense(pre: "v", post: "h", weights: rng.vector(n1 * n2, scale: weightScale))])
    }

    @Test("linear network: every lockstep trajectory equals e^{At} x0 at every save")
    func analytic() throws {
        var rng = SplitMix64(seed: 31)
        let n1 = 3, n2 = 2, n = 5
        let w = rng.vector(n1 * n2, scale: 0.4)
        let network = try Network(
            layers: [
                Layer(name: "a", size: n1, lagrangian: .identity, tau: 1),
                Layer(name: "b", size: n2, lagrangian: .identity, tau: 0.5),
            ],
            synapses: [.dense(pre: "a", post: "b", weights: w)])
        // ẋ = A x with A = τ⁻¹(C − I), no bias: x(t) = e^{At} x0.
        var c = [Double](repeating: 0, count: n * n)
        for q in 0 ..< n2 { for p in 0 ..< n1 { c[(n1 + q) * n + p] = w[q * n1 + p]; c[p * n + n1 + q] = w[q * n1 + p] } }
        let tau = [1.0, 1, 1, 0.5, 0.5]
        var a = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { for j in 0 ..< n { a[i * n + j] = (c[i * n + j] - (i == j ? 1 : 0)) / tau[i] } }
        let starts = (0 ..< 4).map { _ in rng.vector(n) }
        let options = RunSpec(endTime: 2, saveCount: 5, relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        let results = try solved(network, from: starts, options: options, strategy: .lockstep)
        #expect(results.count == 4)
        for (b, result) in results.enumerated() {
            #expect(result.status == .success)
            #expect(result.times.count == 5)
            for (k, t) in result.times.enumerated() {
                let e = matrixExponential(a.map { $0 * t }, n: n)
                let exact = (0 ..< n).map { i in (0 ..< n).reduce(0.0) { $0 + e[i * n + $1] * starts[b][$1] } }
                let got = Array(result.state(at: k))
                let err = sqrt(zip(got, exact).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
                let size = sqrt(exact.map { $0 * $0 }.reduce(0, +))
                #expect(err <= 1e-7 * size, "trajectory \(b), t = \(t): relative error \(err / size)")
            }
            #expect(result.monitor.violations == 0)
        }
    }

    @Test("lockstep, independent and single-trajectory results agree", arguments: ["softmax", "tanh", "relu", "layernorm", "spherical"])
    func agreement(_ name: String) throws {
        var rng = SplitMix64(seed: 77)
        let network = try network(sampleLagrangian(name, size: 6, rng: &rng), n1: 8, n2: 6, rng: &rng)
        let starts = (0 ..< 6).map { _ in rng.vector(14, scale: 0.8) }
        let options = RunSpec(endTime: 4, saveCount: 3, relativeTolerance: 1e-9, absoluteTolerance: 1e-11)
        let lockstep = try solved(network, from: starts, options: options, strategy: .lockstep)
        let independent = try solved(network, from: starts, options: options, strategy: .independent)
        for b in starts.indices {
            let single = try solved(network, from: starts[b], options: options)
            for (other, label) in [(lockstep[b], "lockstep"), (independent[b], "independent")] {
                #expect(other.status == .success)
                #expect(other.times == single.times)
                let scale = 1 + single.finalState.map(abs).max()!
                let diff = zip(other.finalState, single.finalState).map { abs($0 - $1) }.max()!
                #expect(diff <= 1e-6 * scale, "\(label) trajectory \(b): |Δx| = \(diff)")
                #expect(abs(other.energyFinal - single.energyFinal) <= 1e-6 * (1 + abs(single.energyFinal)))
                #expect(other.monitor.passed, "\(label) trajectory \(b) monitor")
            }
            // The independent path is the single path, exactly.
            #expect(independent[b].finalState == single.finalState)
        }
    }

    @Test("per-trajectory monitor: traces start at E(x0), end at E(x_final), one sample per shared step")
    func monitorPerTrajectory() throws {
        var rng = SplitMix64(seed: 5)
        let network = try network(.softmax(beta: 2), n1: 10, n2: 7, rng: &rng)
        let evaluator = NetworkEvaluator(network: network)
        let starts = (0 ..< 5).map { _ in rng.vector(17) }
        let results = try solved(network, from: starts, options: RunSpec(endTime: 3, saveCount: 2), strategy: .lockstep)
        for (b, r) in results.enumerated() {
            #expect(r.energyTrace.count == r.statistics.steps + 1)
            #expect(r.monitor.steps == r.statistics.steps)
            let e0 = evaluator.energy(starts[b])
            let e1 = evaluator.energy(r.finalState)
            #expect(abs(r.energyInitial - e0) <= 1e-12 * (1 + abs(e0)))
            #expect(abs(r.energyFinal - e1) <= 1e-12 * (1 + abs(e1)))
            #expect(r.energyFinal < r.energyInitial)
            #expect(r.monitor.violations == 0 && r.monitor.passed)
            // Distinct trajectories have distinct traces.
            if b > 0 { #expect(r.energyTrace.map(\.energy) != results[b - 1].energyTrace.map(\.energy)) }
        }
    }

    @Test("the batch monitor flags only the trajectory whose energy rose, like one monitor per trajectory")
    func monitorFlagsOneTrajectory() throws {
        var rng = SplitMix64(seed: 8)
        let network = try network(.tanh(beta: 1), n1: 6, n2: 4, rng: &rng)
        let single = NetworkEvaluator(network: network)
        let x0 = rng.vector(10)
        let x1 = rng.vector(10)
        // Trajectory 0 goes from the lower to the higher energy, trajectory 1 the other way.
        let (low, high) = single.energy(x0) < single.energy(x1) ? (x0, x1) : (x1, x0)
        let batched = LyapunovMonitor(
            count: 2, dimension: 10, relativeTolerance: 1e-6, absoluteTolerance: 1e-8, safetyFactor: 10,
            function: EnergyFunction(network.makeEvaluator(capacity: 2)))
        (low + high).withUnsafeBufferPointer { batched.observe(t: 0, states: $0) }
        (high + low).withUnsafeBufferPointer { batched.observe(t: 1, states: $0) }
        for (b, path) in [[low, high], [high, low]].enumerated() {
            // The reference: one monitor per trajectory on the single-state (NetworkEvaluator) kernels.
            let reference = LyapunovMonitor(
                count: 1, dimension: 10, relativeTolerance: 1e-6, absoluteTolerance: 1e-8, safetyFactor: 10,
                function: SingleStateEnergy(single))
            for (t, x) in path.enumerated() { x.withUnsafeBufferPointer { reference.observe(t: Double(t), states: $0) } }
            let got = batched.traces[b].report
            let expected = reference.traces[0].report
            #expect(got.violations == expected.violations)
            #expect(got.steps == 1 && expected.steps == 1)
            #expect(abs(got.maxEnergyIncrease - expected.maxEnergyIncrease) <= 1e-12 * (1 + abs(expected.maxEnergyIncrease)))
            #expect(abs(got.maxRate - expected.maxRate) <= 1e-12 * (1 + abs(expected.maxRate)))
        }
        #expect(batched.traces[0].report.violations == 1)
        #expect(batched.traces[0].report.firstViolationTime == 1)
        #expect(batched.traces[1].report.violations == 0)
    }

    @Test("until steady: every trajectory ends steady, status steadyState, before t-end")
    func untilSteady() throws {
        var rng = SplitMix64(seed: 12)
        let network = try network(.softmax(beta: 1.5), n1: 12, n2: 5, rng: &rng)
        let evaluator = NetworkEvaluator(network: network)
        let starts = (0 ..< 4).map { _ in rng.vector(17) }
        var options = RunSpec(endTime: 200, saveCount: 2)
        options.untilSteady = true
        let results = try solved(network, from: starts, options: options, strategy: .lockstep)
        for r in results {
            #expect(r.status == .steadyState)
            #expect(r.finalTime < 200)
            let xdot = evaluator.vectorField(r.finalState)
            var sum = 0.0
            for i in xdot.indices {
                let w = xdot[i] / (options.absoluteTolerance + options.relativeTolerance * abs(r.finalState[i]))
                sum += w * w
            }
            #expect((sum / Double(xdot.count)).squareRoot() <= 1)
        }
    }

    @Test("strategy rule: small networks or batches run independently, large ones in lockstep")
    func rule() throws {
        var rng = SplitMix64(seed: 3)
        let small = try network(.softmax(beta: 1), n1: 64, n2: 50, rng: &rng)
        let large = try network(.softmax(beta: 1), n1: 200, n2: 100, rng: &rng)
        let o = Dynamics.gradient
        #expect(BatchStrategy.automatic.resolved(trajectories: 256, model: small, dynamics: o) == .independent)
        #expect(BatchStrategy.automatic.resolved(trajectories: 3, model: large, dynamics: o) == .independent)
        #expect(BatchStrategy.automatic.resolved(trajectories: 4, model: large, dynamics: o) == .lockstep)
        #expect(BatchStrategy.lockstep.resolved(trajectories: 1, model: small, dynamics: o) == .lockstep)
        #expect(BatchStrategy.independent.resolved(trajectories: 500, model: large, dynamics: o) == .independent)
    }

    @Test("bad input: the trajectory is named; an empty batch gives no results")
    func badInput() throws {
        var rng = SplitMix64(seed: 4)
        let network = try network(.relu, n1: 3, n2: 2, rng: &rng)
        #expect(throws: SimulationError.invalidInitialState("trajectory 1 has 4 entries, the model has 5 units")) {
            try solved(network, from: [[0, 0, 0, 0, 0], [0, 0, 0, 0]], strategy: .lockstep)
        }
        #expect(throws: SimulationError.invalidInitialState("trajectory 0: entry 2 is not finite (nan)")) {
            try solved(network, from: [[0, 0, .nan, 0, 0]], strategy: .lockstep)
        }
        #expect(try solved(network, from: [], strategy: .lockstep).isEmpty)
    }
}

/// The energy of one state from ``NetworkEvaluator`` (an independent path: unbatched products, the
/// Lagrangians' own kernels), with `∂E/∂x_A = −τ_A H_A ẋ_A`.
final class SingleStateEnergy: LyapunovFunction {
    let evaluator: NetworkEvaluator
    init(_ evaluator: NetworkEvaluator) { self.evaluator = evaluator }

    func evaluate(
        _ x: UnsafeBufferPointer<Double>, velocity: UnsafeMutableBufferPointer<Double>,
        values: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        let network = evaluator.network
        evaluator.vectorField(x, into: velocity)
        (values[0], rates[0]) = evaluator.energyAndRate(x)
        for (a, layer) in network.layers.enumerated() {
            let range = network.range(ofLayer: a)
            layer.lagrangian.hessianVectorProduct(
                at: UnsafeBufferPointer(rebasing: x[range]), UnsafeBufferPointer(rebasing: velocity[range]),
                into: UnsafeMutableBufferPointer(rebasing: gradients[range]))
            for i in range { gradients[i] *= -layer.tau }
        }
    }
}
