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
    /// The built `split-probe`.
    static var probe: URL { MPILauncher.executable("split-probe") }

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
        Self.expectPassed(try MPILauncher.runAlone(Self.probe, ["check"]), processes: 1, usesMPI: false)
    }

    @Test("R processes: one CVODE over NVECTOR_PARALLEL and Tsit5 with reduced norms equal the whole network",
          arguments: [2, 3])
    func split(processes: Int) throws {
        let run = try MPILauncher.run(processes: processes, [Self.probe.path, "check"], timeout: 120)
        Self.expectPassed(run, processes: processes, usesMPI: true)
    }
}
