import Distributed
import Hopfield
import Sundials

// The exact byte form of what a trajectory's result holds, for batches split over processes (every
// rank encodes the results of its block, rank 0 decodes them; numbers bit for bit).

extension TransferWriter {
    /// The statuses without payload; the code of each is its index.
    fileprivate static let plainStatuses: [SolverStatus] = [
        .success, .steadyState, .stoppedByObserver, .tooMuchWork, .tooMuchAccuracy, .errorTestFailure,
        .convergenceFailure, .linearSolverInitFailure, .linearSolverSetupFailure, .linearSolverSolveFailure,
        .rhsFailure, .firstRhsFailure, .repeatedRhsFailure, .unrecoverableRhsFailure, .illegalInput,
        .memoryFailure,
    ]

    /// Writes a status: its code, and the payload of `callbackError` (−1) and `other` (−2).
    public mutating func write(_ status: SolverStatus) {
        switch status {
        case .callbackError(let message):
            write(-1)
            write(message)
        case .other(let code):
            write(-2)
            write(Int(code))
        default:
            write(Self.plainStatuses.firstIndex(of: status)!)
        }
    }

    /// Writes a trace: its length, then `t`, `energy`, `rate` of every sample.
    mutating func write(_ trace: [EnergySample]) {
        write(trace.count)
        for sample in trace {
            write(sample.t)
            write(sample.energy)
            write(sample.rate)
        }
    }

    /// Writes a monitor report.
    mutating func write(_ report: EnergyMonitorReport) {
        write(report.steps)
        write(report.maxEnergyIncrease)
        write(report.violations)
        write(report.firstViolationTime.map { [$0] } ?? [])
        write(report.maxRate)
        write(report.maxAbsoluteRate)
    }

    /// Writes CVODE's counters.
    mutating func write(_ s: SolverStatistics) {
        for counter in [
            s.steps, s.rhsEvaluations, s.jacobianEvaluations, s.linearIterations, s.nonlinearIterations,
            s.errorTestFailures, s.nonlinearConvergenceFailures, s.linearSolverSetups, s.jvpEvaluations,
        ] { write(counter) }
    }
}

extension TransferReader {
    /// Reads what ``TransferWriter/write(_:)-(SolverStatus)`` wrote.
    public mutating func readStatus() throws(TransferError) -> SolverStatus {
        let code = try readInt()
        switch code {
        case -1: return .callbackError(try readString())
        case -2: return .other(code: Int32(truncatingIfNeeded: try readInt()))
        case TransferWriter.plainStatuses.indices: return TransferWriter.plainStatuses[code]
        default: throw .truncated
        }
    }

    /// Reads a trace.
    mutating func readTrace() throws(TransferError) -> [EnergySample] {
        let count = try readInt()
        guard count >= 0 else { throw .truncated }
        var trace: [EnergySample] = []
        trace.reserveCapacity(count)
        for _ in 0 ..< count {
            trace.append(EnergySample(t: try readDouble(), energy: try readDouble(), rate: try readDouble()))
        }
        return trace
    }

    /// Reads a monitor report.
    mutating func readMonitorReport() throws(TransferError) -> EnergyMonitorReport {
        var report = EnergyMonitorReport()
        report.steps = try readInt()
        report.maxEnergyIncrease = try readDouble()
        report.violations = try readInt()
        report.firstViolationTime = try readDoubles().first
        report.maxRate = try readDouble()
        report.maxAbsoluteRate = try readDouble()
        return report
    }

    /// Reads CVODE's counters.
    mutating func readSolverStatistics() throws(TransferError) -> SolverStatistics {
        var s = SolverStatistics()
        s.steps = try readInt()
        s.rhsEvaluations = try readInt()
        s.jacobianEvaluations = try readInt()
        s.linearIterations = try readInt()
        s.nonlinearIterations = try readInt()
        s.errorTestFailures = try readInt()
        s.nonlinearConvergenceFailures = try readInt()
        s.linearSolverSetups = try readInt()
        s.jvpEvaluations = try readInt()
        return s
    }
}

