/// The right-hand side of an ODE, written into a caller-owned buffer.
///
/// ```
/// ydot = f(t, y)
/// ```
///
/// The buffers alias SUNDIALS vector storage and are valid only during the call; do not keep them.
/// - Parameters:
///   - t: The time at which to evaluate.
///   - y: The state, `n` values.
///   - ydot: Receives `f(t, y)`, `n` values.
/// - Throws: Any error; integration stops and the solution's status becomes `.callbackError`.
public typealias VectorFieldFunction = (
    _ t: Double, _ y: UnsafeBufferPointer<Double>, _ ydot: UnsafeMutableBufferPointer<Double>
) throws -> Void

/// Dense Jacobian of a vector field, column-major `n × n`.
///
/// ```
/// jacobian[i + j*n] = ∂f_i/∂y_j
/// ```
///
/// This is the layout of CVODE's dense `SUNMatrix`, whose data is passed directly. CVODE zeroes the
/// matrix before the call; write every nonzero entry.
/// - Parameters:
///   - t: The time.
///   - y: The state, `n` values.
///   - jacobian: Receives the `n*n` entries, column-major.
/// - Throws: Any error; integration stops with `.callbackError`.
public typealias DenseJacobianFunction = (
    _ t: Double, _ y: UnsafeBufferPointer<Double>, _ jacobian: UnsafeMutableBufferPointer<Double>
) throws -> Void

/// Product of the vector field's Jacobian with a vector, without forming the matrix.
///
/// ```
/// jv = (∂f/∂y)(t, y) · v
/// ```
///
/// - Parameters:
///   - t: The time.
///   - y: The state, `n` values.
///   - v: The vector to multiply, `n` values.
///   - jv: Receives `J v`, `n` values.
/// - Throws: Any error; integration stops with `.callbackError`.
public typealias JacobianVectorProductFunction = (
    _ t: Double, _ y: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
    _ jv: UnsafeMutableBufferPointer<Double>
) throws -> Void
