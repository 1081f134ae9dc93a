import Foundation
import TestSupport
import Testing
import Hopfield
@testable import HopfieldIO

/// Decodes a network file held in a string, resolving `.npy` names against `folder`.
func decodeNetwork(_ json: String, in folder: URL = URL(fileURLWithPath: "/nonexistent")) throws -> Network {
    try NetworkFile.decode(data: Data(json.utf8), baseDirectory: folder, fileName: "network.json")
}

/// A seeded random network using every Lagrangian, image shapes, biases, deltas and several synapses.
func randomNetwork(seed: UInt64) throws -> Network {
    var rng = SplitMix64(seed: seed)
    func numbers(_ n: Int) -> [Double] { (0 ..< n).map { _ in Double.random(in: -2 ... 2, using: &rng) } }
    func positive() -> Double { Double.random(in: 0.01 ... 10, using: &rng) }
    let shapes: [[Int]] = [[2, 3], [4], [1], [3], [5], [2], [2, 2], [3], [4], [6], [1, 1, 2]]
    var layers: [Layer] = []
    for (k, name) in Lagrangian.allNames.enumerated() {
        let size = shapes[k].reduce(1, *)
        let delta: [Double] = [[], numbers(1), numbers(size)][k % 3]
        let lagrangian: Lagrangian = switch name {
        case "identity": .identity
        case "relu": .relu
        case "repu": .repu(n: 2 + positive())
        case "exp": .exp(beta: positive())
        case "rexp": .rexp(beta: positive())
        case "tanh": .tanh(beta: positive())
        case "sigmoid": .sigmoid(beta: positive())
        case "softmax": .softmax(beta: positive())
        case "ghostmax": .ghostmax(beta: positive())
        case "layernorm": .layernorm(gamma: positive(), delta: delta, eps: positive() * 1e-6)
        default: .spherical(gamma: positive(), delta: delta, eps: 0)
        }
        layers.append(Layer(name: "layer \(k) \"\(name)\"", shape: shapes[k], lagrangian: lagrangian,
                            tau: positive(), bias: k % 2 == 0 ? numbers(size) : []))
    }
    var synapses: [Synapse] = []
    for _ in 0 ..< 6 {
        let pre = Int.random(in: 0 ..< layers.count, using: &rng)
        let post = Int.random(in: 0 ..< layers.count, using: &rng)
        synapses.append(.dense(pre: layers[pre].name, post: layers[post].name,
                               weights: numbers(layers[pre].size * layers[post].size)))
    }
    return try Network(layers: layers, synapses: synapses)
}

@Suite("Network file decoding and encoding")
struct NetworkFileTests {
    @Test("a file with inline arrays decodes to the expected network")
    func inlineArrays() throws {
        let json = """
        {
          "format": 1,
          "description": "a toy image memory",
          "layers": [
            {"name": "visible", "shape": [2, 3], "lagrangian": {"type": "identity"}, "tau": 1.0,
             "bias": [[1, 2, 3], [4, 5, 6]]},
            {"name": "memory", "size": 2, "lagrangian": {"type": "softmax", "beta": 4.0}, "tau": 0.1}
          ],
          "synapses": [
            {"type": "dense", "pre": "visible", "post": "memory", "weights": [[1, 2, 3, 4, 5, 6], [0.5, 0, 0, 0, 0, -1e-3]]}
          ]
        }
        """
        let expected = try Network(
            layers: [
                Layer(name: "visible", shape: [2, 3], lagrangian: .identity, tau: 1, bias: [1, 2, 3, 4, 5, 6]),
                Layer(name: "memory", size: 2, lagrangian: .softmax(beta: 4), tau: 0.1),
            ],
            synapses: [.dense(pre: "visible", post: "memory", weights: [1, 2, 3, 4, 5, 6, 0.5, 0, 0, 0, 0, -0.001])])
        let network = try decodeNetwork(json)
        #expect(network == expected)
        #expect(network.layers[0].shape == [2, 3])
        #expect(network.dimension == 8)
    }

