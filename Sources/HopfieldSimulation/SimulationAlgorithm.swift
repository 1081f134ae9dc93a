/// The integration method by name (the command line's `--method`).
///
/// | case | solver | suits |
/// |---|---|---|
/// | `bdf` | CVODE BDF, orders 1–5, Newton iteration with the chosen linear solver | stiff networks (the default) |
/// | `adams` | CVODE Adams–Moulton, orders 1–12 | smooth non-stiff networks |
/// | `tsit5` | Tsitouras' explicit 5(4) Runge–Kutta pair, FSAL, on the batched kernels | non-stiff networks, large batches |
public enum SimulationMethod: String, Sendable, CaseIterable {
    /// CVODE's backward differentiation formulas (`CV_BDF`).
    case bdf
    /// CVODE's Adams–Moulton formulas (`CV_ADAMS`).
    case adams
    /// Tsitouras' 5(4) explicit Runge–Kutta pair (Ch. Tsitouras, Comput. Math. Appl. 62, 2011).
    case tsit5

    /// The CVODE method, or nil for the explicit method.
    public var cvodeMethod: IntegrationMethod? {
        switch self {
        case .bdf: .bdf
        case .adams: .adams
        case .tsit5: nil
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
/// - `auto`: chosen from the problem and options by ``resolved(for:options:)``.
public enum SimulationAlgorithm: Sendable, Equatable {
    /// Let ``resolved(for:options:)`` choose.
    case auto
    /// CVODE's BDF with this linear solver.
    case bdf(linearSolver: LinearSolverKind = .dense)
    /// CVODE's Adams–Moulton with this linear solver.
    case adams(linearSolver: LinearSolverKind = .dense)
    /// Tsitouras' explicit 5(4) pair.
    case tsit5

    /// The algorithm of a method name and a linear solver (ignored by `tsit5`).
    public init(method: SimulationMethod, linearSolver: LinearSolverKind = .dense) {
        switch method {
        case .bdf: self = .bdf(linearSolver: linearSolver)
        case .adams: self = .adams(linearSolver: linearSolver)
        case .tsit5: self = .tsit5
        }
    }

    /// The algorithm that runs: `self` unless it is ``auto``.
    ///
    /// This is the extension point of the automatic choice. Today `auto` is what the command line runs
    /// by default, BDF with the dense analytic Jacobian; a rule that looks at the problem (its model's
    /// ``DynamicalModel/batchedWork``, the batch size, the time span) and the options may replace it
    /// without changing any caller.
    ///
    /// - Parameters:
    ///   - problem: the problem to solve.
    ///   - options: the options it is solved with.
    public func resolved(for problem: SimulationProblem, options: SimulationOptions) -> SimulationAlgorithm {
        switch self {
        case .auto: .bdf(linearSolver: .dense)
        default: self
        }
    }

    /// The method by name (`bdf` for `auto`, which resolves to BDF today).
    public var method: SimulationMethod {
        switch self {
        case .auto, .bdf: .bdf
        case .adams: .adams
        case .tsit5: .tsit5
        }
    }

    /// The linear solver of CVODE's methods (`.dense` for `auto` and `tsit5`).
    public var linearSolver: LinearSolverKind {
        switch self {
        case .bdf(let s), .adams(let s): s
        case .auto, .tsit5: .dense
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
    ///   - model: the model (its ``DynamicalModel/evaluatesBatches`` and ``DynamicalModel/batchedWork``).
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
