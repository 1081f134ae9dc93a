import Hopfield

/// The energy monitor of a lockstep batch: the per-trajectory verdicts of ``EnergyMonitor``, computed
/// for the whole batch at once with a ``BatchedEvaluator``.
///
/// For every trajectory `b` and every internal step `k → k+1` it applies exactly the test of
/// ``EnergyMonitor``:
///
///     ΔE_b > tol_{b,k} = κ · ( max(G_{b,k}, G_{b,k+1}) + 1e-13 · max(1, |E_{b,k}|, |E_{b,k+1}|) ),
///     G_b = Σ_i |∂E/∂x_{b,i}| (rtol |x_{b,i}| + atol),   ∂E/∂x_{b,A} = −H_A r_{b,A}
///
/// The energies, analytic rates and gradients of all trajectories come from one
/// ``BatchedEvaluator/energiesAndRates(_:energies:rates:residuals:gradients:)`` call (two GEMMs per
/// synapse). The residuals of that call are kept, so the steady-state test costs nothing extra.
final class LockstepEnergyMonitor {
    private let evaluator: BatchedEvaluator
    private let count: Int
    private let dimension: Int
    private let relativeTolerance: Double
    private let absoluteTolerance: Double
    private let safetyFactor: Double
    private let inverseTaus: [Double]
    private let layerOffsets: [Int]
    private let layerSizes: [Int]
    private var energies: [Double]
    private var rates: [Double]
    /// `R = τ Ẋ` of the last recorded state, `[B, n]`.
    private(set) var residuals: [Double]
    private var gradients: [Double]
    /// Every trajectory's energy trace (the initial state and one sample per internal step) and report.
    private(set) var ledgers: [MonitorLedger]

    init(evaluator: BatchedEvaluator, count: Int, relativeTolerance: Double, absoluteTolerance: Double, safetyFactor: Double) {
        self.evaluator = evaluator
        self.count = count
        dimension = evaluator.dimension
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.safetyFactor = safetyFactor
        let network = evaluator.network
        inverseTaus = network.layers.map { 1 / $0.tau }
        layerOffsets = network.offsets
        layerSizes = network.layers.map(\.size)
        energies = Array(repeating: 0, count: count)
        rates = Array(repeating: 0, count: count)
        residuals = Array(repeating: 0, count: count * evaluator.dimension)
        gradients = Array(repeating: 0, count: count * evaluator.dimension)
        ledgers = Array(repeating: MonitorLedger(safetyFactor: safetyFactor, reserve: 256), count: count)
    }

    /// Records the batch state `x` (`[B, n]`) at time `t`: the first call is the initial state, every
    /// later call an internal step.
    func record(t: Double, state x: UnsafeBufferPointer<Double>) {
        energies.withUnsafeMutableBufferPointer { e in
            rates.withUnsafeMutableBufferPointer { rates in
                residuals.withUnsafeMutableBufferPointer { r in
                    gradients.withUnsafeMutableBufferPointer { grad in
                        evaluator.energiesAndRates(x, energies: e, rates: rates, residuals: r, gradients: grad)
                    }
                }
            }
        }
        let n = dimension
        for b in 0 ..< count {
            var bound = 0.0
            let row = b * n
            for i in row ..< row + n {
                bound += abs(gradients[i]) * (relativeTolerance * abs(x[i]) + absoluteTolerance)
            }
            ledgers[b].record(t: t, value: energies[b], rate: rates[b], bound: bound)
        }
    }

    /// Whether trajectory `b` of the last recorded state `x` is steady: `‖ẋ_b‖_WRMS ≤ 1` with weights
    /// `1 / (atol + rtol |x_{b,i}|)`, `ẋ = r / τ` (the test of ``SolverOptions/stopAtSteadyState``).
    func isSteady(_ b: Int, state x: UnsafeBufferPointer<Double>) -> Bool {
        let row = b * dimension
        var sum = 0.0
        for a in layerOffsets.indices {
            let inverseTau = inverseTaus[a]
            let start = row + layerOffsets[a]
            for i in start ..< start + layerSizes[a] {
                let weighted = residuals[i] * inverseTau / (absoluteTolerance + relativeTolerance * abs(x[i]))
                sum += weighted * weighted
            }
        }
        return dimension == 0 || (sum / Double(dimension)).squareRoot() <= 1
    }
}
