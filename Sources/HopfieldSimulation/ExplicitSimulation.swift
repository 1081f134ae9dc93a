import Dispatch
import Foundation
import Hopfield
import LinearAlgebra

/// Integrates a batch of trajectories with the explicit Tsit5 pair on the batched kernels (see
/// ``SimulationMethod/tsit5``).
///
/// Every trajectory has its own step size, error control, energy monitor, steady-state stop and
/// statistics (`steps` accepted steps, `rhs_evals` vector-field evaluations, `error_test_failures`
/// rejected steps); they share only the evaluations: each Runge–Kutta stage evaluates all unfinished
/// trajectories in one call (for dense and dot synapses two GEMMs per synapse, ``BatchedEvaluator``),
/// and finished trajectories leave the batch. The energy, its rate and the monitor's bound at each
/// accepted step come from the step's last stage, so the monitor costs no extra products.
///
/// Threads: when the weights are large (≥ 2¹⁴ entries) the whole batch is one integration and OpenBLAS
/// uses `threads` threads inside the products; otherwise, with at least two trajectories per core, the
/// batch is split into `threads` interleaved parts, each integrated on its own core with
/// single-threaded OpenBLAS. Networks with Euclidean or Manhattan synapses are evaluated one
/// trajectory at a time (``NetworkEvaluator``).
///
/// Stiff networks (fast layers with large Hessians) limit an explicit method's step size by stability:
/// the run still succeeds, with many steps (or `too_much_work` at ``SimulationOptions/maxSteps``); use
/// BDF there.
///
/// - Parameters:
///   - network: the network.
///   - initialStates: one flat initial state per trajectory.
///   - options: time span, saves, tolerances, `untilSteady`, `maxSteps` (per trajectory, accepted plus
///     rejected steps), `maxStepSize`; the method and linear solver are ignored. The gradient dynamics
///     only.
///   - threads: how many cores to use.
///   - progress: called (serialised) with the number of finished trajectories.
/// - Returns: one result per trajectory, in order.
/// - Throws: ``SimulationError`` for bad options, a bad initial state, or the residual dynamics.
public func simulateExplicit(
    _ network: Network, from initialStates: [[Double]], options: SimulationOptions = SimulationOptions(),
    threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Int) -> Void)? = nil
) throws(SimulationError) -> [SimulationResult] {
    try options.validate()
    try validateBatch(network, initialStates)
    guard options.dynamics == .gradient else {
        throw .invalidOptions("method tsit5 integrates the gradient dynamics only; use bdf for the residual flow")
    }
    let count = initialStates.count
    if count == 0 { return [] }
    let blasThreads = BLAS.threadCount
    let largeWeights = network.weightCount >= 1 << 14 && network.isBilinear
    // Small weights: a part of the batch per core once every core gets two trajectories (single-threaded
    // products; the row-wise work runs in parallel too). Large weights: one integration with threaded
    // products, which share the packed weights (two single-threaded halves were 1.5× slower on T2).
    let workers = count >= 2 * threads && !largeWeights ? max(1, threads) : 1
    if workers == 1 {
        BLAS.setThreadCount(largeWeights ? max(1, threads) : 1)
        defer { BLAS.setThreadCount(blasThreads) }
        return integrateExplicit(network, initialStates[...], options: options) { progress?($0) }
    }
    BLAS.setThreadCount(1)
    defer { BLAS.setThreadCount(blasThreads) }
    let lock = NSLock()
    nonisolated(unsafe) var parts = [[SimulationResult]](repeating: [], count: workers)
    nonisolated(unsafe) var finished = [Int](repeating: 0, count: workers)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        // Interleaved parts (w, w + workers, …) balance trajectories of different lengths.
        let part = stride(from: w, to: count, by: workers).map { initialStates[$0] }
        let results = integrateExplicit(network, part[...], options: options) { done in
            lock.lock()
            finished[w] = done
            progress?(finished.reduce(0, +))
            lock.unlock()
        }
        lock.lock()
        parts[w] = results
        lock.unlock()
    }
    var results = [SimulationResult?](repeating: nil, count: count)
    for w in 0 ..< workers {
        for (j, result) in parts[w].enumerated() { results[w + j * workers] = result }
    }
    return results.map { $0! }
}

/// One ``ExplicitIntegrator`` over `states`, on the batched kernels when the synapses allow.
private func integrateExplicit(
    _ network: Network, _ states: ArraySlice<[Double]>, options: SimulationOptions, report: ((Int) -> Void)?
) -> [SimulationResult] {
    if network.isBilinear {
        let evaluator = BatchedEvaluator(network: network, capacity: states.count)
        return ExplicitIntegrator(evaluator: evaluator, capacity: states.count, options: options)
            .run(Array(states), progress: report)
    }
    let evaluator = RowwiseEvaluator(network: network)
    return ExplicitIntegrator(evaluator: evaluator, capacity: states.count, options: options)
        .run(Array(states), progress: report)
}
