/// How a state is split over the processes of an MPI run for CVODE over SUNDIALS' MPI vector
/// (`NVECTOR_PARALLEL`): this process holds ``localLength`` consecutive entries of ``globalLength``.
///
/// Every process calls ``integrate(_:options:layout:observer:)`` with its own part of the initial state;
/// CVODE's norms and dot products (error test, Newton convergence, GMRES) are reduced over
/// `MPI_COMM_WORLD`, so every process takes the same steps. MPI must be initialised (a process started
/// by an MPI launcher; see the `Distributed` target) before such a solve.
public struct ParallelVectorLayout: Sendable, Equatable {
    /// The entries this process holds (≥ 1).
    public var localLength: Int
    /// The entries of the whole state, the sum of every process's ``localLength``.
    public var globalLength: Int

    /// A layout of `localLength` entries on this process out of `globalLength`.
    public init(localLength: Int, globalLength: Int) {
        self.localLength = localLength
        self.globalLength = globalLength
    }
}

/// Integrates an initial-value problem whose state is split over the processes of `MPI_COMM_WORLD`
/// with CVODE over `NVECTOR_PARALLEL`: every process passes its part of the state (`problem.initialState`
/// has `layout.localLength` entries) and closures that act on that part (they reduce across processes
/// themselves where the vector field couples the parts).
///
/// ```
/// dy/dt = f(t, y),   y = [y_0; y_1; …; y_{R−1}]  (process r holds y_r)
/// ```
///
/// Otherwise as ``integrate(_:options:observer:)``: saved states, the observer and the final state are
/// this process's part; the steady-state test (``SolverOptions/stopAtSteadyState``) takes the weighted
/// RMS norm over the whole state. Only matrix-free GMRES (``LinearSolverKind/gmres(maxKrylov:)``) runs:
/// a dense Jacobian of a split state does not exist here. Every process must make this call together.
///
/// - Throws: ``SundialsError/invalidInput(_:)`` for a dense linear solver, a layout that does not match
///   the initial state, or what ``integrate(_:options:observer:)`` rejects; setup errors as there.
public func integrate(
    _ problem: ODEProblem, options: SolverOptions = SolverOptions(), layout: ParallelVectorLayout,
    observer: ((_ t: Double, _ y: UnsafeBufferPointer<Double>) -> Bool)? = nil
) throws(SundialsError) -> ODESolution {
    guard case .gmres = options.linearSolver else {
        throw .invalidInput("a state split over processes has no dense Jacobian: use the GMRES linear solver")
    }
    guard layout.localLength == problem.initialState.count, layout.globalLength >= layout.localLength else {
        throw .invalidInput(
            "parallel layout \(layout.localLength) of \(layout.globalLength) does not match the initial state's \(problem.initialState.count) entries")
    }
    return try run(problem, options: options, layout: layout, observer: observer)
}
