/// One trajectory's monitor bookkeeping: the trace of a Lyapunov function (the energy, or `‖r‖²` for
/// the residual flow) and the test of ``EnergyMonitor`` applied step by step.
///
/// Between consecutive records `k → k+1` an increase `ΔV = V_{k+1} − V_k` counts as a violation when
///
///     ΔV > κ · ( max(G_k, G_{k+1}) + 1e-13 · max(1, |V_k|, |V_{k+1}|) )
///
/// with `G` the caller's bound on the change of `V` caused by an accepted local error and κ the safety
/// factor. The first record is the initial state; every later one is an internal step.
struct MonitorLedger {
    /// One sample for the initial state and one per internal step.
    private(set) var samples: [EnergySample] = []
    /// The verdict so far.
    private(set) var report = EnergyMonitorReport()
    private var previous: (value: Double, bound: Double)? = nil
    private let safetyFactor: Double

    init(safetyFactor: Double, reserve: Int = 1024) {
        self.safetyFactor = safetyFactor
        samples.reserveCapacity(reserve)
    }

    /// Records `V`, its analytic rate and the bound `G` at time `t`.
    mutating func record(t: Double, value: Double, rate: Double, bound: Double) {
        samples.append(EnergySample(t: t, energy: value, rate: rate))
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
