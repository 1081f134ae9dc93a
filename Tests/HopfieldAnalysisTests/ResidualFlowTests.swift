import Foundation
import Hopfield
import HopfieldAnalysis
import TestSupport
import Testing

@Suite("The residual flow τẋ = (I − CH)⁻¹ r")
struct ResidualFlowTests {
    @Test("relu example: r(t) = r(0) e^{−t/τ_A} in every layer, V = ‖r‖² decreases, same fixed point")
    func residualDecaysExponentially() throws {
        let network = try exampleReluNetwork()
        var x0 = [Double](repeating: 0, count: 10)
        for i in 6 ..< 10 { x0[i] = -4 }
        let options = SimulationOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12, dynamics: .residual)
        let problem = SimulationProblem(model: network, flatInitialStates: [x0], isBatch: false, endTime: 160, saveCount: 161)
        let result = try solve(problem, .bdf(), options: options)[0]
        #expect(result.status == .success)
        #expect(result.dynamics == .residual)
        #expect(result.monitor.passed)
        #expect(result.monitor.violations == 0)
        #expect(result.lyapunovTrace.count == result.energyTrace.count)
        let evaluator = NetworkEvaluator(network: network)
        let r0 = evaluator.residual(x0)
        for (k, t) in result.times.enumerated() where t <= 12 {
            let r = evaluator.residual(Array(result.state(at: k)))
            for (a, layer) in network.layers.enumerated() {
                let range = network.range(ofLayer: a)
                for i in range {
                    let expected = r0[i] * Foundation.exp(-t / layer.tau)
                    #expect(abs(r[i] - expected) <= 1e-6 * max(1e-3, abs(r0[i])), "t = \(t), unit \(i)")
                }
            }
        }
        #expect(maxAbsDifference(result.finalState, reluFixedPoints(network)[0]) <= 1e-8)
        // V strictly decreases between internal steps while it is above rounding.
        let v = result.lyapunovTrace.map(\.energy)
        for k in 0 ..< v.count - 1 where v[k] > 1e-20 { #expect(v[k + 1] < v[k]) }
        // dV/dt = −2 rᵀτ⁻¹r at the start.
        let expectedRate = -2 * zip(r0, network.timeConstants).reduce(0) { $0 + $1.0 * $1.0 / $1.1 }
        #expect(abs(result.lyapunovTrace[0].rate - expectedRate) <= 1e-12 * abs(expectedRate))
    }

    @Test("the default dynamics is unchanged: gradient flow, no Lyapunov trace")
    func defaultIsGradient() throws {
        let network = try exampleReluNetwork()
        let options = SimulationOptions()
        #expect(options.dynamics == .gradient)
        let problem = SimulationProblem(model: network, initialState: [:], endTime: 5)
        let result = try solve(problem, options: options)[0]
        #expect(result.dynamics == .gradient)
        #expect(result.lyapunovTrace.isEmpty)
        #expect(result.monitor.passed)
    }

    @Test("where I − C H is singular the residual flow stops with a callback error")
    func singularSystem() throws {
        // One identity unit with C = 1: I − C H = 0.
        let network = try Network(
            layers: [Layer(name: "x", size: 1, lagrangian: .identity, bias: [0.3])],
            synapses: [.dense(pre: "x", post: "x", weights: [0.5])])
        let problem = SimulationProblem(model: network, initialState: ["x": [0]], endTime: 1)
        let result = try solve(problem, .bdf(), options: SimulationOptions(dynamics: .residual))[0]
        #expect(!result.status.isSuccess)
        #expect(result.status.description.hasPrefix("callback_error"))
    }
}
