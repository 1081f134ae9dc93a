import HopfieldBench

/// An error that ends the command with a one-line message on stderr and an exit status.
struct CLIError: Error, CustomStringConvertible {
    /// 2: bad input (files, flags, values); 1: the integration or analysis failed.
    var exitCode: Int32
    var message: String
    var description: String { message }

    static func badInput(_ message: String) -> CLIError { CLIError(exitCode: 2, message: message) }
    static func failed(_ message: String) -> CLIError { CLIError(exitCode: 1, message: message) }
}


extension CLIError {
    /// A benchmark's error: bad input → exit status 2, a failed run → 1.
    init(_ error: BenchError) {
        self = error.kind == .badInput ? .badInput(error.message) : .failed(error.message)
    }
}
