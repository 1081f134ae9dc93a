import Sundials
import Testing

/// An error a test callback throws on purpose; its description must reach the status.
struct InjectedFailure: Error, CustomStringConvertible {
    let description: String
}

/// `|a − b| / |b|`, or `|a − b|` when `b = 0`.
func relativeError(_ a: Double, _ b: Double) -> Double {
    b == 0 ? abs(a - b) : abs(a - b) / abs(b)
}

/// Every linear solver the wrapper offers, for a problem that supplies a Jacobian and a JVP.
let allLinearSolvers: [LinearSolverKind] = [.dense, .denseDifferenceQuotient, .gmres(), .gmres(maxKrylov: 3)]

/// Runs `body`, which must throw ``SundialsError/invalidInput(_:)``; returns its message.
@discardableResult
func expectInvalidInput(
    _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) -> String? {
    do {
        try body()
        Issue.record("expected SundialsError.invalidInput, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch {
        guard case .invalidInput(let message)? = error as? SundialsError else {
            Issue.record("expected .invalidInput, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(!message.isEmpty, sourceLocation: sourceLocation)
        return message
    }
}
