import Dispatch
import Foundation
import Hopfield
import LinearAlgebra

/// How a batch of trajectories is integrated.
public enum BatchStrategy: String, Sendable, CaseIterable {
    /// Let ``resolved(trajectories:network:options:)`` choose.
    case automatic
    /// One CVODE solve over the stacked batch with GMRES and the batched kernels
    /// (``simulateLockstep(_:from:options:progress:)``); OpenBLAS uses every thread.
    case lockstep
    /// One CVODE solve per trajectory, spread over the cores; OpenBLAS uses one thread per solve.
    case independent

    /// The strategy that runs: `self` unless it is ``automatic``, which picks by this rule:
    ///
    ///     lockstep  when  B ≥ 4  and  Σ_synapses n_P n_Q ≥ 2¹⁴  (the weights are 128 KiB or more)
    ///     independent otherwise
    ///
    /// Lockstep turns `2B` matrix–vector products per evaluation into two matrix–matrix products, which
    /// pays once the weights are too large to stay in the core's cache between trajectories and there
    /// are enough trajectories to fill a GEMM. Small networks gain little from GEMM and lose by sharing
    /// step sizes, so they run independently, one trajectory per core.
    ///
    /// - Parameters:
    ///   - trajectories: the batch size `B`.
    ///   - network: the network.
    ///   - options: the integration options (unused by the rule today; part of the signature so that
    ///     the rule may consider them).
    public func resolved(trajectories: Int, network: Network, options: SimulationOptions) -> BatchStrategy {
        switch self {
        case .lockstep, .independent: return self
        case .automatic:
            // The lockstep path batches dense (bilinear) synapses and the gradient dynamics only.
            guard network.isBilinear, options.dynamics == .gradient else { return .independent }
            return trajectories >= 4 && network.weightCount >= 1 << 14 ? .lockstep : .independent
        }
    }
}

/// Integrates a batch of trajectories of one network, by the strategy given (default: the rule of
/// ``BatchStrategy/resolved(trajectories:network:options:)``).
///
/// - ``BatchStrategy/independent``: each trajectory gets its own CVODE solver and energy monitor, so every
///   result equals what ``simulate(_:from:options:)`` returns for that initial state. `threads`
///   trajectories run at once; while more than one does, OpenBLAS is limited to one thread per call so
///   that the cores are not oversubscribed.
/// - ``BatchStrategy/lockstep``: ``simulateLockstep(_:from:options:progress:)`` with OpenBLAS set to
///   `threads` threads; results agree with the independent ones within the tolerances.
///
/// - Parameters:
///   - initialStates: one flat initial state per trajectory.
///   - strategy: lockstep, independent or automatic.
///   - threads: how many cores to use (default: the number of active cores).
///   - progress: called (from any thread, serialised) with the number of finished trajectories.
/// - Throws: ``SimulationError`` for bad options or a bad initial state (naming the trajectory).
public func simulate(
    _ network: Network, from initialStates: [[Double]], options: SimulationOptions = SimulationOptions(),
    strategy: BatchStrategy = .automatic,
    threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Int) -> Void)? = nil
) throws(SimulationError) -> [SimulationResult] {
    try options.validate()
    try validateBatch(network, initialStates)
    if options.method == .tsit5 {
        return try simulateExplicit(network, from: initialStates, options: options, threads: threads, progress: progress)
    }
    let count = initialStates.count
    let blasThreads = BLAS.threadCount
    switch strategy.resolved(trajectories: count, network: network, options: options) {
    case .lockstep:
        guard network.isBilinear, options.dynamics == .gradient else {
            throw .invalidOptions(
                "batch-strategy lockstep supports dense and dot synapses with the gradient dynamics only; use independent")
        }
        BLAS.setThreadCount(max(1, threads))
        defer { BLAS.setThreadCount(blasThreads) }
        return try simulateLockstep(network, from: initialStates, options: options, progress: progress)
    case .independent, .automatic:
        break
    }
    let workers = max(1, min(threads, count))
    let lock = NSLock()
    nonisolated(unsafe) var results = [SimulationResult?](repeating: nil, count: count)
    nonisolated(unsafe) var firstError: SimulationError? = nil
    nonisolated(unsafe) var finished = 0
    if workers > 1 { BLAS.setThreadCount(1) }
    defer { if workers > 1 { BLAS.setThreadCount(blasThreads) } }
    nonisolated(unsafe) var next = 0
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            lock.lock()
            let b = next
            next += 1
            lock.unlock()
            if b >= count { return }
            let outcome: Result<SimulationResult, SimulationError>
            do throws(SimulationError) {
                outcome = .success(try simulate(network, from: initialStates[b], options: options))
            } catch {
                outcome = .failure(error)
            }
            lock.lock()
            switch outcome {
            case .success(let r): results[b] = r
            case .failure(let e): if firstError == nil { firstError = e }
            }
            finished += 1
            progress?(finished)
            lock.unlock()
        }
    }
    if let firstError { throw firstError }
    return results.map { $0! }
}
