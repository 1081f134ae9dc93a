import Foundation
import Testing

/// Distributed's collectives under `mpirun` against serial computations done by every rank
/// (`distributed-probe check`: allreduce within 1e-12 relative of the sum in rank order, the
/// log-sum-exp combine of docs/math.md §9 within 1e-12 of the one-process value, gathers in rank order).
@Suite("Distributed under mpirun", .serialized)
struct MPIRunTests {
    @Test("the probe passes as a plain process: rank 0 of 1, no MPI")
    func alone() throws {
        let run = try MPIRun.runAlone(["check"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("size 1 uses_mpi false local_size 1\n"))
        #expect(run.stdout.components(separatedBy: "PASS ").count == 6)
    }

    @Test("reductions, log-sum-exp combine and gathers agree with the serial computation", arguments: [2, 3])
    func collectives(processes: Int) throws {
        let run = try MPIRun.run(processes: processes, ["check"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("size \(processes) uses_mpi true local_size \(processes)\n"), "\(run.stdout)")
        // One PASS line per check, printed once (by rank 0 only).
        #expect(run.stdout.components(separatedBy: "PASS ").count == 6, "\(run.stdout)")
        #expect(run.stdout.contains("gather: \((1 ... processes).map { $0 })"), "\(run.stdout)")
        #expect(run.stdout.contains("mapBlocks: 11 items in order from \(processes) ranks"), "\(run.stdout)")
    }

    @Test("a rank that fails its part fails the run once, with its status", arguments: [(2, 1), (3, 2), (3, 0)])
    func failingRank(processes: Int, failing: Int) throws {
        let run = try MPIRun.run(processes: processes, ["fail", "\(failing)"])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let message = "distributed-probe: rank \(failing): failed on purpose"
        #expect(run.stderr.components(separatedBy: message).count == 2, "\(run.stderr)")
    }

    @Test("a rank that exits alone ends the whole run instead of leaving the others waiting")
    func exitingRank() throws {
        let run = try MPIRun.run(processes: 3, ["crash", "1"])
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
    }
}
