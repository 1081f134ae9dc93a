import LinearAlgebra

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates this process's part of a ``SplitMemoryNetwork`` (docs/math.md §1.1, §9): a
/// ``ModelEvaluator`` of one state whose `dimension` is ``SplitMemoryNetwork/localDimension``.
///
/// Every method is collective: all processes call it together on their parts of the same state. Per
/// evaluation (`W_r` this process's rows, `h_r` its memory units, `x_F` the feature state on process 0):
///
/// | step | communication |
/// |---|---|
/// | `x_F` from process 0 to all (every process then computes `g_F = ∇L_F(x_F)` itself) | broadcast of `N` |
/// | softmax only: `m = max_r max_μ β h_μ` | MAX of 1 |
/// | `[Σ_r W_rᵀ e_r, Σ_r Σ_μ e_μ, …]` with `e = g_M` (elementwise) or `e = exp(β h − m)` (softmax, normalised after the sum) | SUM of `N + 1` (`+ 4` with the energy and its rate) |
///
/// Broadcasting the feature state rather than its activation costs the same and leaves every process
/// with the feature layer's velocity, energy and rate, so the energy and `dE/dt` come out the same on
/// every process. A Jacobian–vector product broadcasts `H_F v_F` (`N`), and with a softmax needs `m`
/// (MAX of 1) and `[S, e·v]` (SUM of 2) before the SUM of `N`; an elementwise Lagrangian only the SUM.
///
/// Capacity 1: a batch is integrated one state after another. There is no dense Jacobian of a split
/// state (integrate with GMRES).
public final class SplitMemoryEvaluator: ModelEvaluator {
    private let network: SplitMemoryNetwork
    private let reduction: (any PartialReduction)?
    private let featureLagrangian: Lagrangian
    private let memoryLagrangian: Lagrangian
    /// β of a softmax memory layer, nil for an elementwise one.
    private let softmaxBeta: Double?
    private let n: Int
    private let k: Int
    /// Where the memory block starts in this process's part (`N` on process 0, else 0).
    private let memoryStart: Int
    private let ownsFeatures: Bool
    private let tauF: Double
    private let tauM: Double

    private let featureBias: UnsafeMutableBufferPointer<Double>
    private let memoryBias: UnsafeMutableBufferPointer<Double>
    private let featureClamped: [Int]
    private let memoryClamped: [Int]
    private let memoryFree: UnsafeMutableBufferPointer<Double>  // 1 free, 0 clamped
    private let featureFree: UnsafeMutableBufferPointer<Double>

    // Workspaces.
    private let xF: UnsafeMutableBufferPointer<Double>
    private let gF: UnsafeMutableBufferPointer<Double>
    private let velocityF: UnsafeMutableBufferPointer<Double>
    private let productF: UnsafeMutableBufferPointer<Double>
    private let input: UnsafeMutableBufferPointer<Double>     // W_r g_F
    private let activation: UnsafeMutableBufferPointer<Double>
    private let velocityM: UnsafeMutableBufferPointer<Double>
    private let productM: UnsafeMutableBufferPointer<Double>
    private let sums: UnsafeMutableBufferPointer<Double>      // N + 8
    private let scalar: UnsafeMutableBufferPointer<Double>    // 2
    private let scratchVelocity: UnsafeMutableBufferPointer<Double>
    private let scratchGradient: UnsafeMutableBufferPointer<Double>
    private let scratchRate: UnsafeMutableBufferPointer<Double>

    public var dimension: Int { network.localDimension }
    public var capacity: Int { 1 }

    /// The evaluator of `network`'s part on this process.
    public init(network: SplitMemoryNetwork) {
        self.network = network
        reduction = network.reduction
        featureLagrangian = network.features.lagrangian
        memoryLagrangian = network.memories.lagrangian
        if case .softmax(let beta) = network.memories.lagrangian { softmaxBeta = beta } else { softmaxBeta = nil }
        n = network.featureCount
        k = network.localMemoryCount
        ownsFeatures = network.ownsFeatures
        memoryStart = network.ownsFeatures ? network.featureCount : 0
        tauF = network.features.tau
        tauM = network.memories.tau
        let zeroed = EvaluatorStorage.zeroed
        featureBias = zeroed(n)
        for i in 0 ..< n { featureBias[i] = network.features.bias(at: i) }
        memoryBias = zeroed(k)
        for i in 0 ..< k { memoryBias[i] = network.memories.bias(at: i) }
        featureClamped = (0 ..< n).filter(network.features.isClamped)
        memoryClamped = (0 ..< k).filter(network.memories.isClamped)
        memoryFree = zeroed(k)
        for i in 0 ..< k { memoryFree[i] = network.memories.isClamped(i) ? 0 : 1 }
        featureFree = zeroed(n)
        for i in 0 ..< n { featureFree[i] = network.features.isClamped(i) ? 0 : 1 }
        xF = zeroed(n)
        gF = zeroed(n)
        velocityF = zeroed(n)
        productF = zeroed(n)
        input = zeroed(k)
        activation = zeroed(k)
        velocityM = zeroed(k)
        productM = zeroed(k)
        sums = zeroed(n + 8)
        scalar = zeroed(2)
        scratchVelocity = zeroed(network.localDimension)
        scratchGradient = zeroed(network.localDimension)
        scratchRate = zeroed(1)
    }

