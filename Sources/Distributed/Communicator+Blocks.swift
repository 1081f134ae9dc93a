extension Communicator {
    /// Runs a batch split over the processes: this process works on its contiguous block of the `count`
    /// items (``block(of:)``), and rank 0 receives every result, in item order. Collective.
    ///
    /// Failures are agreed on (``collectively(_:)``): when `work` throws on any process, every process
    /// throws that of the lowest failing rank, and nothing is gathered. A plain process runs `work` on
    /// `0 ..< count` and returns its results.
    ///
    /// - Parameters:
    ///   - count: the number of items (queries, trajectories).
    ///   - encode: writes one result (called on every process for its own results).
    ///   - decode: reads one result back (called on rank 0).
    ///   - work: the results of a block of items, one per item, in order.
    /// - Returns: on rank 0 the results of all `count` items in item order; elsewhere `[]`.
    /// - Throws: ``RankFailure``, the same on every process.
    public func mapBlocks<Result>(
        count: Int, encode: (Result, inout TransferWriter) -> Void,
        decode: (inout TransferReader) throws -> Result,
        _ work: (Range<Int>) throws -> [Result]
    ) throws(RankFailure) -> [Result] {
        let mine = block(of: count)
        let local = try collectively { () throws -> [Result] in
            let results = try work(mine)
            precondition(results.count == mine.count, "mapBlocks: \(results.count) results for \(mine.count) items")
            return results
        }
        guard communicates else { return local }
        var writer = TransferWriter()
        for result in local { encode(result, &writer) }
        let blocks = gather(bytes: writer.bytes)
        // Rank 0 decodes; a block it cannot read fails the run on every process too.
        return try collectively { () throws -> [Result] in
            guard isRoot else { return [] }
            var all: [Result] = []
            all.reserveCapacity(count)
            for (r, bytes) in blocks.enumerated() {
                var reader = TransferReader(bytes)
                for _ in BlockPartition(count: count, parts: size).range(of: r) { all.append(try decode(&reader)) }
            }
            return all
        }
    }
}
