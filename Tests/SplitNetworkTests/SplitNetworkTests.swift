import Foundation
import TestSupport
import Testing

/// A two-layer network whose memory layer is split over processes (`SplitMemoryNetwork`, docs/math.md
/// §9) against the same network whole, through `split-probe check`: on every rank the split evaluator's
/// vector field, energy, rate, energy gradient and Jacobian–vector product are joined and compared with
/// the whole `Network`'s evaluator (1e-12 relative; energy and rate bit-identical on every rank), and
/// `solve(SplitProblem, …, across:)` with BDF + GMRES over NVECTOR_PARALLEL and with Tsit5 (reduced
/// norms) is compared with the plain one-process `solve` of the whole network (final states and energies
/// within 1e-9 relative, steady state, monitor passed, the same save grid and comparable statistics), for
/// a softmax, a relu and a partly clamped softmax memory layer, one state and a batch.
@Suite("Split memory layer under mpirun", .serialized)
struct SplitNetworkTests {
    /// The built `split-probe` next to the test bundle.
    static var probe: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = dir.appendingPathComponent("split-probe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("split-probe")
    }

    static var mpirun: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The PASS lines the probe prints for `check` (evaluators 3, solves 5, the refused dense solver 1).
    static let checks = 9

    static func expectPassed(_ run: CapturedRun, processes: Int, usesMPI: Bool) {
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.hasPrefix("processes \(processes) uses_mpi \(usesMPI)\n"), "\(run.stdout)")
        #expect(run.stdout.components(separatedBy: "PASS ").count == checks + 1, "\(run.stdout)")
        #expect(!run.stdout.contains("FAIL"), "\(run.stdout)")
    }

    @Test("a plain process (no launcher, no MPI): the split code on a serial vector equals the whole network")
    func alone() throws {
        let process = Process()
        process.executableURL = Self.probe
        process.arguments = ["check"]
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("OMPI_") || key.hasPrefix("PMIX_") || key.hasPrefix("PMI_") {
            environment[key] = nil
        }
        process.environment = environment
        Self.expectPassed(try runCapturing(process), processes: 1, usesMPI: false)
    }

    @Test("R processes: one CVODE over NVECTOR_PARALLEL and Tsit5 with reduced norms equal the whole network",
          arguments: [2, 3])
    func split(processes: Int) throws {
        let mpirun = try #require(Self.mpirun, "mpirun not found on PATH (bash scripts/setup.sh installs openmpi-bin)")
        let process = Process()
        process.executableURL = mpirun
        process.arguments = [
            "--oversubscribe", "--quiet", "--mca", "btl_vader_single_copy_mechanism", "none", "--timeout", "120",
            "-np", "\(processes)", Self.probe.path, "check",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        process.environment = environment
        Self.expectPassed(try runCapturing(process), processes: processes, usesMPI: true)
    }
}
