import Distributed
import Foundation
import LinearAlgebra

/// The retrieval of a batch of queries: the outputs and, per query, the memory with the largest
/// separated weight.
public struct BatchRetrieval: Sendable, Equatable {
    /// The outputs `Z`, `batch × outputDimension` row-major.
    public var outputs: [Double]
    /// Per query, the index of the memory with the largest separated weight (ties: the first).
    public var strongestMemories: [Int]
    /// Per query, that weight.
    public var strongestWeights: [Double]

    /// Creates a batch retrieval from its parts.
    public init(outputs: [Double], strongestMemories: [Int], strongestWeights: [Double]) {
        self.outputs = outputs
        self.strongestMemories = strongestMemories
        self.strongestWeights = strongestWeights
    }
}

extension Memory {
    /// Retrieves a batch of queries, ``retrieve(queries:batch:similarity:separation:options:)``, and finds
    /// each query's strongest memory:
    ///
    /// ```
    /// W = sep(sim(M, Q)),   Z = W Pᵀ,   strongest_b = argmax_μ W[b, μ]   (ties: the first μ)
    /// ```
    ///
    /// - Throws: as ``retrieve(queries:batch:similarity:separation:options:)``.
    public func retrieveBatch(
        queries: [Double], batch: Int, similarity: Similarity, separation: Separation,
        options: RetrievalOptions = RetrievalOptions()
    ) throws(RetrievalError) -> BatchRetrieval {
        try retrieveBatch(
            queries: queries, batch: batch, similarity: similarity, separation: separation, options: options,
            firstQuery: 0)
    }

    func retrieveBatch(
        queries: [Double], batch: Int, similarity: Similarity, separation: Separation, options: RetrievalOptions,
        firstQuery: Int
    ) throws(RetrievalError) -> BatchRetrieval {
        let w = try weights(
            queries: queries, batch: batch, similarity: similarity, separation: separation, options: options,
            firstQuery: firstQuery)
        let k = count
        var strongest = [Int](repeating: 0, count: batch)
        var strongestWeights = [Double](repeating: 0, count: batch)
        for b in 0 ..< batch {
            var best = 0
            for mu in 1 ..< k where w[b * k + mu] > w[b * k + best] { best = mu }
            strongest[b] = best
            strongestWeights[b] = w[b * k + best]
        }
        return BatchRetrieval(
            outputs: project(w, batch: batch), strongestMemories: strongest, strongestWeights: strongestWeights)
    }

