import Distributed

/// `--verbose` under an MPI launcher: every process says on its own standard error which block of the
/// batch it worked on, once its block is done (docs/distributed.md). A plain process says nothing.
struct BlockReport {
    /// The command's name, the start of every line.
    var command: String
    /// What the batch's items are (`queries`, `states`, `retrievals`).
    var items: String
    /// Whether `--verbose` was given.
    var enabled: Bool

    /// The line of this process for its `block` of the batch, run with `threads` threads:
    /// `retrieve: process 1 of 3: queries 4..<7 (3 of 10), 1 thread`.
    func line(_ block: Range<Int>, of count: Int, threads: Int, world: Communicator = .world) -> String {
        "\(command): process \(world.rank) of \(world.size): \(items) \(block.lowerBound)..<\(block.upperBound) (\(block.count) of \(count)), \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// Writes the line when `--verbose` was given.
    func say(_ block: Range<Int>, of count: Int, threads: Int) {
        if enabled { writeStandardError(line(block, of: count, threads: threads) + "\n") }
    }
}
