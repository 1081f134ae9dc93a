import Hopfield

/// Which part of a network file's sharded arrays one process reads: process `rank` of `count`
/// (docs/network-file.md, "Shard lists"; docs/distributed.md).
///
/// Items — shard files of a list, or rows of a single file — are split into contiguous blocks, the
/// first `items mod count` processes holding one more (the partition of the `Distributed` target's
/// `BlockPartition`). A plain value: reading with a selection never communicates.
public struct ShardSelection: Sendable, Hashable {
    /// This process, `0 ..< count`.
    public let rank: Int
    /// The number of processes.
    public let count: Int

    /// Process `rank` of `count` (`0 ≤ rank < count`; a programming error otherwise).
    public init(rank: Int, count: Int) {
        precondition(count >= 1 && rank >= 0 && rank < count, "ShardSelection: rank \(rank) of \(count)")
        self.rank = rank
        self.count = count
    }

    /// The contiguous block of `items` this process holds (`contiguousBlock(of:part:parts:)`).
    public func block(of items: Int) -> Range<Int> { contiguousBlock(of: items, part: rank, parts: count) }
}
