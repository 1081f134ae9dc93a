import Hopfield
import LinearAlgebra

/// The residual flow of a network: the same fixed points as the network's own flow, but `V = ‖r‖²`
/// decreases strictly along it (docs/math.md §3, construction (b)).
///
///     ẋ = (I − C H(x))⁻¹ τ⁻¹ r(x),   r = b − x + C g(x)
///     ṙ = (C H − I) ẋ = −τ⁻¹ r,      dV/dt = −2 rᵀ τ⁻¹ r
///
/// With equal time constants this is `τ ẋ = (I − C H)⁻¹ r`. It needs neither `H ⪰ 0` nor a symmetric `C`,
/// only that `I − C H(x)` is invertible along the trajectory; where it is singular the vector field throws
/// (CVODE then stops with a callback error).
///
/// Cost: every vector-field evaluation forms `A = I − C H = −τ J` from the dense Jacobian (`O(n²)` plus one
/// `cblas_dgemm` per collective layer) and solves `A ẋ = τ⁻¹ r` by dense LU in place (`LUFactorization`:
/// LAPACK `dgetrf` + `dgetrs`, `O(n³)`). Every buffer, the pivots included, is allocated once in `init`:
/// the vector field and the Jacobian allocate nothing per call. Not thread-safe: make one per trajectory.
public final class ResidualFlow {
    /// The network.
    public let network: Network
    /// The length of the flat state.
    public let dimension: Int
    let evaluator: NetworkEvaluator
    /// `τ_i` of every unit.
    let taus: [Double]
    /// The dense coupling matrix `C`, row-major.
    let coupling: [Double]
    /// `J(x)`, column-major.
    private var jacobianWork: [Double]
    /// `A = I − C H(x)`, column-major, overwritten by its LU factors.
    private var systemWork: [Double]
    private var residualWork: [Double]
    /// The pivots of the LU of `systemWork`.
    private let factorization: LUFactorization

    /// Prepares the flow's workspaces.
    ///
    /// - Parameters:
    ///   - network: a validated network.
    public init(network: Network) {
        self.network = network
        let n = network.dimension
        dimension = n
        evaluator = NetworkEvaluator(network: network)
        taus = network.timeConstants
        coupling = evaluator.couplingMatrix()
        jacobianWork = [Double](repeating: 0, count: n * n)
        systemWork = [Double](repeating: 0, count: n * n)
        residualWork = [Double](repeating: 0, count: n)
        factorization = LUFactorization(order: n)
    }

    /// The vector field of the residual flow.
    ///
    ///     ẋ = (I − C H(x))⁻¹ τ⁻¹ r(x)
    ///
    /// - Parameters:
    ///   - x: the flat state.
    ///   - xdot: receives `ẋ`.
    /// - Throws: `LinearAlgebraError.singular(pivot:)` where `I − C H(x)` is singular,
    ///   `LinearAlgebraError.nonFiniteInput(operation:)` where it holds NaN or infinities.
    public func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>
    ) throws(LinearAlgebraError) {
        let n = dimension
        guard n > 0, let out = xdot.baseAddress else { return }
        residualWork.withUnsafeMutableBufferPointer { evaluator.residual(x, into: $0) }
        for i in 0 ..< n { out[i] = residualWork[i] / taus[i] }
        try factorSystem(x)
        try systemWork.withUnsafeBufferPointer { (a) throws(LinearAlgebraError) in
            guard let a = a.baseAddress else { return }
            try factorization.solve(out, factors: a, leadingDimension: n)
        }
    }

    /// An approximate Jacobian of the residual flow, column-major, for CVODE's Newton iteration.
    ///
    ///     ∂ẋ/∂x ≈ (I − C H)⁻¹ J,   J = τ⁻¹(C H − I)
    ///
    /// The omitted term `(I − C H)⁻¹ C (∂H/∂x)[ẋ]` (third derivatives of the Lagrangians) vanishes at fixed
    /// points and is `O(‖ẋ‖)` elsewhere, so CVODE's Newton iteration stays convergent (a modified Newton).
    /// With equal time constants the approximation is `−I/τ`.
    ///
    /// - Parameters:
    ///   - x: the flat state.
    ///   - jacobian: receives the `n²` entries, column-major.
    /// - Throws: `LinearAlgebraError.singular(pivot:)` where `I − C H(x)` is singular,
    ///   `LinearAlgebraError.nonFiniteInput(operation:)` where it holds NaN or infinities.
    public func approximateJacobian(
        at x: UnsafeBufferPointer<Double>, into jacobian: UnsafeMutableBufferPointer<Double>
    ) throws(LinearAlgebraError) {
        let n = dimension
        guard n > 0, jacobian.count >= n * n, let out = jacobian.baseAddress else { return }
        try factorSystem(x)
        // The n right-hand sides are the columns of J, solved in place in the output buffer.
        jacobianWork.withUnsafeBufferPointer { j in
            for k in 0 ..< n * n { out[k] = j[k] }
        }
        try systemWork.withUnsafeBufferPointer { (a) throws(LinearAlgebraError) in
            guard let a = a.baseAddress else { return }
            try factorization.solve(out, rightHandSides: n, factors: a, leadingDimension: n)
        }
    }

    /// The Lyapunov function `V = ‖r‖²` and its rate along the residual flow.
    ///
    ///     V = Σ_i r_i²,   dV/dt = −2 Σ_i r_i² / τ_i
    ///
    /// - Parameters:
    ///   - x: the flat state.
    public func lyapunov(_ x: UnsafeBufferPointer<Double>) -> (value: Double, rate: Double) {
        residualWork.withUnsafeMutableBufferPointer { evaluator.residual(x, into: $0) }
        var value = 0.0
        var rate = 0.0
        for i in 0 ..< dimension {
            let r2 = residualWork[i] * residualWork[i]
            value += r2
            rate -= 2 * r2 / taus[i]
        }
        return (value, rate)
    }

    /// Forms `A = I − C H(x) = −τ J(x)` column-major in `systemWork` (leaving `J` in `jacobianWork`) and
    /// factors it in place.
    private func factorSystem(_ x: UnsafeBufferPointer<Double>) throws(LinearAlgebraError) {
        let n = dimension
        jacobianWork.withUnsafeMutableBufferPointer { evaluator.jacobian(at: x, into: $0) }
        try systemWork.withUnsafeMutableBufferPointer { (a) throws(LinearAlgebraError) in
            guard let a = a.baseAddress else { return }
            jacobianWork.withUnsafeBufferPointer { j in
                taus.withUnsafeBufferPointer { tau in
                    for col in 0 ..< n {
                        for row in 0 ..< n { a[row + col * n] = -tau[row] * j[row + col * n] }
                    }
                }
            }
            try factorization.factor(a, leadingDimension: n)
        }
    }
}

