/// An initial-value problem `y' = f(t, y)`, `y(startTime) = initialState`, on `[startTime, endTime]`.
///
/// ```
/// dy/dt = f(t, y),   y(t₀) = y₀,   t ∈ [t₀, t₁]
/// ```
///
/// The problem is plain data plus closures; the closures may capture non-`Sendable` state
/// (workspaces), so the problem is not `Sendable`.
public struct ODEProblem {
    /// The state at `startTime`, `n ≥ 1` finite values.
    public var initialState: [Double]
    /// The initial time `t₀`.
    public var startTime: Double
    /// The final time `t₁ > t₀`; integration never steps past it (`CVodeSetStopTime`).
    public var endTime: Double
    /// The right-hand side `f(t, y)`.
    public var vectorField: VectorFieldFunction
    /// The dense Jacobian `∂f/∂y`, required by ``LinearSolverKind/dense``, ignored otherwise.
    public var jacobian: DenseJacobianFunction?
    /// The Jacobian–vector product `(∂f/∂y) v`, used by ``LinearSolverKind/gmres(maxKrylov:)``
    /// (CVODE's difference quotient when `nil`), ignored by the dense solvers.
    public var jacobianVectorProduct: JacobianVectorProductFunction?

    /// Creates an initial-value problem.
    /// - Parameters:
    ///   - initialState: `y(t₀)`, at least one finite value.
    ///   - startTime: `t₀`, default 0.
    ///   - endTime: `t₁`, must exceed `t₀`.
    ///   - vectorField: `f(t, y)`, written into `ydot`.
    ///   - jacobian: Optional dense Jacobian, column-major.
    ///   - jacobianVectorProduct: Optional Jacobian–vector product.
    public init(
        initialState: [Double], startTime: Double = 0, endTime: Double,
        vectorField: @escaping VectorFieldFunction,
        jacobian: DenseJacobianFunction? = nil,
        jacobianVectorProduct: JacobianVectorProductFunction? = nil
    ) {
        self.initialState = initialState
        self.startTime = startTime
        self.endTime = endTime
        self.vectorField = vectorField
        self.jacobian = jacobian
        self.jacobianVectorProduct = jacobianVectorProduct
    }

    /// The number of state components `n`.
    public var dimension: Int { initialState.count }
}
