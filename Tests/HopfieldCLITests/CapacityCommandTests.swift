import Datasets
import Foundation
import Hopfield
import Testing

/// `hopfield capacity` through the built binary.
@Suite("hopfield capacity")
struct CapacityCommandTests {
    static var dataAvailable: Bool { FashionMNIST.isAvailable(split: .test) }

    /// Parsed `capacity.csv`: (similarity, separation, mode, K) → per-block fractions.
    static func readCSV(_ url: URL) throws -> [String: [Double]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [String: [Double]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            rows["\(f[0]) \(f[1]) \(f[2]) \(f[3])"] = f[7...].compactMap(Double.init)
        }
        return rows
    }

    /// The fraction of one block retrieved correctly by max separation from half-masked queries,
    /// written from the paper's definition with plain loops (no library retrieval code).
    static func halfMaskFraction(_ images: ImageSet, block: Int, blockSize: Int, k: Int, similarity: String) -> Double {
        let d = images.dimension
        let first = block * blockSize
        var correct = 0
        for i in 0 ..< k {
            var query = images.image(first + i)
            for j in 14 * 28 ..< 784 { query[j] = 0 }
            var best = 0
            var bestDistance = Double.infinity
            for mu in 0 ..< k {
                var distance = 0.0
                for j in 0 ..< d {
                    let m = images.pixels[(first + mu) * d + j]
                    switch similarity {
                    case "euclidean": distance += (m - query[j]) * (m - query[j])
                    case "manhattan": distance += abs(m - query[j])
                    default: distance -= m * query[j]
                    }
                }
                if distance < bestDistance { (best, bestDistance) = (mu, distance) }
            }
            var error = 0.0
            for j in 0 ..< d {
                let e = images.pixels[(first + i) * d + j] - images.pixels[(first + best) * d + j]
                error += e * e
            }
            if error <= 60 { correct += 1 }
        }
        return Double(correct) / Double(k)
    }

    @Test("half mask, K = 2, 5, 10, 2 blocks: every block equals an independent implementation of the criterion",
          .enabled(if: dataAvailable, "Debian's dataset-fashion-mnist is not installed"))
    func halfMaskMatchesIndependent() throws {
        let dir = try CLI.temporaryDirectory()
        let run = try CLI.run(["capacity", "--similarities", "euclidean,manhattan,dot", "--separations", "max",
                               "--sizes", "2,5,10", "--blocks", "2", "--out", "out", "--quiet"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        let rows = try Self.readCSV(dir.appendingPathComponent("out/capacity.csv"))
        let images = try FashionMNIST.load(split: .test, limit: 20)
        for similarity in ["euclidean", "manhattan", "dot"] {
            for k in [2, 5, 10] {
                let expected = (0 ..< 2).map { Self.halfMaskFraction(images, block: $0, blockSize: 10, k: k, similarity: similarity) }
                #expect(rows["\(similarity) max single-shot \(k)"] == expected, "\(similarity) K=\(k)")
            }
        }
        for file in ["capacity.json", "capacity.svg"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/\(file)").path))
        }
        #expect(run.stdout.contains("euclidean + max"))
    }

    @Test("deterministic: the same flags give the same CSV; the seed changes random corruptions only",
          .enabled(if: dataAvailable, "Debian's dataset-fashion-mnist is not installed"))
    func determinism() throws {
        let dir = try CLI.temporaryDirectory()
        func csv(_ name: String, _ extra: [String]) throws -> String {
            let run = try CLI.run(["capacity", "--similarities", "euclidean,dot", "--sizes", "2,5,10", "--blocks", "2",
                                   "--out", name, "--quiet"] + extra, in: dir)
            #expect(run.status == 0, "\(run.stderr)")
            return try String(contentsOf: dir.appendingPathComponent("\(name)/capacity.csv"), encoding: .utf8)
        }
        #expect(try csv("a", ["--seed", "1"]) == (try csv("b", ["--seed", "2"])))  // half mask: no randomness
        let noise1 = try csv("c", ["--corruption", "random-mask", "--parameter", "0.9", "--seed", "1"])
        #expect(noise1 == (try csv("d", ["--corruption", "random-mask", "--parameter", "0.9", "--seed", "1"])))
        #expect(noise1 != (try csv("e", ["--corruption", "random-mask", "--parameter", "0.9", "--seed", "3"])))
    }

    @Test("--continuous: single shot and steady state side by side; the energy monitor passes on every trajectory",
          .enabled(if: dataAvailable, "Debian's dataset-fashion-mnist is not installed"))
    func continuous() throws {
        let dir = try CLI.temporaryDirectory()
        let run = try CLI.run(["capacity", "--continuous", "--similarities", "euclidean,dot", "--sizes", "2,5",
                               "--blocks", "1", "--out", "out", "--json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("continuous"))  // progress lines
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(Set(results.compactMap { $0["mode"] as? String }) == ["single-shot", "continuous", "continuous-state"])
        #expect(results.count == 2 * 2 * 3)
        let cells = try #require((json["continuous"] as? [String: Any])?["cells"] as? [[String: Any]])
        #expect(cells.count == 4)
        for cell in cells {
            #expect(cell["monitor_passed"] as? Int == cell["trajectories"] as? Int)
            #expect((cell["statuses"] as? [String: Int])?["steady_state"] == cell["trajectories"] as? Int)
        }
        // With K = 2 the first block's half-masked queries are retrieved in one shot and in time alike.
        let k2 = results.filter { $0["K"] as? Int == 2 && $0["similarity"] as? String == "euclidean" }
        #expect(k2.count == 3)
        #expect(Set(k2.compactMap { $0["mean"] as? Double }).count == 1)
    }

    @Test("bad input: exit 2 with one line naming the flag",
          .enabled(if: dataAvailable, "Debian's dataset-fashion-mnist is not installed"), arguments: [
        (["--similarities", "dot,sinkhorn"], "--similarities sinkhorn"),
        (["--separations", "softmax:x"], "--separations softmax:x"),
        (["--sizes", "2,0"], "--sizes"),
        (["--corruption", "blur"], "--corruption blur"),
        (["--data", "/nonexistent"], "--data /nonexistent"),
        (["--continuous", "--similarities", "cosine"], "--similarities cosine"),
        (["--continuous", "--separations", "max"], "--separations max"),
        (["--blocks", "0"], "--blocks"),
        (["--sizes", "5000", "--blocks", "3"], "images"),
        (["--out", "no/such/folder"], "--out no/such/folder"),
    ])
    func badInput(_ arguments: [String], _ mention: String) throws {
        let dir = try CLI.temporaryDirectory()
        let out = arguments.contains("--out") ? [] : ["--out", "out"]
        let run = try CLI.run(["capacity", "--quiet"] + out + arguments, in: dir)
        #expect(run.status == 2)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains(mention), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
}
