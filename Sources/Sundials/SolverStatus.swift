internal import CSundials

/// Why an integration stopped. The CVODE flag each case stands for is named in its comment.
public enum SolverStatus: Sendable, Equatable, CustomStringConvertible {
    /// Reached `endTime` (`CV_TSTOP_RETURN`).
    case success
    /// Stopped early because `‖f(t, y)‖_WRMS ≤ 1` (``SolverOptions/stopAtSteadyState``).
    case steadyState
    /// The observer returned `false`.
    case stoppedByObserver
    /// ``SolverOptions/maxSteps`` internal steps were taken before `endTime` (`CV_TOO_MUCH_WORK`, −1).
    case tooMuchWork
    /// The requested accuracy is below machine precision (`CV_TOO_MUCH_ACC`, −2).
    case tooMuchAccuracy
    /// Repeated error test failures, or `|h| = hmin` (`CV_ERR_FAILURE`, −3).
    case errorTestFailure
    /// Repeated Newton convergence failures, or `|h| = hmin` (`CV_CONV_FAILURE`, −4).
    case convergenceFailure
    /// The linear solver's initialization failed (`CV_LINIT_FAIL`, −5).
    case linearSolverInitFailure
    /// The linear solver's setup (Jacobian, factorization) failed unrecoverably (`CV_LSETUP_FAIL`, −6).
    case linearSolverSetupFailure
    /// The linear solve failed unrecoverably (`CV_LSOLVE_FAIL`, −7).
    case linearSolverSolveFailure
    /// The right-hand side failed unrecoverably (`CV_RHSFUNC_FAIL`, −8).
    case rhsFailure
    /// The right-hand side failed recoverably at the first call (`CV_FIRST_RHSFUNC_ERR`, −9).
    case firstRhsFailure
    /// Repeated recoverable right-hand-side failures (`CV_REPTD_RHSFUNC_ERR`, −10).
    case repeatedRhsFailure
    /// A recoverable right-hand-side failure that could not be recovered (`CV_UNREC_RHSFUNC_ERR`, −11).
    case unrecoverableRhsFailure
    /// CVODE rejected an input (`CV_ILL_INPUT`, −22), e.g. a zero error weight.
    case illegalInput
    /// CVODE could not allocate memory (`CV_MEM_FAIL`, −20).
    case memoryFailure
    /// The trajectory left the finite numbers: the state, the vector field, the energy or its rate became
    /// NaN or infinite (set by the simulation's monitor, not by CVODE; JSON name `non_finite`).
    case nonFinite
    /// A user callback (vector field, Jacobian, Jacobian–vector product) threw; the payload is the
    /// error's description. This takes precedence over the CVODE flag the failure produced.
    case callbackError(String)
    /// Any other CVODE flag: `CV_RTFUNC_FAIL` (−12), `CV_NLS_INIT_FAIL` (−13), `CV_NLS_SETUP_FAIL` (−14),
    /// `CV_CONSTR_FAIL` (−15), `CV_NLS_FAIL` (−16), `CV_MEM_NULL` (−21), `CV_NO_MALLOC` (−23),
    /// `CV_BAD_K` (−24), `CV_BAD_T` (−25), `CV_BAD_DKY` (−26), `CV_TOO_CLOSE` (−27),
    /// `CV_VECTOROP_ERR` (−28), `CV_PROJ_MEM_NULL` (−29), `CV_PROJFUNC_FAIL` (−30),
    /// `CV_REPTD_PROJFUNC_ERR` (−31), `CV_CONTEXT_ERR` (−32), `CV_UNRECOGNIZED_ERR` (−99).
    case other(code: Int32)

