import Dispatch
import Foundation
import Hopfield
import LinearAlgebra

/// Integrates a ``SimulationProblem``: the one entry point of the simulation library.
///
///     ẋ = f(x)  on [0, endTime],  x(0) = x₀ (one state or a batch),
///     with dE/dt ≤ 0 watched at every internal step (``EnergyMonitorReport``)
///
/// For a `Network` this is `τ_A dx_A/dt = b_A − x_A + Σ_{P→A} W g_P + Σ_{A→Q} Wᵀ g_Q` with clamped
/// units held fixed (docs/math.md §1, §7). The problem and options are checked once, then the run is
/// dispatched once:
///
/// | algorithm | batch strategy | what runs |
/// |---|---|---|
/// | `bdf`, `adams` | independent | one CVODE solve per trajectory, `threads` at once (OpenBLAS single-threaded while several run) |
/// | `bdf`, `adams` | lockstep | one CVODE solve over the stacked batch, GMRES, batched kernels, OpenBLAS on `threads` threads |
/// | `tsit5` | — | the explicit pair over the model's batched evaluator; each trajectory its own step size |
/// | `auto` | — | `tsit5` with `AutoSupervisor`: Newton finish at a steady stop, stiff trajectories continue on BDF + GMRES (`continueSwitched(_:_:settings:saveTimes:threads:)`) |
///
/// The strategy `automatic` follows ``BatchStrategy/resolved(trajectories:model:dynamics:)``; `auto` as
/// algorithm follows ``SimulationAlgorithm/resolved(for:options:)``. With ``Dynamics/residual`` (networks
/// only, CVODE, no clamped units) every trajectory integrates the residual flow independently.
///
/// Tsit5 threads: when the model's batched work is large (≥ 2¹⁴) the whole batch is one integration and
/// OpenBLAS uses `threads` threads inside the products; otherwise, with at least two trajectories per
/// core, the batch is split into `threads` interleaved parts, each integrated on its own core with
/// single-threaded OpenBLAS. A single state runs on one thread.
///
/// - Parameters:
///   - problem: the model, initial state(s), time span, saves and steady-state stop.
///   - algorithm: the integrator (default `auto`).
///   - options: tolerances, step limits, the monitor's safety factor, threads, batch strategy, progress,
///     dynamics.
/// - Returns: one trajectory per initial state; an integration failure is a trajectory's status, not
///   an error.
/// - Throws: ``SimulationError`` for a bad option, a bad initial state (naming the trajectory and the
///   entry or variable), a combination that cannot run, or a solver that cannot be set up.
public func solve(
    _ problem: SimulationProblem, _ algorithm: SimulationAlgorithm = .auto,
    options: SimulationOptions = SimulationOptions()
) throws(SimulationError) -> SimulationSolution {
    try validate(options)
    let states = try problem.validatedStates()
    let resolved = algorithm.resolved(for: problem, options: options)
    let model = problem.model
    let settings = RunSettings(
        endTime: problem.endTime, saveCount: problem.saveCount, relativeTolerance: options.relativeTolerance,
        absoluteTolerance: options.absoluteTolerance, method: resolved.method, linearSolver: resolved.linearSolver,
        untilSteady: problem.stopAtSteadyState, maxSteps: options.maxSteps, maxStepSize: options.maxStepSize,
        monitorSafetyFactor: options.monitorSafetyFactor, dynamics: options.dynamics)
    let saveTimes = problem.saveTimes
    // A model split over processes (every evaluation a collective call) runs its trajectories one after
    // the other on one thread, in the same order on every process; OpenBLAS keeps `threads` threads
    // inside its products. Nothing below then decides on timing, load or thread scheduling.
    let collective = model.evaluatesCollectively
    let threads = collective ? 1 : max(1, options.threads)
    let progress = options.progress
    let blasThreadsBefore = BLAS.threadCount
    if collective { BLAS.setThreadCount(max(1, options.threads)) }
    defer { if collective { BLAS.setThreadCount(blasThreadsBefore) } }
    func solution(_ trajectories: [TrajectorySolution], _ strategy: BatchStrategy?) -> SimulationSolution {
        SimulationSolution(
            variables: model.variables, saveTimes: saveTimes, isBatch: problem.isBatch, algorithm: resolved,
            strategy: strategy, trajectories: finished(trajectories, method: resolved.method))
    }

    if options.dynamics == .residual {
        guard resolved != .tsit5 else {
            throw .invalidOptions("method tsit5 integrates the gradient dynamics only; use bdf for the residual flow")
        }
        guard let network = model as? Network else {
            throw .invalidOptions("dynamics residual needs a Lagrangian network")
        }
        guard !network.hasClampedUnits else {
            throw .invalidOptions("dynamics residual does not support clamped units; use the gradient dynamics")
        }
        let run = try independently(states, threads: threads, progress: progress) { x0 throws(SimulationError) in
            try integrateResidualFlow(network, from: x0, settings: settings, saveTimes: saveTimes)
        }
        return solution(run, .independent)
    }
    if resolved == .tsit5 {
        let run = explicitRun(
            model, states, settings: settings, saveTimes: saveTimes, threads: problem.isBatch ? threads : 1,
            progress: progress)
        return solution(run, nil)
    }
    if resolved == .auto {
        var explicitSettings = settings
        explicitSettings.method = .tsit5
        let run = explicitRun(
            model, states, settings: explicitSettings, saveTimes: saveTimes, threads: problem.isBatch ? threads : 1,
            progress: progress, auto: options.auto)
        let continued = try continueSwitched(model, run, settings: settings, saveTimes: saveTimes, threads: threads)
        return solution(continued, nil)
    }
    let strategy = options.batchStrategy.resolved(trajectories: states.count, model: model, dynamics: options.dynamics)
    if strategy == .lockstep {
        guard model.evaluatesBatches else {
            throw .invalidOptions(
                "batch-strategy lockstep supports dense and dot synapses with the gradient dynamics only; use independent")
        }
        let blasThreads = BLAS.threadCount
        BLAS.setThreadCount(collective ? blasThreads : productThreads(threads))
        defer { BLAS.setThreadCount(blasThreads) }
        let run = try integrateCVODE(model, states, settings: settings, saveTimes: saveTimes) { progress?($0) }
        return solution(run, .lockstep)
    }
    let run = try independently(states, threads: threads, progress: progress) { x0 throws(SimulationError) in
        try integrateCVODE(model, [x0], settings: settings, saveTimes: saveTimes, progress: nil)[0]
    }
    return solution(run, .independent)
}

