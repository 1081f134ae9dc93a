import Distributed
import Foundation
import HopfieldSimulation
import LinearAlgebra

// Capacity sweeps split over processes. The unit of work is one block of one cell — the retrieval (or the
// integrations) of one block's queries from its first K images — computed by exactly the code one process
// runs for it, so the counts are one process's.

extension CapacityExperiment {
    /// ``run(_:progress:)`` with the sweep split over the processes of `communicator`: the units — one
    /// (pair, K, block) retrieval each, ``blocks`` per cell — are ordered so that each process's contiguous
    /// block of them (`Communicator/block(of:)`) costs about the same (`queries · K` per unit), every
    /// process runs its units, and rank 0 gathers the numbers of correct retrievals.
    ///
    /// Each unit is one process's retrieval of that block, so the results are one process's (a count could
    /// differ only if a retrieval error lay within rounding of the threshold: each process uses
    /// `threads / localSize` threads, and OpenBLAS rounds GEMMs to ~1e-15 differently with another thread
    /// count). An error is that of the first failing unit in the order of one process, reported alike on
    /// every process.
    ///
    /// - Parameters:
    ///   - configurations: the pairs to test, in order.
    ///   - communicator: the processes; a single process is ``run(_:progress:)``.
    ///   - progress: called on rank 0, after the gather, for each cell in order.
    ///   - blockDone: called on every process after its units, with their positions in the split order, the
    ///     number of units and the threads used; not called for a single process.
    /// - Returns: on rank 0 what ``run(_:progress:)`` returns; `nil` on the other ranks.
    /// - Throws: ``RetrievalError`` (the same on every process); `RankFailure` when a result could not be
    ///   gathered.
    public func run(
        _ configurations: [(Similarity, Separation)], across communicator: Communicator,
        progress: ((CapacityResult) -> Void)? = nil,
        blockDone: ((_ units: Range<Int>, _ count: Int, _ threads: Int) -> Void)? = nil
    ) throws -> [CapacityResult]? {
        guard communicator.size > 1 else { return try run(configurations, progress: progress) }
        let cells = configurations.flatMap { pair in sizes.map { (pair.0, pair.1, $0) } }
        let units = cells.count * blocks
        let order = balancedOrder(
            costs: (0 ..< units).map { u in Double(queriesPerBlock(size: cells[u / blocks].2) * cells[u / blocks].2) },
            parts: communicator.size)
        let queries = corruptedQueries()
        var unitOptions = options
        unitOptions.threads = communicator.threadsPerProcess(options.threadCount)
        let blasThreads = BLAS.threadCount
        BLAS.setThreadCount(unitOptions.threads!)
        defer { BLAS.setThreadCount(blasThreads) }
        let counts: [Result<Int, RetrievalError>] = try communicator.mapBlocks(
            count: units, encode: { (r: Result<Int, RetrievalError>, w: inout TransferWriter) in w.write(r) },
            decode: { r in try r.readRetrievalResult { try $0.readInt() } }
        ) { mine in
            let results = mine.map { i -> Result<Int, RetrievalError> in
                let u = order[i]
                let (similarity, separation, size) = cells[u / blocks]
                let r = u % blocks
                return Result { () throws(RetrievalError) -> Int in
                    try correctRetrievals(
                        similarity: similarity, separation: separation, size: size, block: r, queries: queries[r],
                        options: unitOptions)
                }
            }
            blockDone?(mine, units, unitOptions.threads!)
            return results
        }
        // Rank 0: the units back in one process's order, the first failure of that order.
        var natural = [Result<Int, RetrievalError>?](repeating: nil, count: units)
        for (i, result) in counts.enumerated() { natural[order[i]] = result }
        var results: [CapacityResult] = []
        var failure: RetrievalError?
        if communicator.isRoot {
            cellLoop: for (c, cell) in cells.enumerated() {
                var fractions: [Double] = []
                for r in 0 ..< blocks {
                    switch natural[c * blocks + r]! {
                    case .success(let correct): fractions.append(Double(correct) / Double(queriesPerBlock(size: cell.2)))
                    case .failure(let error):
                        failure = error
                        break cellLoop
                    }
                }
                let result = CapacityResult(
                    similarity: cell.0, separation: cell.1, memoryCount: cell.2, queriesPerBlock: queriesPerBlock(size: cell.2),
                    fractions: fractions)
                progress?(result)
                results.append(result)
            }
        }
        try RetrievalError.rethrowing { () throws(RankFailure) in
            try communicator.collectively { () throws in
                if let failure { _ = try RetrievalError.failingRank { () throws(RetrievalError) in throw failure } }
            }
        }
        return communicator.isRoot ? results : nil
    }
}

extension ContinuousCapacity {
    /// One (similarity, softmax β, K) cell of a continuous-time sweep.
    public typealias CellSpec = (similarity: Similarity, beta: Double, size: Int)

