import Foundation
import Datasets
import TestSupport
import Testing
@testable import Retrieval

@Suite struct MemoryTests {
    let k = 7, d = 13, b = 5
    var memoryRows: [[Double]] { randomRows(k, d, in: 0.05 ... 1, seed: 11) }
    var queryRows: [[Double]] { randomRows(b, d, in: 0.05 ... 1, seed: 12) }

    /// Separations that make sense for the scores of `similarity` under `convention`.
    func separations(for similarity: Similarity, convention: DistanceConvention) -> [Separation] {
        var list: [Separation] = [.identity, .max, .softmax(beta: 2)]
        if !similarity.isDistance || convention == .inverse {
            list += [.square, .cube, .power(2.5), .sqrt, .log]
        } else {
            list += [.square, .cube]  // integer powers of negative scores are defined
        }
        if similarity.isDistance {
            // A radius between the smallest and the largest distance of the first query.
            let ds = memoryRows.map { Naive.distance(similarity, $0, queryRows[0]) }.sorted()
            // Midway between two distances, so rounding cannot move a distance across it.
            list.append(.threshold(radius: (ds[ds.count / 2] + ds[ds.count / 2 + 1]) / 2))
        }
        return list
    }

    @Test(arguments: Similarity.allCases, DistanceConvention.allCases)
    func batchedRetrievalMatchesNaiveLoops(similarity: Similarity, convention: DistanceConvention) throws {
        let memory = try Memory(patterns: memoryRows)
        let queries = queryRows.flatMap { $0 }
        for separation in separations(for: similarity, convention: convention) {
            for normalize in [false, true] {
                if normalize && similarity.isDistance && convention == .negative { continue }
                let options = RetrievalOptions(convention: convention, normalization: normalize ? .both : [])
                let z = try memory.retrieve(
                    queries: queries, batch: b, similarity: similarity, separation: separation, options: options)
                let expected = queryRows.flatMap {
                    Naive.retrieve(
                        memories: memoryRows, query: $0, similarity: similarity, separation: separation,
                        convention: convention, normalize: normalize)
                }
                #expect(isApproximatelyEqual(z, expected, relativeTolerance: 1e-8, absoluteTolerance: 1e-10),
                        "\(similarity) \(separation) \(convention) normalize=\(normalize)")
            }
        }
    }

    @Test(arguments: Similarity.allCases)
    func scoresMatchNaiveScores(similarity: Similarity) throws {
        let memory = try Memory(patterns: memoryRows)
        for convention in DistanceConvention.allCases {
            let s = try memory.scores(
                queries: queryRows.flatMap { $0 }, batch: b, similarity: similarity,
                options: RetrievalOptions(convention: convention))
            let expected = queryRows.flatMap { q in memoryRows.map { Naive.score(similarity, $0, q, convention: convention) } }
            #expect(isApproximatelyEqual(s, expected, relativeTolerance: 1e-9, absoluteTolerance: 1e-11), "\(similarity) \(convention)")
        }
    }

    @Test func heteroAssociativeProjection() throws {
        let dOut = 4
        let p = randomRows(dOut, k, in: -1 ... 1, seed: 13)
        let memory = try Memory(
            memories: memoryRows.flatMap { $0 }, count: k, dimension: d, projection: p.flatMap { $0 },
            outputDimension: dOut)
        #expect(memory.outputDimension == dOut)
        for (similarity, separation) in [(Similarity.euclidean, Separation.softmax(beta: 3)), (.dot, .identity), (.manhattan, .max)] {
            let z = try memory.retrieve(queries: queryRows.flatMap { $0 }, batch: b, similarity: similarity, separation: separation)
            let expected = queryRows.flatMap {
                Naive.retrieve(memories: memoryRows, projection: p, query: $0, similarity: similarity, separation: separation)
            }
            #expect(isApproximatelyEqual(z, expected))
        }
    }

    @Test func dotIdentityIsClassicalHebbian() throws {
        // Classical Hopfield: z = Mᵀ M q with the outer-product weight matrix W = Mᵀ M.
        let m = randomRows(k, d, in: -1 ... 1, seed: 21)
        let q = randomRows(1, d, in: -1 ... 1, seed: 22)[0]
        var w = [Double](repeating: 0, count: d * d)
        for row in m { for i in 0 ..< d { for j in 0 ..< d { w[i * d + j] += row[i] * row[j] } } }
        let expected = (0 ..< d).map { i in (0 ..< d).map { w[i * d + $0] * q[$0] }.reduce(0, +) }
        let z = try Memory(patterns: m).retrieve(q, similarity: .dot, separation: .identity)
        #expect(isApproximatelyEqual(z, expected, relativeTolerance: 1e-12, absoluteTolerance: 1e-12))
    }

    @Test func dotSoftmaxIsModernHopfieldStep() throws {
        // Modern continuous Hopfield network (Ramsauer et al.): ξ_new = X softmax(β Xᵀ ξ), X = Mᵀ.
        let m = randomRows(k, d, in: -1 ... 1, seed: 31)
        let q = randomRows(1, d, in: -1 ... 1, seed: 32)[0]
        let beta = 4.0
        let logits = m.map { row in beta * zip(row, q).map(*).reduce(0, +) }
        let total = logits.map { exp($0) }.reduce(0, +)
        let p = logits.map { exp($0) / total }
        let expected = (0 ..< d).map { j in (0 ..< k).map { m[$0][j] * p[$0] }.reduce(0, +) }
        let z = try Memory(patterns: m).retrieve(q, similarity: .dot, separation: .softmax(beta: beta))
        #expect(isApproximatelyEqual(z, expected, relativeTolerance: 1e-12, absoluteTolerance: 1e-12))
    }

    @Test(arguments: [Similarity.euclidean, .manhattan, .cosine, .kl, .jensenShannon])
    func maxSeparationReturnsExactlyTheNearestMemory(similarity: Similarity) throws {
        let m = memoryRows
        var g = SplitMix64(seed: 41)
        // Queries: memory 3 and memory 5 slightly perturbed.
        let queries = [3, 5].flatMap { i in m[i].map { max(0.01, $0 + g.uniform(-0.02 ... 0.02)) } }
        let z = try Memory(patterns: m).retrieve(queries: queries, batch: 2, similarity: similarity, separation: .max)
        #expect(Array(z[0 ..< d]) == m[3])
        #expect(Array(z[d ..< 2 * d]) == m[5])
    }

    @Test func maxTiesGoToTheFirstMemory() throws {
        let m: [[Double]] = [[0, 1], [1, 0], [1, 0], [0, 1]]
        let z = try Memory(patterns: m).retrieve([1, 0], similarity: .euclidean, separation: .max)
        #expect(z == [1, 0])
        let w = try Memory(patterns: m).weights(queries: [1, 1], batch: 1, similarity: .dot, separation: .max)
        #expect(w == [1, 0, 0, 0])
    }

    @Test func sparseDistributedMemoryOnBipolarPatterns() throws {
        // Kanerva's SDM: Hamming similarity + threshold separation on ±1 patterns.
        let kk = 20, dd = 64
        var g = SplitMix64(seed: 51)
        let patterns = (0 ..< kk).map { _ in (0 ..< dd).map { _ in Bool.random(using: &g) ? 1.0 : -1.0 } }
        var query = patterns[3]
        for j in [1, 7, 19, 33, 50] { query[j] = -query[j] }
        let memory = try Memory(patterns: patterns)
        let scores = try memory.scores(queries: query, batch: 1, similarity: .hamming)
        let hamming = patterns.map { p in Double(zip(p, query).filter { $0 != $1 }.count) }
        #expect(scores == hamming.map { -$0 })
        #expect(hamming[3] == 5)
        let radius = 20.0
        let w = try memory.weights(queries: query, batch: 1, similarity: .hamming, separation: .threshold(radius: radius))
        #expect(w == hamming.map { $0 <= radius ? 1 : 0 })
        let z = try memory.retrieve(query, similarity: .hamming, separation: .threshold(radius: radius))
        let expected = (0 ..< dd).map { j in (0 ..< kk).filter { hamming[$0] <= radius }.map { patterns[$0][j] }.reduce(0, +) }
        #expect(z == expected)
        #expect(z.map { $0 > 0 ? 1.0 : -1.0 } == patterns[3])
    }

    @Test func thresholdWithNoMemoryInRangeGivesZero() throws {
        let memory = try Memory(patterns: [[1, 1, 1], [0, 0, 0]])
        let options = RetrievalOptions(normalization: .separation)
        let z = try memory.retrieve([1, 0, 0.7], similarity: .hamming, separation: .threshold(radius: 0), options: options)
        #expect(z == [0, 0, 0])
    }

    @Test func parallelAndSerialAgree() throws {
        // Large enough to run the row loops concurrently; the blocked sums run in the same order. The final
        // projection is one GEMM whose OpenBLAS thread count other tests running in parallel may change, which
        // can change its summation order: agreement to rounding, not bit for bit.
        let m = randomRows(60, 50, in: 0.01 ... 1, seed: 61)
        let q = randomRows(300, 50, in: 0.01 ... 1, seed: 62)
        let memory = try Memory(patterns: m)
        for (similarity, separation) in [(Similarity.manhattan, Separation.softmax(beta: 1)), (.jensenShannon, .max), (.euclidean, .identity)] {
            let z1 = try memory.retrieve(queries: q.flatMap { $0 }, batch: 300, similarity: similarity, separation: separation,
                                         options: RetrievalOptions(threads: 1))
            let z2 = try memory.retrieve(queries: q.flatMap { $0 }, batch: 300, similarity: similarity, separation: separation,
                                         options: RetrievalOptions(threads: 2))
            #expect(isApproximatelyEqual(z1, z2, relativeTolerance: 1e-12))
            let expected = Naive.retrieve(memories: m, query: q[299], similarity: similarity, separation: separation)
            #expect(isApproximatelyEqual(Array(z2[299 * 50 ..< 300 * 50]), expected, relativeTolerance: 1e-8))
        }
    }

    @Test func emptyBatchGivesEmptyOutput() throws {
        let z = try Memory(patterns: memoryRows).retrieve(queries: [], batch: 0, similarity: .dot, separation: .max)
        #expect(z.isEmpty)
    }

    @Test func invalidShapesAndCombinationsThrow() throws {
        #expect(throws: RetrievalError.self) { try Memory(memories: [1, 2, 3], count: 2, dimension: 2) }
        #expect(throws: RetrievalError.self) { try Memory(memories: [], count: 0, dimension: 2) }
        #expect(throws: RetrievalError.self) { try Memory(memories: [1, .nan], count: 1, dimension: 2) }
        #expect(throws: RetrievalError.self) { try Memory(patterns: [[1, 2], [3]]) }
        #expect(throws: RetrievalError.self) {
            try Memory(memories: [1, 2], count: 1, dimension: 2, projection: [1, 2, 3], outputDimension: 2)
        }
        let memory = try Memory(patterns: [[1, 2], [3, 4]])
        #expect(throws: RetrievalError.invalidShape("queries has 3 entries, expected batch 2 × dimension 2")) {
            try memory.retrieve(queries: [1, 2, 3], batch: 2, similarity: .dot, separation: .max)
        }
        #expect(throws: RetrievalError.self) {  // threshold needs a distance
            try memory.retrieve([1, 2], similarity: .dot, separation: .threshold(radius: 1))
        }
        #expect(throws: RetrievalError.self) {  // normalising −d is refused
            try memory.retrieve([1, 2], similarity: .euclidean, separation: .max,
                                options: RetrievalOptions(normalization: .similarity))
        }
        #expect(throws: RetrievalError.self) {  // log of −d
            try memory.retrieve([1, 2], similarity: .euclidean, separation: .log)
        }
        #expect(throws: RetrievalError.self) {  // KL needs non-negative entries
            try memory.retrieve([1, -2], similarity: .kl, separation: .max)
        }
        #expect(throws: RetrievalError.self) {  // KL needs a positive sum
            try memory.retrieve([0, 0], similarity: .jensenShannon, separation: .max)
        }
        #expect(throws: RetrievalError.self) {
            try memory.retrieve([1, 2], similarity: .dot, separation: .softmax(beta: .infinity))
        }
        #expect(throws: RetrievalError.self) {
            try memory.retrieve([1, .infinity], similarity: .dot, separation: .max)
        }
    }
}
