/// A setup error of an analysis: a bad state, bad options, or a solver that cannot be set up.
///
/// A fixed point that is not found is not an error: it comes back as ``FixedPointStatus``.
public enum AnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The state has the wrong length or a non-finite entry.
    case invalidState(String)
    /// An option is out of range.
    case invalidOptions(String)
    /// CVODE or KINSOL could not be set up.
    case solverSetup(String)
    /// A dense linear-algebra routine failed (e.g. an eigensolver did not converge).
    case linearAlgebra(String)

    public var description: String {
        switch self {
        case .invalidState(let s): "invalid state: \(s)"
        case .invalidOptions(let s): "invalid option: \(s)"
        case .solverSetup(let s): "solver setup failed: \(s)"
        case .linearAlgebra(let s): "linear algebra failed: \(s)"
        }
    }
}
