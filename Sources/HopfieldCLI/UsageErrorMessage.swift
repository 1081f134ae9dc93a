import ArgumentParser
import Foundation

extension HopfieldTool {
    /// One stderr line for an error that ArgumentParser reports (a usage error such as an unknown flag, a bad
    /// or missing value, a failed `validate()`), naming the subcommand instead of printing the usage text:
    ///
    ///     hopfield simulate: The value 'rk4' is invalid for '--method <method>'. Please provide one of 'bdf' and 'adams'. (see 'hopfield simulate --help')
    ///
    /// - Parameters:
    ///   - error: the error thrown by `parseAsRoot` or `run()`.
    ///   - arguments: the command line without the program name; its first word names the subcommand.
    static func oneLineMessage(for error: Error, arguments: [String]) -> String {
        let command = ["hopfield"] + arguments.prefix(1).filter { word in
            configuration.subcommands.contains { $0._commandName == word }
        }
        let name = command.joined(separator: " ")
        let text = message(for: error).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "; ")
        let hint = exitCode(for: error) == .validationFailure ? " (see '\(name) --help')" : ""
        return "\(name): \(text.isEmpty ? "failed" : text)\(hint)"
    }
}
