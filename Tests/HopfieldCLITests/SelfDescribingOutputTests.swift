import Foundation
import Testing

/// `--json` and summary.json carry what the text prints: the nearest stored pattern of each feature layer,
/// the final activations, and the layout of the flat state.
@Suite("Self-describing outputs")
struct SelfDescribingOutputTests {
    static func document(_ run: CLIRun) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
    }

    @Test("one trajectory: nearest_pattern, final_activations = g(final_state), layers")
    func tour() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = dir.appendingPathComponent("tour.json")
        try Data(HelpAndMessagesTests.tour.utf8).write(to: net)
        let run = try CLI.run(["simulate", net.path, "--until-steady", "--t-end", "50", "--json"])
        #expect(run.status == 0)
        let doc = try Self.document(run)
        let nearest = try #require((doc["nearest_pattern"] as? [String: Any])?["visible"] as? [String: Any])
        #expect(nearest["index"] as? Int == 0)
        #expect(nearest["of"] as? String == "synapses[0] (visible → memory)")
        let visible = try #require((doc["final_state"] as? [String: [Double]])?["visible"])
        let activations = try #require(doc["final_activations"] as? [String: [Double]])
        // tanh(βx) with β = 2, and the distance to pattern 0 = [1, −1, 1, −1], computed here.
        let g = visible.map { Foundation.tanh(2 * $0) }
        #expect(zip(g, activations["visible"]!).allSatisfy { abs($0 - $1) <= 1e-12 })
        let distance = zip(g, [1.0, -1, 1, -1]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        #expect(abs(distance - ((nearest["distance"] as? NSNumber)?.doubleValue ?? .nan)) <= 1e-12)
        let memory = try #require(activations["memory"])
        #expect(abs(memory.reduce(0, +) - 1) <= 1e-12)  // softmax weights
        let layers = try #require(doc["layers"] as? [[String: Any]])
        #expect(layers.map { $0["name"] as? String } == ["visible", "memory"])
        #expect(layers.map { $0["offset"] as? Int } == [0, 4])
        #expect(layers.map { $0["shape"] as? [Int] } == [[4], [3]])
    }

    @Test("a batch: one nearest pattern per trajectory; a layer that receives a synapse has none")
    func batchAndHierarchy() throws {
        let dense = "examples/dense_associative_memory"
        let run = try CLI.run(["simulate", "\(dense)/network.json", "--init", "visible=\(dense)/queries.npy",
                               "--until-steady", "--t-end", "100", "--json"], in: ExamplesTests.root)
        #expect(run.status == 0)
        let nearest = try #require((try Self.document(run)["nearest_pattern"] as? [String: Any])?["visible"] as? [[String: Any]])
        #expect(nearest.map { $0["index"] as? Int } == (0 ..< 10).map { $0 })
        let hierarchical = "examples/hierarchical_three_layer"
        let h = try CLI.run(["simulate", "\(hierarchical)/network.json", "--init", "visible=\(hierarchical)/query.npy",
                             "--until-steady", "--t-end", "100", "--json"], in: ExamplesTests.root)
        let doc = try Self.document(h)
        let patterns = try #require(doc["nearest_pattern"] as? [String: Any])
        #expect(Set(patterns.keys) == ["visible"])
        #expect(!h.stdout.isEmpty)
        let text = try CLI.run(["simulate", "\(hierarchical)/network.json", "--init", "visible=\(hierarchical)/query.npy",
                                "--until-steady", "--t-end", "100"], in: ExamplesTests.root)
        #expect(!text.stdout.contains("memory: nearest stored pattern"))
    }
}
