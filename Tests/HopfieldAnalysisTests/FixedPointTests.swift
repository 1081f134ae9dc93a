import Hopfield
import HopfieldAnalysis
import TestSupport
import Testing

@Suite("Fixed points against closed forms")
struct FixedPointTests {
    @Test("a relu layer without synapses: x* = b, dead = {i : bᵢ < 0}, stable at rate 1/τ")
    func singleReluLayer() throws {
        let b = [1.5, -0.7, 0.3, -2.0, 0.9]
        let network = try Network(layers: [Layer(name: "r", size: 5, lagrangian: .relu, tau: 0.5, bias: b)], synapses: [])
        let report = try analyzeSteadyState(network, from: [Double](repeating: 0, count: 5))
        #expect(report.fixedPoint.status == .converged)
        #expect(maxAbsDifference(report.fixedPoint.state, b) <= 1e-10)
        #expect(report.fixedPoint.residual <= 1e-10)
        // E(x*) = Σ (x − b)·g − L = −½ Σ (bᵢ)₊².
        #expect(abs(report.fixedPoint.energy - -0.5 * (1.5 * 1.5 + 0.3 * 0.3 + 0.9 * 0.9)) <= 1e-12)
        let flat = try #require(report.flatDirections)
        #expect(flat.deadUnits == [[1, 3]])
        #expect(flat.dimension == 2)
        #expect(flat.hessianRank == 3)
        let stability = try #require(report.stability)
        #expect(stability.stability == .asymptoticallyStable)
        #expect(abs(stability.maxRealEigenvalue - -2) <= 1e-12)
        #expect(stability.mismatch <= 1e-12)
        #expect(stability.kernelEigenvalues == [-2, -2])
    }

    @Test("two relu layers by hand: x* = (4/3, −4/3; 2/3), spectrum −0.5, −1, −1.5")
    func twoReluLayersByHand() throws {
        // v: b = (1, −1); h: b = 0; W = [0.5, −0.5] (h ← v). Guess v₁, h live and v₂ dead:
        // h = 0.5 v₁, v₁ = 1 + 0.5 h ⇒ v₁ = 4/3, h = 2/3, v₂ = −1 − 0.5 h = −4/3 < 0 ✓.
        let network = try Network(
            layers: [
                Layer(name: "v", size: 2, lagrangian: .relu, tau: 1, bias: [1, -1]),
                Layer(name: "h", size: 1, lagrangian: .relu, tau: 1),
            ],
            synapses: [.dense(pre: "v", post: "h", weights: [0.5, -0.5])])
        let report = try analyzeSteadyState(network, from: [0.1, 0.1, 0.1])
        #expect(report.fixedPoint.status == .converged)
        #expect(maxAbsDifference(report.fixedPoint.state, [4.0 / 3, -4.0 / 3, 2.0 / 3]) <= 1e-10)
        #expect(report.flatDirections?.deadUnits == [[1], []])
        #expect(report.flatDirections?.dimension == 1)
        let stability = try #require(report.stability)
        // Live block C_LL = [[0, .5], [.5, 0]]: τJ = C_LL − I has −0.5, −1.5; the dead unit gives −1.
        let real = stability.jacobianEigenvalues.map(\.re)
        #expect(maxAbsDifference(real, [-0.5, -1, -1.5]) <= 1e-12)
        #expect(stability.jacobianEigenvalues.allSatisfy { abs($0.im) <= 1e-12 })
        #expect(abs((stability.rangeCouplingMaxEigenvalue ?? .nan) - 0.5) <= 1e-12)
        #expect(abs((stability.energyHessianRangeMinEigenvalue ?? .nan) - 0.5) <= 1e-12)
        #expect(stability.stability == .asymptoticallyStable)
        #expect(stability.criteriaAgree)
    }

