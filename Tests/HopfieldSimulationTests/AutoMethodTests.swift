import Foundation
import Hopfield
@testable import HopfieldSimulation
import Testing

/// The gradient flow of `E = ½ xᵀ A x + ¼ Σ q_i x_i⁴ − bᵀ x` as a model (τ = 1, two variables of one unit).
private struct QuarticModel: DynamicalModel {
    let a: [Double]
    let q: [Double]
    let b: [Double]
    var dimension: Int { q.count }
    var variables: [ModelVariable] { (0 ..< dimension).map { ModelVariable(name: "u\($0)", shape: [1], offset: $0) } }
    var timeConstants: [Double] { Array(repeating: 1, count: dimension) }
    var clampMask: [Bool] { Array(repeating: false, count: dimension) }
    var batchedWork: Int { 0 }
    var evaluatesBatches: Bool { false }
    func makeEvaluator(capacity: Int) -> any ModelEvaluator {
        QuarticGradientSystem(a: a, q: q, b: b, capacity: capacity)
    }

    /// `u0` relaxes fast to `u0* = 1` where `∂ẋ/∂x = −3000` (stiff from t ≈ 1e-3 on); `u1` relaxes slowly
    /// (rate 0.5) to 1, so the run lasts to t_end: a model that becomes stiff mid-way.
    static let stiffening = QuarticModel(a: [0, 0, 0, 0.5], q: [1000, 0], b: [1000, 0.5])
}

private func maxRelativeDifference(_ x: [Double], _ y: [Double]) -> Double {
    zip(x, y).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
}

@Suite("solve with auto: agrees with BDF and Tsit5; switches; Newton finish; monitor across a switch")
struct AutoMethodTests {
    @Test("non-stiff networks: auto runs Tsit5 (and polishes at a steady stop), agreeing with BDF and Tsit5")
    func nonStiff() throws {
        var rng = SplitMix64(seed: 41)
        for _ in 0 ..< 4 {
            let (network, x0) = try randomRetrievalNetwork(&rng)
            let starts = [x0, x0.map { $0 * 0.5 }]
            for steady in [false, true] {
                let problem = SimulationProblem(
                    model: network, flatInitialStates: starts, isBatch: true, endTime: steady ? 500 : 30, saveCount: 7,
                    stopAtSteadyState: steady)
                let auto = try solve(problem, .auto)
                let bdf = try solve(problem, .bdf(linearSolver: .dense), options: SimulationOptions(relativeTolerance: 1e-9, absoluteTolerance: 1e-11))
                let tsit5 = try solve(problem, .tsit5)
                #expect(auto.algorithm == .auto)
                for b in 0 ..< starts.count {
                    let t = auto[b]
                    #expect(t.segments.map(\.method) == [.tsit5])
                    #expect(t.monitor.violations == 0)
                    if steady {
                        #expect(t.status == .steadyState)
                        #expect(t.polished == (t.handoffTime != nil))
                        // Steady: the same fixed point as a tight BDF run (whose stop leaves ≈ ‖J⁻¹‖ · 1e-9).
                        #expect(maxRelativeDifference(t.finalState, bdf[b].finalState) < 1e-5)
                    } else {
                        #expect(t.status == .success && t.finalTime == 30)
                        #expect(!t.polished)
                        #expect(t.finalState == tsit5[b].finalState, "no switch, no finish: auto is Tsit5")
                        #expect(t.statistics == tsit5[b].statistics)
                        #expect(maxRelativeDifference(t.finalState, bdf[b].finalState) < 1e-4)
                    }
                }
            }
        }
    }

    @Test("a network stiff from the start (τ_h = 1e-4) runs on BDF + GMRES, agreeing with BDF dense")
    func stiffFromStart() throws {
        var rng = SplitMix64(seed: 43)
        let (base, x0) = try randomRetrievalNetwork(&rng)
        let network = try Network(
            layers: [base.layers[0], Layer(name: "h", size: base.layers[1].size, lagrangian: base.layers[1].lagrangian, tau: 1e-4)],
            synapses: base.synapses)
        let problem = SimulationProblem(model: network, flatInitialStates: [x0], isBatch: false, endTime: 5, saveCount: 3)
        let auto = try solve(problem, .auto)
        #expect(auto.algorithm == .bdf(linearSolver: .gmres()))
        #expect(auto.trajectories[0].segments.map(\.method) == [.bdf])
        let dense = try solve(problem, .bdf(linearSolver: .dense), options: SimulationOptions(relativeTolerance: 1e-9, absoluteTolerance: 1e-11))
        #expect(maxRelativeDifference(auto.trajectories[0].finalState, dense.trajectories[0].finalState) < 1e-4)
        #expect(auto.monitor.violations == 0)
    }

