import Hopfield
import HopfieldAnalysis
import TestSupport
import Testing

@Suite("Claim (iii): the flat region lies in the basin")
struct BasinCheckTests {
    @Test("relu example: every sample converges, dead coordinates decay at 1/τ of their layer")
    func reluExample() throws {
        let network = try exampleReluNetwork()
        let exact = reluFixedPoints(network)[0]
        var options = BasinCheckOptions()
        options.samples = 6
        let basin = try checkBasin(network, fixedPoint: exact, options: options)
        #expect(basin.samples == 6)
        #expect(basin.converged == 6)
        #expect(basin.maxActivationChange == 0)
        #expect(basin.layerRates.map(\.layer) == [0, 1])
        for rate in basin.layerRates {
            #expect(rate.maxRelativeError <= 1e-4, "layer \(rate.layer): \(rate.fittedRate) vs \(rate.expectedRate)")
        }
        #expect(abs((basin.decayRate ?? 0) - 5) <= 5e-4)
        #expect(basin.expectedRate == 5)
        // The samples lie in the flat region: live coordinates equal x*, dead ones are negative.
        for x in basin.sampledStates {
            for i in [0, 1, 3, 5, 6, 7, 9] { #expect(x[i] == exact[i]) }
            for i in [2, 4, 8] { #expect(x[i] < 0) }
        }
    }

    @Test("softmax memories: shifts along 1 return at rate 1/τ_h")
    func softmaxShift() throws {
        var rng = SplitMix64(seed: 5)
        let network = try Network(
            layers: [
                Layer(name: "v", size: 4, lagrangian: .identity, tau: 1, bias: rng.vector(4, -1 ... 1)),
                Layer(name: "h", size: 3, lagrangian: .softmax(beta: 1), tau: 0.3),
            ],
            synapses: [.dense(pre: "v", post: "h", weights: rng.vector(12, -0.5 ... 0.5))])
        let report = try analyzeSteadyState(network, from: [Double](repeating: 0, count: 7))
        #expect(report.stability?.stability == .asymptoticallyStable)
        let basin = try #require(report.basin)
        #expect(basin.converged == basin.samples && basin.samples == 8)
        #expect(basin.layerRates.count == 1)
        #expect(abs((basin.decayRate ?? 0) - 1 / 0.3) <= 1e-3)
        #expect(basin.maxActivationChange <= 1e-15)
    }

    @Test("no flat direction: nothing to sample")
    func noFlatDirection() throws {
        let network = try Network(layers: [Layer(name: "x", size: 2, lagrangian: .tanh(beta: 1), bias: [0.2, -0.1])], synapses: [])
        let basin = try checkBasin(network, fixedPoint: [0.2, -0.1])
        #expect(basin.samples == 0 && basin.decayRate == nil)
    }
}
