import Hopfield

/// What the automatic method watches along every explicit trajectory (``SimulationAlgorithm/auto``):
/// the Newton hand-off (``SteadyHandoff``, with a steady-state stop) and the move to BDF
/// (``StiffnessSwitch``), and what it records per trajectory (hand-off time, polished, refusals,
/// switch time). ``ExplicitIntegrator`` asks it after every accepted step and lets it polish the rows
/// it handed off, all of a step's rows in one batched Newton solve.
final class AutoSupervisor {
    /// What to do with a trajectory after an accepted step.
    enum Decision {
        /// Keep integrating explicitly.
        case proceed
        /// Hand the trajectory to the Newton finish.
        case newton
        /// Stop here; the rest runs on BDF.
        case switchToImplicit
    }

    let options: AutoMethodOptions
    private let finish: NewtonFinish?
    private let n: Int
    private let relativeTolerance: Double
    private let absoluteTolerance: Double
    private let endTime: Double
    private let untilSteady: Bool
    private let states: UnsafeMutableBufferPointer<Double>
    private let starts: UnsafeMutableBufferPointer<Double>

    private var handoffs: [SteadyHandoff] = []
    private var switches: [StiffnessSwitch] = []
    private var initialStates: [[Double]] = []
    /// Per trajectory: when the Newton finish took over.
    private(set) var handoffTimes: [Double?] = []
    /// Per trajectory: the refused hand-offs.
    private(set) var refusals: [[NewtonRefusal]] = []
    /// Per trajectory: where it left the explicit pair for BDF.
    private(set) var switchTimes: [Double?] = []

    /// A supervisor for up to `capacity` rows of `evaluator` (shared with the integrator).
    init(
        model: any DynamicalModel, evaluator: any ModelEvaluator, capacity: Int, settings: RunSettings,
        options: AutoMethodOptions
    ) {
        self.options = options
        n = model.dimension
        relativeTolerance = settings.relativeTolerance
        absoluteTolerance = settings.absoluteTolerance
        endTime = settings.endTime
        untilSteady = settings.untilSteady
        let rows = max(1, min(capacity, 32))
        if untilSteady && options.newtonFinish {
            finish = NewtonFinish(
                evaluator: evaluator, timeConstants: model.timeConstants, clampMask: model.clampMask,
                patternRanges: NewtonFinish.patternRanges(variables: model.variables, timeConstants: model.timeConstants),
                capacity: rows, options: options.finish)
        } else {
            finish = nil
        }
        let size = finish == nil ? 1 : rows * n
        states = .allocate(capacity: size)
        states.initialize(repeating: 0)
        starts = .allocate(capacity: size)
        starts.initialize(repeating: 0)
    }

    deinit {
        states.deallocate()
        starts.deallocate()
    }

    /// The most rows one Newton solve takes.
    var chunkSize: Int { finish?.capacity ?? 1 }

    /// Starts the records of a new batch.
    func setUp(_ initialStates: [[Double]]) {
        let count = initialStates.count
        self.initialStates = initialStates
        handoffs = Array(repeating: SteadyHandoff(options: options.finish, endTime: endTime), count: count)
        switches = Array(
            repeating: StiffnessSwitch(options: options, endTime: endTime, untilSteady: untilSteady), count: count)
        handoffTimes = Array(repeating: nil, count: count)
        refusals = Array(repeating: [], count: count)
        switchTimes = Array(repeating: nil, count: count)
    }

    /// Records an accepted step of trajectory `b` and decides.
    ///
    /// - Parameters:
    ///   - b: the trajectory.
    ///   - t: the time reached.
    ///   - rho: Hairer's stiffness estimate of the step.
    ///   - capped: whether the stability cap set the next step.
    ///   - state: the new state (`n` entries).
    ///   - derivative: `ẋ` at the new state.
    func afterStep(
        _ b: Int, t: Double, rho: Double, capped: Bool, state: UnsafePointer<Double>, derivative: UnsafePointer<Double>
    ) -> Decision {
        var sum = 0.0
        for i in 0 ..< n {
            let w = derivative[i] / (absoluteTolerance + relativeTolerance * abs(state[i]))
            sum += w * w
        }
        let norm = n > 0 ? (sum / Double(n)).squareRoot() : 0
        if let finish {
            let pattern = finish.patternSignature(of: UnsafeBufferPointer(start: state, count: n))
            if handoffs[b].record(t: t, norm: norm, pattern: pattern) { return .newton }
        }
        if switches[b].record(t: t, rho: rho, capped: capped, norm: norm) {
            switchTimes[b] = t
            return .switchToImplicit
        }
        return .proceed
    }

    /// Polishes the handed-off rows (`trajectory`, its state in the integrator's buffer, its time):
    /// polished states are written back in place. `outcome` is called for every row with its index in
    /// `rows`, the outcome (with the energy and rate of a polished result) and, for a polished row,
    /// `∂E/∂x` at the result.
    func polish(
        _ rows: [(trajectory: Int, state: UnsafeMutablePointer<Double>, t: Double)],
        outcome report: (Int, NewtonFinishOutcome, UnsafePointer<Double>?) -> Void
    ) {
        guard let finish else { return }
        var start = 0
        while start < rows.count {
            let chunk = Array(rows[start ..< min(rows.count, start + finish.capacity)])
            for (p, row) in chunk.enumerated() {
                (states.baseAddress! + p * n).update(from: row.state, count: n)
                initialStates[row.trajectory].withUnsafeBufferPointer {
                    (starts.baseAddress! + p * n).update(from: $0.baseAddress!, count: n)
                }
            }
            let result = finish.polish(
                UnsafeMutableBufferPointer(rebasing: states[0 ..< chunk.count * n]),
                initialStates: UnsafeBufferPointer(rebasing: starts[0 ..< chunk.count * n]), rows: chunk.count,
                relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance)
            for (p, row) in chunk.enumerated() {
                let outcome = result[p]
                handoffs[row.trajectory].handedOff(polished: outcome.polished)
                if let refusal = outcome.refusal {
                    refusals[row.trajectory].append(refusal)
                    report(start + p, outcome, nil)
                } else {
                    row.state.update(from: states.baseAddress! + p * n, count: n)
                    handoffTimes[row.trajectory] = row.t
                    report(start + p, outcome, finish.resultGradient(row: p))
                }
            }
            start += chunk.count
        }
    }
}
