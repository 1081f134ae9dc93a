import Hopfield
import HopfieldAnalysis
import Testing

/// `analyzeSteadyState` on networks with and without a constant coupling matrix: the claims of
/// docs/math.md §3 only where they hold, stability from `J` and `∇²E` everywhere.
@Suite("Analysis of similarity networks")
struct SimilarityAnalysisTests {
    /// Two identity feature units, three softmax memories, a Euclidean synapse.
    static func euclidean(_ kind: SimilarityKind = .euclidean) throws -> Network {
        try Network(
            layers: [Layer(name: "v", size: 2, lagrangian: .identity, tau: 1, bias: [0.1, -0.2]),
                     Layer(name: "h", size: 3, lagrangian: .softmax(beta: 2), tau: 0.5)],
            synapses: [.similarity(kind, pre: "v", post: "h", memories: [0.9, 0.1, -0.5, 0.7, 0.2, -0.8])])
    }

    /// `∇²E` by central differences of the energy (independent of the Jacobian and the Lagrangian Hessian).
    static func finiteDifferenceHessian(_ network: Network, at x: [Double], step h: Double = 1e-4) -> [[Double]] {
        let evaluator = NetworkEvaluator(network: network)
        let n = x.count
        func e(_ di: Int, _ si: Double, _ dj: Int, _ sj: Double) -> Double {
            var y = x
            y[di] += si * h
            y[dj] += sj * h
            return evaluator.energy(y)
        }
        return (0 ..< n).map { i in
            (0 ..< n).map { j in (e(i, 1, j, 1) - e(i, 1, j, -1) - e(i, -1, j, 1) + e(i, -1, j, -1)) / (4 * h * h) }
        }
    }

    @Test("Euclidean synapse: claims not applicable, stable from J and from ∇²E = −H τJ (= finite differences of E)")
    func euclideanNetwork() throws {
        let network = try Self.euclidean()
        var options = SteadyStateOptions()
        options.fixedPoint.relativeTolerance = 1e-10
        let report = try analyzeSteadyState(network, from: [0.8, 0.0, 0, 0, 0], options: options)
        #expect(report.isConverged)
        #expect(report.lagrangianClaimsNotApplicable?.contains("euclidean") == true)
        #expect(report.flatDirections == nil && report.stability == nil && report.recovery == nil && report.basin == nil)
        let general = try #require(report.jacobianStability)
        #expect(general.stability == .asymptoticallyStable)
        #expect(general.energyHessianStability == .asymptoticallyStable)
        #expect(general.energyHessianUndefined == nil)
        #expect((general.energyHessianRangeMinEigenvalue ?? -1) > 0)
        // The energy Hessian against central differences of E at the fixed point.
        let linearization = try #require(report.linearization)
        let reference = Self.finiteDifferenceHessian(network, at: report.fixedPoint.state)
        var worst = 0.0
        for i in 0 ..< network.dimension {
            for j in 0 ..< network.dimension {
                worst = max(worst, abs(linearization.energyHessian[i, j] - reference[i][j]))
            }
        }
        #expect(worst < 1e-5, "max |∇²E − finite differences| = \(worst)")
        // No constant C: no α_max.
        let trace = try #require(report.fixedPoint.trajectory)
        #expect(trace.alphaMax.isNaN && trace.alpha == 1)
    }

    @Test("Manhattan synapse on a kink: the energy Hessian is reported as not defined")
    func manhattanKink() throws {
        let network = try Self.euclidean(.manhattan)
        let x = [0.9, 0.3, 0.1, -0.2, 0.0]  // v₀ = g₀ = memory 0's first entry
        let linearization = try Linearization(network: network, at: x)
        let general = try JacobianStability(network: network, linearization: linearization)
        #expect(general.energyHessianUndefined != nil)
        #expect(general.energyHessianStability == nil && general.energyHessianRangeEigenvalues == nil)
        var off = x
        off[0] = 0.85
        let away = try JacobianStability(network: network, linearization: try Linearization(network: network, at: off))
        #expect(away.energyHessianUndefined == nil && away.energyHessianRangeEigenvalues != nil)
    }

    @Test("bilinear network: claims apply, and the general verdict agrees with the range analysis")
    func bilinearNetwork() throws {
        let network = try Self.euclidean(.dot)
        let report = try analyzeSteadyState(network, from: [0.8, 0.0, 0, 0, 0])
        #expect(report.isConverged)
        #expect(report.lagrangianClaimsNotApplicable == nil)
        let range = try #require(report.stability)
        let general = try #require(report.jacobianStability)
        #expect(range.stability == general.stability && range.energyHessianStability == general.energyHessianStability)
        let a = try #require(range.energyHessianRangeMinEigenvalue)
        let b = try #require(general.energyHessianRangeMinEigenvalue)
        #expect(abs(a - b) <= 1e-10 * max(1, abs(a)))
        #expect(report.recovery != nil && report.flatDirections != nil)
    }
}
