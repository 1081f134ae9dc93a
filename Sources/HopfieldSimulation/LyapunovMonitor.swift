/// One recorded point of a Lyapunov trace: the value and its analytic time derivative at an internal step.
public struct EnergySample: Sendable, Equatable {
    /// The time of the internal step.
    public var t: Double
    /// The value `V(x(t))` (the energy `E`, or `‖r‖²` for the residual flow).
    public var energy: Double
    /// The analytic `dV/dt` (≤ 0 up to rounding).
    public var rate: Double

    public init(t: Double, energy: Double, rate: Double) {
        self.t = t
        self.energy = energy
        self.rate = rate
    }
}

/// What the monitor found along a trajectory: the Lyapunov function `V` (the energy, or `‖r‖²` for the
/// residual flow) watched at every internal step of either integrator.
///
/// Between consecutive internal steps `k → k+1` an increase `ΔV = V_{k+1} − V_k` counts as a violation
/// when
///
///     ΔV > tol_k = κ · ( max(G_k, G_{k+1}) + 1e-13 · max(1, |V_k|, |V_{k+1}|) ),
///     G = Σ_{i free} |∂V/∂x_i| (rtol |x_i| + atol)
///
/// with κ the safety factor (``SimulationOptions/monitorSafetyFactor``): `G` bounds the change of V that
/// an accepted local error can cause, the second term rounding in V itself.
public struct EnergyMonitorReport: Sendable, Equatable {
    /// The number of internal steps watched (the initial state is not a step).
    public var steps: Int = 0
    /// The largest increase `V_{k+1} − V_k` between consecutive internal steps; 0 when V never increased.
    public var maxEnergyIncrease: Double = 0
    /// The number of steps whose increase exceeded the tolerance `tol_k`.
    public var violations: Int = 0
    /// The time of the first violation, if any.
    public var firstViolationTime: Double? = nil
    /// The largest analytic `dV/dt` seen (≤ 0 up to rounding for a correct vector field).
    public var maxRate: Double = -.infinity
    /// The largest `|dV/dt|` seen, the scale against which ``maxRate`` is judged.
    public var maxAbsoluteRate: Double = 0
    /// The first time at which `V`, `dV/dt` or the state (through the bound `G`) was NaN or infinite, if
    /// ever: the monitor cannot judge such a step, and the trajectory fails (status
    /// `SolverStatus/nonFinite`).
    public var firstNonFiniteTime: Double? = nil

    public init() {}

    /// True when every value, rate and state was finite, no step violated the tolerance and the analytic
    /// rate never rose above rounding (`maxRate ≤ 1e-9 · (1 + maxAbsoluteRate)`).
    public var passed: Bool {
        firstNonFiniteTime == nil && violations == 0 && !(maxRate > 1e-9 * (1 + maxAbsoluteRate))
    }
}

/// Where a CVODE run's monitor gets `V`, `dV/dt` and `∇V` for the rows of a batch (`[B, n]`), and the
/// vector field `Ẋ` at the same states (the steady-state test uses it).
protocol LyapunovFunction: AnyObject {
    func evaluate(
        _ x: UnsafeBufferPointer<Double>, velocity: UnsafeMutableBufferPointer<Double>,
        values: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>)
}

/// The energy of a model through its evaluator (the one the integrator uses: the monitor copies nothing).
final class EnergyFunction: LyapunovFunction {
    let evaluator: any ModelEvaluator
    init(_ evaluator: any ModelEvaluator) { self.evaluator = evaluator }

    func evaluate(
        _ x: UnsafeBufferPointer<Double>, velocity: UnsafeMutableBufferPointer<Double>,
        values: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        evaluator.vectorField(x, into: velocity, energies: values, rates: rates, gradients: gradients)
    }
}

/// The one monitor of a Lyapunov function `V` (a model's energy, or `‖r‖²` of the residual flow) along
/// the trajectories of any integrator: CVODE calls ``observe(t:states:)`` after every internal step
/// (the monitor evaluates `V` through its ``LyapunovFunction``), the explicit integrator calls
/// ``record(_:t:value:rate:gradient:state:)`` with what its last stage already evaluated.
///
/// Between consecutive records `k → k+1` of trajectory `b` an increase `ΔV = V_{k+1} − V_k` counts as a
/// violation when
///
///     ΔV > tol_k = κ · ( max(G_k, G_{k+1}) + 1e-13 · max(1, |V_k|, |V_{k+1}|) ),
///     G = Σ_{i free} |∂V/∂x_i| (rtol |x_i| + atol)
///
/// with κ the safety factor (default 10). `G` bounds the change of V caused by a local error that the
/// integrator accepts (each component within `rtol |x_i| + atol`; clamped units do not move and have
/// zero gradient); the second term covers rounding in V itself. Near a fixed point ∇V → 0, so the
/// tolerance tightens with the dynamics. The analytic `dV/dt` is recorded at every step as well.
final class LyapunovMonitor {
    private let count: Int
    private let dimension: Int
    private let relativeTolerance: Double
    private let absoluteTolerance: Double
    private let safetyFactor: Double
    private let function: LyapunovFunction?
    /// For a state split over processes (``SplitMemoryNetwork``): sums the bound `G` and the steady-state
    /// norm over the processes (one SUM of one number each); nil otherwise.
    private let reduction: (any PartialReduction)?
    /// The length of the whole state (`dimension` unless split).
    private let globalDimension: Int
    /// The reduction's one-number buffer.
    private let partial: UnsafeMutableBufferPointer<Double>
    /// `Ẋ`, `V_b`, `dV_b/dt` and `∇V` of the last observed states (CVODE runs).
    private var velocity: [Double]
    private var values: [Double]
    private var rates: [Double]
    private var gradients: [Double]
    /// Every trajectory's trace and report.
    private(set) var traces: [Trace]

