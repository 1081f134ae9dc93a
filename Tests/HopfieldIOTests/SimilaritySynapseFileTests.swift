import Foundation
import Hopfield
import HopfieldIO
import TestSupport
import Testing

/// Similarity synapses in network files (moved from HopfieldTests' SimilaritySynapseTests).
@Suite struct SimilaritySynapseFileTests {
    @Test("network file: euclidean and manhattan synapses with \"memories\" round-trip; errors name the key")
    func networkFile() throws {
        let json = """
            {"format": 1, "layers": [
              {"name": "v", "size": 2, "lagrangian": {"type": "identity"}},
              {"name": "h", "size": 2, "lagrangian": {"type": "softmax", "beta": 3}, "tau": 0.1},
              {"name": "k", "size": 1, "lagrangian": {"type": "relu"}}],
             "synapses": [
              {"type": "euclidean", "pre": "v", "post": "h", "memories": [[0.5, 1], [0, -1]]},
              {"type": "manhattan", "pre": "v", "post": "k", "memories": [[2, 3]]},
              {"type": "dense", "pre": "h", "post": "k", "weights": [[1, 2]]}]}
            """
        let base = URL(fileURLWithPath: "/nonexistent")
        let network = try NetworkFile.decode(data: Data(json.utf8), baseDirectory: base, fileName: "n.json")
        #expect(network.synapses[0] == .similarity(.euclidean, pre: "v", post: "h", memories: [0.5, 1, 0, -1]))
        #expect(network.synapses[1] == .similarity(.manhattan, pre: "v", post: "k", memories: [2, 3]))
        #expect(network.synapses[2] == .dense(pre: "h", post: "k", weights: [1, 2]))
        let text = String(decoding: NetworkFile.encode(network), as: UTF8.self)
        #expect(text.contains("\"type\": \"euclidean\"") && text.contains("\"memories\": ["))
        let again = try NetworkFile.decode(data: NetworkFile.encode(network), baseDirectory: base, fileName: "n.json")
        #expect(again == network)

        let wrongKey = json.replacingOccurrences(of: #""memories": [[2, 3]]"#, with: #""weights": [[2, 3]]"#)
        #expect(throws: NetworkFileError(
            file: "n.json", path: "synapses[1].weights",
            message: #"unknown key "weights" (manhattan takes type, pre, post, memories)"#)) {
            try NetworkFile.decode(data: Data(wrongKey.utf8), baseDirectory: base, fileName: "n.json")
        }
        let wrongShape = json.replacingOccurrences(of: #""memories": [[2, 3]]"#, with: #""memories": [[2], [3]]"#)
        #expect(throws: NetworkFileError(
            file: "n.json", path: "synapses[1].memories",
            message: "expected an array of shape [post size, pre size] = [1, 2], got an array of shape [2, 1]")) {
            try NetworkFile.decode(data: Data(wrongShape.utf8), baseDirectory: base, fileName: "n.json")
        }
        let selfLoop = json.replacingOccurrences(of: #""pre": "v", "post": "k""#, with: #""pre": "k", "post": "k""#)
            .replacingOccurrences(of: "[[2, 3]]", with: "[[2]]")
        #expect(throws: NetworkFileError(
            file: "n.json", path: "synapses[1].post",
            message: #"a manhattan synapse must join two different layers, got "k" twice"#)) {
            try NetworkFile.decode(data: Data(selfLoop.utf8), baseDirectory: base, fileName: "n.json")
        }
    }
}
