import CMPI
import Foundation

/// The processes of one run: every process `mpirun` (or `srun`) started, or this process alone.
///
/// ``world`` initialises MPI only when the process was launched by an MPI launcher (the launcher
/// sets `OMPI_COMM_WORLD_SIZE`, `PMIX_RANK` or `PMI_RANK`). A process started on its own never calls
/// MPI: it is rank 0 of 1, and every collective operation returns its input at the cost of one branch.
///
/// A run ends with ``finalize()`` or ``exit(_:)`` on every process. A process that exits without
/// them while MPI is initialised (an exit on one rank alone) ends the whole run with status 1
/// (`MPI_Abort`): the others may be waiting for it in a collective and would otherwise wait forever.
///
/// Every method that communicates is collective: all processes call it, in the same order, with
/// buffers of the same length (gathers excepted). Communication failures abort the whole run (MPI's
/// default error handler, `MPI_ERRORS_ARE_FATAL`); failures of the caller's own work are agreed on
/// with ``agreeOnFailures(_:)``.
public final class Communicator: Sendable {
    /// This process's rank, `0 ..< size`.
    public let rank: Int
    /// The number of processes.
    public let size: Int
    /// Whether MPI was initialised (launched by an MPI launcher); `false` for a plain process.
    public let usesMPI: Bool
    /// The number of processes on this node, this one included (they share its cores: a process
    /// that runs threads should use about `cores / localSize` of them).
    public let localSize: Int

    /// Whether this process is rank 0, the one that prints and writes the run's results.
    public var isRoot: Bool { rank == 0 }

    /// The threads one process of this run uses when one process alone would use `threads`:
    /// `threads / localSize`, at least one (ranks sharing a node share its cores).
    public func threadsPerProcess(_ threads: Int) -> Int { Swift.max(1, threads / Swift.max(1, localSize)) }

    /// Whether collectives communicate (MPI with more than one process).
    @usableFromInline var communicates: Bool { usesMPI && size > 1 }

    private init(rank: Int, size: Int, usesMPI: Bool, localSize: Int = 1) {
        self.rank = rank
        self.size = size
        self.usesMPI = usesMPI
        self.localSize = localSize
    }

    /// This process alone (rank 0 of 1); no MPI call is ever made through it.
    public static let single = Communicator(rank: 0, size: 1, usesMPI: false)

    /// All processes of the run (`MPI_COMM_WORLD` under an MPI launcher, otherwise ``single``).
    ///
    /// The first use initialises MPI (`MPI_Init_thread`, serialized calls from any thread) when
    /// ``isLaunchedByMPI(environment:)`` holds, and registers the exit check described above.
    public static let world: Communicator = {
        guard isLaunchedByMPI(environment: ProcessInfo.processInfo.environment) else { return single }
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 {
            var provided: Int32 = 0
            let code = MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided)
            guard code == MPI_SUCCESS else { fatalError("Distributed: MPI_Init_thread failed (error \(code))") }
            _ = cmpi_abort_at_unfinalized_exit()
        }
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(cmpi_comm_world(), &rank)
        MPI_Comm_size(cmpi_comm_world(), &size)
        let localSize = Int(cmpi_local_size())
        return Communicator(rank: Int(rank), size: Int(size), usesMPI: true, localSize: localSize)
    }()

    /// Whether an MPI launcher started this process: Open MPI's `mpirun` sets `OMPI_COMM_WORLD_SIZE`,
    /// PMIx launchers (`srun --mpi=pmix`, `prterun`) `PMIX_RANK`, PMI-1/2 launchers `PMI_RANK`.
    ///
    /// - Parameter environment: the process environment.
    public static func isLaunchedByMPI(environment: [String: String]) -> Bool {
        ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"].contains { environment[$0] != nil }
    }

    /// This process's rank as its launcher announced it (`OMPI_COMM_WORLD_RANK`, `PMIX_RANK` or
    /// `PMI_RANK`), 0 without a launcher — known before, and without, initialising MPI: a program can
    /// let only rank 0 report errors that every rank meets alike (bad input) with no MPI call.
    ///
    /// - Parameter environment: the process environment.
    public static func launchRank(environment: [String: String]) -> Int {
        for key in ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"] {
            if let value = environment[key], let rank = Int(value) { return rank }
        }
        return 0
    }

    /// Finalises MPI if some code initialised it (through ``world``) and nothing finalised it yet;
    /// makes no MPI call otherwise apart from the two queries. For a program's exit paths, which cannot
    /// know whether the run used MPI.
    public static func finalizeIfInitialized() {
        var initialized: Int32 = 0, finalized: Int32 = 0
        MPI_Initialized(&initialized)
        MPI_Finalized(&finalized)
        if initialized != 0 && finalized == 0 { MPI_Finalize() }
    }

    /// The contiguous block of `count` items this process owns (see ``BlockPartition``).
    public func block(of count: Int) -> Range<Int> {
        BlockPartition(count: count, parts: size).range(of: rank)
    }

    /// Waits until every process has called it (`MPI_Barrier`).
    public func barrier() {
        guard communicates else { return }
        MPI_Barrier(cmpi_comm_world())
    }

    /// Ends MPI on this process (`MPI_Finalize`, collective: every process calls it, after its last
    /// communication). Does nothing for a plain process or when already finalised.
    public func finalize() {
        guard usesMPI else { return }
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 { MPI_Finalize() }
    }

    /// Finalises MPI (``finalize()``) and exits with `status`: how every process ends a run, with the
    /// same status on all of them (see ``agreeOnFailures(_:)``).
    ///
    /// - Parameter status: the exit status.
    public func exit(_ status: Int32) -> Never {
        finalize()
        Foundation.exit(status)
    }

    /// Ends every process of the run at once with `code` (`MPI_Abort`); a plain process exits.
    /// For failures that cannot be agreed on (a process that cannot reach the next collective).
    public func abort(code: Int32) -> Never {
        if usesMPI { MPI_Abort(cmpi_comm_world(), code) }
        Foundation.exit(code)
    }
}

/// The count of an MPI buffer, which MPI takes as a 32-bit `int`.
@inline(__always)
func mpiCount(_ count: Int) -> Int32 {
    precondition(count <= Int(Int32.max), "Distributed: \(count) elements exceed MPI's int count")
    return Int32(count)
}
