import Foundation
import Hopfield
import HopfieldIO
import Testing

@Suite("Network file format 2: gradient-flow models and clamp masks")
struct GradientFileFormatTests {
    func decode(_ json: String, in dir: URL = FileManager.default.temporaryDirectory) throws -> ModelFile {
        try NetworkFile.decodeModel(data: Data(json.utf8), baseDirectory: dir, fileName: "net.json")
    }

    @Test("encode → decode gives the same model (arrays inline and in .npy files)")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 5)
        let d = 6, y = 20
        let projection = (0 ..< y * d).map { _ in rng.nextGaussian() }
        let phases = (0 ..< y).map { _ in rng.nextUniform() * 6 }
        let memories = (0 ..< 3 * d).map { _ in rng.nextUniform() }
        let model = try GradientModel(
            variables: [GradientVariable(name: "x", shape: [2, 3], tau: 0.7, clamp: [true, false, false, true, false, false]),
                        GradientVariable(name: "y", shape: [2])],
            terms: [
                .quadratic(QuadraticTerm(variable: "y", bias: [0.5, -1])),
                .lse(LogSumExpTerm(variable: "x", similarity: .dot, beta: 2, memories: memories)),
                .randomFeatures(RandomFeatureTerm(
                    variable: "x", kernel: .cos, beta: 3, projection: .explicit(projection: projection, phases: phases),
                    store: .memories(memories), floor: 1e-7)),
                .randomFeatures(RandomFeatureTerm(
                    variable: "x", kernel: .expexp, beta: 1, projection: .seeded(features: 40, seed: UInt64.max - 2),
                    store: .memories(memories))),
            ])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gradient-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (json, files) = NetworkFile.encode(model, stem: "net")
        #expect(files.map(\.name).sorted() == ["net.terms2.projection.npy", "net.terms3.sum.npy"])
        for file in files { try file.data.write(to: dir.appendingPathComponent(file.name)) }
        guard case .gradient(let back) = try NetworkFile.decodeModel(data: json, baseDirectory: dir, fileName: "net.json") else {
            Issue.record("not a gradient model"); return
        }
        #expect(back.gradientVariables == model.gradientVariables)
        #expect(back.featureMatrix(ofTerm: 3)!.seed == UInt64.max - 2)
        for k in [2, 3] { #expect(back.featureSum(ofTerm: k)! == model.featureSum(ofTerm: k)!) }
        let x = (0 ..< 8).map { _ in rng.nextUniform() }
        #expect(GradientEvaluator(model: back, capacity: 1).energies([x]) == GradientEvaluator(model: model, capacity: 1).energies([x]))
    }

    @Test("format 2 Lagrangian networks take clamp masks; format 1 does not")
    func layerClamp() throws {
        let layers = #"[{"name": "v", "size": 3, "lagrangian": {"type": "identity"}, "clamp": [1, 0, 1]}]"#
        guard case .lagrangian(let network) = try decode(#"{"format": 2, "layers": \#(layers)}"#) else {
            Issue.record("not a network"); return
        }
        #expect(network.clampMask == [true, false, true])
        #expect(throws: NetworkFileError.self) { try decode(#"{"format": 1, "layers": \#(layers)}"#) }
        // The Network-only reader names the dynamics of a gradient file.
        let gradient = #"{"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "size": 1}], "terms": []}"#
        #expect(throws: NetworkFileError.self) {
            try NetworkFile.decode(data: Data(gradient.utf8), baseDirectory: FileManager.default.temporaryDirectory, fileName: "g.json")
        }
    }

    @Test("errors name the JSON path", arguments: [
        (#"{"format": 2, "dynamics": "flow", "layers": []}"#, "dynamics"),
        (#"{"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "size": 2, "clamp": [1, 2]}], "terms": []}"#, "variables[0].clamp"),
        (#"{"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "size": 2}], "terms": [{"type": "hopfield", "variable": "x"}]}"#, "terms[0].type"),
        // A shape whose product overflows is refused, as for layers (it used to overflow `reduce(1, *)` and trap).
        (#"{"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "shape": [100000, 100000, 100000, 100000], "size": 2}], "terms": []}"#, "variables[0].shape"),
        (#"{"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "shape": []}], "terms": []}"#, "variables[0].shape"),
        (#"{"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "size": 2}], "terms": [{"type": "random_features", "variable": "x", "beta": 1, "features": 3, "memories": [[1, 2]]}]}"#, "terms[0]"),
        (#"{"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "size": 2}], "terms": [{"type": "random_features", "variable": "x", "beta": 1, "features": 3, "seed": 1, "projection": [[1, 2]], "memories": [[1, 2]]}]}"#, "terms[0].projection"),
        (#"{"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "size": 2}], "terms": [{"type": "lse", "variable": "x", "beta": 1, "memories": [[1, 2, 3]]}]}"#, "terms[0].memories"),
    ])
    func errors(json: String, path: String) {
        do {
            _ = try decode(json)
            Issue.record("accepted \(json)")
        } catch let error as NetworkFileError {
            #expect(error.path == path, "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
