import Hopfield
import LinearAlgebra

/// Records `E`, `ρ = τ_min Σ_A ‖r_A‖²/τ_A`, `‖r‖`, `‖ẋ‖` and their analytic rates at every internal step of
/// an integration; ``trace(alpha:)`` turns them into a ``LyapunovTrace`` once α is known.
///
/// Every workspace is allocated in `init`; ``record(t:state:)`` allocates nothing but the appended sample.
final class LyapunovRecorder {
    private struct Raw {
        var t, energy, weighted, residualNorm, speed, energyRate, weightedRate: Double
    }

    private let network: Network
    private let evaluator: NetworkEvaluator
    private let taus: [Double]
    private let minimumTau: Double
    /// nil when the network has no constant `C` (similarity synapses): no α_max then.
    private let couplingNorm: Double?
    /// `max_A hessianNormBound_A` when every layer has a global bound, else nil.
    private let globalBound: Double?
    private var localBound = 0.0
    private var residual: [Double]
    private var velocity: [Double]
    private var product: [Double]
    private var hessianWork: [Double]
    private var raw: [Raw] = []

    /// - Parameters:
    ///   - network: the network.
    ///   - couplingNorm: `‖C‖₂`, nil when the network has no constant `C`.
    init(network: Network, couplingNorm: Double?) {
        self.network = network
        evaluator = NetworkEvaluator(network: network)
        taus = network.timeConstants
        minimumTau = network.layers.map(\.tau).min() ?? 1
        self.couplingNorm = couplingNorm
        let bounds = network.layers.map(\.lagrangian.hessianNormBound)
        globalBound = bounds.contains { $0 == nil } ? nil : bounds.compactMap { $0 }.max() ?? 0
        let n = network.dimension
        residual = [Double](repeating: 0, count: n)
        velocity = [Double](repeating: 0, count: n)
        product = [Double](repeating: 0, count: n)
        let largest = network.layers.filter { !$0.lagrangian.isSeparable }.map(\.size).max() ?? 0
        hessianWork = [Double](repeating: 0, count: max(largest * largest, network.layers.map(\.size).max() ?? 0))
        raw.reserveCapacity(1024)
    }

    /// Records the state at time `t`.
    func record(t: Double, state x: UnsafeBufferPointer<Double>) {
        let n = network.dimension
        let (energy, energyRate) = evaluator.energyAndRate(x)
        residual.withUnsafeMutableBufferPointer { evaluator.residual(x, into: $0) }
        var weighted = 0.0, residualSquared = 0.0, speedSquared = 0.0
        for i in 0 ..< n {
            let r = residual[i]
            velocity[i] = r / taus[i]
            weighted += r * r / taus[i]
            residualSquared += r * r
            speedSquared += velocity[i] * velocity[i]
        }
        velocity.withUnsafeBufferPointer { v in
            product.withUnsafeMutableBufferPointer { evaluator.jacobianVectorProduct(at: x, v, into: $0) }
        }
        var quadratic = 0.0  // ẋᵀ τ J ẋ = rᵀ J ẋ
        for i in 0 ..< n { quadratic += residual[i] * product[i] }
        if globalBound == nil { updateLocalBound(x) }
        raw.append(Raw(
            t: t, energy: energy, weighted: minimumTau * weighted, residualNorm: residualSquared.squareRoot(),
            speed: speedSquared.squareRoot(), energyRate: energyRate, weightedRate: 2 * minimumTau * quadratic))
    }

    /// The trace with `α` (default: the largest admissible α, or 1 when `C = 0` or there is no constant `C`).
    func trace(alpha: Double?) -> LyapunovTrace {
        let bound = globalBound ?? localBound
        let alphaMax: Double
        if let couplingNorm {
            alphaMax = couplingNorm > 0 && bound > 0 ? 2 / (bound * couplingNorm * couplingNorm) : Double.infinity
        } else {
            alphaMax = .nan
        }
        let a = alpha ?? (alphaMax.isFinite ? alphaMax : 1)
        let samples = raw.map { s in
            LyapunovSample(
                t: s.t, energy: s.energy, lyapunov: s.energy + a / 2 * s.weighted, residualNorm: s.residualNorm,
                speed: s.speed, weightedResidual: s.weighted, energyRate: s.energyRate,
                lyapunovRate: s.energyRate + a / 2 * s.weightedRate)
        }
        return LyapunovTrace(
            alpha: a, alphaMax: alphaMax, hessianBound: bound, couplingNorm: couplingNorm ?? .nan, minimumTau: minimumTau,
            alphaIsGlobal: globalBound != nil, samples: samples)
    }

    /// Raises `localBound` to an upper bound of `max_A ‖H_A(x)‖₂`: the global bound where the Lagrangian has
    /// one, the largest diagonal entry of a separable Hessian, the Frobenius norm of a collective one.
    private func updateLocalBound(_ x: UnsafeBufferPointer<Double>) {
        for (a, layer) in network.layers.enumerated() {
            let range = network.range(ofLayer: a)
            let xa = UnsafeBufferPointer(rebasing: x[range])
            var norm = 0.0
            if let b = layer.lagrangian.hessianNormBound {
                norm = b
            } else if layer.lagrangian.isSeparable {
                hessianWork.withUnsafeMutableBufferPointer { w in
                    let d = UnsafeMutableBufferPointer(rebasing: w[0 ..< layer.size])
                    layer.lagrangian.hessianDiagonal(at: xa, into: d)
                    for v in d { norm = max(norm, abs(v)) }
                }
            } else {
                hessianWork.withUnsafeMutableBufferPointer { w in
                    let h = UnsafeMutableBufferPointer(rebasing: w[0 ..< layer.size * layer.size])
                    layer.lagrangian.hessian(at: xa, into: h)
                    var sum = 0.0
                    for v in h { sum += v * v }
                    norm = sum.squareRoot()
                }
            }
            if norm > localBound { localBound = norm }
        }
    }
}
