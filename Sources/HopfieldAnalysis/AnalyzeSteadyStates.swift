import Distributed
import Foundation
import Hopfield
import LinearAlgebra

/// ``analyzeSteadyState(_:from:options:)`` for each of `states`, split over the processes of
/// `communicator`: each process analyses its contiguous block of the states (`Communicator/block(of:)`)
/// and rank 0 receives every report, in order, as exact bit patterns.
///
/// Each state is analysed by the same code as in one process, which does not depend on the other states
/// (the basin samples are seeded by the options alone). Each process uses `threads / localSize` OpenBLAS
/// threads (at least one) while its block runs. An analysis that throws fails the run on every process
/// with the error of the first failing state, as one process (which stops there) would throw.
///
/// - Parameters:
///   - network: the network (on every process).
///   - states: the flat initial states.
///   - options: fixed-point, basin and integration settings.
///   - communicator: the processes (`Communicator/world`); a single process analyses the states in order.
///   - threads: the threads one process would use (default: every active processor).
///   - progress: called before each state this process analyses, with the state's number in the batch.
///   - blockDone: called on every process after its block, with the block and the threads used; not
///     called for a single process.
/// - Returns: on rank 0 the reports in order; `nil` on the other ranks.
/// - Throws: ``AnalysisError`` (the same on every process); `RankFailure` when a report could not be
///   gathered.
public func analyzeSteadyStates(
    _ network: Network, from states: [[Double]], options: SteadyStateOptions = SteadyStateOptions(),
    across communicator: Communicator, threads: Int = BLAS.threadCount,
    progress: ((Int) -> Void)? = nil, blockDone: ((_ block: Range<Int>, _ threads: Int) -> Void)? = nil
) throws -> [SteadyStateReport]? {
    do {
        return try eachState(
            count: states.count, across: communicator, split: communicator.size > 1, threads: threads,
            encode: { (r: SteadyStateReport, w: inout TransferWriter) in w.write(r) },
            decode: { r in try r.readSteadyStateReport() },
            failure: { error in
                guard let error = error as? AnalysisError else { return nil }
                let (code, message) = error.transferForm
                return RankFailure(rank: 0, message: message, exitCode: code)
            },
            blockDone: blockDone
        ) { b in
            progress?(b)
            return try analyzeSteadyState(network, from: states[b], options: options)
        }
    } catch let error as RankFailure {
        if let decoded = AnalysisError(transferCode: error.exitCode, message: error.message) { throw decoded }
        throw error
    }
}

/// `analyze(b)` for every state `b < count`: in order on this process when not `split`; otherwise each
/// process analyses its contiguous block with `threads / localSize` OpenBLAS threads and rank 0 receives
/// every report, in order, as exact bytes (`encode`/`decode`). An error of a block becomes `failure`'s
/// ``RankFailure`` (nil: the error's description, exit code 1), rethrown alike on every process.
///
/// - Returns: every report when not split; on rank 0 the reports in order, `nil` on the other ranks.
func eachState<Report>(
    count: Int, across communicator: Communicator, split: Bool, threads: Int,
    encode: (Report, inout TransferWriter) -> Void,
    decode: (inout TransferReader) throws -> Report,
    failure: (any Error) -> RankFailure?,
    blockDone: ((_ block: Range<Int>, _ threads: Int) -> Void)?,
    _ analyze: (Int) throws -> Report
) throws -> [Report]? {
    guard split else { return try (0 ..< count).map(analyze) }
    let blockThreads = communicator.threadsPerProcess(threads)
    let blasThreads = BLAS.threadCount
    BLAS.setThreadCount(blockThreads)
    defer { BLAS.setThreadCount(blasThreads) }
    let reports = try communicator.mapBlocks(count: count, encode: encode, decode: decode) { block in
        let reports: [Report]
        do { reports = try block.map(analyze) } catch {
            throw failure(error) ?? RankFailure(rank: 0, message: "\(error)", exitCode: 1)
        }
        blockDone?(block, blockThreads)
        return reports
    }
    return communicator.isRoot ? reports : nil
}

extension AnalysisError {
    /// The case code (121–124) and payload, to cross processes in a ``RankFailure``.
    var transferForm: (Int32, String) {
        switch self {
        case .invalidState(let m): (121, m)
        case .invalidOptions(let m): (122, m)
        case .solverSetup(let m): (123, m)
        case .linearAlgebra(let m): (124, m)
        }
    }

    /// The error of a ``transferForm``; nil for a code that is not this error's.
    init?(transferCode code: Int32, message: String) {
        switch code {
        case 121: self = .invalidState(message)
        case 122: self = .invalidOptions(message)
        case 123: self = .solverSetup(message)
        case 124: self = .linearAlgebra(message)
        default: return nil
        }
    }
}