    /// ``run(similarity:beta:size:)`` for each of `cells`, split over the processes of `communicator`: the
    /// units — the integrations of one block of one cell — are ordered so that each process's contiguous
    /// block of them costs about the same, every process integrates its units with exactly the code one
    /// process runs for them, and rank 0 gathers the counts and diagnostics.
    ///
    /// The fractions and diagnostics are one process's (each block is one `solve` call, the same
    /// trajectories together, whether lockstep or independent), except ``Diagnostics/seconds``: the sum
    /// of the blocks' wall-clock times over the processes. Each process uses `threads / localSize`
    /// threads. An error is that of the first failing unit in the order of one process, on every process.
    ///
    /// - Parameters:
    ///   - cells: the cells, in order.
    ///   - communicator: the processes; a single process runs ``run(similarity:beta:size:)`` per cell.
    ///   - progress: called on rank 0 for each finished cell, in order (after the gather when split).
    ///   - blockDone: as for ``CapacityExperiment/run(_:across:progress:blockDone:)``.
    /// - Returns: on rank 0 the cells in order; `nil` on the other ranks.
    /// - Throws: ``ContinuousCapacityError`` (the same on every process); `RankFailure` when a result
    ///   could not be gathered.
    public func run(
        cells: [CellSpec], across communicator: Communicator, progress: ((CellSpec, Cell) -> Void)? = nil,
        blockDone: ((_ units: Range<Int>, _ count: Int, _ threads: Int) -> Void)? = nil
    ) throws -> [Cell]? {
        guard communicator.size > 1 else {
            var out: [Cell] = []
            for spec in cells {
                let cell = try run(similarity: spec.similarity, beta: spec.beta, size: spec.size)
                progress?(spec, cell)
                out.append(cell)
            }
            return out
        }
        let blocks = experiment.blocks
        let d = experiment.images.dimension
        let units = cells.count * blocks
        let order = balancedOrder(
            costs: (0 ..< units).map { u in
                let size = cells[u / blocks].size
                return Double(experiment.queriesPerBlock(size: size) * (d + size) * size)
            },
            parts: communicator.size)
        var unitOptions = options
        unitOptions.threads = communicator.threadsPerProcess(options.threads)
        let blasThreads = BLAS.threadCount
        BLAS.setThreadCount(unitOptions.threads)
        defer { BLAS.setThreadCount(blasThreads) }
        let outcomes: [Result<BlockOutcome, ContinuousCapacityError>] = try communicator.mapBlocks(
            count: units, encode: { (r: Result<BlockOutcome, ContinuousCapacityError>, w: inout TransferWriter) in w.write(r) },
            decode: { r in try r.readContinuousResult() }
        ) { mine in
            let results = mine.map { i -> Result<BlockOutcome, ContinuousCapacityError> in
                let u = order[i]
                let spec = cells[u / blocks]
                return Result { () throws(ContinuousCapacityError) -> BlockOutcome in
                    try runBlock(similarity: spec.similarity, beta: spec.beta, size: spec.size, block: u % blocks, options: unitOptions)
                }
            }
            blockDone?(mine, units, unitOptions.threads)
            return results
        }
        var natural = [Result<BlockOutcome, ContinuousCapacityError>?](repeating: nil, count: units)
        for (i, outcome) in outcomes.enumerated() { natural[order[i]] = outcome }
        var out: [Cell] = []
        var failure: ContinuousCapacityError?
        if communicator.isRoot {
            cellLoop: for (c, spec) in cells.enumerated() {
                var parts: [BlockOutcome] = []
                for r in 0 ..< blocks {
                    switch natural[c * blocks + r]! {
                    case .success(let outcome): parts.append(outcome)
                    case .failure(let error):
                        failure = error
                        break cellLoop
                    }
                }
                let cell = Self.cell(
                    similarity: spec.similarity, beta: spec.beta, size: spec.size,
                    queryCount: experiment.queriesPerBlock(size: spec.size), parts)
                progress?(spec, cell)
                out.append(cell)
            }
        }
        do {
            try communicator.collectively { () throws in
                if let failure {
                    let (code, message) = failure.transferForm
                    throw RankFailure(rank: 0, message: message, exitCode: code)
                }
            }
        } catch {
            if let decoded = ContinuousCapacityError(transferCode: error.exitCode, message: error.message) { throw decoded }
            throw error
        }
        return communicator.isRoot ? out : nil
    }
}

