import Hopfield
import HopfieldAnalysis
import TestSupport
import Testing

@Suite("Claim (i): x* = b + C g*")
struct RecoveryTests {
    @Test("the example network: recovered state equals the closed form, dead inputs are negative")
    func exampleNetwork() throws {
        let network = try exampleReluNetwork()
        let exact = reluFixedPoints(network)[0]
        var x0 = [Double](repeating: 0, count: 10)
        for i in 6 ..< 10 { x0[i] = -4 }
        let report = try analyzeSteadyState(network, from: x0)
        let recovery = try #require(report.recovery)
        #expect(maxAbsDifference(recovery.recoveredState, exact) <= 1e-10)
        #expect(recovery.polishedError <= 1e-10)
        // The integrated state is within the integration tolerance of x*.
        #expect(recovery.error <= 1e-6)
        #expect(recovery.error > 0)
        #expect(recovery.deadInputsNegative)
        #expect(recovery.deadInputs.count == 2)
        #expect(maxAbsDifference(recovery.deadInputs[0], [exact[2], exact[4]]) <= 1e-10)
        #expect(maxAbsDifference(recovery.deadInputs[1], [exact[8]]) <= 1e-10)
    }

    @Test("a state that is not a fixed point: a dead unit whose input is positive is reported")
    func positiveDeadInput() throws {
        let network = try Network(
            layers: [Layer(name: "r", size: 2, lagrangian: .relu, bias: [0.5, 0.2])], synapses: [])
        // x = (0.5, −0.3): unit 1 is dead, but (b + C g)₁ = 0.2 > 0, so x is no fixed point.
        let recovery = try FixedPointRecovery(network: network, fixedPoint: [0.5, -0.3], deadUnits: [[1]])
        #expect(!recovery.deadInputsNegative)
        #expect(recovery.maxDeadInput == 0.2)
        #expect(abs(recovery.polishedError - 0.5) <= 1e-15)
    }
}