    /// ``retrieveBatch(queries:batch:similarity:separation:options:)`` with the queries split over the
    /// processes of `communicator`: each process retrieves its contiguous block of the queries
    /// (`Communicator/block(of:)`) and rank 0 receives every query's output and strongest memory, in
    /// order (exact bit patterns).
    ///
    /// Every process first runs the checks one process runs on the whole batch (shapes, finite queries,
    /// a divergence's domain), so bad input fails alike everywhere with one process's message; a query
    /// whose separation or normalisation fails fails the run on every process with the message of the
    /// first such query, numbered in the whole batch. Each process uses `threads / localSize` threads
    /// (at least one) for its loops and for OpenBLAS.
    ///
    /// Each query's separation is computed by the same code as in one process; the similarities (except
    /// Manhattan and Jensen–Shannon, loops over one pair) and the projection are GEMMs over the block,
    /// which OpenBLAS rounds differently from the GEMM over the whole batch (other kernels and blockings
    /// for another number of rows, as for another thread count): outputs agree with one process to
    /// rounding (measured ≤ 1.7e-15 relative), bit for bit when no GEMM rounding enters (Manhattan
    /// distances with max separation: a one-hot projection).
    ///
    /// - Parameters:
    ///   - queries: the queries, row-major `[batch, size]`.
    ///   - batch: the number of queries.
    ///   - similarity: the similarity function.
    ///   - separation: the separation function.
    ///   - options: as for one process.
    ///   - communicator: the processes (`Communicator/world`); a single process is
    ///     ``retrieveBatch(queries:batch:similarity:separation:options:)``.
    ///   - blockDone: called on every process, after it retrieved its block, with the block (query
    ///     numbers in the whole batch) and the threads it used; not called for a single process.
    /// - Returns: on rank 0 the whole batch's retrieval; `nil` on the other ranks.
    /// - Throws: ``RetrievalError`` (the same on every process); `RankFailure` when a block's result
    ///   could not be gathered.
    public func retrieveBatch(
        queries: [Double], batch: Int, similarity: Similarity, separation: Separation,
        options: RetrievalOptions = RetrievalOptions(), across communicator: Communicator,
        blockDone: ((_ block: Range<Int>, _ threads: Int) -> Void)? = nil
    ) throws -> BatchRetrieval? {
        guard communicator.size > 1 else {
            return try retrieveBatch(
                queries: queries, batch: batch, similarity: similarity, separation: separation, options: options)
        }
        try checkBatch(queries: queries, batch: batch, similarity: similarity, separation: separation, options: options)
        let d = dimension, out = outputDimension
        var blockOptions = options
        blockOptions.threads = communicator.threadsPerProcess(options.threadCount)
        let blasThreads = BLAS.threadCount
        BLAS.setThreadCount(blockOptions.threads!)
        defer { BLAS.setThreadCount(blasThreads) }
        typealias Row = (output: ArraySlice<Double>, strongest: Int, weight: Double)
        let rows: [Row] = try RetrievalError.rethrowing { () throws(RankFailure) -> [Row] in
            try communicator.mapBlocks(
                count: batch,
                encode: { (row: Row, w: inout TransferWriter) in
                    for v in row.output { w.write(v) }
                    w.write(row.strongest)
                    w.write(row.weight)
                },
                decode: { r in
                    var output = [Double](repeating: 0, count: out)
                    for j in 0 ..< out { output[j] = try r.readDouble() }
                    return (output[...], try r.readInt(), try r.readDouble())
                }
            ) { block in
                guard !block.isEmpty else {
                    blockDone?(block, blockOptions.threads!)
                    return []
                }
                let part = try RetrievalError.failingRank { () throws(RetrievalError) -> BatchRetrieval in
                    try retrieveBatch(
                        queries: Array(queries[block.lowerBound * d ..< block.upperBound * d]), batch: block.count,
                        similarity: similarity, separation: separation, options: blockOptions,
                        firstQuery: block.lowerBound)
                }
                blockDone?(block, blockOptions.threads!)
                return (0 ..< block.count).map { b in
                    (part.outputs[b * out ..< (b + 1) * out], part.strongestMemories[b], part.strongestWeights[b])
                }
            }
        }
        guard communicator.isRoot else { return nil }
        return BatchRetrieval(
            outputs: rows.flatMap(\.output), strongestMemories: rows.map(\.strongest),
            strongestWeights: rows.map(\.weight))
    }
}

extension RetrievalError {
    /// Runs one process's part of a split, turning a retrieval error into a ``RankFailure`` that
    /// ``rethrowing(_:)`` turns back into the same error on every process.
    static func failingRank<T>(_ body: () throws(RetrievalError) -> T) throws(RankFailure) -> T {
        do { return try body() } catch {
            let (code, message) = error.transferForm
            throw RankFailure(rank: 0, message: message, exitCode: code)
        }
    }

    /// Runs a collective step; a ``RankFailure`` made by ``failingRank(_:)`` becomes its retrieval error
    /// again (other failures are rethrown as they are).
    static func rethrowing<T>(_ body: () throws(RankFailure) -> T) throws -> T {
        do { return try body() } catch {
            if let decoded = RetrievalError(transferCode: error.exitCode, message: error.message) { throw decoded }
            throw error
        }
    }
}
