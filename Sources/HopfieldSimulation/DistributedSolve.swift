import Distributed
import Hopfield
import LinearAlgebra

/// Integrates a ``SimulationProblem`` with its trajectories split over the processes of
/// `communicator`: each process solves its contiguous block of the initial states
/// (`Communicator/block(of:)`) and rank 0 receives every trajectory, in order.
///
///     trajectories b ∈ block(r) on process r;   rank 0: solution = what one process returns
///
/// Every process first checks the problem and the options as one process would (so bad input fails
/// every rank alike, with one process's message), and the algorithm and the batch strategy are
/// resolved for the whole batch, so each block runs what one process would run. With the independent
/// strategy (CVODE) each trajectory is integrated by the same code as in one process and the results
/// agree bit for bit; a lockstep block shares CVODE's steps with its own block only, and the Tsit5
/// pair's batched products may round differently, so those agree within the tolerances. Each process
/// uses `options.threads / communicator.localSize` threads (at least one), and OpenBLAS as many while
/// its block runs (ranks sharing a node must not each start a thread per core; and with one thread per
/// rank every trajectory sees the single-threaded products it sees in one process that integrates
/// several at once). A single communicator process (no launcher) is ``solve(_:_:options:)``.
///
/// - Parameters:
///   - problem: the model, initial state(s), time span, saves and steady-state stop (on every process).
///   - algorithm: the integrator (default `auto`).
///   - options: as for ``solve(_:_:options:)``; progress is reported by rank 0 for its own block,
///     scaled to the whole batch.
///   - communicator: the processes (`Communicator/world`).
/// - Returns: on rank 0 the solution one process would return; `nil` on the other ranks.
/// - Throws: ``SimulationError`` for bad input (on every process alike); `RankFailure` — the same on
///   every process — when a process's block failed to run, with that process's message.
public func solve(
    _ problem: SimulationProblem, _ algorithm: SimulationAlgorithm = .auto,
    options: SimulationOptions = SimulationOptions(), across communicator: Communicator
) throws -> SimulationSolution? {
    guard communicator.size > 1 else { return try solve(problem, algorithm, options: options) }
    try validate(options)
    let states = try problem.validatedStates()
    let resolved = algorithm.resolved(for: problem, options: options)
    var blockOptions = options
    blockOptions.batchStrategy = options.batchStrategy.resolved(
        trajectories: states.count, model: problem.model, dynamics: options.dynamics)
    blockOptions.threads = communicator.threadsPerProcess(options.threads)
    let mine = communicator.block(of: states.count)
    if let progress = options.progress, communicator.isRoot, !mine.isEmpty {
        let scale = Double(states.count) / Double(mine.count)
        blockOptions.progress = { done in progress(min(states.count, Int((Double(done) * scale).rounded()))) }
    } else {
        blockOptions.progress = nil
    }
    let blasThreads = BLAS.threadCount
    BLAS.setThreadCount(blockOptions.threads)
    defer { BLAS.setThreadCount(blasThreads) }
    let model = problem.model
    let saveTimes = problem.saveTimes
    var rootSolution: SimulationSolution?
    let trajectories = try communicator.mapBlocks(
        count: states.count, encode: { (t: TrajectorySolution, w: inout TransferWriter) in t.encode(into: &w) },
        decode: { r in
            try TrajectorySolution.decode(from: &r, variables: model.variables, dimension: model.dimension, saveTimes: saveTimes)
        }
    ) { block in
        guard !block.isEmpty else { return [] }
        let part = SimulationProblem(
            model: model, flatInitialStates: Array(states[block]), isBatch: problem.isBatch,
            endTime: problem.endTime, saveCount: problem.saveCount, stopAtSteadyState: problem.stopAtSteadyState)
        let solution = try solve(part, resolved, options: blockOptions)
        rootSolution = solution
        return solution.trajectories
    }
    guard communicator.isRoot, var solution = rootSolution else { return nil }
    solution.trajectories = trajectories
    return solution
}