    @Test("defaults: τ = 1, no bias, β = 1, n = 2, γ = 1, δ = 0, ε = 1e-5, no synapses")
    func defaults() throws {
        let types = Lagrangian.allNames
        let layers = types.map { #"{"name": "\#($0)", "size": 2, "lagrangian": {"type": "\#($0)"}}"# }
        let network = try decodeNetwork("{\"layers\": [\(layers.joined(separator: ", "))]}")
        let expected: [Lagrangian] = [
            .identity, .relu, .repu(n: 2), .exp(beta: 1), .rexp(beta: 1), .tanh(beta: 1), .sigmoid(beta: 1),
            .softmax(beta: 1), .ghostmax(beta: 1), .layernorm(gamma: 1, delta: [], eps: 1e-5),
            .spherical(gamma: 1, delta: [], eps: 1e-5),
        ]
        #expect(network.layers.map(\.lagrangian) == expected)
        #expect(network.layers.allSatisfy { $0.tau == 1 && $0.bias.isEmpty && $0.shape == [2] })
        #expect(network.synapses.isEmpty)
    }

    @Test("a number broadcasts: bias to every unit, delta to one shared value; size and shape may both be given")
    func broadcasting() throws {
        let json = """
        {"layers": [
          {"name": "a", "size": 4, "shape": [2, 2], "lagrangian": {"type": "layernorm", "gamma": 2, "delta": 0.5, "eps": 0},
           "bias": -1.5},
          {"name": "b", "size": 3, "lagrangian": {"type": "spherical", "delta": [1, 2, 3]}, "bias": [0, 0.25, 0]}
        ]}
        """
        let network = try decodeNetwork(json)
        #expect(network.layers[0].shape == [2, 2])
        #expect(network.layers[0].bias == [-1.5, -1.5, -1.5, -1.5])
        #expect(network.layers[0].lagrangian == .layernorm(gamma: 2, delta: [0.5], eps: 0))
        #expect(network.layers[1].lagrangian == .spherical(gamma: 1, delta: [1, 2, 3], eps: 1e-5))
        #expect(network.layers[1].bias == [0, 0.25, 0])
    }

    @Test("arrays in .npy files beside the JSON file (written by NPY.write, and float32) decode like inline ones")
    func npyFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let data = folder.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 5)
        let weights = (0 ..< 12).map { _ in Double.random(in: -1 ... 1, using: &rng) }
        let image = (0 ..< 6).map { _ in Double.random(in: -1 ... 1, using: &rng) }
        try NPY.write(NPYArray(shape: [2, 6], values: weights), to: data.appendingPathComponent("w.npy"))
        try NPY.write(NPYArray(shape: [2, 3], values: image), to: folder.file("image.npy"))
        try NPY.write(NPYArray([0.5, -0.5]), to: folder.file("delta.npy"))
        let floats: [Float] = [0.1, 0.2]
        try handMadeNPY(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: f4Bytes(floats))
            .write(to: folder.file("bias32.npy"))
        let json = """
        {"layers": [
          {"name": "visible", "shape": [2, 3], "lagrangian": {"type": "identity"}, "bias": "image.npy"},
          {"name": "memory", "size": 2, "lagrangian": {"type": "spherical", "delta": "delta.npy"}, "bias": "bias32.npy"}
        ],
         "synapses": [{"type": "dense", "pre": "visible", "post": "memory", "weights": "data/w.npy"}]}
        """
        try Data(json.utf8).write(to: folder.file("network.json"))
        let network = try NetworkFile.load(contentsOf: folder.file("network.json"))
        let expected = try Network(
            layers: [
                Layer(name: "visible", shape: [2, 3], lagrangian: .identity, bias: image),
                Layer(name: "memory", size: 2, lagrangian: .spherical(gamma: 1, delta: [0.5, -0.5], eps: 1e-5),
                      bias: floats.map(Double.init)),
            ],
            synapses: [.dense(pre: "visible", post: "memory", weights: weights)])
        #expect(network == expected)

        // An absolute path works too.
        let absolute = json.replacingOccurrences(of: "\"data/w.npy\"", with: "\"\(data.path)/w.npy\"")
        #expect(try decodeNetwork(absolute, in: folder.url) == expected)
    }

    @Test("encode then decode gives back an equal network", arguments: [1, 2, 3] as [UInt64])
    func roundTrip(seed: UInt64) throws {
        let network = try randomNetwork(seed: seed)
        let data = NetworkFile.encode(network, description: "seed \(seed), with \"quotes\" and\na line break")
        // The output is valid JSON for an independent parser too.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["format"] as? Int == 1)
        #expect((object["layers"] as? [Any])?.count == network.layers.count)
        let back = try NetworkFile.decode(data: data, baseDirectory: URL(fileURLWithPath: "/"), fileName: "rt.json")
        #expect(back == network)
        #expect(back.layers.map(\.shape) == network.layers.map(\.shape))
        #expect(NetworkFile.encode(back, description: "x") == NetworkFile.encode(network, description: "x"))
    }

    @Test("the encoded text is laid out for people: one layer per line, one weight row per line")
    func encodedLayout() throws {
        let network = try Network(
            layers: [
                Layer(name: "v", size: 3, lagrangian: .identity),
                Layer(name: "m", size: 2, lagrangian: .softmax(beta: 4), tau: 0.1, bias: [1, 2]),
            ],
            synapses: [.dense(pre: "v", post: "m", weights: [1, 2, 3, 4, 5, 6])])
        let text = String(decoding: NetworkFile.encode(network), as: UTF8.self)
        #expect(text == """
        {
          "format": 1,
          "layers": [
            {"name": "v", "size": 3, "lagrangian": {"type": "identity"}, "tau": 1.0},
            {"name": "m", "size": 2, "lagrangian": {"type": "softmax", "beta": 4.0}, "tau": 0.1, "bias": [1.0, 2.0]}
          ],
          "synapses": [
            {"type": "dense", "pre": "v", "post": "m", "weights": [
              [1.0, 2.0, 3.0],
              [4.0, 5.0, 6.0]
            ]}
          ]
        }

        """)
    }

    @Test("JSON numbers are read exactly (correctly rounded), including ones JSONSerialization rounds differently")
    func exactNumbers() throws {
        let texts = ["0.30000000000000004", "0.1", "1e-320", "-0.0", "1.7976931348623157e308", "123456789.123456789",
                     "2.2250738585072011e-308"]
        let json = #"{"layers": [{"name": "a", "size": \#(texts.count), "lagrangian": {"type": "identity"}, "bias": [\#(texts.joined(separator: ", "))]}]}"#
        let network = try decodeNetwork(json)
        #expect(network.layers[0].bias.map(\.bitPattern) == texts.map { Double($0)!.bitPattern })
    }
}
