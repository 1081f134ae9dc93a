import Foundation
import TestSupport
import Testing

extension CLI {
    /// `mpirun` on the PATH (Debian's openmpi-bin; scripts/setup.sh installs it).
    static var mpirun: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// `mpirun --oversubscribe --quiet -np processes hopfield arguments…` (a 300 s limit, so that a hang
    /// fails instead of blocking). The child may run as root (CI containers): the two
    /// `OMPI_ALLOW_RUN_AS_ROOT` variables are set for it only.
    static func runUnderMPI(
        processes: Int, _ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:]
    ) throws -> CLIRun {
        let mpirun = try #require(Self.mpirun, "mpirun not found on PATH (bash scripts/setup.sh installs openmpi-bin)")
        let process = Process()
        process.executableURL = mpirun
        process.arguments = ["--oversubscribe", "--quiet", "--mca", "btl_vader_single_copy_mechanism", "none", "--timeout", "300", "-np", "\(processes)", binary.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        return try runCapturing(process)
    }
}
