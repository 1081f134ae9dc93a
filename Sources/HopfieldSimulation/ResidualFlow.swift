import Hopfield
import LinearAlgebra

/// The residual flow of a network: the same fixed points as the network's own flow, but `V = ‖r‖²`
/// decreases strictly along it (MATH.md §3, construction (b)).
///
///     ẋ = (I − C H(x))⁻¹ τ⁻¹ r(x),   r = b − x + C g(x)
///     ṙ = (C H − I) ẋ = −τ⁻¹ r,      dV/dt = −2 rᵀ τ⁻¹ r
///
/// With equal time constants this is `τ ẋ = (I − C H)⁻¹ r`. It needs neither `H ⪰ 0` nor a symmetric `C`,
/// only that `I − C H(x)` is invertible along the trajectory; where it is singular the vector field throws
/// (CVODE then stops with a callback error).
///
/// Cost: every vector-field evaluation forms `A = I − C H = −τ J` from the dense Jacobian (`O(n²)` plus one
/// `cblas_dgemm` per collective layer) and solves `A ẋ = τ⁻¹ r` by dense LU (`LAPACKE_dgesv`, `O(n³)`).
/// The LU works on a copy that LinearAlgebra allocates (`O(n²)`, negligible against the factorisation);
/// everything else uses workspaces allocated once. Not thread-safe: make one per trajectory.
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
    private var jacobianWork: [Double]
    private var systemWork: [Double]
    private var residualWork: [Double]
    private var rightHandSide: [Double]

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
        rightHandSide = [Double](repeating: 0, count: n)
    }

    /// The vector field of the residual flow.
    ///
    ///     ẋ = (I − C H(x))⁻¹ τ⁻¹ r(x)
    ///
    /// - Parameters:
    ///   - x: the flat state.
    ///   - xdot: receives `ẋ`.
    /// - Throws: ``LinearAlgebraError/singular(pivot:)`` where `I − C H(x)` is singular.
    public func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>
    ) throws(LinearAlgebraError) {
        let n = dimension
        residualWork.withUnsafeMutableBufferPointer { evaluator.residual(x, into: $0) }
        for i in 0 ..< n { rightHandSide[i] = residualWork[i] / taus[i] }
        let system = try formSystem(x)
        let solution = try system.solve(rightHandSide)
        for i in 0 ..< n { xdot[i] = solution[i] }
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
    /// - Throws: ``LinearAlgebraError/singular(pivot:)`` where `I − C H(x)` is singular.
    public func approximateJacobian(
        at x: UnsafeBufferPointer<Double>, into jacobian: UnsafeMutableBufferPointer<Double>
    ) throws(LinearAlgebraError) {
        let n = dimension
        let system = try formSystem(x)
        // J row-major from the column-major work buffer: J[i, j] = A[i, j] / (−τ_i).
        let j = try Matrix(rows: n, columns: n, columnMajor: jacobianWork)
        let product = try system.solve(j)
        for col in 0 ..< n {
            for row in 0 ..< n { jacobian[row + col * n] = product[row, col] }
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

    /// `A = I − C H(x) = −τ J(x)` as a row-major matrix; leaves `J` (column-major) in `jacobianWork`.
    private func formSystem(_ x: UnsafeBufferPointer<Double>) throws(LinearAlgebraError) -> Matrix {
        let n = dimension
        jacobianWork.withUnsafeMutableBufferPointer { evaluator.jacobian(at: x, into: $0) }
        for i in 0 ..< n {
            let scale = -taus[i]
            for j in 0 ..< n { systemWork[i * n + j] = scale * jacobianWork[i + j * n] }
        }
        return try Matrix(rows: n, columns: n, elements: systemWork)
    }
}
