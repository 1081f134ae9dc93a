import Dispatch
import Foundation
import Hopfield
import LinearAlgebra

/// Integrates a batch of independent trajectories of one network, spread over the cores.
///
/// Each trajectory gets its own CVODE solver and energy monitor, so every result equals what
/// ``simulate(_:from:options:)`` returns for that initial state. While more than one trajectory runs at
/// once, OpenBLAS is limited to one thread per call so that the cores are not oversubscribed.
///
/// - Parameters:
///   - initialStates: one flat initial state per trajectory.
///   - threads: how many trajectories run at once (default: the number of active cores).
///   - progress: called (from any thread, serialised) with the number of finished trajectories.
/// - Throws: ``SimulationError`` for bad options or a bad initial state (naming the trajectory).
public func simulate(
    _ network: Network, from initialStates: [[Double]], options: SimulationOptions = SimulationOptions(),
    threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Int) -> Void)? = nil
) throws(SimulationError) -> [SimulationResult] {
    try options.validate()
    for (b, x0) in initialStates.enumerated() {
        if x0.count != network.dimension {
            throw .invalidInitialState("trajectory \(b) has \(x0.count) entries, the network has \(network.dimension) units")
        }
        if let bad = x0.firstIndex(where: { !$0.isFinite }) {
            throw .invalidInitialState("trajectory \(b): entry \(bad) is not finite (\(x0[bad]))")
        }
    }
    let count = initialStates.count
    let workers = max(1, min(threads, count))
    let lock = NSLock()
    nonisolated(unsafe) var results = [SimulationResult?](repeating: nil, count: count)
    nonisolated(unsafe) var firstError: SimulationError? = nil
    nonisolated(unsafe) var finished = 0
    let blasThreads = BLAS.threadCount
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