/// A trajectory whose energy, rate or state left the finite numbers fails with status
/// ``SolverStatus/nonFinite`` (whatever the integrator said), and its monitor does not pass: the monitor
/// cannot judge NaN or infinity, so they must never count as "no increase".
///
/// Checks the monitor's record (``EnergyMonitorReport/firstNonFiniteTime``), the energy trace (for the
/// residual flow the monitor watches `‖r‖²`, not E) and the final state.
func failedIfNonFinite(_ trajectory: TrajectorySolution) -> TrajectorySolution {
    var t = trajectory
    var when = t.monitor.firstNonFiniteTime
    if when == nil, let sample = t.energyTrace.first(where: { !($0.energy.isFinite && $0.rate.isFinite) }) { when = sample.t }
    if when == nil, !t.finalState.allSatisfy(\.isFinite) { when = t.finalTime }
    guard let when else { return t }
    if t.monitor.firstNonFiniteTime == nil { t.monitor.firstNonFiniteTime = when }
    if t.status.isSuccess { t.status = .nonFinite }
    return t
}

/// Checks the options (tolerances, step limits, the monitor's safety factor).
///
/// - Throws: ``SimulationError/invalidOptions(_:)`` naming the offending option.
func validate(_ options: SimulationOptions) throws(SimulationError) {
    func bad(_ s: String) -> SimulationError { .invalidOptions(s) }
    let rtol = options.relativeTolerance, atol = options.absoluteTolerance
    guard rtol.isFinite, rtol > 0, rtol < 1 else { throw bad("rtol must be in (0, 1), got \(rtol)") }
    guard atol.isFinite, atol > 0 else { throw bad("atol must be a finite number > 0, got \(atol)") }
    guard options.maxSteps > 0 else { throw bad("max-steps must be > 0, got \(options.maxSteps)") }
    if let h = options.maxStepSize, !(h.isFinite && h > 0) { throw bad("max-step must be > 0, got \(h)") }
    guard options.monitorSafetyFactor.isFinite, options.monitorSafetyFactor >= 1 else {
        throw bad("monitor safety factor must be ≥ 1, got \(options.monitorSafetyFactor)")
    }
}

