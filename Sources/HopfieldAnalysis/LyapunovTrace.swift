/// The energy `E`, the Lyapunov function `V_α` and `‖r‖` along a trajectory of the network's own flow
/// (docs/math.md §3, construction (a)).
///
///     V_α = E + (α/2) ρ,   ρ = τ_min Σ_A ‖r_A‖² / τ_A   (= E + (α/2)‖r‖² with equal τ)
///     dV_α/dt = dE/dt + α τ_min ẋᵀ τ J ẋ ≤ −(α τ_min / 2) ‖ẋ‖²   for 0 < α ≤ α_max = 2 / (h_max ‖C‖₂²)
///
/// `h_max` bounds `‖H_A(x)‖₂` over every layer: the Lagrangians' global bounds
/// (`Lagrangian.hessianNormBound`) when every layer has one, otherwise the largest bound seen along this
/// trajectory (then α is admissible along the trajectory only, ``alphaIsGlobal`` is false).
///
/// A **plateau step** is an internal step `k → k+1` across which E is flat to rounding,
/// `|E_{k+1} − E_k| ≤ 1e-10 · max(1, |E_k|)`, while the state still moves, `‖r_k‖ > 1e-8 · max(1, ‖r_0‖)`.
public struct LyapunovTrace: Sendable {
    /// The α used for ``LyapunovSample/lyapunov``.
    public var alpha: Double
    /// The largest admissible α, `2 / (h_max ‖C‖₂²)` (infinite when `C = 0`; NaN when the network has no
    /// constant `C` — a Euclidean or Manhattan synapse — and the bound does not apply).
    public var alphaMax: Double
    /// `h_max`, the bound of the Lagrangian Hessians used for ``alphaMax``.
    public var hessianBound: Double
    /// `‖C‖₂`, the spectral norm of the coupling matrix (NaN when there is no constant `C`).
    public var couplingNorm: Double
    /// `τ_min`, the smallest time constant.
    public var minimumTau: Double
    /// Whether ``alphaMax`` holds for every state (true) or only along this trajectory (false).
    public var alphaIsGlobal: Bool
    /// The samples: the initial state and every internal step.
    public var samples: [LyapunovSample]

    public init(
        alpha: Double, alphaMax: Double, hessianBound: Double, couplingNorm: Double, minimumTau: Double, alphaIsGlobal: Bool,
        samples: [LyapunovSample]
    ) {
        self.alpha = alpha
        self.alphaMax = alphaMax
        self.hessianBound = hessianBound
        self.couplingNorm = couplingNorm
        self.minimumTau = minimumTau
        self.alphaIsGlobal = alphaIsGlobal
        self.samples = samples
    }

    /// The number of internal steps recorded.
    public var steps: Int { max(0, samples.count - 1) }

    /// Indices `k` of the plateau steps `k → k+1` (see the type's description).
    public var plateauSteps: [Int] {
        guard let first = samples.first else { return [] }
        let floor = 1e-8 * max(1, first.residualNorm)
        return (0 ..< steps).filter { k in
            let a = samples[k], b = samples[k + 1]
            return abs(b.energy - a.energy) <= 1e-10 * max(1, abs(a.energy)) && a.residualNorm > floor
        }
    }

    /// How many plateau steps have `V_α` and `‖r‖` both strictly decreasing.
    public var plateauStepsStrictlyDecreasing: Int {
        plateauSteps.filter { k in
            samples[k + 1].lyapunov < samples[k].lyapunov && samples[k + 1].residualNorm < samples[k].residualNorm
        }.count
    }

    /// The largest increase `V_{k+1} − V_k` between consecutive steps (0 when V never increased).
    public var maxLyapunovIncrease: Double {
        (0 ..< steps).reduce(0) { max($0, samples[$1 + 1].lyapunov - samples[$1].lyapunov) }
    }

    /// The largest increase `E_{k+1} − E_k` between consecutive steps (0 when E never increased).
    public var maxEnergyIncrease: Double {
        (0 ..< steps).reduce(0) { max($0, samples[$1 + 1].energy - samples[$1].energy) }
    }

    /// The largest analytic `dV_α/dt` over the samples that are not at a fixed point (`‖r‖ > 0`).
    public var maxLyapunovRate: Double {
        samples.filter { $0.residualNorm > 0 }.map(\.lyapunovRate).max() ?? 0
    }

    /// The number of samples that violate `dV_α/dt ≤ −(α τ_min / 2) ‖ẋ‖²` by more than rounding
    /// (`1e-9 · max(1, |dE/dt|, |dV/dt|)`). Zero whenever α ≤ α_max.
    public var rateBoundViolations: Int {
        samples.filter { s in
            let bound = -(alpha * minimumTau / 2) * s.speed * s.speed
            let rounding = 1e-9 * max(1, abs(s.energyRate), abs(s.lyapunovRate))
            return !(s.lyapunovRate <= bound + rounding)
        }.count
    }
}