    @Test("a model that becomes stiff mid-way switches to BDF; agrees with BDF and Tsit5; one energy trace")
    func switching() throws {
        let model = QuarticModel.stiffening
        let problem = SimulationProblem(
            model: model, flatInitialStates: [[0, 0], [0.2, -1]], isBatch: true, endTime: 10, saveCount: 11)
        let auto = try solve(problem, .auto)
        var tight = SimulationOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        tight.maxSteps = 1_000_000
        let bdf = try solve(problem, .bdf(linearSolver: .dense), options: tight)
        var long = SimulationOptions()
        long.maxSteps = 1_000_000
        let tsit5 = try solve(problem, .tsit5, options: long)
        for b in 0 ..< 2 {
            let t = auto[b]
            #expect(t.status == .success && t.finalTime == 10)
            #expect(t.segments.map(\.method) == [.tsit5, .bdf], "a switch must happen")
            let switchTime = t.segments[0].endTime
            #expect(switchTime > 0 && switchTime < 0.1, "stiff from t ≈ 1e-3: switched at \(switchTime)")
            #expect(t.segments[1].startTime == switchTime && t.segments[1].endTime == 10)
            #expect(t.times.count == 11, "every save of the grid, from both parts")
            #expect(maxRelativeDifference(t.finalState, bdf[b].finalState) < 1e-5)
            #expect(maxRelativeDifference(t.finalState, tsit5[b].finalState) < 1e-5)
            // The far cheaper: Tsit5 alone pays 2 · 10 · 3000 evaluations at its stability limit.
            #expect(t.statistics.rhsEvaluations * 20 < tsit5[b].statistics.rhsEvaluations)
            // One energy trace across the switch: times increase, the monitor saw no violation.
            let times = t.energyTrace.map(\.t)
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
            #expect(t.monitor.violations == 0)
            #expect(t.monitor.steps == t.energyTrace.count - 1)
            #expect(t.monitor.steps == t.segments[0].statistics.steps + t.segments[1].statistics.steps)
        }
    }

    @Test("until steady: the Newton finish polishes, records the hand-off time, and lands on BDF's fixed point")
    func newtonFinishInSolve() throws {
        var rng = SplitMix64(seed: 47)
        let (network, x0) = try randomRetrievalNetwork(&rng)
        let problem = SimulationProblem(
            model: network, flatInitialStates: [x0], isBatch: false, endTime: 100, saveCount: 11, stopAtSteadyState: true)
        let auto = try solve(problem)
        let t = auto.trajectories[0]
        #expect(t.status == .steadyState)
        #expect(t.polished)
        let handoff = try #require(t.handoffTime)
        #expect(handoff == t.finalTime)
        #expect(t.monitor.violations == 0)
        // The polished state is a fixed point: ‖ẋ‖_WRMS ≤ 0.01.
        let evaluator = network.makeEvaluator(capacity: 1)
        var xdot = [Double](repeating: 0, count: network.dimension)
        t.finalState.withUnsafeBufferPointer { x in xdot.withUnsafeMutableBufferPointer { evaluator.vectorField(x, into: $0) } }
        let norm = xdot.withUnsafeBufferPointer { v in
            t.finalState.withUnsafeBufferPointer { NewtonFinish.weightedNorm(v, at: $0, relativeTolerance: 1e-6, absoluteTolerance: 1e-8) }
        }
        #expect(norm <= 0.01)
        let plain = try solve(problem, .tsit5)
        #expect(plain.trajectories[0].finalTime > handoff, "the finish stopped earlier than plain Tsit5")
        #expect(t.statistics.rhsEvaluations < plain.trajectories[0].statistics.rhsEvaluations)
        let bdf = try solve(problem, .bdf(linearSolver: .dense), options: SimulationOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        #expect(maxRelativeDifference(t.finalState, bdf.trajectories[0].finalState) < 1e-5)
    }
}
