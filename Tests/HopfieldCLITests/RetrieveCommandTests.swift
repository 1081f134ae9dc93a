import Foundation
import Hopfield
import HopfieldIO
import Testing

/// `hopfield retrieve` through the built binary, against an independent loop-only computation of
/// `z = P · sep(sim(M, q))`.
@Suite("hopfield retrieve")
struct RetrieveCommandTests {
    /// A small seeded generator (SplitMix64).
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
        }
        mutating func values(_ n: Int) -> [Double] { (0 ..< n).map { _ in next() } }
    }

    static let (k, d, b) = (5, 6, 4)

    /// Writes M (K × d), Q (B × d) and P (2 × K) to a fresh folder.
    static func files(seed: UInt64) throws -> (dir: URL, m: [Double], q: [Double], p: [Double]) {
        var g = Generator(state: seed)
        let m = g.values(k * d)
        var q = g.values(b * d)
        for j in 0 ..< d / 2 { q[j] = m[2 * d + j] }  // query 0 shares half of memory 2
        let p = g.values(2 * k).map { $0 * 2 - 1 }
        let dir = try CLI.temporaryDirectory()
        try NPY.encode(shape: [k, d], values: m).write(to: dir.appendingPathComponent("M.npy"))
        try NPY.encode(shape: [b, d], values: q).write(to: dir.appendingPathComponent("Q.npy"))
        try NPY.encode(shape: [2, k], values: p).write(to: dir.appendingPathComponent("P.npy"))
        return (dir, m, q, p)
    }

    /// `z = P w` with `w = sep(sim(M, q))` by plain loops (distances as negative scores).
    static func reference(_ m: [Double], _ q: [Double], similarity: String, separation: String, beta: Double,
                          projection: [Double]?) -> [Double] {
        var out: [Double] = []
        for i in 0 ..< b {
            let query = q[i * d ..< (i + 1) * d]
            let s = (0 ..< k).map { mu -> Double in
                var v = 0.0
                for (j, x) in query.enumerated() {
                    let a = m[mu * d + j]
                    switch similarity {
                    case "euclidean": v -= (a - x) * (a - x)
                    case "manhattan": v -= abs(a - x)
                    default: v += a * x
                    }
                }
                return v
            }
            var w: [Double]
            switch separation {
            case "softmax":
                let top = s.max()!
                let e = s.map { exp(beta * ($0 - top)) }
                w = e.map { $0 / e.reduce(0, +) }
            case "max":
                w = [Double](repeating: 0, count: k)
                w[s.indices.max { s[$0] < s[$1] }!] = 1
            default:
                w = s
            }
            if let projection {
                out += (0 ..< 2).map { r in (0 ..< k).reduce(0.0) { $0 + projection[r * k + $1] * w[$1] } }
            } else {
                out += (0 ..< d).map { j in (0 ..< k).reduce(0.0) { $0 + w[$1] * m[$1 * d + j] } }
            }
        }
        return out
    }

    @Test("Z equals the independent computation", arguments: [
        ("euclidean", "softmax", false), ("manhattan", "max", false), ("dot", "identity", true), ("dot", "softmax", true),
    ])
    func matchesReference(_ similarity: String, _ separation: String, _ project: Bool) throws {
        let (dir, m, q, p) = try Self.files(seed: 42)
        var arguments = ["retrieve", "--memories", "M.npy", "--queries", "Q.npy", "--similarity", similarity,
                         "--separation", separation, "--beta", "3", "--output", "Z.npy"]
        if project { arguments += ["--projection", "P.npy"] }
        let run = try CLI.run(arguments, in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let z = try NPY.read(contentsOf: dir.appendingPathComponent("Z.npy"))
        #expect(z.shape == [Self.b, project ? 2 : Self.d])
        let expected = Self.reference(m, q, similarity: similarity, separation: separation, beta: 3,
                                      projection: project ? p : nil)
        #expect(zip(z.values, expected).allSatisfy { abs($0 - $1) <= 1e-12 * (1 + abs($1)) }, "\(z.values) vs \(expected)")
    }

    @Test("--json names the strongest memory of each query; a single 1-D query gives a 1-D output")
    func jsonAndSingleQuery() throws {
        let (dir, m, _, _) = try Self.files(seed: 7)
        try NPY.encode(shape: [Self.d], values: Array(m[3 * Self.d ..< 4 * Self.d])).write(to: dir.appendingPathComponent("q1.npy"))
        let run = try CLI.run(["retrieve", "--memories", "M.npy", "--queries", "q1.npy", "--similarity", "euclidean",
                               "--separation", "max", "--output", "z1.npy", "--json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["strongest_memory"] as? [Int] == [3])
        let z = try NPY.read(contentsOf: dir.appendingPathComponent("z1.npy"))
        #expect(z.shape == [Self.d])
        #expect(z.values == Array(m[3 * Self.d ..< 4 * Self.d]))
    }

    @Test("bad input: exit 2 with one line naming the flag or file", arguments: [
        (["--queries", "P.npy"], "--queries P.npy"),
        (["--similarity", "sinkhorn"], "--similarity sinkhorn"),
        (["--separation", "power"], "--separation power"),
        (["--projection", "Q.npy"], "--projection Q.npy"),
        (["--memories", "missing.npy"], "--memories missing.npy"),
        (["--output", "Z.txt"], "--output Z.txt"),
        (["--convention", "reciprocal"], "--convention reciprocal"),
    ])
    func badInput(_ change: [String], _ mention: String) throws {
        let (dir, _, _, _) = try Self.files(seed: 1)
        var options = ["--memories": "M.npy", "--queries": "Q.npy", "--similarity": "euclidean",
                       "--separation": "softmax", "--output": "Z.npy"]
        options[change[0]] = change[1]
        let run = try CLI.run(["retrieve"] + options.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }, in: dir)
        #expect(run.status == 2)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains(mention), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Z.npy").path))
    }

    @Test("a euclidean network file integrated by `simulate` settles on the memory `retrieve` picks in one shot")
    func simulateAgreesWithRetrieve() throws {
        let (dir, m, _, _) = try Self.files(seed: 11)
        let (k, d) = (Self.k, Self.d)
        var query = Array(m[2 * d ..< 3 * d])
        for j in 0 ..< d / 2 { query[j] = 0.5 }
        let scores = (0 ..< k).map { mu in (0 ..< d).reduce(0.0) { $0 - (m[mu * d + $1] - query[$1]) * (m[mu * d + $1] - query[$1]) } }
        try NPY.encode(shape: [d], values: query).write(to: dir.appendingPathComponent("q.npy"))
        try NPY.encode(shape: [k], values: scores).write(to: dir.appendingPathComponent("s.npy"))
        let network = """
            {"format": 1, "layers": [
              {"name": "v", "size": \(d), "lagrangian": {"type": "identity"}, "tau": 1},
              {"name": "h", "size": \(k), "lagrangian": {"type": "softmax", "beta": 8}, "tau": 0.1}],
             "synapses": [{"type": "euclidean", "pre": "v", "post": "h", "memories": "M.npy"}]}
            """
        try Data(network.utf8).write(to: dir.appendingPathComponent("net.json"))
        let single = try CLI.run(["retrieve", "--memories", "M.npy", "--queries", "q.npy", "--similarity", "euclidean",
                                  "--separation", "softmax", "--beta", "8", "--output", "z.npy", "--json"], in: dir)
        #expect(single.status == 0, "\(single.stderr)")
        let winner = try #require(
            (try JSONSerialization.jsonObject(with: Data(single.stdout.utf8)) as? [String: Any])?["strongest_memory"] as? [Int])
        let run = try CLI.run(["simulate", "net.json", "--init", "v=q.npy", "--init", "h=s.npy", "--t-end", "100",
                               "--until-steady", "--json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((json["monitor"] as? [String: Any])?["passed"] as? Bool == true)
        let h = try #require((json["final_state"] as? [String: Any])?["h"] as? [Double])
        #expect(winner == [h.indices.max { h[$0] < h[$1] }!])
    }
}