/// Runs `body` once per state, `threads` at a time (OpenBLAS single-threaded while more than one runs),
/// and returns the results in order; the first error is rethrown after all finished.
func independently(
    _ states: [[Double]], threads: Int, progress: (@Sendable (Int) -> Void)?,
    _ body: @escaping ([Double]) throws(SimulationError) -> TrajectorySolution
) throws(SimulationError) -> [TrajectorySolution] {
    let count = states.count
    let workers = max(1, min(threads, count))
    let lock = NSLock()
    nonisolated(unsafe) var results = [TrajectorySolution?](repeating: nil, count: count)
    nonisolated(unsafe) var firstError: SimulationError? = nil
    nonisolated(unsafe) var finished = 0
    nonisolated(unsafe) var next = 0
    nonisolated(unsafe) let body = body
    let blasThreads = BLAS.threadCount
    if workers > 1 { BLAS.setThreadCount(1) }
    defer { if workers > 1 { BLAS.setThreadCount(blasThreads) } }
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            lock.lock()
            let b = next
            next += 1
            lock.unlock()
            if b >= count { return }
            let outcome: Result<TrajectorySolution, SimulationError>
            do throws(SimulationError) {
                outcome = .success(try body(states[b]))
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

/// The Tsit5 run of a batch: one ``ExplicitIntegrator`` over the model's evaluator, or interleaved parts
/// of the batch on `threads` cores (see ``solve(_:_:options:)``).
private func explicitRun(
    _ model: any DynamicalModel, _ states: [[Double]], settings: RunSettings, saveTimes: [Double], threads: Int,
    progress: (@Sendable (Int) -> Void)?, auto: AutoMethodOptions? = nil
) -> [TrajectorySolution] {
    let count = states.count
    if count == 0 { return [] }
    let blasThreads = BLAS.threadCount
    let largeWork = model.batchedWork >= 1 << 14
    // Small models: a part of the batch per core once every core gets two trajectories (single-threaded
    // products; the row-wise work runs in parallel too). Large batched work: one integration with
    // threaded products, which share the packed weights (two single-threaded halves were 1.5× slower on T2).
    let workers = count >= 2 * threads && !largeWork ? max(1, threads) : 1
    if model.evaluatesCollectively {
        // One thread, the caller's OpenBLAS threads (see solve).
        return explicitPart(model, states, settings, auto: auto) { progress?($0) }
    }
    if workers == 1 {
        BLAS.setThreadCount(largeWork ? productThreads(threads) : 1)
        defer { BLAS.setThreadCount(blasThreads) }
        return explicitPart(model, states, settings, auto: auto) { progress?($0) }
    }
    BLAS.setThreadCount(1)
    defer { BLAS.setThreadCount(blasThreads) }
    let lock = NSLock()
    nonisolated(unsafe) var parts = [[TrajectorySolution]](repeating: [], count: workers)
    nonisolated(unsafe) var finished = [Int](repeating: 0, count: workers)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        // Interleaved parts (w, w + workers, …) balance trajectories of different lengths.
        let part = stride(from: w, to: count, by: workers).map { states[$0] }
        let results = explicitPart(model, part, settings, auto: auto) { done in
            lock.lock()
            finished[w] = done
            progress?(finished.reduce(0, +))
            lock.unlock()
        }
        lock.lock()
        parts[w] = results
        lock.unlock()
    }
    var results = [TrajectorySolution?](repeating: nil, count: count)
    for w in 0 ..< workers {
        for (j, result) in parts[w].enumerated() { results[w + j * workers] = result }
    }
    return results.map { $0! }
}

/// One ``ExplicitIntegrator`` over a new evaluator of `model` for the states of `part`.
private func explicitPart(
    _ model: any DynamicalModel, _ part: [[Double]], _ settings: RunSettings, auto: AutoMethodOptions?,
    _ report: ((Int) -> Void)?
) -> [TrajectorySolution] {
    let evaluator = model.makeEvaluator(capacity: part.count)
    let supervisor = auto.map {
        AutoSupervisor(model: model, evaluator: evaluator, capacity: part.count, settings: settings, options: $0)
    }
    return ExplicitIntegrator(
        evaluator: evaluator, variables: model.variables, capacity: part.count, options: settings,
        supervisor: supervisor
    ).run(part, progress: report)
}

/// The threads one batched product (threaded OpenBLAS) may use: `threads`, but no more than the cores
/// other processes leave idle when the process starts,
///
///     min(threads, max(1, ⌊cores − load₁ + 0.5⌋)),   load₁ the one-minute load average,
///
/// because threaded GEMMs fall off a cliff when a core is busy (their threads wait for each other):
/// on T2's shapes with 64 queries, 2 threads were 2.1–2.4× slower than 1 with one core kept busy, and
/// no faster on the shared host at load 15 (docs/performance-auto.md). On an idle machine both cores
/// run the products (1.3–1.5× faster there). Splitting a batch over single-threaded cores (small
/// models) has no such cliff and keeps its rule.
func productThreads(_ threads: Int) -> Int {
    min(threads, idleCores)
}

/// The cores left idle by other processes when this process first asked (one decision per process, so
/// that repeated solves are timed alike and a solve's own load does not count).
private let idleCores: Int = {
    var loads = [Double](repeating: 0, count: 3)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard getloadavg(&loads, 3) >= 1 else { return cores }
    return max(1, Int((Double(cores) - loads[0] + 0.5).rounded(.down)))
}()

/// The trajectories as a solution reports them: one that names no segments gets one, the whole run by
/// `method`; then a run that ended with non-finite values is marked as such (``failedIfNonFinite(_:)``).
func finished(_ trajectories: [TrajectorySolution], method: SimulationMethod) -> [TrajectorySolution] {
    trajectories.map { trajectory in
        guard trajectory.segments.isEmpty else { return trajectory }
        var filled = trajectory
        filled.segments = [
            MethodSegment(method: method, startTime: 0, endTime: trajectory.finalTime, statistics: trajectory.statistics)
        ]
        return filled
    }.map(failedIfNonFinite)
}
