import Distributed
import Foundation
import Hopfield
import HopfieldSimulation
import LinearAlgebra

/// ``analyzeGradientSteadyState(_:from:endTime:relativeTolerance:absoluteTolerance:tolerance:)`` for each
/// of `states`, split over the processes of `communicator`: each process analyses its contiguous block of
/// the states (`Communicator/block(of:)`) and rank 0 receives every report, in order, as exact bit
/// patterns — what one process analysing the states in order returns.
///
/// A model whose evaluations are collective (its memories split over the processes,
/// `DynamicalModel/evaluatesCollectively`) is not split again: every process analyses every state, in
/// order, and every process returns the reports. Each process uses `threads / localSize` OpenBLAS threads
/// (at least one). An analysis that throws fails the run on every process with the error of the first
/// failing state, as one process (which stops there) would throw: one process throws what the analysis
/// throws; split over processes, a `RankFailure` whose message is the error's description, with exit
/// code 2 for a `SimulationError` (bad state or options) and 1 otherwise.
///
/// - Parameters:
///   - model: the model (on every process).
///   - states: the flat initial states.
///   - endTime: the longest integration of each state (default 1000 · max τ).
///   - relativeTolerance: the integrations' relative tolerance.
///   - absoluteTolerance: the integrations' absolute tolerance.
///   - tolerance: the target of the scaled residual of the Newton polish.
///   - communicator: the processes (`Communicator/world`).
///   - threads: the threads one process would use (default: OpenBLAS's current count).
///   - progress: called before each state this process analyses, with the state's number in the batch.
///   - blockDone: called on every process after its block, with the block and the threads used; not
///     called when the states are not split.
/// - Returns: the reports in order on rank 0 (and on every process when the states are not split); `nil`
///   on the other ranks.
public func analyzeGradientSteadyStates(
    _ model: GradientModel, from states: [[Double]], endTime: Double? = nil, relativeTolerance: Double = 1e-8,
    absoluteTolerance: Double = 1e-10, tolerance: Double = 1e-10, across communicator: Communicator,
    threads: Int = BLAS.threadCount, progress: ((Int) -> Void)? = nil,
    blockDone: ((_ block: Range<Int>, _ threads: Int) -> Void)? = nil
) throws -> [GradientSteadyStateReport]? {
    try eachState(
        count: states.count, across: communicator, split: communicator.size > 1 && !model.evaluatesCollectively,
        threads: threads, encode: { (r: GradientSteadyStateReport, w: inout TransferWriter) in r.encode(into: &w) },
        decode: { r in try GradientSteadyStateReport.decode(from: &r) },
        failure: { error in
            (error as? SimulationError).map { RankFailure(rank: 0, message: $0.description, exitCode: 2) }
        },
        blockDone: blockDone
    ) { b in
        progress?(b)
        return try analyzeGradientSteadyState(
            model, from: states[b], endTime: endTime, relativeTolerance: relativeTolerance,
            absoluteTolerance: absoluteTolerance, tolerance: tolerance)
    }
}

extension GradientSteadyStateReport {
    /// The exact byte form of the report (for ``analyzeGradientSteadyStates(_:from:endTime:relativeTolerance:absoluteTolerance:tolerance:across:threads:progress:blockDone:)``).
    func encode(into w: inout TransferWriter) {
        w.write(state)
        w.write(integrationStatus)
        w.write(time)
        w.write(newtonIterations)
        w.write(converged ? 1 : 0)
        w.write(gradientNorm)
        w.write(energy)
        w.write(freeUnits)
        w.write(hessianEigenvalues)
        w.write(isStable ? 1 : 0)
    }

    /// Reads what ``encode(into:)`` wrote.
    static func decode(from r: inout TransferReader) throws(TransferError) -> GradientSteadyStateReport {
        GradientSteadyStateReport(
            state: try r.readDoubles(), integrationStatus: try r.readStatus(), time: try r.readDouble(),
            newtonIterations: try r.readInt(), converged: try r.readInt() != 0, gradientNorm: try r.readDouble(),
            energy: try r.readDouble(), freeUnits: try r.readInt(), hessianEigenvalues: try r.readDoubles(),
            isStable: try r.readInt() != 0)
    }
}
