/// The integration method by name (the command line's `--method`).
///
/// | case | solver | suits |
/// |---|---|---|
/// | `auto` | Tsit5, moving stiff trajectories to BDF + GMRES; Newton finish at a steady stop (``SimulationAlgorithm/auto``) | any network (the default) |
/// | `bdf` | CVODE BDF, orders 1–5, Newton iteration with the chosen linear solver | stiff networks (the default) |
/// | `adams` | CVODE Adams–Moulton, orders 1–12 | smooth non-stiff networks |
/// | `tsit5` | Tsitouras' explicit 5(4) Runge–Kutta pair, FSAL, on the batched kernels | non-stiff networks, large batches |
public enum SimulationMethod: String, Sendable, CaseIterable {
    /// The automatic choice (``SimulationAlgorithm/auto``).
    case auto
    /// CVODE's backward differentiation formulas (`CV_BDF`).
    case bdf
    /// CVODE's Adams–Moulton formulas (`CV_ADAMS`).
    case adams
    /// Tsitouras' 5(4) explicit Runge–Kutta pair (Ch. Tsitouras, Comput. Math. Appl. 62, 2011).
    case tsit5

    /// The CVODE method, or nil for the explicit method and the automatic choice.
    public var cvodeMethod: IntegrationMethod? {
        switch self {
        case .bdf: .bdf
        case .adams: .adams
        case .tsit5, .auto: nil
        }
    }
}

/// Which integrator ``solve(_:_:options:)`` runs.
///
/// - `bdf` / `adams`: CVODE through `Sundials.integrate`, with the linear solver given (dense with the
///   model's analytic Jacobian, dense with difference quotients, or matrix-free GMRES with its
///   Jacobian–vector product). Stiff models: BDF.
/// - `tsit5`: the explicit Tsitouras 5(4) pair over the model's batched evaluator, every trajectory with
///   its own step size; no linear solver. Its step size is limited by stability on stiff models.
/// - `auto`: every trajectory starts on `tsit5`; one whose steps stay stability-limited moves, from its
///   current state, to BDF with GMRES and the analytic Jacobian–vector product (``StiffnessSwitch``); a
///   problem stiff from the start runs on BDF + GMRES (``resolved(for:options:)``); with a steady-state
///   stop, trajectories near their fixed point finish with the safeguarded Newton–Krylov solve
///   ``NewtonFinish``. Thresholds: ``SimulationOptions/auto``; rules and measurements:
///   docs/performance-auto.md. Each trajectory records which method ran which part
///   (``TrajectorySolution/segments``), the hand-off time and whether it was polished.
public enum SimulationAlgorithm: Sendable, Equatable {
    /// Let ``resolved(for:options:)`` choose.
    case auto
    /// CVODE's BDF with this linear solver.
    case bdf(linearSolver: LinearSolverKind = .dense)
    /// CVODE's Adams–Moulton with this linear solver.
    case adams(linearSolver: LinearSolverKind = .dense)
    /// Tsitouras' explicit 5(4) pair.
    case tsit5

    /// The algorithm of a method name and a linear solver (ignored by `tsit5` and `auto`).
    public init(method: SimulationMethod, linearSolver: LinearSolverKind = .dense) {
        switch method {
        case .auto: self = .auto
        case .bdf: self = .bdf(linearSolver: linearSolver)
        case .adams: self = .adams(linearSolver: linearSolver)
        case .tsit5: self = .tsit5
        }
    }

    /// The algorithm that runs: `self` unless it is ``auto``.
    ///
    /// `auto` stays `auto` (the explicit pair with switching, see ``auto``) unless the problem is stiff
    /// from the start (``AutoMethodOptions/startsImplicit(timeConstants:endTime:untilSteady:)``: the
    /// explicit pair's predicted cost `2 Δt / τ_min` reaches ``AutoMethodOptions/switchCost``) or it
    /// integrates the residual flow, which only CVODE runs: then BDF with GMRES (with the dense solver
    /// for the residual flow).
    ///
    /// - Parameters:
    ///   - problem: the problem to solve.
    ///   - options: the options it is solved with.
    public func resolved(for problem: SimulationProblem, options: SimulationOptions) -> SimulationAlgorithm {
        guard self == .auto else { return self }
        if options.dynamics == .residual { return .bdf(linearSolver: .dense) }
        let model = problem.model
        if options.auto.startsImplicit(
            timeConstants: model.timeConstants, endTime: problem.endTime, untilSteady: problem.stopAtSteadyState)
        {
            return .bdf(linearSolver: .gmres())
        }
        return .auto
    }

    /// The method by name.
    public var method: SimulationMethod {
        switch self {
        case .auto: .auto
        case .bdf: .bdf
        case .adams: .adams
        case .tsit5: .tsit5
        }
    }

    /// The linear solver of CVODE's methods (GMRES for `auto`, which moves stiff trajectories to BDF
    /// with GMRES; `.dense`, unused, for `tsit5`).
    public var linearSolver: LinearSolverKind {
        switch self {
        case .bdf(let s), .adams(let s): s
        case .auto: .gmres()
        case .tsit5: .dense
        }
    }
}

/// How a batch of CVODE trajectories is integrated.
public enum BatchStrategy: String, Sendable, CaseIterable {
    /// Let ``resolved(trajectories:model:dynamics:)`` choose.
    case automatic
    /// One CVODE solve over the stacked batch with GMRES and the batched kernels; OpenBLAS uses every
    /// thread.
    case lockstep
    /// One CVODE solve per trajectory, spread over the cores; OpenBLAS uses one thread per solve.
    case independent

    /// The strategy that runs: `self` unless it is ``automatic``, which picks by this rule:
    ///
    ///     lockstep  when  B ≥ 4  and  batchedWork ≥ 2¹⁴  (e.g. a network's weights are 128 KiB or more)
    ///     independent otherwise
    ///
    /// Lockstep turns `2B` matrix–vector products per evaluation into two matrix–matrix products, which
    /// pays once the weights are too large to stay in the core's cache between trajectories and there
    /// are enough trajectories to fill a GEMM. Small models gain little from GEMM and lose by sharing
    /// step sizes, so they run independently, one trajectory per core.
    ///
    /// - Parameters:
    ///   - trajectories: the batch size `B`.
    ///   - model: the model (its `DynamicalModel.evaluatesBatches` and `DynamicalModel.batchedWork`).
    ///   - dynamics: the flow (only the gradient flow runs in lockstep).
    public func resolved(trajectories: Int, model: any DynamicalModel, dynamics: Dynamics) -> BatchStrategy {
        switch self {
        case .lockstep, .independent: return self
        case .automatic:
            guard model.evaluatesBatches, dynamics == .gradient else { return .independent }
            return trajectories >= 4 && model.batchedWork >= 1 << 14 ? .lockstep : .independent
        }
    }
}
