/// One point of a trajectory seen through the energy and the Lyapunov functions without flat regions.
public struct LyapunovSample: Sendable, Equatable {
    /// The time.
    public var t: Double
    /// The energy `E(x)`.
    public var energy: Double
    /// `V_α = E + (α/2) ρ` (see ``LyapunovTrace``).
    public var lyapunov: Double
    /// `‖r‖₂`, the Euclidean norm of the residual `r = τ ẋ`.
    public var residualNorm: Double
    /// `‖ẋ‖₂`, the speed.
    public var speed: Double
    /// The weighted squared residual `ρ = τ_min Σ_A ‖r_A‖² / τ_A` (`‖r‖²` with equal time constants).
    public var weightedResidual: Double
    /// The analytic `dE/dt = −Σ_A τ_A ẋ_Aᵀ H_A ẋ_A`.
    public var energyRate: Double
    /// The analytic `dV_α/dt = dE/dt + α τ_min ẋᵀ τ J ẋ`.
    public var lyapunovRate: Double

    public init(
        t: Double, energy: Double, lyapunov: Double, residualNorm: Double, speed: Double, weightedResidual: Double,
        energyRate: Double, lyapunovRate: Double
    ) {
        self.t = t
        self.energy = energy
        self.lyapunov = lyapunov
        self.residualNorm = residualNorm
        self.speed = speed
        self.weightedResidual = weightedResidual
        self.energyRate = energyRate
        self.lyapunovRate = lyapunovRate
    }
}
