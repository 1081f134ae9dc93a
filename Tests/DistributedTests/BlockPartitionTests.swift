import Foundation
@testable import Distributed
import Testing

@Suite("BlockPartition and the serial communicator")
struct BlockPartitionTests {
    @Test("blocks tile 0..<count in order and differ in length by at most one")
    func tiling() {
        for count in 0 ... 40 {
            for parts in 1 ... 7 {
                let partition = BlockPartition(count: count, parts: parts)
                let ranges = (0 ..< parts).map(partition.range(of:))
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                #expect(partition.lengths.max()! - partition.lengths.min()! <= 1)
                #expect(partition.lengths.reduce(0, +) == count)
            }
        }
        #expect(BlockPartition(count: 10, parts: 3).lengths == [4, 3, 3])
        #expect(BlockPartition(count: 2, parts: 3).range(of: 2).isEmpty)
    }

    @Test("a plain process is rank 0 of 1 and its collectives return their input")
    func single() {
        let one = Communicator.single
        #expect(one.rank == 0 && one.size == 1 && !one.usesMPI && one.isRoot)
        var values = [1.5, -2.0, 3.25]
        one.allreduce(&values, .sum)
        #expect(values == [1.5, -2.0, 3.25])
        var maxima = [2.0], sums = [3.0, 4.0]
        one.combineLogSumExp(maxima: &maxima, sums: &sums)
        #expect(maxima == [2.0] && sums == [3.0, 4.0])
        #expect(one.gather([1, 2]) == [[1, 2]])
        #expect(one.gather(bytes: [7]) == [[7]])
        #expect(one.block(of: 5) == 0 ..< 5)
        #expect(one.agreeOnFailures(nil).isEmpty)
        #expect(one.agreeOnFailures(RankFailure(rank: 9, message: "bad", exitCode: 2))
            == [RankFailure(rank: 0, message: "bad", exitCode: 2)])
    }

    @Test("launch detection reads the launchers' variables")
    func launchDetection() {
        #expect(!Communicator.isLaunchedByMPI(environment: ["PATH": "/usr/bin"]))
        #expect(Communicator.isLaunchedByMPI(environment: ["OMPI_COMM_WORLD_SIZE": "2"]))
        #expect(Communicator.isLaunchedByMPI(environment: ["PMIX_RANK": "0"]))
        #expect(Communicator.isLaunchedByMPI(environment: ["PMI_RANK": "1"]))
        #expect(Communicator.launchRank(environment: [:]) == 0)
        #expect(Communicator.launchRank(environment: ["OMPI_COMM_WORLD_RANK": "2", "OMPI_COMM_WORLD_SIZE": "3"]) == 2)
        #expect(Communicator.launchRank(environment: ["PMIX_RANK": "5"]) == 5)
    }

    @Test("rescaling partial sums to the global maximum reproduces the one-block log-sum-exp")
    func rescaling() {
        // Scores split into blocks; each block's partial S_r relative to its own max, rescaled by
        // e^{m_r − m}, sums to S relative to the global max (docs/math.md §9).
        let scores: [Double] = [-3, 40, 2.5, 39, -700, 12, 0.25]
        let m = scores.max()!
        let direct = scores.map { exp($0 - m) }.reduce(0, +)
        for cut in [[0, 2, 7], [0, 1, 4, 5, 7], [0, 7, 7]] {
            var total = 0.0
            for (start, end) in zip(cut, cut.dropFirst()) {
                let block = scores[start ..< end]
                let local = block.max() ?? -.infinity
                let partial = block.map { exp($0 - local) }.reduce(0, +)
                total += Communicator.rescaling(from: local, to: m) * partial
            }
            #expect(abs(total - direct) <= 1e-15 * direct)
        }
        #expect(Communicator.rescaling(from: -.infinity, to: 3) == 0)
        #expect(Communicator.rescaling(from: 3, to: 3) == 1)
    }
}
