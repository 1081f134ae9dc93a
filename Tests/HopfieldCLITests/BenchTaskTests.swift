import Foundation
import Hopfield
import HopfieldIO
import Testing

/// `hopfield bench-task` (the peers script's interface) returns the same final states as `simulate`.
@Suite("bench-task")
struct BenchTaskTests {
    @Test("bench-task final states and energies equal simulate's for the same batch")
    func agreesWithSimulate() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = 6, k = 4, b = 3
        var rng = SplitMix64(seed: 99)
        func next() -> Double { 2 * rng.nextUniform() - 1 }  // uniform in [−1, 1)
        let memories = (0 ..< k * n).map { _ in next() }
        let queries = (0 ..< b * n).map { _ in next() }
        try NPY.write(NPYArray(shape: [k, n], values: memories), to: dir.appendingPathComponent("memories.npy"))
        try NPY.write(NPYArray(shape: [b, n], values: queries), to: dir.appendingPathComponent("queries.npy"))
        let network = """
            {"layers": [{"name": "v", "size": \(n), "lagrangian": {"type": "identity"}, "tau": 1},
                        {"name": "h", "size": \(k), "lagrangian": {"type": "softmax", "beta": 2}, "tau": 0.1}],
             "synapses": [{"type": "dense", "pre": "v", "post": "h", "weights": "memories.npy"}]}
            """
        try Data(network.utf8).write(to: dir.appendingPathComponent("network.json"))
        let task = #"{"name": "tiny", "t_end": 5, "rtol": 1e-9, "atol": 1e-11, "until_steady": false}"#
        try Data(task.utf8).write(to: dir.appendingPathComponent("task.json"))

        let bench = try CLI.run(["bench-task", dir.path, "--json"])
        #expect(bench.status == 0, "\(bench.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])
        let benchStates = try #require(doc["final_states"] as? [[Double]])
        let benchEnergies = try #require(doc["final_energies"] as? [Double])
        #expect(benchStates.count == b)

        let sim = try CLI.run([
            "simulate", dir.appendingPathComponent("network.json").path, "--init",
            "v=\(dir.appendingPathComponent("queries.npy").path)", "--t-end", "5", "--rtol", "1e-9", "--atol", "1e-11",
            "--json", "--batch-strategy", "independent",
        ])
        #expect(sim.status == 0, "\(sim.stderr)")
        let simDoc = try #require(try JSONSerialization.jsonObject(with: Data(sim.stdout.utf8)) as? [String: Any])
        let finals = try #require(simDoc["final_state"] as? [String: [[Double]]])
        let energies = try #require(simDoc["energy_final"] as? [Double])
        for q in 0 ..< b {
            let simState = (finals["v"]?[q] ?? []) + (finals["h"]?[q] ?? [])
            let diff = zip(simState, benchStates[q]).map { abs($0 - $1) }.max() ?? .infinity
            #expect(simState.count == n + k)
            #expect(diff <= 1e-6, "query \(q): \(diff)")
            #expect(abs(energies[q] - benchEnergies[q]) <= 1e-6 * max(1, abs(energies[q])))
        }
    }
}
