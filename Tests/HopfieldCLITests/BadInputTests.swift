import Foundation
import Hopfield
import HopfieldIO
import Testing

/// Every bad-input class of docs/network-file.md and docs/cli.md through the built binary: exit status 2, one line on stderr
/// naming the file and the field, nothing on stdout, and no output folder.
@Suite("Bad input")
struct BadInputTests {
    static let valid = """
        {"layers": [
          {"name": "v", "size": 3, "lagrangian": {"type": "identity"}, "tau": 1.0},
          {"name": "h", "size": 2, "lagrangian": {"type": "softmax", "beta": 2}, "tau": 0.1}],
         "synapses": [{"type": "dense", "pre": "v", "post": "h", "weights": [[1, 0, -1], [0, 1, 1]]}]}
        """

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var json: String
        /// Words the one-line message must contain (besides the file name).
        var mentions: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "malformed JSON", json: "{\"layers\": [", mentions: []),
        Case(name: "unknown key", json: valid.replacingOccurrences(of: "\"tau\": 1.0}", with: "\"tau\": 1.0, \"colour\": 3}"),
             mentions: ["layers[0]", "colour"]),
        Case(name: "tau ≤ 0", json: valid.replacingOccurrences(of: "\"tau\": 0.1", with: "\"tau\": -1"),
             mentions: ["layers[1].tau"]),
        Case(name: "duplicate names", json: valid.replacingOccurrences(of: "\"name\": \"h\"", with: "\"name\": \"v\""),
             mentions: ["layers[1].name"]),
        Case(name: "dangling synapse end", json: valid.replacingOccurrences(of: "\"post\": \"h\"", with: "\"post\": \"hidden\""),
             mentions: ["synapses[0].post"]),
        Case(name: "wrong weight shape", json: valid.replacingOccurrences(of: "[[1, 0, -1], [0, 1, 1]]", with: "[[1, 0], [0, 1]]"),
             mentions: ["synapses[0].weights"]),
        Case(name: "unknown Lagrangian", json: valid.replacingOccurrences(of: "\"identity\"", with: "\"cosine\""),
             mentions: ["layers[0].lagrangian"]),
        Case(name: "bad Lagrangian parameter", json: valid.replacingOccurrences(of: "\"beta\": 2", with: "\"beta\": 0"),
             mentions: ["layers[1].lagrangian.beta"]),
        Case(name: "missing key", json: valid.replacingOccurrences(of: "\"pre\": \"v\", ", with: ""),
             mentions: ["synapses[0]", "pre"]),
        Case(name: "wrong type", json: valid.replacingOccurrences(of: "\"size\": 3", with: "\"size\": \"three\""),
             mentions: ["layers[0].size"]),
        Case(name: "bias of the wrong length", json: valid.replacingOccurrences(of: "\"tau\": 1.0}", with: "\"tau\": 1.0, \"bias\": [1, 2]}"),
             mentions: ["layers[0].bias"]),
    ]

    @Test("bad network files give exit 2, one line naming file and field, and no output", arguments: cases)
    func badNetworkFile(c: Case) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(c.json.utf8).write(to: dir.appendingPathComponent("net.json"))
        let run = try CLI.run(["simulate", "net.json", "--out", "result", "--json"], in: dir)
        #expect(run.status == 2, "\(c.name): \(run.stderr)")
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(c.name): \(run.stderr)")
        #expect(run.stderr.contains("net.json"), "\(c.name): \(run.stderr)")
        for word in c.mentions { #expect(run.stderr.contains(word), "\(c.name): '\(word)' not in \(run.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("result").path))
    }

    @Test("non-finite numbers in a .npy file and truncated .npy files are rejected with the file named")
    func badNpy() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.valid.utf8).write(to: dir.appendingPathComponent("net.json"))
        try NPY.write(NPYArray(shape: [3], values: [1, .nan, 0]), to: dir.appendingPathComponent("nan.npy"))
        let good = NPY.encode(shape: [3], values: [1, 2, 3])
        try good.prefix(good.count - 5).write(to: dir.appendingPathComponent("short.npy"))
        for file in ["nan.npy", "short.npy", "missing.npy"] {
            let run = try CLI.run(["simulate", "net.json", "--init", "v=\(file)", "--out", "result"], in: dir)
            #expect(run.status == 2, "\(file): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(run.stderr.contains(file), "\(run.stderr)")
            #expect(run.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("result").path))
        }
    }

    @Test("bad --init assignments and flags give exit 2", arguments: [
        ["--init", "w=x.npy"], ["--init", "v"], ["--init", "v=x.npy"], ["--rtol", "-1"], ["--t-end", "0"],
        ["--method", "rk4"], ["--saves", "1"],
    ])
    func badFlags(extra: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.valid.utf8).write(to: dir.appendingPathComponent("net.json"))
        try NPY.write(NPYArray(shape: [4], values: [1, 2, 3, 4]), to: dir.appendingPathComponent("x.npy"))
        let run = try CLI.run(["simulate", "net.json", "--out", "result"] + extra, in: dir)
        #expect(run.status == 2, "\(extra): \(run.stderr)")
        #expect(!run.stderr.isEmpty)
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("result").path))
    }

    @Test("a missing network file gives exit 2 naming it")
    func missingFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["simulate", "nowhere.json"], in: dir)
        #expect(run.status == 2)
        #expect(run.stderr.contains("nowhere.json"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }
}
