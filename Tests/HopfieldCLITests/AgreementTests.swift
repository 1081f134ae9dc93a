import Foundation
import Hopfield
import HopfieldIO
import Testing

/// `hopfield simulate --json` against an independent implementation of docs/math.md §1 (plain formulas and a
/// Dormand–Prince integrator): final states and final energy within 1e-6 relative at rtol 1e-10.
@Suite("Agreement with an independent implementation")
struct AgreementTests {
    static let lagrangians = ["identity", "relu", "repu", "exp", "rexp", "tanh", "sigmoid", "softmax", "ghostmax", "layernorm", "spherical"]

    static func parameters(_ type: String) -> (json: String, layer: (inout ReferenceLayer) -> Void) {
        switch type {
        case "repu": return (", \"n\": 3", { $0.n = 3 })
        case "exp", "rexp": return (", \"beta\": 0.5", { $0.beta = 0.5 })
        case "tanh", "sigmoid", "softmax", "ghostmax": return (", \"beta\": 1.5", { $0.beta = 1.5 })
        case "layernorm", "spherical": return (", \"gamma\": 1.2, \"delta\": 0.1, \"eps\": 0.01", { $0.gamma = 1.2; $0.delta = [0.1]; $0.eps = 0.01 })
        default: return ("", { _ in })
        }
    }

    @Test("two- and three-layer networks with every Lagrangian, BDF and Tsit5", arguments: lagrangians)
    func agreement(type: String) throws {
        for layerCount in [2, 3] {
            var rng = SplitMix64(seed: UInt64(type.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }) &+ UInt64(layerCount))
            let types = layerCount == 2 ? [type, "softmax"] : ["identity", type, "sigmoid"]
            let sizes = layerCount == 2 ? [4, 3] : [3, 4, 2]
            let taus = layerCount == 2 ? [1.0, 0.2] : [1.0, 0.5, 0.2]
            var layers: [ReferenceLayer] = []
            var layerJSON: [String] = []
            for (i, t) in types.enumerated() {
                var l = ReferenceLayer(name: "L\(i)", size: sizes[i], type: t, tau: taus[i], bias: rng.vector(sizes[i], 0.5))
                let (params, apply) = Self.parameters(t)
                if t == "softmax" && i > 0 { l.beta = 2 } else { apply(&l) }
                let p = (t == "softmax" && i > 0) ? ", \"beta\": 2" : params
                layers.append(l)
                layerJSON.append(
                    "{\"name\": \"L\(i)\", \"size\": \(sizes[i]), \"lagrangian\": {\"type\": \"\(t)\"\(p)}, \"tau\": \(taus[i]), \"bias\": \(l.bias)}")
            }
            var synapses: [(pre: Int, post: Int, w: [[Double]])] = []
            var synapseJSON: [String] = []
            for i in 1 ..< layerCount {
                let w = (0 ..< sizes[i]).map { _ in rng.vector(sizes[i - 1], 0.7) }
                synapses.append((i - 1, i, w))
                synapseJSON.append("{\"type\": \"dense\", \"pre\": \"L\(i - 1)\", \"post\": \"L\(i)\", \"weights\": \(w)}")
            }
            let json = "{\"layers\": [\(layerJSON.joined(separator: ", "))], \"synapses\": [\(synapseJSON.joined(separator: ", "))]}"
            let reference = ReferenceNetwork(layers: layers, synapses: synapses)

            let dir = try CLI.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            try Data(json.utf8).write(to: dir.appendingPathComponent("net.json"))
            var x0: [Double] = []
            var args = ["simulate", "net.json", "--t-end", "3", "--rtol", "1e-10", "--atol", "1e-12", "--json"]
            for (i, l) in layers.enumerated() {
                let v = rng.vector(l.size, 1)
                x0 += v
                try NPY.write(NPYArray(shape: [l.size], values: v), to: dir.appendingPathComponent("L\(i).npy"))
                args += ["--init", "L\(i)=L\(i).npy"]
            }
            let expected = reference.integrate(x0, to: 3)
            for method in ["bdf", "tsit5"] {
                let run = try CLI.run(args + ["--method", method], in: dir)
                #expect(run.status == 0, "\(types): \(run.stderr)")
                let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
                let finalState = try #require(doc["final_state"] as? [String: [Double]])
                let got = layers.indices.flatMap { finalState["L\($0)"] ?? [] }
                #expect(got.count == expected.count)
                let scale = max(1, expected.map(abs).max() ?? 1)
                let diff = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
                #expect(diff <= 1e-6 * scale, "\(types) \(method): max state difference \(diff)")
                let energy = try #require(doc["energy_final"] as? Double)
                let refEnergy = reference.energy(expected)
                #expect(abs(energy - refEnergy) <= 1e-6 * max(1, abs(refEnergy)), "\(types): energy \(energy) vs \(refEnergy)")
                print("agreement \(method) \(types.joined(separator: "→")): state \(diff / scale), energy \(abs(energy - refEnergy) / max(1, abs(refEnergy)))")
                let e0 = try #require(doc["energy_initial"] as? Double)
                #expect(abs(e0 - reference.energy(x0)) <= 1e-9 * max(1, abs(e0)), "\(types): initial energy")
                let monitor = try #require(doc["monitor"] as? [String: Any])
                #expect(monitor["violations"] as? Int == 0, "\(types) \(method)")
            }
        }
    }
}

extension SplitMix64 {
    /// `n` numbers uniform in `[−scale, scale)`.
    fileprivate mutating func vector(_ n: Int, _ scale: Double) -> [Double] {
        (0 ..< n).map { _ in scale * (2 * nextUniform() - 1) }
    }
}
