import Hopfield

/// One recorded point of the energy trace: the energy and its analytic time derivative at an internal step.
public struct EnergySample: Sendable, Equatable {
    /// The time of the internal step.
    public var t: Double
    /// The energy `E(x(t))`.
    public var energy: Double
    /// The analytic `dE/dt = −Σ_A τ_A ẋ_Aᵀ H_A ẋ_A` (≤ 0 up to rounding).
    public var rate: Double

    public init(t: Double, energy: Double, rate: Double) {
        self.t = t
        self.energy = energy
        self.rate = rate
    }
}

/// What the energy monitor found along a trajectory.
public struct EnergyMonitorReport: Sendable, Equatable {
    /// The number of internal steps watched (the initial state is not a step).
    public var steps: Int = 0
    /// The largest increase `E_{k+1} − E_k` between consecutive internal steps; 0 when E never increased.
    public var maxEnergyIncrease: Double = 0
    /// The number of steps whose increase exceeded the tolerance `tol_k` (see ``EnergyMonitor``).
    public var violations: Int = 0
    /// The time of the first violation, if any.
    public var firstViolationTime: Double? = nil
    /// The largest analytic `dE/dt` seen (≤ 0 up to rounding for a correct vector field).
    public var maxRate: Double = -.infinity
    /// The largest `|dE/dt|` seen, the scale against which ``maxRate`` is judged.
    public var maxAbsoluteRate: Double = 0

    public init() {}

    /// True when no step violated the tolerance and the analytic rate never rose above rounding
    /// (`maxRate ≤ 1e-9 · (1 + maxAbsoluteRate)`).
    public var passed: Bool {
        violations == 0 && !(maxRate > 1e-9 * (1 + maxAbsoluteRate))
    }
}

/// Watches the Lyapunov property `E(x(t))` non-increasing at every internal step of an integration.
///
/// Between consecutive internal steps `k → k+1` an increase `ΔE = E_{k+1} − E_k` counts as a violation when
///
///     ΔE > tol_k = κ · ( max(G_k, G_{k+1}) + 1e-13 · max(1, |E_k|, |E_{k+1}|) ),
///     G = Σ_i |∂E/∂x_i| (rtol |x_i| + atol),   ∂E/∂x_A = −H_A r_A,  r = τ ẋ,
///
/// with κ the safety factor (default 10). `G` bounds the change of E caused by a local error that CVODE
/// accepts (each component within `rtol |x_i| + atol`); the second term covers rounding in E itself. Near
/// a fixed point ∇E → 0, so the tolerance tightens with the dynamics. The exact flow has
/// `dE/dt = −Σ_A τ_A ẋ_Aᵀ H_A ẋ_A ≤ 0`, recorded at every step as well.
public final class EnergyMonitor {
    private let evaluator: NetworkEvaluator
    private let network: Network
    private let relativeTolerance: Double
    private let absoluteTolerance: Double
    private let safetyFactor: Double
    private var residual: [Double]
    private var gradient: [Double]
    private var ledger: MonitorLedger

    /// The energy trace: one sample for the initial state and one per internal step.
    public var samples: [EnergySample] { ledger.samples }
    /// The report so far.
    public var report: EnergyMonitorReport { ledger.report }

    /// Creates a monitor for `network` with the integration tolerances that define `tol_k`.
    public init(network: Network, relativeTolerance: Double, absoluteTolerance: Double, safetyFactor: Double = 10) {
        self.network = network
        self.evaluator = NetworkEvaluator(network: network)
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.safetyFactor = safetyFactor
        residual = Array(repeating: 0, count: network.dimension)
        gradient = Array(repeating: 0, count: network.dimension)
        ledger = MonitorLedger(safetyFactor: safetyFactor)
    }

    /// Records the state at time `t`: the first call is the initial state, every later call an internal step.
    public func record(t: Double, state x: UnsafeBufferPointer<Double>) {
        let (energy, rate) = evaluator.energyAndRate(x)
        ledger.record(t: t, value: energy, rate: rate, bound: gradientBound(x))
    }

    /// `Σ_i |∂E/∂x_i| (rtol |x_i| + atol)` with `∂E/∂x_A = −H_A r_A`.
    private func gradientBound(_ x: UnsafeBufferPointer<Double>) -> Double {
        residual.withUnsafeMutableBufferPointer { r in
            evaluator.residual(x, into: r)
            return gradient.withUnsafeMutableBufferPointer { grad in
                for (a, layer) in network.layers.enumerated() {
                    let range = network.range(ofLayer: a)
                    layer.lagrangian.hessianVectorProduct(
                        at: UnsafeBufferPointer(rebasing: x[range]),
                        UnsafeBufferPointer(rebasing: r[range]),
                        into: UnsafeMutableBufferPointer(rebasing: grad[range]))
                }
                var sum = 0.0
                for i in 0 ..< x.count {
                    sum += abs(grad[i]) * (relativeTolerance * abs(x[i]) + absoluteTolerance)
                }
                return sum
            }
        }
    }
}