    deinit {
        for b in [featureBias, memoryBias, memoryFree, featureFree, xF, gF, velocityF, productF, input, activation, velocityM,
                  productM, sums, scalar, scratchVelocity, scratchGradient, scratchRate] {
            b.baseAddress?.deallocate()
        }
    }

    // MARK: ModelEvaluator

    public func vectorField(_ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>) {
        evaluate(x, into: xdot, monitored: nil)
    }

    public func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>,
        energies: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        evaluate(x, into: xdot, monitored: (energies, rates, gradients))
    }

    public func energies(_ x: UnsafeBufferPointer<Double>, into energies: UnsafeMutableBufferPointer<Double>) {
        evaluate(x, into: scratchVelocity, monitored: (energies, scratchRate, scratchGradient))
    }

    /// `J v` on this process's part:
    ///
    ///     (J v)_F = τ_F⁻¹ (−v_F + Σ_r W_rᵀ (H_M v_M)_r),    (J v)_{M,r} = τ_M⁻¹ (−v_{M,r} + W_r H_F v_F)
    ///
    /// with zero rows at clamped units.
    public func jacobianVectorProduct(
        at x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
        into jv: UnsafeMutableBufferPointer<Double>
    ) {
        checkLength(x.count)
        checkLength(v.count)
        checkLength(jv.count)
        // H_F v_F on process 0, sent to all.
        if ownsFeatures {
            featureLagrangian.hessianVectorProduct(
                at: UnsafeBufferPointer(rebasing: x[0 ..< n]), UnsafeBufferPointer(rebasing: v[0 ..< n]), into: productF)
        }
        reduction?.broadcast(productF, from: 0)
        let h = UnsafeBufferPointer(rebasing: x[memoryStart ..< memoryStart + k])
        let vM = UnsafeBufferPointer(rebasing: v[memoryStart ..< memoryStart + k])
        weights { w in BLAS.gemv(rows: k, columns: n, w, productF.baseAddress!, input.baseAddress!) }
        for i in 0 ..< k { jv[memoryStart + i] = (input[i] - vM[i]) / tauM }
        for i in memoryClamped { jv[memoryStart + i] = 0 }
        // H_M v_M.
        if let beta = softmaxBeta {
            let m = softmaxMaximum(h, beta: beta)
            var s = 0.0, ev = 0.0
            for i in 0 ..< k {
                let e = exp(beta * h[i] - m)
                activation[i] = e
                s += e
                ev += e * vM[i]
            }
            scalar[0] = s
            scalar[1] = ev
            reduction?.sum(scalar)
            let c = scalar[1] / scalar[0]
            let scale = beta / scalar[0]
            for i in 0 ..< k { productM[i] = scale * activation[i] * (vM[i] - c) }
        } else {
            memoryLagrangian.hessianVectorProduct(at: h, vM, into: productM)
        }
        let t = UnsafeMutableBufferPointer(rebasing: sums[0 ..< n])
        weights { w in BLAS.gemv(transpose: true, rows: k, columns: n, w, productM.baseAddress!, t.baseAddress!) }
        reduction?.sum(t)
        if ownsFeatures {
            for i in 0 ..< n { jv[i] = (t[i] - v[i]) / tauF }
            for i in featureClamped { jv[i] = 0 }
        }
    }

    /// Not available: a split state has no dense Jacobian here (integrate with GMRES and
    /// ``jacobianVectorProduct(at:_:into:)``). The split solve refuses dense linear solvers before any
    /// evaluation, so this is never reached.
    public func jacobian(at x: UnsafeBufferPointer<Double>, into jacobian: UnsafeMutableBufferPointer<Double>) {
        preconditionFailure("SplitMemoryEvaluator: a memory layer split over processes has no dense Jacobian; use GMRES")
    }

    // MARK: The evaluation

    private typealias Monitored = (
        energies: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    )

    /// `ẋ` of this process's part and, when `monitored`, `E`, `dE/dt` (the same on every process) and
    /// `∂E/∂x` of this part (zero at clamped units).
    private func evaluate(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>, monitored: Monitored?
    ) {
        checkLength(x.count)
        checkLength(xdot.count)
        // The feature state from process 0; every process computes g_F.
        if ownsFeatures { _ = xF.update(fromContentsOf: x[0 ..< n]) }
        reduction?.broadcast(xF, from: 0)
        let lagrangianF: Double
        if monitored != nil {
            lagrangianF = featureLagrangian.valueAndActivation(UnsafeBufferPointer(xF), into: gF)
        } else {
            featureLagrangian.activation(UnsafeBufferPointer(xF), into: gF)
            lagrangianF = 0
        }
        // The memory block: input W_r g_F, velocity, activation.
        let h = UnsafeBufferPointer(rebasing: x[memoryStart ..< memoryStart + k])
        weights { w in BLAS.gemv(rows: k, columns: n, w, gF.baseAddress!, input.baseAddress!) }
        for i in 0 ..< k { velocityM[i] = (memoryBias[i] - h[i] + input[i]) / tauM }
        var lagrangianM = 0.0
        var maximum = 0.0
        if let beta = softmaxBeta {
            maximum = softmaxMaximum(h, beta: beta)
            for i in 0 ..< k { activation[i] = exp(beta * h[i] - maximum) }
        } else if monitored != nil {
            lagrangianM = memoryLagrangian.valueAndActivation(h, into: activation)
        } else {
            memoryLagrangian.activation(h, into: activation)
        }
        // One SUM: the feature input, the normalisation, the partial energy and rate.
        var count = n + 1
        sums[n] = 0
        weights { w in BLAS.gemv(transpose: true, rows: k, columns: n, w, activation.baseAddress!, sums.baseAddress!) }
        if softmaxBeta != nil { for i in 0 ..< k { sums[n] += activation[i] } }
        if let monitored {
            var energy = 0.0
            for i in 0 ..< k { energy += (h[i] - memoryBias[i] - input[i]) * activation[i] }
            sums[n + 1] = energy - lagrangianM
            let gradientM = UnsafeMutableBufferPointer(rebasing: monitored.gradients[memoryStart ..< memoryStart + k])
            if softmaxBeta != nil {
                var a = 0.0, bFree = 0.0, c = 0.0
                for i in 0 ..< k {
                    let ev = activation[i] * velocityM[i]
                    c += ev
                    bFree += memoryFree[i] * ev
                    a += memoryFree[i] * ev * velocityM[i]
                }
                sums[n + 2] = a
                sums[n + 3] = bFree
                sums[n + 4] = c
                count = n + 5
            } else {
                memoryLagrangian.hessianVectorProduct(at: h, UnsafeBufferPointer(velocityM), into: gradientM)
                var rate = 0.0
                for i in 0 ..< k {
                    gradientM[i] *= -tauM
                    rate += memoryFree[i] * gradientM[i] * velocityM[i]
                }
                sums[n + 2] = rate
                count = n + 3
            }
        }
        reduction?.sum(UnsafeMutableBufferPointer(rebasing: sums[0 ..< count]))
        let normalisation = softmaxBeta == nil ? 1 : sums[n]
        // Feature velocity (every process), then this part's output.
        for i in 0 ..< n { velocityF[i] = (featureBias[i] - xF[i] + sums[i] / normalisation) / tauF }
        if ownsFeatures {
            for i in 0 ..< n { xdot[i] = velocityF[i] }
            for i in featureClamped { xdot[i] = 0 }
        }
        for i in 0 ..< k { xdot[memoryStart + i] = velocityM[i] }
        for i in memoryClamped { xdot[memoryStart + i] = 0 }
        guard let monitored else { return }

        // E and dE/dt, the same on every process; ∂E/∂x = −τ H ẋ (unclamped ẋ) on this part.
        var energy = -lagrangianF
        for i in 0 ..< n { energy += (xF[i] - featureBias[i]) * gF[i] }
        featureLagrangian.hessianVectorProduct(at: UnsafeBufferPointer(xF), UnsafeBufferPointer(velocityF), into: productF)
        var rate = 0.0
        for i in 0 ..< n {
            productF[i] *= -tauF
            rate += featureFree[i] * productF[i] * velocityF[i]
        }
        let gradientM = UnsafeMutableBufferPointer(rebasing: monitored.gradients[memoryStart ..< memoryStart + k])
        if let beta = softmaxBeta {
            let s = sums[n]
            energy += sums[n + 1] / s - (maximum + log(s)) / beta
            let c = sums[n + 4] / s
            rate -= tauM * beta * (sums[n + 2] - c * sums[n + 3]) / s
            let scale = -tauM * beta / s
            for i in 0 ..< k { gradientM[i] = scale * activation[i] * (velocityM[i] - c) }
        } else {
            energy += sums[n + 1]
            rate += sums[n + 2]
        }
        monitored.energies[0] = energy
        monitored.rates[0] = rate
        if ownsFeatures {
            for i in 0 ..< n { monitored.gradients[i] = productF[i] }
            for i in featureClamped { monitored.gradients[i] = 0 }
        }
        for i in memoryClamped { gradientM[i] = 0 }
    }

    /// `m = max over every process of β h_μ` (one MAX of one number).
    private func softmaxMaximum(_ h: UnsafeBufferPointer<Double>, beta: Double) -> Double {
        var m = -Double.infinity
        for i in 0 ..< k { m = max(m, beta * h[i]) }
        scalar[0] = m
        reduction?.maximum(UnsafeMutableBufferPointer(rebasing: scalar[0 ..< 1]))
        return scalar[0]
    }

    @inline(__always)
    private func weights(_ body: (UnsafePointer<Double>) -> Void) {
        network.weights.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    @inline(__always)
    private func checkLength(_ count: Int) {
        precondition(count == network.localDimension,
                     "SplitMemoryEvaluator: \(count) entries, this process's part has \(network.localDimension) (one state)")
    }
}
