import Distributed
import Foundation

/// This process's part in a run started by an MPI launcher (`mpirun -np R hopfield …`); a plain
/// process is rank 0 of 1. Only rank 0 prints, writes and reports errors, so the run's output is
/// exactly one process's. Nothing here communicates: the library splits the work
/// (docs/distributed.md).
enum ProcessRole {
    /// Whether this process prints and writes the run's results: rank 0, or a plain process. Read from
    /// the launcher's environment, before and without any MPI call.
    static let reports = Communicator.launchRank(environment: ProcessInfo.processInfo.environment) == 0

    /// On ranks other than 0, sends standard output to `/dev/null` (their standard error stays, for
    /// what only they can say, such as a crash).
    static func silenceOtherRanks() {
        guard !reports else { return }
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 {
            dup2(null, STDOUT_FILENO)
            close(null)
        }
    }

    /// Ends MPI if the command started it, then exits with `status` (every rank ends here together).
    ///
    /// A failing rank other than 0 waits up to 2 s before it exits: the launcher ends the whole run at the
    /// first non-zero exit, which must be rank 0's, after it has reported the error (ranks meet bad input
    /// alike, and rank 0 is the one that prints it).
    static func exit(_ status: Int32) -> Never {
        Communicator.finalizeIfInitialized()
        if status != 0 && !reports { usleep(2_000_000) }
        Foundation.exit(status)
    }
}
