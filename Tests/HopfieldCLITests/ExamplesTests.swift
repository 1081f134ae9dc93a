import Foundation
import Hopfield
import HopfieldIO
import Testing

/// Runs the examples' documented commands through the built binary and checks what their READMEs claim.
@Suite("Examples")
struct ExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func example(_ name: String) -> URL { root.appendingPathComponent("examples/\(name)") }

    static func finalStates(_ stdout: String) throws -> [String: Any] {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(doc["final_state"] as? [String: Any])
    }

    @Test("dense associative memory: every query reaches its own pattern")
    func denseAssociativeMemory() throws {
        let dir = Self.example("dense_associative_memory")
        let run = try CLI.run([
            "simulate", dir.appendingPathComponent("network.json").path,
            "--init", "visible=\(dir.appendingPathComponent("queries.npy").path)", "--until-steady", "--t-end", "100", "--json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((doc["status"] as? [String])?.allSatisfy { $0 == "steady_state" } == true)
        let monitors = try #require(doc["monitor"] as? [[String: Any]])
        #expect(monitors.allSatisfy { $0["violations"] as? Int == 0 })
        let visible = try #require((try Self.finalStates(run.stdout))["visible"] as? [[Double]])
        let patterns = try NPY.read(contentsOf: dir.appendingPathComponent("patterns.npy"))
        #expect(visible.count == 10)
        for (q, v) in visible.enumerated() {
            let pattern = patterns.values[q * 64 ..< (q + 1) * 64]
            let right = zip(v, pattern).filter { $0 * $1 > 0 }.count
            #expect(right == 64, "query \(q): \(right)/64 signs right")
        }
    }

    @Test("hierarchical three-layer network: pattern 5 and class 2")
    func hierarchical() throws {
        let dir = Self.example("hierarchical_three_layer")
        let run = try CLI.run([
            "simulate", dir.appendingPathComponent("network.json").path,
            "--init", "visible=\(dir.appendingPathComponent("query.npy").path)", "--until-steady", "--t-end", "100", "--json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let states = try Self.finalStates(run.stdout)
        let visible = try #require(states["visible"] as? [Double])
        let memory = try #require(states["memory"] as? [Double])
        let classes = try #require(states["class"] as? [Double])
        let patterns = try NPY.read(contentsOf: dir.appendingPathComponent("patterns.npy"))
        let right = zip(visible, patterns.values[5 * 64 ..< 6 * 64]).filter { $0 * $1 > 0 }.count
        #expect(right == 64)
        #expect(memory.indices.max { memory[$0] < memory[$1] } == 5)
        #expect(classes.indices.max { classes[$0] < classes[$1] } == 2)
    }

    @Test("modern Hopfield network on Fashion-MNIST: six half-masked queries reach their images",
          .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
    func modernHopfield() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = dir.appendingPathComponent("network.json")
        try FileManager.default.copyItem(at: Self.example("modern_hopfield_fashion_mnist").appendingPathComponent("network.json"), to: net)
        let m = try CLI.run(["dataset", "--count", "100", "--output", dir.appendingPathComponent("memories.npy").path])
        #expect(m.status == 0, "\(m.stderr)")
        let q = try CLI.run(["dataset", "--count", "100", "--select", "3,15,27,39,51,63", "--mask", "bottom-half",
                             "--output", dir.appendingPathComponent("queries.npy").path])
        #expect(q.status == 0, "\(q.stderr)")
        let run = try CLI.run([
            "simulate", net.path, "--init", "visible=\(dir.appendingPathComponent("queries.npy").path)",
            "--until-steady", "--t-end", "100", "--linear-solver", "gmres", "--out", dir.appendingPathComponent("result").path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        for (k, target) in [3, 15, 27, 39, 51, 63].enumerated() {
            #expect(run.stdout.contains("[\(k)] visible: nearest stored pattern \(target) "), "\(run.stdout)")
        }
        #expect(!run.stdout.contains("ENERGY INCREASED"))
        for file in ["summary.json", "trajectory.npy", "times.npy", "energy.csv", "energy.svg", "states.svg"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("result/\(file)").path), "\(file)")
        }
        // The plots render in a real SVG renderer (Debian's librsvg2-bin), when it is installed.
        let rsvg = URL(fileURLWithPath: "/usr/bin/rsvg-convert")
        if FileManager.default.isExecutableFile(atPath: rsvg.path) {
            for file in ["energy", "states"] {
                let png = dir.appendingPathComponent("\(file).png")
                let process = Process()
                process.executableURL = rsvg
                process.arguments = [dir.appendingPathComponent("result/\(file).svg").path, "-o", png.path]
                let err = Pipe()
                process.standardError = err
                try process.run()
                let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                #expect(process.terminationStatus == 0 && message.isEmpty, "\(file).svg: \(message)")
                let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
                #expect(size > 10_000, "\(file).png has \(size) bytes")
            }
        }
    }

    @Test("the Swift example exits 0 and prints PASS")
    func swiftExample() throws {
        let binary = CLI.binary.deletingLastPathComponent().appendingPathComponent("example-krotov-hopfield-softmax")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path))
        let process = Process()
        process.executableURL = binary
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self).contains("PASS"))
    }
}