/// Positions of `costs.count` units such that the contiguous blocks of a ``BlockPartition`` over `parts`
/// get about equal total cost: units by descending cost (ties: lower index first), each into the
/// least-loaded block that has room (ties: the lowest). `order[i]` is the unit at position `i`.
func balancedOrder(costs: [Double], parts: Int) -> [Int] {
    let partition = BlockPartition(count: costs.count, parts: parts)
    var next = (0 ..< parts).map { partition.range(of: $0).lowerBound }
    let ends = (0 ..< parts).map { partition.range(of: $0).upperBound }
    var load = [Double](repeating: 0, count: parts)
    var order = [Int](repeating: 0, count: costs.count)
    for u in costs.indices.sorted(by: { costs[$0] > costs[$1] || (costs[$0] == costs[$1] && $0 < $1) }) {
        var best = -1
        for p in 0 ..< parts where next[p] < ends[p] && (best < 0 || load[p] < load[best]) { best = p }
        order[next[best]] = u
        next[best] += 1
        load[best] += costs[u]
    }
    return order
}

// MARK: Exact byte forms

extension RetrievalError {
    /// The case code and payload of a ``RankFailure`` or a transferred result.
    var transferForm: (Int32, String) {
        switch self {
        case .invalidShape(let m): (101, m)
        case .invalidParameter(let m): (102, m)
        case .domain(let m): (103, m)
        case .unknownName: (1, description)
        }
    }

    /// The error of a ``transferForm``; nil for a code that is not a retrieval error's.
    init?(transferCode code: Int32, message: String) {
        switch code {
        case 101: self = .invalidShape(message)
        case 102: self = .invalidParameter(message)
        case 103: self = .domain(message)
        default: return nil
        }
    }
}

extension ContinuousCapacityError {
    /// The case code and payload (codes 111–114).
    var transferForm: (Int32, String) {
        switch self {
        case .unsupportedSimilarity(let s): (111, s.name)
        case .network(let m): (112, m)
        case .invalidOptions(let m): (113, m)
        case .simulation(let m): (114, m)
        }
    }

    /// The error of a ``transferForm``; nil for a code that is not this error's.
    init?(transferCode code: Int32, message: String) {
        switch code {
        case 111:
            guard let s = try? Similarity(name: message) else { return nil }
            self = .unsupportedSimilarity(s)
        case 112: self = .network(message)
        case 113: self = .invalidOptions(message)
        case 114: self = .simulation(message)
        default: return nil
        }
    }
}

extension TransferWriter {
    /// A unit's count or its error: `0, count` or `code, message`.
    mutating func write(_ result: Result<Int, RetrievalError>) {
        switch result {
        case .success(let n):
            write(0)
            write(n)
        case .failure(let error):
            let (code, message) = error.transferForm
            write(Int(code))
            write(message)
        }
    }

    /// A continuous unit's outcome or its error.
    mutating func write(_ result: Result<ContinuousCapacity.BlockOutcome, ContinuousCapacityError>) {
        switch result {
        case .success(let o):
            write(0)
            write(o.readoutCorrect)
            write(o.stateCorrect)
            let dg = o.diagnostics
            write(dg.trajectories)
            write(dg.statuses.count)
            for (status, n) in dg.statuses.sorted(by: { $0.key < $1.key }) {
                write(status)
                write(n)
            }
            write(dg.monitorPassed)
            write(dg.violations)
            write(dg.maxEnergyIncrease)
            write(dg.steps)
            write(dg.seconds)
        case .failure(let error):
            let (code, message) = error.transferForm
            write(Int(code))
            write(message)
        }
    }
}

extension TransferReader {
    /// Reads what ``TransferWriter/write(_:)-(Result<Int,RetrievalError>)`` wrote.
    mutating func readRetrievalResult(_ value: (inout TransferReader) throws -> Int) throws -> Result<Int, RetrievalError> {
        let code = try readInt()
        if code == 0 { return .success(try value(&self)) }
        guard let error = RetrievalError(transferCode: Int32(truncatingIfNeeded: code), message: try readString()) else {
            throw TransferError.truncated
        }
        return .failure(error)
    }

    /// Reads a continuous unit's outcome or error.
    mutating func readContinuousResult() throws -> Result<ContinuousCapacity.BlockOutcome, ContinuousCapacityError> {
        let code = try readInt()
        guard code == 0 else {
            guard let error = ContinuousCapacityError(transferCode: Int32(truncatingIfNeeded: code), message: try readString()) else {
                throw TransferError.truncated
            }
            return .failure(error)
        }
        var o = ContinuousCapacity.BlockOutcome()
        o.readoutCorrect = try readInt()
        o.stateCorrect = try readInt()
        o.diagnostics.trajectories = try readInt()
        let statuses = try readInt()
        guard statuses >= 0 && statuses <= 64 else { throw TransferError.truncated }
        for _ in 0 ..< statuses {
            let status = try readString()
            o.diagnostics.statuses[status] = try readInt()
        }
        o.diagnostics.monitorPassed = try readInt()
        o.diagnostics.violations = try readInt()
        o.diagnostics.maxEnergyIncrease = try readDouble()
        o.diagnostics.steps = try readInt()
        o.diagnostics.seconds = try readDouble()
        return .success(o)
    }
}
