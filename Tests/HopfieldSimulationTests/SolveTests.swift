import Foundation
import Hopfield
import HopfieldSimulation
import Testing

@Suite("solve: problem → solution, clamp masks, named access")
struct SolveTests {
    /// A tanh visible layer (separable: clamping part of it keeps E a Lyapunov function) and a softmax
    /// memory layer, with the first `clamped` visible units clamped.
    static func clampedNetwork(clamped: Int, rng: inout SplitMix64) throws -> Network {
        let n = 10, k = 6
        let clamp = (0 ..< n).map { $0 < clamped }
        return try Network(
            layers: [
                Layer(name: "visible", size: n, lagrangian: .tanh(beta: 1.5), tau: 1, bias: rng.vector(n, scale: 0.3),
                      clamp: clamp),
                Layer(name: "memory", size: k, lagrangian: .softmax(beta: 2), tau: 0.2),
            ],
            synapses: [.dense(pre: "visible", post: "memory", weights: rng.vector(k * n, scale: 0.8))])
    }

    @Test("clamped units never move and the energy never increases", arguments: ["bdf", "tsit5"])
    func clampedUnitsStay(method: String) throws {
        var rng = SplitMix64(seed: 31)
        for trial in 0 ..< 6 {
            let network = try Self.clampedNetwork(clamped: 4, rng: &rng)
            let visible = rng.vector(10)
            let memory = rng.vector(6)
            let problem = SimulationProblem(
                model: network, initialState: ["visible": visible, "memory": memory], endTime: 5, saveCount: 11)
            let algorithm: SimulationAlgorithm = method == "bdf" ? .bdf() : .tsit5
            let solution = try solve(problem, algorithm, options: SimulationOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10))
            #expect(solution.status == .success, "trial \(trial)")
            let saved = try #require(solution.trajectory("visible"))
            #expect(saved.count == 11)
            for values in saved {
                #expect(Array(values[0 ..< 4]) == Array(visible[0 ..< 4]), "trial \(trial): a clamped unit moved")
            }
            let final = try #require(solution.final["visible"])
            #expect(Array(final[0 ..< 4]) == Array(visible[0 ..< 4]))
            // The free units did move.
            #expect(zip(final[4...], visible[4...]).contains { abs($0 - $1) > 1e-3 })
            #expect(solution.monitor.violations == 0, "trial \(trial): max increase \(solution.monitor.maxEnergyIncrease)")
            #expect(solution.monitor.passed, "trial \(trial): max dE/dt \(solution.monitor.maxRate)")
            let energies = solution.energyTrace.map(\.energy)
            for k in 1 ..< energies.count {
                #expect(energies[k] <= energies[k - 1] + 1e-9 * max(1, abs(energies[k - 1])), "trial \(trial), step \(k)")
            }
        }
    }

    @Test("clamped evaluator: zero rows of ẋ, J v and J; dE/dt is the derivative along the clamped flow")
    func clampedEvaluator() throws {
        var rng = SplitMix64(seed: 5)
        let network = try Self.clampedNetwork(clamped: 3, rng: &rng)
        let n = network.dimension
        #expect(network.clampMask == (0 ..< n).map { $0 < 3 })
        let evaluator = network.makeEvaluator(capacity: 1)
        let x = rng.vector(n)
        var xdot = [Double](repeating: 0, count: n)
        var energy = [0.0], rate = [0.0]
        var gradient = [Double](repeating: 0, count: n)
        var jacobian = [Double](repeating: 0, count: n * n)
        var jv = [Double](repeating: 0, count: n)
        let v = rng.vector(n)
        x.withUnsafeBufferPointer { x in
            xdot.withUnsafeMutableBufferPointer { xdot in
                energy.withUnsafeMutableBufferPointer { e in
                    rate.withUnsafeMutableBufferPointer { r in
                        gradient.withUnsafeMutableBufferPointer { g in
                            evaluator.vectorField(x, into: xdot, energies: e, rates: r, gradients: g)
                        }
                    }
                }
            }
            jacobian.withUnsafeMutableBufferPointer { evaluator.jacobian(at: x, into: $0) }
            v.withUnsafeBufferPointer { v in jv.withUnsafeMutableBufferPointer { evaluator.jacobianVectorProduct(at: x, v, into: $0) } }
        }
        for i in 0 ..< 3 {
            #expect(xdot[i] == 0 && gradient[i] == 0 && jv[i] == 0)
            #expect((0 ..< n).allSatisfy { jacobian[i + $0 * n] == 0 })
        }
        // J v from the dense Jacobian equals the matrix-free product.
        for i in 0 ..< n {
            let dense = (0 ..< n).reduce(0.0) { $0 + jacobian[i + $1 * n] * v[$1] }
            #expect(abs(dense - jv[i]) <= 1e-10 * (1 + abs(jv[i])))
        }
        // dE/dt by central differences of E along ẋ (an independent evaluation of the energy).
        let reference = NetworkEvaluator(network: network)
        let h = 1e-5
        let plus = zip(x, xdot).map { $0 + h * $1 }, minus = zip(x, xdot).map { $0 - h * $1 }
        let difference = (reference.energy(plus) - reference.energy(minus)) / (2 * h)
        #expect(abs(difference - rate[0]) <= 1e-6 * (1 + abs(rate[0])), "dE/dt \(rate[0]) vs difference \(difference)")
        #expect(rate[0] <= 0)
        #expect(abs(energy[0] - reference.energy(x)) <= 1e-10 * (1 + abs(energy[0])))
    }

    @Test("a clamp mask of the wrong length names layers[i].clamp")
    func clampValidation() throws {
        #expect(throws: NetworkError(path: "layers[0].clamp", message: "has 2 entries, expected 3")) {
            try Network(layers: [Layer(name: "x", size: 3, lagrangian: .relu, clamp: [true, false])], synapses: [])
        }
    }

    @Test("a batch through solve equals the single solves", arguments: [SimulationMethod.bdf, .tsit5])
    func batchEqualsSingles(method: SimulationMethod) throws {
        var rng = SplitMix64(seed: 17)
        let network = try Self.clampedNetwork(clamped: 2, rng: &rng)
        let starts: [[String: [Double]]] = (0 ..< 3).map { _ in ["visible": rng.vector(10), "memory": rng.vector(6)] }
        let algorithm = SimulationAlgorithm(method: method)
        let options = SimulationOptions(threads: 1, batchStrategy: .independent)
        let batch = try solve(
            SimulationProblem(model: network, initialStates: starts, endTime: 3, saveCount: 4), algorithm, options: options)
        #expect(batch.isBatch && batch.count == 3)
        for (b, start) in starts.enumerated() {
            let single = try solve(SimulationProblem(model: network, initialState: start, endTime: 3, saveCount: 4), algorithm)
            #expect(!single.isBatch && single.count == 1)
            #expect(batch[b].status == single.status)
            #expect(batch[b].times == single.times)
            if method == .bdf {
                // Independent CVODE solves are the single solves, exactly.
                #expect(batch[b].states == single[0].states, "trajectory \(b)")
                #expect(batch[b].energyTrace == single.energyTrace)
                #expect(batch[b].statistics == single.statistics)
                #expect(batch[b].final == single.final)
            } else {
                // Tsit5 evaluates the batch with GEMMs, a single state with GEMV: rounding apart, the same run.
                let d = zip(batch[b].states, single[0].states).map { abs($0 - $1) }.max()!
                #expect(d <= 1e-9, "trajectory \(b): batch and single differ by \(d)")
                #expect(batch[b].statistics.steps == single.statistics.steps)
            }
        }
    }

    @Test("named access returns the numbers of the flat state")
    func namedAccess() throws {
        var rng = SplitMix64(seed: 23)
        let network = try Self.clampedNetwork(clamped: 0, rng: &rng)
        let x0 = rng.vector(network.dimension)
        let flat = try solve(SimulationProblem(model: network, flatInitialStates: [x0], isBatch: false, endTime: 2, saveCount: 5))
        let named = try solve(SimulationProblem(
            model: network, initialState: ["visible": Array(x0[0 ..< 10]), "memory": Array(x0[10...])], endTime: 2,
            saveCount: 5))
        #expect(flat[0].states == named[0].states)
        let r = flat[0]
        for variable in network.variables {
            #expect(r.final[variable.name] == Array(r.finalState[variable.range]))
            let saved = try #require(r.trajectory(variable.name))
            #expect(saved.count == r.times.count)
            for (s, values) in saved.enumerated() {
                #expect(values == Array(r.state(at: s)[(s * r.dimension + variable.offset)...].prefix(variable.size)))
            }
        }
        #expect(r.final["nothing"] == nil && r.trajectory("nothing") == nil)
        #expect(r.statesOnSaveGrid() == r.states)
        #expect(throws: SimulationError.self) {
            try solve(SimulationProblem(model: network, initialState: ["hidden": [1]]))
        }
        #expect(throws: SimulationError.self) {
            try solve(SimulationProblem(model: network, initialState: ["visible": [1, 2]]))
        }
    }

    @Test("a steady trajectory is padded with its final state on the save grid")
    func paddingOnTheGrid() throws {
        let network = try Network(
            layers: [Layer(name: "x", size: 3, lagrangian: .tanh(beta: 1), tau: 1, bias: [0.5, -0.2, 0.1])], synapses: [])
        let solution = try solve(SimulationProblem(
            model: network, initialState: ["x": [3, 3, 3]], endTime: 1000, saveCount: 11, stopAtSteadyState: true))
        #expect(solution.status == .steadyState)
        let grid = solution[0].statesOnSaveGrid()
        #expect(grid.count == 11 * 3)
        let reached = solution.times.count
        #expect(reached < 11)
        for s in reached ..< 11 { #expect(Array(grid[s * 3 ..< s * 3 + 3]) == solution[0].finalState) }
    }

    @Test("the getting-started snippet of docs/swift-api.md runs")
    func documentationSnippet() throws {
        // --- begin docs/swift-api.md snippet ---
        let network = try Network(
            layers: [
                Layer(name: "visible", size: 4, lagrangian: .identity, tau: 1, clamp: [true, true, false, false]),
                Layer(name: "memory", size: 2, lagrangian: .softmax(beta: 2), tau: 0.1),
            ],
            synapses: [.dense(pre: "visible", post: "memory", weights: [1, 1, -1, -1, -1, 1, -1, 1])])
        let problem = SimulationProblem(
            model: network, initialState: ["visible": [1, 1, 0, 0]], endTime: 50, saveCount: 11,
            stopAtSteadyState: true)
        let solution = try solve(problem, .bdf(linearSolver: .dense), options: SimulationOptions(relativeTolerance: 1e-8))
        let visible = solution.final["visible"]!          // [Double], 4 values
        let memory = solution.trajectory("memory")!       // [saves][2]
        print(solution.status, visible, memory.count, solution.monitor.passed)
        // --- end docs/swift-api.md snippet ---
        #expect(solution.status == .steadyState)
        #expect(Array(visible[0 ..< 2]) == [1, 1])
        #expect(visible[2] < -0.5 && visible[3] < -0.5)  // completes memory 0, [1, 1, −1, −1]
        #expect(memory.count == solution.times.count)
        #expect(solution.monitor.passed)
    }
}
