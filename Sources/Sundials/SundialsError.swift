/// A setup problem, thrown before any integration or Newton iteration starts.
///
/// Failures during integration are not thrown; they come back as the solution's status.
public enum SundialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problem or options are invalid (empty or non-finite state, bad tolerances, save times
    /// outside the span, `.dense` without a Jacobian, …); the message says which.
    case invalidInput(String)
    /// A SUNDIALS constructor returned `NULL`; the payload names it (`N_VNew_Serial`, `CVodeCreate`, …).
    case allocationFailed(String)
    /// A SUNDIALS setup function returned a nonzero flag.
    case setupFailed(function: String, code: Int32)

    /// A one-line message.
    public var description: String {
        switch self {
        case .invalidInput(let message): return "invalid input: \(message)"
        case .allocationFailed(let constructor): return "allocation failed: \(constructor) returned NULL"
        case .setupFailed(let function, let code): return "setup failed: \(function) returned \(code)"
        }
    }
}
