import Sundials

/// A fixed point `r(x*) = 0` of a network (docs/math.md §3), with how it was reached.
public struct FixedPoint: Sendable {
    /// Whether the residual tolerance was met.
    public var status: FixedPointStatus
    /// The fixed point (the last Newton iterate when not converged).
    public var state: [Double]
    /// The scaled residual `‖r(x*)‖_∞ / max(1, ‖x*‖_∞)`, `r = τ ẋ = b − x + C g(x)`.
    public var residual: Double
    /// The energy `E(x*)`.
    public var energy: Double
    /// The state the search started from.
    public var initialState: [Double]
    /// The state the integration reached (nil when the search did not integrate).
    public var integratedState: [Double]?
    /// CVODE's status (nil when the search did not integrate).
    public var integrationStatus: SolverStatus?
    /// Where the integration stopped.
    public var integrationTime: Double?
    /// KINSOL's status.
    public var newtonStatus: NewtonStatus?
    /// KINSOL's Newton iterations.
    public var newtonIterations: Int
    /// `E`, `V_α` and `‖r‖` along the integration (nil when not integrated or not recorded).
    public var trajectory: LyapunovTrace?

    public init(
        status: FixedPointStatus, state: [Double], residual: Double, energy: Double, initialState: [Double],
        integratedState: [Double]? = nil, integrationStatus: SolverStatus? = nil, integrationTime: Double? = nil,
        newtonStatus: NewtonStatus? = nil, newtonIterations: Int = 0, trajectory: LyapunovTrace? = nil
    ) {
        self.status = status
        self.state = state
        self.residual = residual
        self.energy = energy
        self.initialState = initialState
        self.integratedState = integratedState
        self.integrationStatus = integrationStatus
        self.integrationTime = integrationTime
        self.newtonStatus = newtonStatus
        self.newtonIterations = newtonIterations
        self.trajectory = trajectory
    }
}
