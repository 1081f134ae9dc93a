import Foundation
import TestSupport
import Testing

/// Runs `distributed-probe` under `mpirun` and captures its output.
struct MPIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The built `distributed-probe` next to the test bundle.
    static var probe: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = dir.appendingPathComponent("distributed-probe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("distributed-probe")
    }

    /// `mpirun` on the PATH (Debian's openmpi-bin; scripts/setup.sh installs it).
    static var mpirun: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// `mpirun --oversubscribe -np processes distributed-probe arguments…`, with a 120 s limit so that a
    /// run that hangs fails the test instead of blocking it. The child may run as root (CI containers):
    /// the two `OMPI_ALLOW_RUN_AS_ROOT` variables are set for it only.
    static func run(processes: Int, _ arguments: [String]) throws -> MPIRun {
        let mpirun = try #require(Self.mpirun, "mpirun not found on PATH (bash scripts/setup.sh installs openmpi-bin)")
        let process = Process()
        process.executableURL = mpirun
        process.arguments = ["--oversubscribe", "--quiet", "--mca", "btl_vader_single_copy_mechanism", "none", "--timeout", "120", "-np", "\(processes)", probe.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        process.environment = environment
        return try capture(process)
    }

    /// The probe as a plain process (no launcher).
    static func runAlone(_ arguments: [String]) throws -> MPIRun {
        let process = Process()
        process.executableURL = probe
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("OMPI_") || key.hasPrefix("PMIX_") || key.hasPrefix("PMI_") {
            environment[key] = nil
        }
        process.environment = environment
        return try capture(process)
    }

    private static func capture(_ process: Process) throws -> MPIRun {
        let run = try runCapturing(process)
        return MPIRun(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }
}

