import Foundation
import TestSupport
import Testing

extension CLI {
    /// `mpirun --oversubscribe --quiet -np processes hopfield arguments…` (a 300 s limit, so that a hang
    /// fails instead of blocking; the root variables set for the children only).
    static func runUnderMPI(
        processes: Int, _ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:]
    ) throws -> CLIRun {
        try MPILauncher.run(processes: processes, [binary.path] + arguments, in: directory, environment: extra)
    }
}
