import Distributed
import Hopfield
import LinearAlgebra

/// What to integrate for a `SplitMemoryNetwork`: its initial state(s) of the WHOLE network (the same on
/// every process; each process takes its part), the time span, saves and the steady-state stop.
///
/// The counterpart of ``SimulationProblem`` for a network whose memory layer is split over processes;
/// solved by ``solve(_:_:options:across:)-(SplitProblem,_,_,_)``.
public struct SplitProblem: Sendable {
    /// The network (this process's block of it).
    public var network: SplitMemoryNetwork
    /// The end of the time span `[0, endTime]`, finite and > 0.
    public var endTime: Double
    /// The number of equally spaced saved states (≥ 2).
    public var saveCount: Int
    /// Stop a trajectory once `‖ẋ‖_WRMS ≤ 1` over the whole state.
    public var stopAtSteadyState: Bool
    /// Whether the initial states are a batch.
    public let isBatch: Bool
    let initial: SimulationProblem.Initial

    /// One initial state by layer name (layers not named start at 0).
    public init(
        network: SplitMemoryNetwork, initialState: [String: [Double]], endTime: Double = 10, saveCount: Int = 101,
        stopAtSteadyState: Bool = false
    ) {
        self.init(network, .named([initialState]), false, endTime, saveCount, stopAtSteadyState)
    }

    /// A batch of initial states by layer name, integrated one after another.
    public init(
        network: SplitMemoryNetwork, initialStates: [[String: [Double]]], endTime: Double = 10, saveCount: Int = 101,
        stopAtSteadyState: Bool = false
    ) {
        self.init(network, .named(initialStates), true, endTime, saveCount, stopAtSteadyState)
    }

    /// Flat initial states of the whole network (`N + K` entries each: features, then memories).
    public init(
        network: SplitMemoryNetwork, flatInitialStates: [[Double]], isBatch: Bool, endTime: Double = 10,
        saveCount: Int = 101, stopAtSteadyState: Bool = false
    ) {
        self.init(network, .flat(flatInitialStates), isBatch, endTime, saveCount, stopAtSteadyState)
    }

    private init(
        _ network: SplitMemoryNetwork, _ initial: SimulationProblem.Initial, _ isBatch: Bool, _ endTime: Double,
        _ saveCount: Int, _ stopAtSteadyState: Bool
    ) {
        self.network = network
        self.initial = initial
        self.isBatch = isBatch
        self.endTime = endTime
        self.saveCount = saveCount
        self.stopAtSteadyState = stopAtSteadyState
    }

    /// The equally spaced save times.
    public var saveTimes: [Double] { equallySpacedTimes(endTime: endTime, count: saveCount) }
}

