import Hopfield
import LinearAlgebra

/// The matrices of a network linearised at a state, and their spectra (docs/math.md §1, §3).
///
///     H = diag(H_A) = ∇²L(x)              block-diagonal Lagrangian Hessian, ⪰ 0
///     C                                   symmetric block weight matrix
///     J = ∂ẋ/∂x = τ⁻¹(C H − I)            Jacobian of the vector field
///     ∇²E = H − H C H                     energy Hessian at a fixed point (r = 0)
///
/// At a fixed point `∇²E(x) = H − H C H` exactly (the general Hessian has an extra term `−(∂H/∂x)[r]`, which
/// vanishes with `r`). All matrices are dense `n × n` and row-major.
///
/// A network with Euclidean or Manhattan synapses (`Network/isBilinear` false) has no constant `C`: its
/// `∂r/∂x = τ J` holds the state-dependent similarity terms, ``coupling`` holds the dense and `dot` synapses
/// only, and the energy Hessian comes from the full Jacobian (the same formula when `C` is constant),
///
///     ∇²E = −H (τ J)   symmetrised, at a fixed point (∂E/∂x = −H r)
///
/// — exact away from Manhattan kinks (see ``JacobianStability``).
public struct Linearization: Sendable {
    /// The state.
    public var state: [Double]
    /// `H`, the block-diagonal Lagrangian Hessian.
    public var lagrangianHessian: Matrix
    /// `C`, the symmetric coupling matrix (dense and `dot` synapses only when the network is not bilinear).
    public var coupling: Matrix
    /// `J = τ⁻¹(C H − I)`.
    public var jacobian: Matrix
    /// `∇²E = H − H C H` (`−H τ J`, symmetrised, when the network is not bilinear).
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
            let h = try Matrix(rows: n, columns: n, elements: evaluator.lagrangianHessian(at: x))
            let c = try Matrix(rows: n, columns: n, elements: evaluator.couplingMatrix())
            let j = try Matrix(rows: n, columns: n, columnMajor: evaluator.jacobian(at: x))
            lagrangianHessian = h
            coupling = c
            jacobian = j
            if network.isBilinear {
                energyHessian = try h - (try (try h.multiplied(by: c)).multiplied(by: h))
            } else {
                let taus = network.timeConstants
                let tauJ = Matrix(rows: n, columns: n) { row, column in taus[row] * j[row, column] }
                energyHessian = -1 * (try h.multiplied(by: tauJ))
            }
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
