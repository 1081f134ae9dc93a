import Foundation
import TestSupport
import Testing
import Hopfield
@testable import HopfieldIO

/// A network file that must be rejected, with the exact JSON path and message expected.
struct BadNetworkFile: CustomTestStringConvertible, Sendable {
    var name: String
    var json: String
    var path: String
    var message: String
    /// Extra files (e.g. `.npy`) written beside the JSON file.
    var files: [String: Data] = [:]
    var testDescription: String { name }
}

/// Decodes `json` as `network.json` in a temporary folder holding `files`; returns the error it throws.
func networkFileError(_ json: String, files: [String: Data] = [:]) throws -> NetworkFileError? {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    for (name, data) in files { try data.write(to: folder.file(name)) }
    do {
        let network = try NetworkFile.decode(data: Data(json.utf8), baseDirectory: folder.url, fileName: "network.json")
        Issue.record("expected an error, decoded a network with \(network.layers.count) layers")
        return nil
    } catch {
        return error
    }
}

/// The fragments bad files are built from: a valid two-layer network `v` (3 units) → `m` (2 units).
enum Fragments {
    static let visible = #"{"name": "v", "size": 3, "lagrangian": {"type": "identity"}}"#
    static let memory = #"{"name": "m", "size": 2, "lagrangian": {"type": "softmax", "beta": 2}}"#
    static let weights = "[[1, 2, 3], [4, 5, 6]]"

    /// A network file whose first layer is `layer` and whose synapse is `synapse`.
    static func network(layer: String = visible, second: String = memory, synapse: String? = nil) -> String {
        let s = synapse ?? #"{"type": "dense", "pre": "v", "post": "m", "weights": \#(weights)}"#
        return "{\"layers\": [\(layer), \(second)], \"synapses\": [\(s)]}"
    }

    /// A layer `v` with the given extra members (a JSON fragment starting with a comma, or empty).
    static func layer(_ members: String, size: String = #""size": 3"#, lagrangian: String = #"{"type": "identity"}"#) -> String {
        #"{"name": "v", \#(size), "lagrangian": \#(lagrangian)\#(members)}"#
    }

    /// A synapse with the given members replacing the default weights.
    static func synapse(_ members: String) -> String { #"{"type": "dense", \#(members)}"# }
}

/// A `.npy` file of little-endian float64 values with the given header shape text.
func npyFile(shape: String, values: [Double]) -> Data {
    handMadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }", data: f8Bytes(values))
}

let validLagrangians = "identity, relu, repu, exp, rexp, tanh, sigmoid, softmax, ghostmax, layernorm, spherical"
typealias F = Fragments

