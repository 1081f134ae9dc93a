// distributed-probe: checks Distributed's collectives against serial computations, run under mpirun
// by DistributedTests (and by hand: `mpirun -np 3 .build/debug/distributed-probe check`).
//
//   distributed-probe check           every collective vs. the serial result; rank 0 prints PASS lines
//   distributed-probe fail RANK       RANK fails its part; all ranks agree, rank 0 reports it, exit 3
//   distributed-probe crash RANK      RANK exits(4) without agreeing (the launcher must end the run)
//   distributed-probe bench N REPS    time per allreduce SUM of N doubles (median of 7 rounds)
import Distributed
import Foundation

let world = Communicator.world
let arguments = Array(CommandLine.arguments.dropFirst())

/// A deterministic number in [-0.5, 0.5) for (stream, index): every rank can compute every rank's data.
func datum(_ stream: Int, _ index: Int) -> Double {
    let x = sin(Double(index) * 12.9898 + Double(stream) * 78.233 + 0.5) * 43758.5453
    return x - x.rounded(.down) - 0.5
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("distributed-probe: \(message)\n".utf8))
    exit(2)
}

/// Log-sum-exp partials of one state over `terms`: scores `a_μ`, vectors `v_μ` of length `width − 1`.
/// With `absolute`, the vectors are `|v_μ|` (the scale of a relative error of `V / S`).
func partials(_ terms: Range<Int>, score: (Int) -> Double, width: Int, absolute: Bool = false) -> (max: Double, sums: [Double]) {
    let m = terms.map(score).max() ?? -.infinity
    var sums = [Double](repeating: 0, count: width)
    for mu in terms {
        let e = exp(score(mu) - m)
        sums[0] += e
        for j in 1 ..< width { sums[j] += e * (absolute ? abs(datum(1000 + mu, j)) : datum(1000 + mu, j)) }
    }
    return (m, sums)
}

func relative(_ got: Double, _ expected: Double, scale: Double) -> Double {
    abs(got - expected) / max(scale, .leastNormalMagnitude)
}

func check() throws -> [String] {
    var lines: [String] = []
    let size = world.size, rank = world.rank

    // 1. allreduce SUM and MAX of D + 1 = 785 numbers against the sum in rank order.
    let n = 785
    var sums = (0 ..< n).map { datum(rank, $0) }
    var maxima = sums
    world.allreduce(&sums, .sum)
    world.allreduce(&maxima, .max)
    var worst = 0.0
    for i in 0 ..< n {
        let terms = (0 ..< size).map { datum($0, i) }
        let expected = terms.reduce(0, +), scale = terms.map(abs).reduce(0, +)
        worst = max(worst, relative(sums[i], expected, scale: scale))
        guard maxima[i] == terms.max()! else { throw RankFailure(rank: rank, message: "allreduce max differs at \(i)") }
    }
    guard worst <= 1e-12 else { throw RankFailure(rank: rank, message: "allreduce sum: relative error \(worst)") }
    let total = world.allreduce(Double(rank + 1), .sum)
    guard total == Double(size * (size + 1) / 2) else { throw RankFailure(rank: rank, message: "scalar sum \(total)") }
    lines.append("allreduce sum \(n): max relative error \(worst)")

    // 2. log-sum-exp combine (docs/math.md §9) for a batch of two states, K = 101 and K = 2 terms
    //    (with 3 ranks, the last holds none of the 2).
    for count in [101, 2] {
        let width = 7
        let scores: [(Int) -> Double] = [
            { mu in 30 * datum(7, mu) + (mu < count / 2 ? 0 : 8) },
            { mu in -25 * datum(9, mu) },
        ]
        let mine = world.block(of: count)
        var m: [Double] = [], s: [Double] = []
        for score in scores {
            let p = partials(mine, score: score, width: width)
            m.append(p.max)
            s += p.sums
        }
        world.combineLogSumExp(maxima: &m, sums: &s)
        var lseError = 0.0, meanError = 0.0
        for (b, score) in scores.enumerated() {
            let all = partials(0 ..< count, score: score, width: width)
            let scale = partials(0 ..< count, score: score, width: width, absolute: true)
            let lse = m[b] + log(s[b * width]), expectedLSE = all.max + log(all.sums[0])
            lseError = max(lseError, relative(lse, expectedLSE, scale: abs(expectedLSE)))
            for j in 1 ..< width {
                let got = s[b * width + j] / s[b * width], expected = all.sums[j] / all.sums[0]
                meanError = max(meanError, relative(got, expected, scale: scale.sums[j] / scale.sums[0]))
            }
        }
        guard lseError <= 1e-12, meanError <= 1e-12 else {
            throw RankFailure(rank: rank, message: "log-sum-exp K=\(count): errors \(lseError), \(meanError)")
        }
        lines.append("log-sum-exp K=\(count): relative errors \(lseError), \(meanError)")
    }

    // 3. gathers: lengths differ per rank; root receives them in rank order.
    let numbers = world.gather((0 ... rank).map { Double(100 * rank + $0) })
    let texts = world.gather(bytes: Array("rank \(rank)".utf8))
    let blocks = world.gather({ let r = world.block(of: 10); return [Double(r.lowerBound), Double(r.upperBound)] }())
    if world.isRoot {
        guard numbers == (0 ..< size).map({ r in (0 ... r).map { Double(100 * r + $0) } }) else {
            throw RankFailure(rank: rank, message: "gather order: \(numbers)")
        }
        guard texts.map({ String(decoding: $0, as: UTF8.self) }) == (0 ..< size).map({ "rank \($0)" }) else {
            throw RankFailure(rank: rank, message: "gather bytes order")
        }
        guard blocks.first?.first == 0, blocks.last?.last == 10,
              zip(blocks, blocks.dropFirst()).allSatisfy({ $0[1] == $1[0] }) else {
            throw RankFailure(rank: rank, message: "blocks do not tile 0..<10: \(blocks)")
        }
        lines.append("gather: \(numbers.map(\.count)) numbers, \(texts.count) texts in rank order")
    } else {
        guard numbers.isEmpty, texts.isEmpty else { throw RankFailure(rank: rank, message: "non-root received a gather") }
    }
    let everyone = world.allgather(bytes: Array("r\(rank)".utf8)).map { String(decoding: $0, as: UTF8.self) }
    guard everyone == (0 ..< size).map({ "r\($0)" }) else { throw RankFailure(rank: rank, message: "allgather \(everyone)") }
    let greeting = world.broadcast(bytes: world.isRoot ? Array("from rank 0".utf8) : [])
    guard String(decoding: greeting, as: UTF8.self) == "from rank 0" else {
        throw RankFailure(rank: rank, message: "broadcast")
    }

    // 4. a batch split: every rank works on its block, rank 0 receives the results in item order.
    let items = 11
    let results = try world.mapBlocks(
        count: items, encode: { (r: (Int, Double, String), w: inout TransferWriter) in
            w.write(r.0); w.write(r.1); w.write(r.2)
        }, decode: { r in (try r.readInt(), try r.readDouble(), try r.readString()) }
    ) { block in block.map { ($0, $0 == 3 ? .nan : sqrt(Double($0)), "item \($0) on rank \(rank)") } }
    if world.isRoot {
        let expectedOwners = (0 ..< items).map { i in (0 ..< size).first { BlockPartition(count: items, parts: size).range(of: $0).contains(i) }! }
        guard results.count == items,
              results.enumerated().allSatisfy({ i, r in
                  r.0 == i && (i == 3 ? r.1.isNaN : r.1 == sqrt(Double(i))) && r.2 == "item \(i) on rank \(expectedOwners[i])"
              })
        else { throw RankFailure(rank: rank, message: "mapBlocks: \(results)") }
        lines.append("mapBlocks: \(items) items in order from \(Set(expectedOwners).count) ranks")
    } else {
        guard results.isEmpty else { throw RankFailure(rank: rank, message: "non-root received mapBlocks results") }
    }
    world.barrier()
    return lines
}

