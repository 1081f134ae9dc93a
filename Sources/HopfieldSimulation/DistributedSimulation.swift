import Distributed
import Foundation
import Hopfield
import LinearAlgebra

/// Integrates a batch with its trajectories split over the processes of `communicator`: each process
/// integrates its contiguous block of the initial states (``Communicator/block(of:)``) and rank 0
/// receives every result, in order.
///
///     trajectories b ∈ block(r) on process r;   rank 0 returns what one process returns
///
/// Every process first checks the options and the states as one process would (bad input fails every
/// rank alike, with one process's message), and the batch strategy is resolved for the whole batch, so
/// that each block runs what one process would run. With the independent strategy each trajectory is
/// integrated by the same code as in one process, and the results agree bit for bit; a lockstep block
/// shares CVODE's steps with its own block only, so lockstep results agree within the tolerances. Each
/// process runs `threads / communicator.localSize` threads (at least one), and OpenBLAS runs on as many
/// while its block is integrated (several ranks on one node must not each start a thread per core; and
/// with one thread per rank every trajectory sees the single-threaded products it sees in one process
/// that integrates several at once). With one process this is
/// ``simulate(_:from:options:strategy:threads:progress:)``.
///
/// - Parameters:
///   - network: the network (the same on every process).
///   - initialStates: the flat initial states (the same on every process).
///   - options: time span, saves, tolerances, method, linear solver.
///   - strategy: how a batch is integrated (resolved for the whole batch).
///   - threads: threads per node, divided among the processes on it.
///   - progress: called on rank 0 with its own finished count scaled to the whole batch.
///   - communicator: the processes (``Communicator/world``).
/// - Returns: on rank 0 one result per initial state, in order; `nil` on the other ranks.
/// - Throws: ``SimulationError`` for bad input (on every process alike); ``RankFailure``, the same on
///   every process, when a block failed to run (the message of the lowest failing rank).
public func simulate(
    _ network: Network, from initialStates: [[Double]], options: SimulationOptions = SimulationOptions(),
    strategy: BatchStrategy = .automatic, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
    progress: (@Sendable (Int) -> Void)? = nil, across communicator: Communicator
) throws -> [SimulationResult]? {
    guard communicator.size > 1 else {
        return try simulate(network, from: initialStates, options: options, strategy: strategy, threads: threads,
                            progress: progress)
    }
    try options.validate()
    try validateBatch(network, initialStates)
    let count = initialStates.count
    let resolved = strategy.resolved(trajectories: count, network: network, options: options)
    let blockThreads = max(1, threads / max(1, communicator.localSize))
    let mine = communicator.block(of: count)
    var blockProgress: (@Sendable (Int) -> Void)? = nil
    if let progress, communicator.isRoot, !mine.isEmpty {
        let scale = Double(count) / Double(mine.count)
        blockProgress = { done in progress(min(count, Int((Double(done) * scale).rounded()))) }
    }
    let blasThreads = BLAS.threadCount
    BLAS.setThreadCount(blockThreads)
    defer { BLAS.setThreadCount(blasThreads) }
    let results = try communicator.mapBlocks(
        count: count, encode: { (result: SimulationResult, w: inout TransferWriter) in result.encode(into: &w) },
        decode: { r in try SimulationResult.decode(from: &r) }
    ) { block in
        guard !block.isEmpty else { return [] }
        return try simulate(
            network, from: Array(initialStates[block]), options: options, strategy: resolved, threads: blockThreads,
            progress: blockProgress)
    }
    return communicator.isRoot ? results : nil
}
