import Foundation

/// Runs a built executable of the package under `mpirun` (or alone, without a launcher) and captures its
/// output: the one way the test targets start processes that split work.
public enum MPILauncher {
    /// `mpirun` on the PATH (Debian's openmpi-bin; scripts/setup.sh installs it).
    public static var mpirun: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The built executable `name` of this package (found next to the test bundle).
    public static func executable(_ name: String) -> URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent(name)
    }

    /// Why a run under `mpirun` could not start.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "mpirun not found on PATH (bash scripts/setup.sh installs openmpi-bin)" }
    }

    /// `mpirun --oversubscribe --quiet -np processes command…`, with a time limit so that a run that hangs
    /// fails its test instead of blocking it. The children may run as root (CI containers): the two
    /// `OMPI_ALLOW_RUN_AS_ROOT` variables are set for them only, with `environment` on top.
    public static func run(
        processes: Int, _ command: [String], timeout: Int = 300, in directory: URL? = nil,
        environment extra: [String: String] = [:]
    ) throws -> CapturedRun {
        guard let mpirun else { throw Missing() }
        let process = Process()
        process.executableURL = mpirun
        process.arguments = ["--oversubscribe", "--quiet", "--mca", "btl_vader_single_copy_mechanism", "none",
                             "--timeout", "\(timeout)", "-np", "\(processes)"] + command
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        return try runCapturing(process)
    }

    /// `executable arguments…` as a plain process: without the variables a launcher sets, so it runs as
    /// one process that never calls MPI.
    public static func runAlone(_ executable: URL, _ arguments: [String]) throws -> CapturedRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("OMPI_") || key.hasPrefix("PMIX_") || key.hasPrefix("PMI_") {
            environment[key] = nil
        }
        process.environment = environment
        return try runCapturing(process)
    }
}
