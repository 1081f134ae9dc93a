import Foundation
import Hopfield
import HopfieldSimulation
import TestSupport
import Testing

@Suite("Simulation")
struct SimulationTests {
    /// A linear network (identity Lagrangians) has the solution x(t) = x* + e^{At}(x0 − x*),
    /// A = τ⁻¹(C − I), x* = (I − C)⁻¹ b. Compared with an independent matrix exponential.
    @Test("linear network matches its matrix-exponential solution", arguments: [LinearSolverKind.dense, .gmres()])
    func linearNetwork(solver: LinearSolverKind) throws {
        var rng = SplitMix64(seed: 7)
        let linear = try LinearTestNetwork(rng: &rng)
        let x0 = rng.vector(linear.n)
        var options = RunSpec(endTime: 3, saveCount: 7, relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        options.linearSolver = solver
        let result = try solved(linear.network, from: x0, options: options)
        #expect(result.status == .success)
        #expect(result.times.count == 7)
        for (k, t) in result.times.enumerated() {
            let exact = linear.exact(x0, at: t)
            let got = Array(result.state(at: k))
            let err = sqrt(zip(got, exact).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
            let size = sqrt(exact.map { $0 * $0 }.reduce(0, +))
            #expect(err <= 1e-7 * size, "t = \(t): relative error \(err / size)")
        }
        #expect(result.monitor.violations == 0)
    }

    /// The Lyapunov property on many random networks of every Lagrangian.
    @Test("energy never increases on 240 seeded random two- and three-layer networks")
    func energyNonIncreasing() throws {
        var rng = SplitMix64(seed: 2024)
        var checked = 0
        for trial in 0 ..< 240 {
            let layerCount = trial % 2 == 0 ? 2 : 3
            var layers: [Layer] = []
            for l in 0 ..< layerCount {
                let size = Int.random(in: 2 ... 6, using: &rng)
                let name = Lagrangian.allNames[(trial + 5 * l) % Lagrangian.allNames.count]
                layers.append(Layer(
                    name: "L\(l)", size: size, lagrangian: sampleLagrangian(name, size: size, rng: &rng),
                    tau: rng.uniform(0.1 ... 1), bias: rng.vector(size, scale: 0.5)))
            }
            var synapses: [Synapse] = []
            for l in 1 ..< layerCount {
                let pre = layers[l - 1], post = layers[l]
                let scale = 0.5 / Double(pre.size + post.size).squareRoot()
                synapses.append(.dense(pre: pre.name, post: post.name, weights: rng.vector(post.size * pre.size, scale: scale)))
            }
            let network = try Network(layers: layers, synapses: synapses)
            let x0 = rng.vector(network.dimension)
            let result = try solved(network, from: x0, options: RunSpec(endTime: 5, saveCount: 2))
            let description = layers.map { "\($0.lagrangian.name)[\($0.size)]" }.joined(separator: "→")
            #expect(result.status == .success, "trial \(trial) \(description): \(result.status)")
            #expect(result.monitor.violations == 0, "trial \(trial) \(description): max increase \(result.monitor.maxEnergyIncrease)")
            #expect(result.monitor.passed, "trial \(trial) \(description): max dE/dt \(result.monitor.maxRate)")
            #expect(result.energyFinal <= result.energyInitial + 1e-9 * max(1, abs(result.energyInitial)))
            checked += 1
        }
        #expect(checked == 240)
    }

    @Test("dense, difference-quotient, GMRES and Adams runs agree on the final state")
    func solversAgree() throws {
        var rng = SplitMix64(seed: 11)
        let k = 6, n = 8
        let network = try Network(
            layers: [
                Layer(name: "v", size: n, lagrangian: .tanh(beta: 1.5), tau: 1, bias: rng.vector(n, scale: 0.3)),
                Layer(name: "h", size: k, lagrangian: .softmax(beta: 2), tau: 0.1),
            ],
            synapses: [.dense(pre: "v", post: "h", weights: rng.vector(k * n, scale: 0.8))])
        let x0 = rng.vector(network.dimension)
        var finals: [(String, [Double])] = []
        for (label, method, solver) in [
            ("bdf-dense", SimulationMethod.bdf, LinearSolverKind.dense),
            ("bdf-dq", .bdf, .denseDifferenceQuotient), ("bdf-gmres", .bdf, .gmres()),
            ("adams-dense", .adams, .dense),
        ] {
            var options = RunSpec(endTime: 4, saveCount: 2, relativeTolerance: 1e-9, absoluteTolerance: 1e-11)
            options.method = method
            options.linearSolver = solver
            let result = try solved(network, from: x0, options: options)
            #expect(result.status == .success, "\(label)")
            #expect(result.monitor.violations == 0, "\(label)")
            finals.append((label, result.finalState))
        }
        let reference = finals[0].1
        for (label, state) in finals.dropFirst() {
            let diff = zip(state, reference).map { abs($0 - $1) }.max() ?? .infinity
            #expect(diff <= 1e-6, "\(label) differs from bdf-dense by \(diff)")
        }
    }

    @Test("until-steady stops early at a fixed point of the flow")
    func untilSteady() throws {
        let network = try Network(
            layers: [Layer(name: "x", size: 3, lagrangian: .tanh(beta: 1), tau: 1, bias: [0.5, -0.2, 0.1])],
            synapses: [])
        var options = RunSpec(endTime: 1000, saveCount: 11, untilSteady: true)
        options.relativeTolerance = 1e-8
        let result = try solved(network, from: [3, 3, 3], options: options)
        #expect(result.status == .steadyState)
        #expect(result.finalTime < 1000)
        // With no synapses the fixed point is x = b.
        for (x, b) in zip(result.finalState, [0.5, -0.2, 0.1]) { #expect(abs(x - b) < 1e-5) }
    }

    @Test("bad initial states and options throw")
    func badInput() throws {
        let network = try Network(layers: [Layer(name: "x", size: 2, lagrangian: .relu)], synapses: [])
        #expect(throws: SimulationError.self) { try solved(network, from: [1, 2, 3]) }
        #expect(throws: SimulationError.self) { try solved(network, from: [1, .nan]) }
        #expect(throws: SimulationError.self) { try solved(network, from: [1, 2], options: RunSpec(endTime: -1)) }
        #expect(throws: SimulationError.self) {
            try solved(network, from: [1, 2], options: RunSpec(relativeTolerance: 0))
        }
    }

    @Test("too much work comes back as a status with the monitor so far")
    func tooMuchWork() throws {
        let network = try Network(
            layers: [Layer(name: "x", size: 2, lagrangian: .identity, tau: 1e-3, bias: [1, 1])], synapses: [])
        var options = RunSpec(endTime: 100, saveCount: 3)
        options.maxSteps = 5
        options.method = .adams
        let result = try solved(network, from: [0, 0], options: options)
        #expect(result.status == .tooMuchWork)
        #expect(result.monitor.steps <= 5)
        #expect(result.finalTime < 100)
    }
}
