/// The linear solver for CVODE's Newton iteration, whose matrix is `M = I − γ ∂f/∂y`.
public enum LinearSolverKind: Sendable, Equatable {
    /// Dense LU (LAPACK `dgetrf`/`dgetrs` from OpenBLAS, a custom `SUNLinearSolver`) with the problem's
    /// analytic Jacobian (`CVodeSetJacFn`).
    /// Setup throws ``SundialsError/invalidInput(_:)`` when the problem has no `jacobian`.
    case dense
    /// Dense LU (LAPACK, as ``dense``) with CVODE's internal difference-quotient Jacobian.
    case denseDifferenceQuotient
    /// Matrix-free GMRES (`SUNLinSol_SPGMR`, no preconditioner) with at most `maxKrylov` Krylov
    /// vectors (0 = SUNDIALS' default, 5). Uses the problem's `jacobianVectorProduct` when given
    /// (`CVodeSetJacTimes`), else CVODE's difference quotient.
    case gmres(maxKrylov: Int = 0)
}