let badNetworkFiles: [BadNetworkFile] = [
    // The file as a whole.
    .init(name: "invalid JSON", json: #"{"layers": [}"#, path: "",
          message: "invalid JSON at line 1, column 13: unexpected '}', expected a value"),
    .init(name: "invalid JSON on a later line", json: "{\n  \"layers\": [\n    1,\n  ]\n}", path: "",
          message: "invalid JSON at line 4, column 3: unexpected ']', expected a value"),
    .init(name: "NaN is not JSON", json: #"{"layers": NaN}"#, path: "",
          message: "invalid JSON at line 1, column 12: unexpected 'N', expected a value (JSON has no NaN or Infinity)"),
    .init(name: "number out of range", json: #"{"format": 1e999}"#, path: "",
          message: "invalid JSON at line 1, column 12: number 1e999 is too large for a 64-bit float"),
    .init(name: "top level not an object", json: "[1]", path: "",
          message: "the top level must be a JSON object, got an array"),
    .init(name: "unsupported format version", json: #"{"format": 3, "layers": []}"#, path: "format",
          message: "unsupported format version 3 (this program reads versions 1 and 2)"),
    .init(name: "format of the wrong type", json: #"{"format": "1", "layers": []}"#, path: "format",
          message: "expected a number, got a string"),
    .init(name: "fractional format", json: #"{"format": 1.5, "layers": []}"#, path: "format",
          message: "expected an integer, got 1.5"),
    .init(name: "description of the wrong type", json: #"{"description": 3, "layers": []}"#, path: "description",
          message: "expected a string, got a number"),
    .init(name: "unknown top-level key", json: #"{"layer": []}"#, path: "layer",
          message: #"unknown key "layer" (valid keys: format, description, layers, synapses)"#),
    .init(name: "unknown key with a line break stays on one line", json: #"{"a\nb": 1}"#, path: "a b",
          message: #"unknown key "a b" (valid keys: format, description, layers, synapses)"#),
    .init(name: "missing layers", json: "{}", path: "", message: #"missing required key "layers""#),
    .init(name: "layers not an array", json: #"{"layers": {}}"#, path: "layers",
          message: "expected an array, got an object"),
    .init(name: "no layers (Network.init)", json: #"{"layers": []}"#, path: "layers",
          message: "must hold at least one layer"),
    .init(name: "synapses not an array", json: #"{"layers": [\#(F.visible)], "synapses": {}}"#, path: "synapses",
          message: "expected an array, got an object"),

    // Layers.
    .init(name: "layer not an object", json: #"{"layers": [3]}"#, path: "layers[0]",
          message: "expected an object, got a number"),
    .init(name: "missing name", json: F.network(layer: #"{"size": 3, "lagrangian": {"type": "relu"}}"#),
          path: "layers[0]", message: #"missing required key "name""#),
    .init(name: "name of the wrong type",
          json: F.network(layer: #"{"name": 1, "size": 3, "lagrangian": {"type": "relu"}}"#),
          path: "layers[0].name", message: "expected a string, got a number"),
    .init(name: "empty name", json: #"{"layers": [{"name": "", "size": 3, "lagrangian": {"type": "relu"}}]}"#,
          path: "layers[0].name", message: "must not be empty"),
    .init(name: "missing size and shape", json: F.network(layer: F.layer("", size: #""tau": 1"#)),
          path: "layers[0]", message: #"missing required key "size" or "shape""#),
    .init(name: "size zero", json: F.network(layer: F.layer("", size: #""size": 0"#)),
          path: "layers[0].size", message: "must be an integer in 1...2147483647, got 0"),
    .init(name: "fractional size", json: F.network(layer: F.layer("", size: #""size": 2.5"#)),
          path: "layers[0].size", message: "expected an integer, got 2.5"),
    .init(name: "size of the wrong type", json: F.network(layer: F.layer("", size: #""size": "3""#)),
          path: "layers[0].size", message: "expected a number, got a string"),
    .init(name: "empty shape", json: F.network(layer: F.layer("", size: #""shape": []"#)),
          path: "layers[0].shape", message: "must hold at least one axis"),
    .init(name: "negative shape entry", json: F.network(layer: F.layer("", size: #""shape": [3, -1]"#)),
          path: "layers[0].shape[1]", message: "must be an integer in 1...2147483647, got -1"),
    .init(name: "shape and size disagree", json: F.network(layer: F.layer("", size: #""shape": [2, 2], "size": 3"#)),
          path: "layers[0].shape", message: "has 4 units but size is 3"),
    .init(name: "shape too large", json: F.network(layer: F.layer("", size: #""shape": [65536, 65536]"#)),
          path: "layers[0].shape", message: "has more than 2147483647 units"),
    .init(name: "unknown layer key", json: F.network(layer: F.layer(#", "taus": 1"#)), path: "layers[0].taus",
          message: #"unknown key "taus" (valid keys: name, size, shape, lagrangian, tau, bias)"#),
    .init(name: "duplicate key", json: F.network(layer: F.layer(#", "tau": 1, "tau": 2"#)), path: "layers[0].tau",
          message: #"duplicate key "tau""#),
    .init(name: "tau negative",
          json: F.network(second: #"{"name": "m", "size": 2, "lagrangian": {"type": "relu"}, "tau": -1}"#),
          path: "layers[1].tau", message: "must be > 0, got -1"),
    .init(name: "tau zero", json: F.network(layer: F.layer(#", "tau": 0"#)), path: "layers[0].tau",
          message: "must be > 0, got 0"),
    .init(name: "tau of the wrong type", json: F.network(layer: F.layer(#", "tau": true"#)), path: "layers[0].tau",
          message: "expected a number, got true"),
    .init(name: "duplicate layer names", json: F.network(second: F.visible), path: "layers[1].name",
          message: #"duplicate layer name "v" (also layers[0])"#),

    // Lagrangians.
    .init(name: "missing lagrangian", json: F.network(layer: #"{"name": "v", "size": 3}"#), path: "layers[0]",
          message: #"missing required key "lagrangian""#),
    .init(name: "lagrangian not an object", json: F.network(layer: F.layer("", lagrangian: #""relu""#)),
          path: "layers[0].lagrangian", message: "expected an object, got a string"),
    .init(name: "missing lagrangian type", json: F.network(layer: F.layer("", lagrangian: #"{"beta": 1}"#)),
          path: "layers[0].lagrangian", message: #"missing required key "type" (one of \#(validLagrangians))"#),
    .init(name: "unknown lagrangian type", json: F.network(layer: F.layer("", lagrangian: #"{"type": "gelu"}"#)),
          path: "layers[0].lagrangian.type",
          message: #"unknown Lagrangian type "gelu" (valid: \#(validLagrangians))"#),
    .init(name: "parameter that does not belong to the type",
          json: F.network(layer: F.layer("", lagrangian: #"{"type": "relu", "beta": 2}"#)),
          path: "layers[0].lagrangian.beta", message: #"unknown key "beta" (relu takes no parameters)"#),
    .init(name: "parameter of another type",
          json: F.network(layer: F.layer("", lagrangian: #"{"type": "softmax", "n": 3}"#)),
          path: "layers[0].lagrangian.n", message: #"unknown key "n" (softmax takes beta)"#),
    .init(name: "parameter of the wrong type",
          json: F.network(layer: F.layer("", lagrangian: #"{"type": "tanh", "beta": "big"}"#)),
          path: "layers[0].lagrangian.beta", message: "expected a number, got a string"),
    .init(name: "beta zero (Network.init)",
          json: F.network(layer: F.layer("", lagrangian: #"{"type": "softmax", "beta": 0}"#)),
          path: "layers[0].lagrangian.beta", message: "must be a finite number > 0, got 0.0"),
    .init(name: "repu n below 2 (Network.init)",
          json: F.network(layer: F.layer("", lagrangian: #"{"type": "repu", "n": 1}"#)),
          path: "layers[0].lagrangian.n", message: "must be a number ≥ 2, got 1.0"),
    .init(name: "negative eps (Network.init)",
          json: F.network(layer: F.layer("", lagrangian: #"{"type": "layernorm", "eps": -1}"#)),
          path: "layers[0].lagrangian.eps", message: "must be a finite number ≥ 0, got -1.0"),
    .init(name: "delta of the wrong length",
          json: F.network(layer: F.layer("", lagrangian: #"{"type": "spherical", "delta": [1, 2]}"#)),
          path: "layers[0].lagrangian.delta",
          message: "expected a number or an array of 3 numbers, got an array of 2 numbers"),

    // Biases.
    .init(name: "bias of the wrong length", json: F.network(layer: F.layer(#", "bias": [1]"#)), path: "layers[0].bias",
          message: "expected a number or an array of 3 numbers, got an array of 1 number"),
    .init(name: "bias of the wrong image shape",
          json: F.network(layer: F.layer(#", "bias": [[1, 2], [3, 4]]"#, size: #""shape": [1, 3]"#)),
          path: "layers[0].bias",
          message: "expected a number or an array of 3 numbers (or an array of shape [1, 3]), got an array of shape [2, 2]"),
    .init(name: "ragged bias",
          json: F.network(layer: F.layer(#", "bias": [[1, 2], [3]]"#, size: #""shape": [2, 2]"#)),
          path: "layers[0].bias[1]",
          message: "ragged array: expected an array of 2 numbers like the entries before, got an array of 1 number"),
    .init(name: "bias entry of the wrong type", json: F.network(layer: F.layer(#", "bias": [1, "a", 3]"#)),
          path: "layers[0].bias[1]", message: "expected a number, got a string"),
    .init(name: "bias string that is not a .npy file", json: F.network(layer: F.layer(#", "bias": "bias.txt""#)),
          path: "layers[0].bias",
          message: #"expected a number, an array or the name of a .npy file, got the string "bias.txt""#),
    .init(name: "bias of the wrong type", json: F.network(layer: F.layer(#", "bias": true"#)), path: "layers[0].bias",
          message: "expected a number, an array or the name of a .npy file, got true"),
    .init(name: "bias .npy that is not a .npy file", json: F.network(layer: F.layer(#", "bias": "b.npy""#)),
          path: "layers[0].bias", message: "b.npy: not a NumPy .npy file (bad magic string)",
          files: ["b.npy": Data("1,2,3\n".utf8)]),

    // Synapses.
    .init(name: "synapse not an object", json: F.network(synapse: "[]"), path: "synapses[0]",
          message: "expected an object, got an array"),
    .init(name: "missing synapse type", json: F.network(synapse: #"{"pre": "v", "post": "m", "weights": 1}"#),
          path: "synapses[0]", message: #"missing required key "type" (one of dense, dot, euclidean, manhattan)"#),
    .init(name: "unknown synapse type", json: F.network(synapse: #"{"type": "conv"}"#), path: "synapses[0].type",
          message: #"unknown synapse type "conv" (valid: dense, dot, euclidean, manhattan)"#),
    .init(name: "unknown synapse key",
          json: F.network(synapse: F.synapse(#""pre": "v", "post": "m", "weights": \#(F.weights), "bias": 1"#)),
          path: "synapses[0].bias", message: #"unknown key "bias" (dense takes type, pre, post, weights)"#),
    .init(name: "missing pre", json: F.network(synapse: F.synapse(#""post": "m", "weights": \#(F.weights)"#)),
          path: "synapses[0]", message: #"missing required key "pre""#),
    .init(name: "dangling pre",
          json: F.network(synapse: F.synapse(#""pre": "x", "post": "m", "weights": \#(F.weights)"#)),
          path: "synapses[0].pre", message: #"names no layer: "x" (layers: "v", "m")"#),
    .init(name: "dangling post",
          json: F.network(synapse: F.synapse(#""pre": "v", "post": "memory", "weights": \#(F.weights)"#)),
          path: "synapses[0].post", message: #"names no layer: "memory" (layers: "v", "m")"#),
    .init(name: "missing weights", json: F.network(synapse: F.synapse(#""pre": "v", "post": "m""#)),
          path: "synapses[0]", message: #"missing required key "weights""#),
    .init(name: "flat weights", json: F.network(synapse: F.synapse(#""pre": "v", "post": "m", "weights": [1, 2, 3, 4, 5, 6]"#)),
          path: "synapses[0].weights",
          message: "expected an array of shape [post size, pre size] = [2, 3], got an array of 6 numbers"),
    .init(name: "transposed weights",
          json: F.network(synapse: F.synapse(#""pre": "v", "post": "m", "weights": [[1, 2], [3, 4], [5, 6]]"#)),
          path: "synapses[0].weights",
          message: "expected an array of shape [post size, pre size] = [2, 3], got an array of shape [3, 2]"),
    .init(name: "scalar weights", json: F.network(synapse: F.synapse(#""pre": "v", "post": "m", "weights": 0.5"#)),
          path: "synapses[0].weights",
          message: "expected an array of shape [post size, pre size] = [2, 3], got a number"),
    .init(name: "weights entry of the wrong type",
          json: F.network(synapse: F.synapse(#""pre": "v", "post": "m", "weights": [[1, 2, 3], [4, null, 6]]"#)),
          path: "synapses[0].weights[1][1]", message: "expected a number, got null"),

    // .npy weights.
    .init(name: "missing .npy file",
          json: F.network(synapse: F.synapse(#""pre": "v", "post": "m", "weights": "memories.npy""#)),
          path: "synapses[0].weights", message: "memories.npy: cannot read file (No such file or directory)"),
    .init(name: "truncated .npy file",
          json: #"{"layers": [{"name": "v", "size": 10, "lagrangian": {"type": "identity"}}, "#
              + #"{"name": "m", "size": 80, "lagrangian": {"type": "softmax"}}], "#
              + #""synapses": [{"type": "dense", "pre": "v", "post": "m", "weights": "memories.npy"}]}"#,
          path: "synapses[0].weights", message: "memories.npy: truncated data (expected 6400 bytes, got 100)",
          files: ["memories.npy": handMadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (80, 10), }",
                                              data: [UInt8](repeating: 0, count: 100))]),
    .init(name: "non-finite .npy entry",
          json: F.network(synapse: F.synapse(#""pre": "v", "post": "m", "weights": "w.npy""#)),
          path: "synapses[0].weights", message: "w.npy: entry [1, 0] (flat index 3) is not finite (nan)",
          files: ["w.npy": npyFile(shape: "(2, 3)", values: [1, 2, 3, .nan, 5, 6])]),
    .init(name: "1-D .npy weights",
          json: F.network(synapse: F.synapse(#""pre": "v", "post": "m", "weights": "w.npy""#)),
          path: "synapses[0].weights",
          message: "expected an array of shape [post size, pre size] = [2, 3], got an array of 6 numbers",
          files: ["w.npy": npyFile(shape: "(6,)", values: [1, 2, 3, 4, 5, 6])]),
    .init(name: "Fortran-order .npy weights",
          json: F.network(synapse: F.synapse(#""pre": "v", "post": "m", "weights": "w.npy""#)),
          path: "synapses[0].weights",
          message: "w.npy: Fortran-order arrays are not supported (save a C-order array, e.g. np.ascontiguousarray)",
          files: ["w.npy": handMadeNPY(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                                       data: f8Bytes([1, 2, 3, 4, 5, 6]))]),
]

@Suite("Network file errors")
struct NetworkFileErrorTests {
    @Test("each bad file is rejected with the exact path and a one-line message", arguments: badNetworkFiles)
    func rejects(_ bad: BadNetworkFile) throws {
        let error = try #require(try networkFileError(bad.json, files: bad.files))
        #expect(error.file == "network.json")
        #expect(error.path == bad.path)
        #expect(error.message == bad.message)
        let expected = bad.path.isEmpty ? "network.json: \(bad.message)" : "network.json: \(bad.path): \(bad.message)"
        #expect(error.description == expected)
        #expect(!error.description.contains("\n"))
    }

    @Test("the documented example message")
    func documentedExample() throws {
        let json = F.network(second: #"{"name": "m", "size": 2, "lagrangian": {"type": "relu"}, "tau": -1}"#)
        let error = try #require(try networkFileError(json))
        #expect(error.description == "network.json: layers[1].tau: must be > 0, got -1")
    }

    @Test("an unreadable network file names the file")
    func unreadable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        do {
            _ = try NetworkFile.load(contentsOf: folder.file("nope.json"))
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "")
            #expect(error.description == "nope.json: cannot read file (No such file or directory)")
        }
    }

    @Test("invalid UTF-8 inside a string is a JSON error")
    func invalidUTF8() throws {
        let bytes: [UInt8] = Array(#"{"layers": [{"name": ""#.utf8) + [0xFF] + Array(#""}]}"#.utf8)
        do {
            _ = try NetworkFile.decode(data: Data(bytes), baseDirectory: URL(fileURLWithPath: "/"), fileName: "n.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "n.json: invalid JSON at line 1, column 22: string is not valid UTF-8")
        }
    }
}