    /// One trajectory's trace of `V` and the test applied step by step.
    struct Trace {
        /// One sample for the initial state and one per internal step.
        private(set) var samples: [EnergySample] = []
        /// The verdict so far.
        private(set) var report = EnergyMonitorReport()
        private var previous: (value: Double, bound: Double)? = nil

        init(reserve: Int) { samples.reserveCapacity(reserve) }

        mutating func record(t: Double, value: Double, rate: Double, bound: Double, safetyFactor: Double) {
            samples.append(EnergySample(t: t, energy: value, rate: rate))
            if report.firstNonFiniteTime == nil, !(value.isFinite && rate.isFinite && bound.isFinite) {
                report.firstNonFiniteTime = t
            }
            if rate > report.maxRate { report.maxRate = rate }
            report.maxAbsoluteRate = max(report.maxAbsoluteRate, abs(rate))
            if let (v0, g0) = previous {
                report.steps += 1
                let increase = value - v0
                if increase > report.maxEnergyIncrease { report.maxEnergyIncrease = increase }
                let tolerance = safetyFactor * (max(g0, bound) + 1e-13 * max(1, abs(v0), abs(value)))
                if !(increase <= tolerance) {  // NaN counts as a violation
                    report.violations += 1
                    if report.firstViolationTime == nil { report.firstViolationTime = t }
                }
            }
            previous = (value, bound)
        }
    }

    /// A monitor of `count` trajectories of length `dimension`.
    ///
    /// - Parameters:
    ///   - function: evaluates `V` for ``observe(t:states:)``; nil when the integrator records itself.
    ///   - reduction: for a state split over processes, whose values and rates are already global: sums
    ///     `G` and the steady-state norm over the processes (every record and test is then collective).
    ///   - globalDimension: the length of the whole split state.
    init(
        count: Int, dimension: Int, relativeTolerance: Double, absoluteTolerance: Double, safetyFactor: Double,
        function: LyapunovFunction?, reduction: (any PartialReduction)? = nil, globalDimension: Int? = nil
    ) {
        self.reduction = reduction
        self.globalDimension = globalDimension ?? dimension
        partial = .allocate(capacity: 1)
        partial.initialize(repeating: 0)
        self.count = count
        self.dimension = dimension
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.safetyFactor = safetyFactor
        self.function = function
        let size = function == nil ? 0 : count * dimension
        velocity = Array(repeating: 0, count: size)
        gradients = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: function == nil ? 0 : count)
        rates = values
        traces = Array(repeating: Trace(reserve: count > 1 ? 256 : 1024), count: count)
    }

    /// Records trajectory `b` at time `t` from `V`, its rate and `∇V` at its state (rows of `n` entries).
    func record(
        _ b: Int, t: Double, value: Double, rate: Double, gradient: UnsafePointer<Double>, state x: UnsafePointer<Double>
    ) {
        var bound = 0.0
        for i in 0 ..< dimension { bound += abs(gradient[i]) * (relativeTolerance * abs(x[i]) + absoluteTolerance) }
        if let reduction { bound = globalSum(bound, reduction) }
        traces[b].record(t: t, value: value, rate: rate, bound: bound, safetyFactor: safetyFactor)
    }

    /// Evaluates `V` for every trajectory of the batch state `x` (`[B, n]`) and records it at time `t`:
    /// the first call is the initial state, every later call an internal step.
    func observe(t: Double, states x: UnsafeBufferPointer<Double>) {
        guard let function, let xs = x.baseAddress else { return }
        velocity.withUnsafeMutableBufferPointer { v in
            values.withUnsafeMutableBufferPointer { e in
                rates.withUnsafeMutableBufferPointer { r in
                    gradients.withUnsafeMutableBufferPointer { g in
                        function.evaluate(x, velocity: v, values: e, rates: r, gradients: g)
                    }
                }
            }
        }
        gradients.withUnsafeBufferPointer { g in
            for b in 0 ..< count {
                record(b, t: t, value: values[b], rate: rates[b], gradient: g.baseAddress! + b * dimension,
                       state: xs + b * dimension)
            }
        }
    }

    /// Whether trajectory `b` of the last observed state `x` is steady: `‖ẋ_b‖_WRMS ≤ 1` with weights
    /// `1 / (atol + rtol |x_{b,i}|)` (the test of ``SolverOptions/stopAtSteadyState``).
    func isSteady(_ b: Int, state x: UnsafeBufferPointer<Double>) -> Bool {
        let row = b * dimension
        var sum = 0.0
        for i in row ..< row + dimension {
            let weighted = velocity[i] / (absoluteTolerance + relativeTolerance * abs(x[i]))
            sum += weighted * weighted
        }
        if let reduction { sum = globalSum(sum, reduction) }
        return globalDimension == 0 || (sum / Double(globalDimension)).squareRoot() <= 1
    }

    /// `value` summed over the processes (collective).
    private func globalSum(_ value: Double, _ reduction: any PartialReduction) -> Double {
        partial[0] = value
        reduction.sum(partial)
        return partial[0]
    }

    deinit { partial.deallocate() }
}
