import Foundation
import Hopfield
import HopfieldIO
import Testing

/// A linear solver the user names is what runs (read back from the solver statistics), or the run is
/// refused with one line: lockstep integrates with GMRES, tsit5 with none.
@Suite("Explicit choices honoured")
struct ExplicitChoiceTests {
    /// 128 identity features and 128 softmax memories (16 384 weights: a batch of 4 runs in lockstep by
    /// default), and a batch of four queries.
    static func files(_ dir: URL) throws -> (network: String, queries: String) {
        var rng = SplitMix64(seed: 15)
        let n = 128
        let weights = (0 ..< n).map { _ in (0 ..< n).map { _ in Double.random(in: -1 ... 1, using: &rng) / Double(n).squareRoot() } }
        let rows = weights.map { "[" + $0.map { String($0) }.joined(separator: ",") + "]" }.joined(separator: ",")
        let json = """
            {"layers": [{"name": "visible", "size": \(n), "lagrangian": {"type": "identity"}},
                        {"name": "memory", "size": \(n), "lagrangian": {"type": "softmax", "beta": 1}, "tau": 0.1}],
             "synapses": [{"type": "dense", "pre": "visible", "post": "memory", "weights": [\(rows)]}]}
            """
        let network = dir.appendingPathComponent("net.json")
        try Data(json.utf8).write(to: network)
        let queries = dir.appendingPathComponent("queries.npy")
        try NPY.write(NPYArray(shape: [4, n], values: (0 ..< 4 * n).map { _ in Double.random(in: -1 ... 1, using: &rng) }), to: queries)
        return (network.path, queries.path)
    }

    static func stats(_ run: CLIRun) throws -> [[String: Any]] {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        return try #require(doc["stats"] as? [[String: Any]])
    }

    @Test("--linear-solver dense on a lockstep-sized batch runs dense (Jacobians, no Krylov iterations)")
    func denseHonoured() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (net, queries) = try Self.files(dir)
        let dense = try CLI.run(["simulate", net, "--init", "visible=\(queries)", "--t-end", "1", "--linear-solver", "dense", "--json"])
        #expect(dense.status == 0, "\(dense.stderr)")
        for s in try Self.stats(dense) {
            #expect((s["jac_evals"] as? Int ?? 0) > 0 && s["linear_iterations"] as? Int == 0, "\(s)")
        }
        // BDF without --linear-solver: the batch runs in lockstep with GMRES (documented).
        let automatic = try CLI.run(["simulate", net, "--init", "visible=\(queries)", "--t-end", "1", "--method", "bdf", "--json"])
        #expect(automatic.status == 0, "\(automatic.stderr)")
        for s in try Self.stats(automatic) { #expect((s["linear_iterations"] as? Int ?? 0) > 0, "\(s)") }
    }

    @Test("choices that cannot be honoured are refused with one line", arguments: [
        ["--batch-strategy", "lockstep", "--linear-solver", "dense"],
        ["--batch-strategy", "lockstep", "--linear-solver", "dense-dq"],
        ["--method", "tsit5", "--linear-solver", "gmres"],
    ])
    func refused(_ flags: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (net, queries) = try Self.files(dir)
        let run = try CLI.run(["simulate", net, "--init", "visible=\(queries)", "--t-end", "1"] + flags)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("cannot be honoured") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }
}