/// Integrates a ``SplitProblem`` over the processes that share its network: one integrator over the
/// whole distributed state, every process working on its part (docs/math.md §9).
///
/// | algorithm | what runs |
/// |---|---|
/// | `bdf` / `adams` with `.gmres` | one CVODE over SUNDIALS' MPI vector (`NVECTOR_PARALLEL`: its norms and dot products reduce over the processes) with the analytic Jacobian–vector product; a plain process without MPI uses the serial vector |
/// | `tsit5` | the explicit pair with its error, starting-step, stiffness and steady-state norms summed over the processes |
/// | `auto` | BDF + GMRES: a retrieval ends near a stable fixed point, where explicit steps are limited by stability, and the automatic method's switching and Newton finish are not split (yet) |
///
/// Dense linear solvers are refused (a split state has no dense Jacobian here), and only the gradient
/// dynamics runs. The energy monitor sees the global energy and rate at every step (its bound `G` and the
/// steady-state norm are summed over the processes). A batch is integrated one state after another.
///
/// At the end rank 0 gathers every process's part of the saved and final states (rank order is unit
/// order) and returns the solution of the whole network, in the form ``solve(_:_:options:)`` returns for
/// the equivalent `Network`; the other processes return nil. Every process must call this together,
/// with the same problem (apart from its network block) and options.
///
/// MPI: under a launcher (`Communicator/world` with MPI initialised, even one process) CVODE runs over
/// `NVECTOR_PARALLEL`; a plain process (`Communicator/single`, no MPI) runs the same code on a serial
/// vector. The network's `SplitMemoryNetwork.reduction` must span `communicator`
/// (`CommunicatorReduction(communicator)`).
///
/// - Parameters:
///   - problem: the network block and the whole initial state(s).
///   - algorithm: `bdf`/`adams` with GMRES, `tsit5`, or `auto` (BDF + GMRES).
///   - options: tolerances, step limits, the monitor's safety factor, threads (per node, divided among
///     its processes), progress (rank 0, per finished trajectory).
///   - communicator: the processes sharing the network.
/// - Returns: on rank 0 the solution of the whole network; nil elsewhere.
/// - Throws: ``SimulationError`` for bad input (every process alike); `RankFailure` (the same on every
///   process) when a process could not set up its solver.
public func solve(
    _ problem: SplitProblem, _ algorithm: SimulationAlgorithm = .auto,
    options: SimulationOptions = SimulationOptions(), across communicator: Communicator
) throws -> SimulationSolution? {
    let network = problem.network
    guard network.processCount == communicator.size, network.rank == communicator.rank else {
        throw SimulationError.invalidOptions(
            "the split network spans \(network.processCount) processes, the communicator \(communicator.size)")
    }
    try validate(options)
    guard options.dynamics == .gradient else {
        throw SimulationError.invalidOptions("a memory layer split over processes integrates the gradient dynamics only")
    }
    let states = try SimulationProblem.validatedStates(
        problem.initial, isBatch: problem.isBatch, endTime: problem.endTime, saveCount: problem.saveCount,
        variables: network.variables, dimension: network.dimension)
    let resolved: SimulationAlgorithm = algorithm == .auto ? .bdf(linearSolver: .gmres()) : algorithm
    if resolved != .tsit5 {
        guard case .gmres = resolved.linearSolver else {
            throw SimulationError.invalidOptions(
                "a memory layer split over processes has no dense Jacobian: use the GMRES linear solver")
        }
    }
    let settings = RunSettings(
        endTime: problem.endTime, saveCount: problem.saveCount, relativeTolerance: options.relativeTolerance,
        absoluteTolerance: options.absoluteTolerance, method: resolved.method, linearSolver: resolved.linearSolver,
        untilSteady: problem.stopAtSteadyState, maxSteps: options.maxSteps, maxStepSize: options.maxStepSize,
        monitorSafetyFactor: options.monitorSafetyFactor, dynamics: .gradient)
    let saveTimes = problem.saveTimes

    let blasThreads = BLAS.threadCount
    if communicator.usesMPI { BLAS.setThreadCount(communicator.threadsPerProcess(options.threads)) }
    defer { BLAS.setThreadCount(blasThreads) }

    let evaluator = network.makeEvaluator()
    let range = network.localRange
    var locals: [TrajectorySolution] = []
    for (b, x0) in states.enumerated() {
        let part = Array(x0[range])
        let trajectory = try communicator.collectively { () throws -> TrajectorySolution in
            if resolved == .tsit5 {
                return ExplicitIntegrator(
                    evaluator: evaluator, variables: network.variables, capacity: 1, options: settings,
                    reduction: network.reduction, globalDimension: network.dimension
                ).run([part])[0]
            }
            return try integrateSplitCVODE(
                network, evaluator, part, settings: settings, saveTimes: saveTimes,
                parallel: communicator.usesMPI)
        }
        locals.append(trajectory)
        if communicator.isRoot { options.progress?(b + 1) }
    }
    guard let whole = gatherSplit(locals, network: network, saveTimes: saveTimes, communicator: communicator) else {
        return nil
    }
    return SimulationSolution(
        variables: network.variables, saveTimes: saveTimes, isBatch: problem.isBatch, algorithm: resolved,
        strategy: resolved == .tsit5 ? nil : .independent,
        trajectories: finished(whole, method: resolved.method))
}

