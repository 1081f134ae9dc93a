/// Everything known about one steady state: the fixed point, its linearisation, its flat directions,
/// claims (i)–(iii) of docs/math.md §3 and the Lyapunov trace along the way there.
///
/// When no fixed point was found only ``fixedPoint`` is set. When the network is not bilinear (a Euclidean or
/// Manhattan synapse: no constant coupling matrix `C`) the claims of docs/math.md §3 do not apply:
/// ``lagrangianClaimsNotApplicable`` says why, and ``flatDirections``, ``recovery``, ``stability`` and
/// ``basin`` stay nil; ``jacobianStability`` judges the fixed point from `J` and `∇²E` alone.
public struct SteadyStateReport: Sendable {
    /// The fixed point and how it was reached.
    public var fixedPoint: FixedPoint
    /// `H`, `C`, `J`, `∇²E` and their spectra at `x*`.
    public var linearization: Linearization?
    /// Dead units, collective directions, `dim ker H`.
    public var flatDirections: FlatDirections?
    /// Claim (i): `x* = b + C g*`.
    public var recovery: FixedPointRecovery?
    /// Claim (ii): stability in the range of `H`.
    public var stability: RangeStability?
    /// Claim (iii): the flat region is in the basin (nil when not run: unstable, or skipped).
    public var basin: BasinCheck?
    /// Stability from the full Jacobian and the energy Hessian (every network).
    public var jacobianStability: JacobianStability?
    /// Why the claims of docs/math.md §3 (dead units and flat region, recovery, range stability, basin) do not
    /// apply to this network; nil when they do (every synapse is dense or `dot`).
    public var lagrangianClaimsNotApplicable: String?

    public init(
        fixedPoint: FixedPoint, linearization: Linearization? = nil, flatDirections: FlatDirections? = nil,
        recovery: FixedPointRecovery? = nil, stability: RangeStability? = nil, basin: BasinCheck? = nil
    ) {
        self.fixedPoint = fixedPoint
        self.linearization = linearization
        self.flatDirections = flatDirections
        self.recovery = recovery
        self.stability = stability
        self.basin = basin
    }

    /// Whether a fixed point was found.
    public var isConverged: Bool { fixedPoint.status.isConverged }
}