    @Test("the example relu network: the one fixed point of the active-set enumeration")
    func exampleNetworkAgainstEnumeration() throws {
        let network = try exampleReluNetwork()
        let closedForm = reluFixedPoints(network)
        try #require(closedForm.count == 1)
        var x0 = [Double](repeating: 0, count: 10)
        for i in 6 ..< 10 { x0[i] = -4 }
        let report = try analyzeSteadyState(network, from: x0)
        #expect(report.fixedPoint.status == .converged)
        #expect(maxAbsDifference(report.fixedPoint.state, closedForm[0]) <= 1e-10)
        #expect(report.flatDirections?.deadUnits == [[2, 4], [2]])
        #expect(report.flatDirections?.dimension == 3)
        #expect(report.stability?.stability == .asymptoticallyStable)
    }

    @Test("a user-given state is polished by Newton without integrating")
    func polishGivenState() throws {
        let network = try exampleReluNetwork()
        let exact = reluFixedPoints(network)[0]
        var options = FixedPointOptions()
        options.integrate = false
        let guess = exact.enumerated().map { $1 + 1e-3 * Double($0 % 3 - 1) }
        let fixedPoint = try findFixedPoint(network, from: guess, options: options)
        #expect(fixedPoint.status == .converged)
        #expect(fixedPoint.integratedState == nil)
        #expect(fixedPoint.trajectory == nil)
        #expect(fixedPoint.newtonIterations >= 1)
        #expect(maxAbsDifference(fixedPoint.state, exact) <= 1e-10)
    }

    @Test("a saddle: identity layer with coupling eigenvalue 2 > 1 is classified unstable")
    func saddle() throws {
        // C = W + Wᵀ = [[0, 2], [2, 0]], b = (1, 0.5): x* = (I − C)⁻¹ b = (−2/3, −5/6); τJ = C − I has 1 and −3.
        let network = try Network(
            layers: [Layer(name: "x", size: 2, lagrangian: .identity, tau: 1, bias: [1, 0.5])],
            synapses: [.dense(pre: "x", post: "x", weights: [0, 2, 0, 0])])
        var options = SteadyStateOptions()
        options.fixedPoint.integrate = false
        let report = try analyzeSteadyState(network, from: [0, 0], options: options)
        #expect(report.fixedPoint.status == .converged)
        #expect(maxAbsDifference(report.fixedPoint.state, [-2.0 / 3, -5.0 / 6]) <= 1e-12)
        let stability = try #require(report.stability)
        #expect(stability.stability == .unstable)
        #expect(stability.energyHessianStability == .unstable)
        #expect(abs(stability.maxRealEigenvalue - 1) <= 1e-12)
        #expect(abs((stability.energyHessianRangeMinEigenvalue ?? .nan) - -1) <= 1e-12)
        #expect(abs((stability.rangeCouplingMaxEigenvalue ?? .nan) - 2) <= 1e-12)
        #expect(report.basin == nil)
    }

    @Test("no fixed point: r = b ≠ 0 everywhere gives a clear failure status")
    func noFixedPoint() throws {
        // One identity unit with W = 0.5 on itself: C = 1, r = b − x + x = b.
        let network = try Network(
            layers: [Layer(name: "x", size: 1, lagrangian: .identity, tau: 1, bias: [0.3])],
            synapses: [.dense(pre: "x", post: "x", weights: [0.5])])
        var options = FixedPointOptions()
        options.endTime = 5
        let fixedPoint = try findFixedPoint(network, from: [0], options: options)
        #expect(!fixedPoint.status.isConverged)
        #expect(fixedPoint.status.description.hasPrefix("newton_failed"))
        #expect(abs(fixedPoint.residual - 0.3 / max(1, abs(fixedPoint.state[0]))) <= 1e-12)
        let report = try analyzeSteadyState(network, from: [0], options: { var o = SteadyStateOptions(); o.fixedPoint = options; return o }())
        #expect(report.linearization == nil && report.stability == nil && report.basin == nil)
    }

    @Test("bad input throws a typed error")
    func badInput() throws {
        let network = try exampleReluNetwork()
        #expect(throws: AnalysisError.self) { try findFixedPoint(network, from: [0, 1]) }
        #expect(throws: AnalysisError.self) { try findFixedPoint(network, from: [Double](repeating: .nan, count: 10)) }
        var options = FixedPointOptions()
        options.residualTolerance = -1
        #expect(throws: AnalysisError.self) { try findFixedPoint(network, from: [Double](repeating: 0, count: 10), options: options) }
    }
}