/// One CVODE solve of this process's part `x0` of a split state: over `NVECTOR_PARALLEL` when
/// `parallel` (MPI initialised), else over a serial vector (one process). The monitor observes every
/// step (global energy and rate; `G` and the steady-state norm summed over the processes), and with
/// `untilSteady` the run stops after the first step at which `‖ẋ‖_WRMS ≤ 1` over the whole state.
func integrateSplitCVODE(
    _ network: SplitMemoryNetwork, _ evaluator: SplitMemoryEvaluator, _ x0: [Double], settings: RunSettings,
    saveTimes: [Double], parallel: Bool
) throws(SimulationError) -> TrajectorySolution {
    let n = x0.count
    let monitor = LyapunovMonitor(
        count: 1, dimension: n, relativeTolerance: settings.relativeTolerance,
        absoluteTolerance: settings.absoluteTolerance, safetyFactor: settings.monitorSafetyFactor,
        function: EnergyFunction(evaluator), reduction: network.reduction, globalDimension: network.dimension)
    x0.withUnsafeBufferPointer { monitor.observe(t: 0, states: $0) }
    var solverOptions = settings.solverOptions
    solverOptions.stopAtSteadyState = false  // tested on the monitor's velocity below, over the whole state
    let problem = ODEProblem(
        initialState: x0, startTime: 0, endTime: settings.endTime,
        vectorField: { _, y, ydot in evaluator.vectorField(y, into: ydot) },
        jacobianVectorProduct: { _, y, v, jv in evaluator.jacobianVectorProduct(at: y, v, into: jv) })
    var steady = false
    let observer = { (t: Double, y: UnsafeBufferPointer<Double>) -> Bool in
        monitor.observe(t: t, states: y)
        if settings.untilSteady, monitor.isSteady(0, state: y) {
            steady = true
            return false
        }
        return true
    }
    let solution: ODESolution
    do {
        if parallel {
            solution = try integrate(
                problem, options: solverOptions,
                layout: ParallelVectorLayout(localLength: n, globalLength: network.dimension), observer: observer)
        } else {
            solution = try integrate(problem, options: solverOptions, observer: observer)
        }
    } catch {
        throw .solverSetup(error.description)
    }
    let status: SolverStatus = steady && solution.status == .stoppedByObserver ? .steadyState : solution.status
    return TrajectorySolution(
        variables: network.variables, dimension: n, saveTimes: saveTimes, status: status, times: solution.times,
        states: solution.states, finalTime: solution.finalTime, finalState: solution.finalState,
        energyTrace: monitor.traces[0].samples, lyapunovTrace: [], monitor: monitor.traces[0].report,
        statistics: .cvode(solution.statistics), dynamics: .gradient)
}

/// Rank 0 receives every process's part of the saved and final states of every trajectory (one gather)
/// and returns the trajectories of the whole network (parts joined in rank order = unit order); the
/// energy traces, monitor reports, statuses and statistics are the same on every process and are rank
/// 0's. Other ranks return nil.
func gatherSplit(
    _ locals: [TrajectorySolution], network: SplitMemoryNetwork, saveTimes: [Double], communicator: Communicator
) -> [TrajectorySolution]? {
    let n = network.dimension
    var rows = 0
    var mine: [Double] = []
    for t in locals {
        rows += t.times.count + 1
        mine += t.states
        mine += t.finalState
    }
    let parts = communicator.gather(mine)
    guard communicator.isRoot else { return nil }
    let widths = parts.map { rows > 0 ? $0.count / rows : 0 }
    var cursor = [Int](repeating: 0, count: parts.count)
    func nextRow() -> [Double] {
        var row: [Double] = []
        row.reserveCapacity(n)
        for r in parts.indices {
            row += parts[r][cursor[r] ..< cursor[r] + widths[r]]
            cursor[r] += widths[r]
        }
        return row
    }
    return locals.map { t in
        var states: [Double] = []
        states.reserveCapacity(t.times.count * n)
        for _ in t.times.indices { states += nextRow() }
        let final = nextRow()
        var whole = TrajectorySolution(
            variables: network.variables, dimension: n, saveTimes: saveTimes, status: t.status, times: t.times,
            states: states, finalTime: t.finalTime, finalState: final, energyTrace: t.energyTrace,
            lyapunovTrace: t.lyapunovTrace, monitor: t.monitor, statistics: t.statistics, dynamics: t.dynamics)
        whole.segments = t.segments
        return whole
    }
}