/// `V = ‖r‖²` of the residual flow for ``LyapunovMonitor`` (one state), with the energy `E` and its rate
/// along the same flow recorded alongside for comparison.
///
///     V = Σ_i r_i²,   dV/dt = −2 rᵀ τ⁻¹ r,   ∇V = 2 (C H − I)ᵀ r = 2 (H C r − r)
///     dE/dt = ∇E · ẋ = −(H r) · ẋ     (E is not a Lyapunov function of the residual flow and may increase)
///
/// It shares the integrator's ``ResidualFlow`` (no second copy of the weights).
final class ResidualLyapunov: LyapunovFunction {
    private let flow: ResidualFlow
    private var residual: [Double]
    private var work: [Double]
    private var product: [Double]
    /// `E` and its analytic rate along the residual flow, one sample per observation.
    private(set) var energySamples: [EnergySample] = []
    /// The time of the next observation (set by the caller before ``LyapunovMonitor/observe(t:states:)``).
    var time = 0.0

    init(flow: ResidualFlow) {
        self.flow = flow
        let n = flow.dimension
        residual = [Double](repeating: 0, count: n)
        work = [Double](repeating: 0, count: n)
        product = [Double](repeating: 0, count: n)
        energySamples.reserveCapacity(1024)
    }

    func evaluate(
        _ x: UnsafeBufferPointer<Double>, velocity: UnsafeMutableBufferPointer<Double>,
        values: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        let n = flow.dimension
        let (value, rate) = flow.lyapunov(x)
        values[0] = value
        rates[0] = rate
        // ∇V = 2 (H C r − r)
        residual.withUnsafeMutableBufferPointer { flow.evaluator.residual(x, into: $0) }
        flow.coupling.withUnsafeBufferPointer { c in
            residual.withUnsafeBufferPointer { r in
                work.withUnsafeMutableBufferPointer { w in
                    guard n > 0 else { return }
                    BLAS.gemv(rows: n, columns: n, c.baseAddress!, r.baseAddress!, w.baseAddress!)
                }
            }
        }
        hessianProduct(x, of: work)
        for i in 0 ..< n { gradients[i] = 2 * (product[i] - residual[i]) }
        // E and dE/dt = −(H r) · ẋ with the residual-flow velocity; NaN where I − C H is singular.
        hessianProduct(x, of: residual)
        let solved: Bool
        do throws(LinearAlgebraError) {
            try flow.vectorField(x, into: velocity)
            solved = true
        } catch {
            solved = false
        }
        var energyRate = Double.nan
        if solved {
            energyRate = 0
            for i in 0 ..< n { energyRate -= product[i] * velocity[i] }
        }
        energySamples.append(EnergySample(t: time, energy: flow.evaluator.energy(x), rate: energyRate))
    }

    /// `product = H(x) v`, layer by layer.
    private func hessianProduct(_ x: UnsafeBufferPointer<Double>, of v: [Double]) {
        let network = flow.network
        v.withUnsafeBufferPointer { v in
            product.withUnsafeMutableBufferPointer { p in
                for (a, layer) in network.layers.enumerated() {
                    let range = network.range(ofLayer: a)
                    layer.lagrangian.hessianVectorProduct(
                        at: UnsafeBufferPointer(rebasing: x[range]), UnsafeBufferPointer(rebasing: v[range]),
                        into: UnsafeMutableBufferPointer(rebasing: p[range]))
                }
            }
        }
    }
}
