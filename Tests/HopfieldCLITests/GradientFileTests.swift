import Foundation
import Hopfield
import HopfieldIO
import Testing

/// Gradient-flow model files (format 2) through the built binary: simulate, energy, analyze,
/// memories add, and bad input.
@Suite("Gradient-flow model files")
struct GradientFileTests {
    static let model = """
        {"format": 2, "dynamics": "gradient",
         "variables": [{"name": "x", "size": 4, "tau": 0.5, "clamp": [true, false, false, false]}],
         "terms": [
           {"type": "quadratic", "variable": "x", "bias": [0, 0.1, 0, 0]},
           {"type": "lse", "variable": "x", "beta": 4, "memories": [[1, 0, 0, 1], [0, 1, 1, 0]]},
           {"type": "random_features", "variable": "x", "beta": 4, "features": 300, "seed": 3,
            "memories": [[1, 0, 0, 1], [0, 1, 1, 0]]},
           {"type": "random_features", "variable": "x", "kernel": "cos", "beta": 2,
            "projection": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]], "phases": [0, 1, 2], "sum": [0.5, 0.2, 0.1]}
         ]}
        """
    static let x0 = [0.9, 0.2, 0.1, 0.7]

    func folder(_ json: String = model) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        try Data(json.utf8).write(to: dir.appendingPathComponent("g.json"))
        try NPY.write(NPYArray(Self.x0), to: dir.appendingPathComponent("x0.npy"))
        return dir
    }

    func json(_ run: CLIRun) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test("simulate descends, keeps the clamped unit, and energy agrees with the library")
    func simulateAndEnergy() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["simulate", "g.json", "--init", "x=x0.npy", "--until-steady", "--t-end", "100", "--json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try json(run)
        #expect(doc["status"] as? String == "steady_state")
        let final = try #require((doc["final_state"] as? [String: [Double]])?["x"])
        #expect(final[0] == Self.x0[0])
        #expect((doc["energy_final"] as! Double) < (doc["energy_initial"] as! Double))
        #expect((doc["monitor"] as? [String: Any])?["violations"] as? Int == 0)
        // Which integrator ran which part: the segments tile [0, t_handoff or t_final] and their steps add
        // up to the solver's; the Newton finish is reported as for a network.
        let segments = try #require(doc["segments"] as? [[String: Any]])
        #expect(!segments.isEmpty)
        #expect(segments.first?["t_start"] as? Double == 0)
        let handoff = doc["handoff_time"] as? Double
        #expect(segments.last?["t_end"] as? Double == handoff ?? (doc["t_final"] as! Double))
        for (a, b) in zip(segments, segments.dropFirst()) { #expect(a["t_end"] as? Double == b["t_start"] as? Double) }
        let steps = segments.reduce(0) { $0 + ($1["steps"] as! Int) }
        #expect(steps == (doc["stats"] as? [String: Any])?["steps"] as? Int)
        #expect(doc["polished"] as? Bool != nil)

        let energy = try json(try CLI.run(["energy", "g.json", "--state", "x=x0.npy", "--json"], in: dir))
        let loaded = try NetworkFile.loadModel(contentsOf: dir.appendingPathComponent("g.json"))
        guard case .gradient(let model) = loaded else { Issue.record("not a gradient model"); return }
        let monitor = GradientEvaluator(model: model, capacity: 1).monitor([Self.x0])
        #expect(abs((energy["energy"] as! Double) - monitor.energies[0]) <= 1e-12 * (1 + abs(monitor.energies[0])))
        #expect(abs((energy["dEdt"] as! Double) - monitor.rates[0]) <= 1e-12 * (1 + abs(monitor.rates[0])))
    }

    @Test("analyze: a stable fixed point, the spectrum on the 3 free units, Lagrangian claims not applicable")
    func analyze() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["analyze", "g.json", "--init", "x=x0.npy", "--json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try json(run)
        #expect(doc["status"] as? String == "fixed_point")
        #expect(doc["free_units"] as? Int == 3)
        #expect((doc["hessian_eigenvalues"] as? [Double])?.count == 3)
        #expect(doc["stable"] as? Bool == true)
        #expect((doc["lagrangian_claims"] as? String)?.hasPrefix("not applicable") == true)

        // --out: the document, the fixed point and the spectrum, equal to the JSON's (to the last digit
        // JSONSerialization's number parsing keeps).
        func same(_ a: [Double], _ b: [Double]?) -> Bool {
            guard let b, a.count == b.count else { return false }
            return zip(a, b).allSatisfy { abs($0 - $1) <= 4e-16 * max(1, abs($0)) }
        }
        let written = try CLI.run(["analyze", "g.json", "--init", "x=x0.npy", "--out", "res"], in: dir)
        #expect(written.status == 0, "\(written.stderr)")
        let folder = dir.appendingPathComponent("res")
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as? [String: Any])
        #expect(saved["hessian_eigenvalues"] as? [Double] == doc["hessian_eigenvalues"] as? [Double])
        let fixed = try NPY.read(contentsOf: folder.appendingPathComponent("fixed_point.npy"))
        #expect(same(fixed.values, (doc["final_state"] as? [String: [Double]])?["x"]))
        let spectrum = try NPY.read(contentsOf: folder.appendingPathComponent("hessian_eigenvalues.npy"))
        #expect(same(spectrum.values, doc["hessian_eigenvalues"] as? [Double]))
    }

    @Test("memories add: same random-feature sizes, appended lse memories, the sum of the grown model")
    func memoriesAdd() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let new = [0.5, 0.5, 0.5, 0.5, 1, 1, 0, 0]
        try NPY.write(NPYArray(shape: [2, 4], values: new), to: dir.appendingPathComponent("new.npy"))
        let run = try CLI.run(["memories", "add", "g.json", "--memories", "new.npy", "--out", "grown.json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        // quadratic 4 + lse 8 + sincos 2·300 + cos 3 → lse gains 8.
        #expect(run.stdout.contains("parameters: 615 → 623"), "\(run.stdout)")
        guard case .gradient(let original) = try NetworkFile.loadModel(contentsOf: dir.appendingPathComponent("g.json")),
              case .gradient(let grown) = try NetworkFile.loadModel(contentsOf: dir.appendingPathComponent("grown.json"))
        else { Issue.record("not gradient models"); return }
        let expected = try original.addingMemories(new)
        for k in [2, 3] {
            #expect(grown.featureSum(ofTerm: k)! == expected.featureSum(ofTerm: k)!)
            #expect(grown.featureSum(ofTerm: k)!.count == original.featureSum(ofTerm: k)!.count)
        }
        guard case .lse(let lse) = grown.terms[1] else { Issue.record("term 1"); return }
        #expect(lse.memories == [1, 0, 0, 1, 0, 1, 1, 0] + new)
        let e1 = GradientEvaluator(model: grown, capacity: 1).energies([Self.x0])[0]
        let e2 = GradientEvaluator(model: expected, capacity: 1).energies([Self.x0])[0]
        #expect(e1 == e2)

        // A row of the wrong width: exit 2, nothing written.
        try NPY.write(NPYArray(shape: [1, 3], values: [1, 2, 3]), to: dir.appendingPathComponent("bad.npy"))
        let bad = try CLI.run(["memories", "add", "g.json", "--memories", "bad.npy", "--out", "bad_out.json"], in: dir)
        #expect(bad.status == 2 && bad.stderr.split(separator: "\n").count == 1 && bad.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad_out.json").path))
    }

    @Test("bad input: exit 2, one line naming the file and the field", arguments: [
        (#""features": 300"#, #""features": 300, "kernel": "gauss""#, "terms[2].kernel"),
        (#""features": 300"#, #""features": 0"#, "terms[2].features"),
        (#""beta": 4, "features""#, #""beta": 0, "features""#, "terms[2].beta"),
        (#"[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]]"#, #"[[1, 0, 0], [0, 1, 0], [0, 0, 1]]"#, "terms[3].projection"),
        (#""phases": [0, 1, 2]"#, #""phases": [0, 1]"#, "terms[3].phases"),
        (#""sum": [0.5, 0.2, 0.1]"#, #""sum": [0.5, 0.2]"#, "terms[3].sum"),
        (#""clamp": [true, false, false, false]"#, #""clamp": [true, false]"#, "variables[0].clamp"),
        (#"{"type": "quadratic", "variable": "x""#, #"{"type": "quadratic", "variable": "y""#, "terms[0].variable"),
        (#""similarity""#, #""similarity""#, "terms[1].similarity"),
    ])
    func badInput(find: String, replace: String, path: String) throws {
        var text = Self.model.replacingOccurrences(of: find, with: replace)
        if path == "terms[1].similarity" {
            text = text.replacingOccurrences(of: #""beta": 4, "memories""#, with: #""similarity": "cosine", "beta": 4, "memories""#)
        }
        #expect(text != Self.model)
        let dir = try folder(text)
        defer { try? FileManager.default.removeItem(at: dir) }
        for command in [["simulate", "g.json"], ["energy", "g.json"], ["analyze", "g.json"]] {
            let run = try CLI.run(command + ["--json"], in: dir)
            #expect(run.status == 2, "\(command[0]): \(run.stderr)")
            #expect(run.stdout.isEmpty)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains("g.json: \(path):"), "\(command[0]): \(run.stderr)")
        }
    }
}
