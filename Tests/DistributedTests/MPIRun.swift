import Foundation
import TestSupport
import Testing

/// A run of `distributed-probe`, under `mpirun` or alone, with its output.
typealias MPIRun = CapturedRun

extension MPIRun {
    /// The built `distributed-probe`.
    static var probe: URL { MPILauncher.executable("distributed-probe") }

    /// `mpirun --oversubscribe -np processes distributed-probe arguments…`, with a 120 s limit so that a
    /// run that hangs fails the test instead of blocking it.
    static func run(processes: Int, _ arguments: [String]) throws -> MPIRun {
        try MPILauncher.run(processes: processes, [probe.path] + arguments, timeout: 120)
    }

    /// The probe as a plain process (no launcher).
    static func runAlone(_ arguments: [String]) throws -> MPIRun {
        try MPILauncher.runAlone(probe, arguments)
    }
}
