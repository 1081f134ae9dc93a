internal import CSundials

/// Why KINSOL stopped. The KINSOL flag each case stands for is named in its comment.
public enum NewtonStatus: Sendable, Equatable, CustomStringConvertible {
    /// `‖F(x)‖_∞ ≤ functionTolerance` (`KIN_SUCCESS`, 0).
    case converged
    /// The initial guess already satisfies `‖F(x₀)‖_∞ ≤ 0.01·functionTolerance` (`KIN_INITIAL_GUESS_OK`, 1).
    case initialGuessOK
    /// The scaled step fell below `stepTolerance`; `x` may be a solution or a stall (`KIN_STEP_LT_STPTOL`, 2).
    case stepTolerance
    /// The line search could not decrease `‖F‖` enough (`KIN_LINESEARCH_NONCONV`, −5).
    case lineSearchNonConvergence
    /// `maxIterations` reached (`KIN_MAXITER_REACHED`, −6).
    case maxIterationsReached
    /// Five consecutive steps of maximal length: `‖F‖` may have no root or an asymptote
    /// (`KIN_MXNEWT_5X_EXCEEDED`, −7).
    case maxNewtonStepExceeded
    /// The line search's β-condition failed too often (`KIN_LINESEARCH_BCFAIL`, −8).
    case lineSearchBetaConditionFailure
    /// The linear solver failed: `KIN_LINSOLV_NO_RECOVERY` (−9), `KIN_LINIT_FAIL` (−10),
    /// `KIN_LSETUP_FAIL` (−11, e.g. a singular Jacobian) or `KIN_LSOLVE_FAIL` (−12).
    case linearSolverFailure
    /// The residual failed: `KIN_SYSFUNC_FAIL` (−13), `KIN_FIRST_SYSFUNC_ERR` (−14) or
    /// `KIN_REPTD_SYSFUNC_ERR` (−15).
    case residualFailure
    /// The residual or Jacobian closure threw; the payload is the error's description.
    case callbackError(String)
    /// Any other KINSOL flag: `KIN_MEM_NULL` (−1), `KIN_ILL_INPUT` (−2), `KIN_NO_MALLOC` (−3),
    /// `KIN_MEM_FAIL` (−4), `KIN_VECTOROP_ERR` (−16), `KIN_CONTEXT_ERR` (−17), `KIN_WARNING` (99).
    case other(code: Int32)

    /// Maps a `KINSol` return flag to its status.
    /// - Parameter code: The flag `KINSol` returned.
    init(kinsolFlag code: Int32) {
        switch code {
        case KIN_SUCCESS: self = .converged
        case KIN_INITIAL_GUESS_OK: self = .initialGuessOK
        case KIN_STEP_LT_STPTOL: self = .stepTolerance
        case KIN_LINESEARCH_NONCONV: self = .lineSearchNonConvergence
        case KIN_MAXITER_REACHED: self = .maxIterationsReached
        case KIN_MXNEWT_5X_EXCEEDED: self = .maxNewtonStepExceeded
        case KIN_LINESEARCH_BCFAIL: self = .lineSearchBetaConditionFailure
        case KIN_LINSOLV_NO_RECOVERY, KIN_LINIT_FAIL, KIN_LSETUP_FAIL, KIN_LSOLVE_FAIL: self = .linearSolverFailure
        case KIN_SYSFUNC_FAIL, KIN_FIRST_SYSFUNC_ERR, KIN_REPTD_SYSFUNC_ERR: self = .residualFailure
        default: self = .other(code: code)
        }
    }

    /// `true` for `.converged` and `.initialGuessOK`: the residual tolerance was met.
    public var isConverged: Bool {
        switch self {
        case .converged, .initialGuessOK: return true
        default: return false
        }
    }

    /// The snake_case name: `"converged"`, `"max_iterations_reached"`, `"callback_error: <message>"`,
    /// `"other: KIN_ILL_INPUT (-2)"`, ….
    public var description: String {
        switch self {
        case .converged: return "converged"
        case .initialGuessOK: return "initial_guess_ok"
        case .stepTolerance: return "step_tolerance"
        case .lineSearchNonConvergence: return "line_search_non_convergence"
        case .maxIterationsReached: return "max_iterations_reached"
        case .maxNewtonStepExceeded: return "max_newton_step_exceeded"
        case .lineSearchBetaConditionFailure: return "line_search_beta_condition_failure"
        case .linearSolverFailure: return "linear_solver_failure"
        case .residualFailure: return "residual_failure"
        case .callbackError(let message): return "callback_error: \(message)"
        case .other(let code): return "other: \(Self.kinsolFlagName(code)) (\(code))"
        }
    }

    /// The C name of a KINSOL flag, for messages.
    static func kinsolFlagName(_ code: Int32) -> String {
        switch code {
        case KIN_MEM_NULL: return "KIN_MEM_NULL"
        case KIN_ILL_INPUT: return "KIN_ILL_INPUT"
        case KIN_NO_MALLOC: return "KIN_NO_MALLOC"
        case KIN_MEM_FAIL: return "KIN_MEM_FAIL"
        case KIN_VECTOROP_ERR: return "KIN_VECTOROP_ERR"
        case KIN_CONTEXT_ERR: return "KIN_CONTEXT_ERR"
        case KIN_WARNING: return "KIN_WARNING"
        default: return "KIN_UNKNOWN"
        }
    }
}
