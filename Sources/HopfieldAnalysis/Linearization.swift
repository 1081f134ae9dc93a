import Hopfield
import LinearAlgebra

/// The matrices of a network linearised at a state, and their spectra (MATH.md §1, §3).
///
///     H = diag(H_A) = ∇²L(x)              block-diagonal Lagrangian Hessian, ⪰ 0
///     C                                   symmetric block weight matrix
///     J = ∂ẋ/∂x = τ⁻¹(C H − I)            Jacobian of the vector field
///     ∇²E = H − H C H                     energy Hessian at a fixed point (r = 0)
///
/// At a fixed point `∇²E(x) = H − H C H` exactly (the general Hessian has an extra term `−(∂H/∂x)[r]`, which
/// vanishes with `r`). All matrices are dense `n × n` and row-major.
public struct Linearization: Sendable {
    /// The state.
    public var state: [Double]
    /// `H`, the block-diagonal Lagrangian Hessian.
    public var lagrangianHessian: Matrix
    /// `C`, the symmetric coupling matrix.
    public var coupling: Matrix
    /// `J = τ⁻¹(C H − I)`.
    public var jacobian: Matrix
    /// `∇²E = H − H C H`.
    public var energyHessian: Matrix
    /// `spec(H)`, ascending.
    public var lagrangianHessianEigenvalues: [Double]
    /// `spec(∇²E)`, ascending.
    public var energyHessianEigenvalues: [Double]
    /// `spec(J)`, by descending real part.
    public var jacobianEigenvalues: [ComplexNumber]

    /// Forms the matrices at `x` and computes their spectra (C functions `cblas_dgemm`, `LAPACKE_dsyevd`,
    /// `LAPACKE_dgeev`).
    ///
    /// - Parameters:
    ///   - network: the network.
    ///   - x: the flat state.
    /// - Throws: ``AnalysisError/invalidState(_:)`` for a bad state, ``AnalysisError/linearAlgebra(_:)`` when an
    ///   eigensolver fails.
    public init(network: Network, at x: [Double]) throws(AnalysisError) {
        try validateState(x, network: network)
        let evaluator = NetworkEvaluator(network: network)
        let n = network.dimension
        state = x
        do {
            lagrangianHessian = try Matrix(rows: n, columns: n, elements: evaluator.lagrangianHessian(at: x))
            coupling = try Matrix(rows: n, columns: n, elements: evaluator.couplingMatrix())
            jacobian = try Matrix(rows: n, columns: n, columnMajor: evaluator.jacobian(at: x))
            let hc = try lagrangianHessian.multiplied(by: coupling)
            energyHessian = try lagrangianHessian - (try hc.multiplied(by: lagrangianHessian))
            // Symmetrise away the rounding of the triple product before the symmetric eigensolver.
            energyHessian = 0.5 * (try energyHessian + energyHessian.transpose)
            lagrangianHessianEigenvalues = try lagrangianHessian.symmetricEigenvalues()
            energyHessianEigenvalues = try energyHessian.symmetricEigenvalues()
            jacobianEigenvalues = try jacobian.eigenvalues()
        } catch {
            throw .linearAlgebra("linearisation: \(error.description)")
        }
    }
}