func bench(_ n: Int, _ repeats: Int) -> String {
    var buffer = (0 ..< n).map { datum(world.rank, $0) }
    var times: [Double] = []
    for round in 0 ..< 8 {
        world.barrier()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0 ..< repeats { world.allreduce(&buffer, .sum) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        if round > 0 { times.append(seconds / Double(repeats)) }
        for i in 0 ..< n { buffer[i] = datum(world.rank, i) }
    }
    let median = times.sorted()[times.count / 2]
    return "R = \(world.size): allreduce SUM of \(n) doubles \(String(format: "%.2f", median * 1e6)) us (median of 7 x \(repeats))"
}

switch arguments.first {
case "check":
    do {
        let lines = try world.collectively { try check() }
        if world.isRoot {
            print("size \(world.size) uses_mpi \(world.usesMPI) local_size \(world.localSize)")
            for line in lines { print("PASS \(line)") }
        }
        world.exit(0)
    } catch {
        if world.isRoot { FileHandle.standardError.write(Data("distributed-probe: rank \(error.rank): \(error.message)\n".utf8)) }
        world.exit(1)
    }
case "fail", "crash":
    guard arguments.count == 2, let failing = Int(arguments[1]) else { fail("usage: \(arguments[0]) RANK") }
    if arguments[0] == "crash", world.rank == failing { exit(4) }
    do {
        _ = try world.collectively { () throws -> Int in
            if world.rank == failing { throw RankFailure(rank: world.rank, message: "failed on purpose", exitCode: 3) }
            return world.rank
        }
        world.barrier()
        if world.isRoot { print("no failure") }
        world.exit(0)
    } catch {
        if world.isRoot { FileHandle.standardError.write(Data("distributed-probe: rank \(error.rank): \(error.message)\n".utf8)) }
        world.exit(error.exitCode)
    }
case "bench":
    guard arguments.count == 3, let n = Int(arguments[1]), let repeats = Int(arguments[2]) else { fail("usage: bench N REPEATS") }
    let line = bench(n, repeats)
    if world.isRoot { print(line) }
    world.exit(0)
default:
    fail("usage: distributed-probe check | fail RANK | crash RANK | bench N REPEATS")
}