    /// Maps a negative `CVode` return flag to its status.
    /// - Parameter code: The flag `CVode` returned.
    init(cvodeFlag code: Int32) {
        switch code {
        case CV_SUCCESS, CV_TSTOP_RETURN: self = .success
        case CV_TOO_MUCH_WORK: self = .tooMuchWork
        case CV_TOO_MUCH_ACC: self = .tooMuchAccuracy
        case CV_ERR_FAILURE: self = .errorTestFailure
        case CV_CONV_FAILURE: self = .convergenceFailure
        case CV_LINIT_FAIL: self = .linearSolverInitFailure
        case CV_LSETUP_FAIL: self = .linearSolverSetupFailure
        case CV_LSOLVE_FAIL: self = .linearSolverSolveFailure
        case CV_RHSFUNC_FAIL: self = .rhsFailure
        case CV_FIRST_RHSFUNC_ERR: self = .firstRhsFailure
        case CV_REPTD_RHSFUNC_ERR: self = .repeatedRhsFailure
        case CV_UNREC_RHSFUNC_ERR: self = .unrecoverableRhsFailure
        case CV_ILL_INPUT: self = .illegalInput
        case CV_MEM_FAIL: self = .memoryFailure
        default: self = .other(code: code)
        }
    }

    /// `true` for `.success`, `.steadyState` and `.stoppedByObserver`.
    public var isSuccess: Bool {
        switch self {
        case .success, .steadyState, .stoppedByObserver: return true
        default: return false
        }
    }

    /// The snake_case name: `"success"`, `"steady_state"`, `"too_much_work"`,
    /// `"callback_error: <message>"`, `"other: CV_NLS_FAIL (-16)"`, ….
    public var description: String {
        switch self {
        case .success: return "success"
        case .steadyState: return "steady_state"
        case .stoppedByObserver: return "stopped_by_observer"
        case .tooMuchWork: return "too_much_work"
        case .tooMuchAccuracy: return "too_much_accuracy"
        case .errorTestFailure: return "error_test_failure"
        case .convergenceFailure: return "convergence_failure"
        case .linearSolverInitFailure: return "linear_solver_init_failure"
        case .linearSolverSetupFailure: return "linear_solver_setup_failure"
        case .linearSolverSolveFailure: return "linear_solver_solve_failure"
        case .rhsFailure: return "rhs_failure"
        case .firstRhsFailure: return "first_rhs_failure"
        case .repeatedRhsFailure: return "repeated_rhs_failure"
        case .unrecoverableRhsFailure: return "unrecoverable_rhs_failure"
        case .illegalInput: return "illegal_input"
        case .memoryFailure: return "memory_failure"
        case .nonFinite: return "non_finite"
        case .callbackError(let message): return "callback_error: \(message)"
        case .other(let code): return "other: \(Self.cvodeFlagName(code)) (\(code))"
        }
    }

    /// The C name of a CVODE flag, for messages.
    static func cvodeFlagName(_ code: Int32) -> String {
        switch code {
        case CV_RTFUNC_FAIL: return "CV_RTFUNC_FAIL"
        case CV_NLS_INIT_FAIL: return "CV_NLS_INIT_FAIL"
        case CV_NLS_SETUP_FAIL: return "CV_NLS_SETUP_FAIL"
        case CV_CONSTR_FAIL: return "CV_CONSTR_FAIL"
        case CV_NLS_FAIL: return "CV_NLS_FAIL"
        case CV_MEM_NULL: return "CV_MEM_NULL"
        case CV_NO_MALLOC: return "CV_NO_MALLOC"
        case CV_BAD_K: return "CV_BAD_K"
        case CV_BAD_T: return "CV_BAD_T"
        case CV_BAD_DKY: return "CV_BAD_DKY"
        case CV_TOO_CLOSE: return "CV_TOO_CLOSE"
        case CV_VECTOROP_ERR: return "CV_VECTOROP_ERR"
        case CV_PROJ_MEM_NULL: return "CV_PROJ_MEM_NULL"
        case CV_PROJFUNC_FAIL: return "CV_PROJFUNC_FAIL"
        case CV_REPTD_PROJFUNC_ERR: return "CV_REPTD_PROJFUNC_ERR"
        case CV_CONTEXT_ERR: return "CV_CONTEXT_ERR"
        case CV_UNRECOGNIZED_ERR: return "CV_UNRECOGNIZED_ERR"
        default: return "CV_UNKNOWN"
        }
    }
}
