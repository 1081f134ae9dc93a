/// A residual `F(x)` written into a caller-owned buffer; the buffers are valid only during the call.
public typealias NonlinearResidualFunction = (
    _ x: UnsafeBufferPointer<Double>, _ f: UnsafeMutableBufferPointer<Double>
) throws -> Void

/// The dense Jacobian of a residual, column-major `n × n`: `jacobian[i + j*n] = ∂F_i/∂x_j`.
/// KINSOL zeroes the matrix before the call; write every nonzero entry.
public typealias NonlinearJacobianFunction = (
    _ x: UnsafeBufferPointer<Double>, _ jacobian: UnsafeMutableBufferPointer<Double>
) throws -> Void

/// A square nonlinear system for KINSOL's Newton method:
///
/// ```
/// find x ∈ ℝⁿ with F(x) = 0, starting from x₀ = initialGuess
/// ```
public struct NonlinearProblem {
    /// The starting point `x₀`, `n ≥ 1` finite values.
    public var initialGuess: [Double]
    /// The residual `F(x)`, `n` values. A thrown error stops the solve with `.callbackError`.
    public var residual: (_ x: UnsafeBufferPointer<Double>, _ f: UnsafeMutableBufferPointer<Double>) throws -> Void
    /// The dense Jacobian `∂F/∂x`, column-major; `nil` = KINSOL's difference quotients.
    public var jacobian: ((_ x: UnsafeBufferPointer<Double>, _ jacobian: UnsafeMutableBufferPointer<Double>) throws -> Void)?

    /// Creates a nonlinear system.
    /// - Parameters:
    ///   - initialGuess: `x₀`.
    ///   - residual: `F(x)`, written into `f`.
    ///   - jacobian: Optional `∂F/∂x`, column-major.
    public init(
        initialGuess: [Double],
        residual: @escaping NonlinearResidualFunction,
        jacobian: NonlinearJacobianFunction? = nil
    ) {
        self.initialGuess = initialGuess
        self.residual = residual
        self.jacobian = jacobian
    }
}