extension TrajectorySolution {
    /// Writes everything but the model's variables and the save grid (the receiver knows them).
    func encode(into w: inout TransferWriter) {
        w.write(status)
        w.write(times)
        w.write(states)
        w.write(finalTime)
        w.write(finalState)
        w.write(energyTrace)
        w.write(lyapunovTrace)
        w.write(monitor)
        switch statistics {
        case .cvode(let s):
            w.write(0)
            w.write(s)
        case .explicit(let e):
            w.write(1)
            for counter in [e.steps, e.rhsEvaluations, e.rejectedSteps] { w.write(counter) }
        }
        w.write(dynamics.rawValue)
        // The automatic method's record.
        w.write(segments.count)
        for segment in segments {
            w.write(segment.method.rawValue)
            w.write(segment.startTime)
            w.write(segment.endTime)
            TrajectorySolution.write(segment.statistics, into: &w)
        }
        w.write(handoffTime.map { [$0] } ?? [])
        w.write(polished ? 1 : 0)
        w.write(refusedHandoffs.count)
        for refusal in refusedHandoffs { w.write(refusal.rawValue) }
    }

    private static func write(_ statistics: IntegratorStatistics, into w: inout TransferWriter) {
        switch statistics {
        case .cvode(let s):
            w.write(0)
            w.write(s)
        case .explicit(let e):
            w.write(1)
            for counter in [e.steps, e.rhsEvaluations, e.rejectedSteps] { w.write(counter) }
        }
    }

    private static func readStatistics(from r: inout TransferReader) throws(TransferError) -> IntegratorStatistics {
        switch try r.readInt() {
        case 0: return .cvode(try r.readSolverStatistics())
        case 1:
            return .explicit(
                ExplicitStatistics(steps: try r.readInt(), rhsEvaluations: try r.readInt(), rejectedSteps: try r.readInt()))
        default: throw .truncated
        }
    }

    /// Reads what ``encode(into:)`` wrote, for a model with these variables and save grid.
    static func decode(
        from r: inout TransferReader, variables: [ModelVariable], dimension: Int, saveTimes: [Double]
    ) throws(TransferError) -> TrajectorySolution {
        let status = try r.readStatus()
        let times = try r.readDoubles(), states = try r.readDoubles()
        let finalTime = try r.readDouble(), finalState = try r.readDoubles()
        let energyTrace = try r.readTrace(), lyapunovTrace = try r.readTrace()
        let monitor = try r.readMonitorReport()
        let statistics: IntegratorStatistics
        switch try r.readInt() {
        case 0: statistics = .cvode(try r.readSolverStatistics())
        case 1:
            statistics = .explicit(
                ExplicitStatistics(steps: try r.readInt(), rhsEvaluations: try r.readInt(), rejectedSteps: try r.readInt()))
        default: throw .truncated
        }
        guard let dynamics = Dynamics(rawValue: try r.readString()) else { throw .truncated }
        var solution = TrajectorySolution(
            variables: variables, dimension: dimension, saveTimes: saveTimes, status: status, times: times,
            states: states, finalTime: finalTime, finalState: finalState, energyTrace: energyTrace,
            lyapunovTrace: lyapunovTrace, monitor: monitor, statistics: statistics, dynamics: dynamics)
        let segmentCount = try r.readInt()
        guard segmentCount >= 0 && segmentCount <= 16 else { throw .truncated }
        for _ in 0 ..< segmentCount {
            guard let method = SimulationMethod(rawValue: try r.readString()) else { throw .truncated }
            let start = try r.readDouble(), end = try r.readDouble()
            solution.segments.append(
                MethodSegment(method: method, startTime: start, endTime: end, statistics: try readStatistics(from: &r)))
        }
        solution.handoffTime = try r.readDoubles().first
        solution.polished = try r.readInt() != 0
        let refusalCount = try r.readInt()
        guard refusalCount >= 0 && refusalCount <= 1024 else { throw .truncated }
        for _ in 0 ..< refusalCount {
            guard let refusal = NewtonRefusal(rawValue: try r.readString()) else { throw .truncated }
            solution.refusedHandoffs.append(refusal)
        }
        return solution
    }
}
