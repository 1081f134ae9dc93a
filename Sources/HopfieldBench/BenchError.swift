import Foundation

/// Why a benchmark could not run: bad input (a task folder, a parameter) or a failed integration.
public struct BenchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the input was bad or the run failed.
    public enum Kind: Sendable, Equatable {
        /// A task folder or parameter is invalid.
        case badInput
        /// An integration failed.
        case failed
    }

    /// Whether the input was bad or the run failed.
    public var kind: Kind
    /// What went wrong, on one line.
    public var message: String

    public var description: String { message }

    static func badInput(_ message: String) -> BenchError { BenchError(kind: .badInput, message: message) }
    static func failed(_ message: String) -> BenchError { BenchError(kind: .failed, message: message) }
}

/// A number in `%.6g` form, as the benchmark tables print it.
func fmt(_ x: Double) -> String { String(format: "%.6g", x) }
