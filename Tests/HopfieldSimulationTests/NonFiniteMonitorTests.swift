import Hopfield
import HopfieldSimulation
import Testing

/// Issue 14, the honest monitor: when the energy, its rate or the state leaves the finite numbers the
/// monitor cannot judge the step, so the trajectory fails (status `non_finite`, or the integrator's own
/// failure) and the monitor never passes — for every integrator.
@Suite("Non-finite monitor")
struct NonFiniteMonitorTests {
    /// Weights of 1e300: E and dE/dt overflow at the first step.
    static func hugeWeights() throws -> Network {
        try Network(
            layers: [
                Layer(name: "a", size: 2, lagrangian: .tanh(beta: 1), tau: 1, bias: [1, -1]),
                Layer(name: "b", size: 2, lagrangian: .tanh(beta: 1), tau: 1),
            ],
            synapses: [.dense(pre: "a", post: "b", weights: [1e300, -1e300, 1e300, 1e300])])
    }

    /// An exp layer with β = 1e300: g = e^{βx} overflows as soon as x > 0.
    static func hugeBeta() throws -> Network {
        try Network(layers: [Layer(name: "a", size: 2, lagrangian: .exp(beta: 1e300), tau: 1, bias: [1, 0.5])], synapses: [])
    }

    static let algorithms: [SimulationAlgorithm] = [
        .tsit5, .bdf(linearSolver: .dense), .bdf(linearSolver: .gmres()), .adams(linearSolver: .dense),
        .bdf(linearSolver: .denseDifferenceQuotient),
    ]

    @Test("weights of 1e300: the trajectory fails and the monitor does not pass", arguments: algorithms)
    func hugeWeights(algorithm: SimulationAlgorithm) throws {
        let net = try Self.hugeWeights()
        let solution = try solve(SimulationProblem(model: net, initialState: [:], endTime: 10, saveCount: 3), algorithm)
        let t = solution[0]
        #expect(!t.status.isSuccess, "status \(t.status)")
        // Either the monitor saw the overflow (and fails), or CVODE stopped before its first step on the
        // non-finite right-hand side (a failure status; nothing was judged).
        #expect(t.monitor.firstNonFiniteTime != nil ? !t.monitor.passed : t.monitor.steps == 0, "\(t.monitor)")
    }

    @Test("an exp layer with β = 1e300: the trajectory fails with non_finite", arguments: algorithms)
    func hugeBeta(algorithm: SimulationAlgorithm) throws {
        let net = try Self.hugeBeta()
        let solution = try solve(SimulationProblem(model: net, initialState: [:], endTime: 10, saveCount: 3), algorithm)
        let t = solution[0]
        #expect(!t.status.isSuccess, "status \(t.status)")
        #expect(!t.monitor.passed)
        #expect(t.monitor.firstNonFiniteTime != nil)
        if t.status == .nonFinite { #expect(t.status.description == "non_finite") }
    }

    @Test("a batch: only the trajectory that overflows fails (lockstep and independent)",
          arguments: [BatchStrategy.lockstep, .independent])
    func batch(strategy: BatchStrategy) throws {
        let net = try Network(
            layers: [Layer(name: "a", size: 2, lagrangian: .identity, tau: 1),
                     Layer(name: "b", size: 2, lagrangian: .tanh(beta: 1), tau: 1)],
            synapses: [.dense(pre: "a", post: "b", weights: [1, 0, 0, 1])])
        // Identity features: a state of 1e308 overflows E = ½‖x‖² − … at once; a state of 0.1 does not.
        let problem = SimulationProblem(model: net, initialStates: [["a": [0.1, 0.2]], ["a": [1e308, -1e308]]],
                                        endTime: 1, saveCount: 2)
        var options = SimulationOptions()
        options.batchStrategy = strategy
        let solution = try solve(problem, .bdf(linearSolver: .gmres()), options: options)
        // Independent runs keep the finite trajectory; a lockstep run shares its steps, so the overflow may
        // stop it too — but never with a passed monitor on a non-finite trajectory.
        if strategy == .independent {
            #expect(solution[0].status.isSuccess && solution[0].monitor.passed, "\(solution[0].status)")
        }
        #expect(!solution[1].status.isSuccess && !solution[1].monitor.passed, "\(solution[1].status)")
        #expect(solution[1].monitor.firstNonFiniteTime != nil)
    }

    @Test("a finite run is unaffected: success, passed, no non-finite time")
    func finiteRun() throws {
        let net = try Network(layers: [Layer(name: "a", size: 2, lagrangian: .tanh(beta: 1), tau: 1, bias: [0.5, -0.5])], synapses: [])
        for algorithm in Self.algorithms {
            let t = try solve(SimulationProblem(model: net, initialState: [:], endTime: 5, saveCount: 3), algorithm)[0]
            #expect(t.status == .success && t.monitor.passed && t.monitor.firstNonFiniteTime == nil, "\(algorithm)")
        }
    }
}
