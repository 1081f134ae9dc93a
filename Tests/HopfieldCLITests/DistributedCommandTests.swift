import Foundation
import Testing

/// `hopfield simulate` under `mpirun -np 2` and `-np 3` against one process (docs/distributed.md): the
/// batch is split over the ranks, rank 0 prints and writes exactly what one process would.
@Suite("Commands under mpirun", .serialized)
struct DistributedCommandTests {
    static let example = ExamplesTests.example("dense_associative_memory")
    static var batch: [String] {
        ["simulate", example.appendingPathComponent("network.json").path,
         "--init", "visible=\(example.appendingPathComponent("queries.npy").path)", "--until-steady", "--t-end", "100",
         // Independent CVODE runs: bit for bit whatever the split (auto's Newton finish groups the hand-offs
         // of a batch, so its results depend on the batch's composition within the tolerance).
         "--method", "bdf"]
    }

    /// The files of a folder by name, with their bytes.
    static func contents(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    @Test("a split batch prints the same JSON and writes the same --out folder, once", arguments: [2, 3])
    func splitBatch(processes: Int) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = try CLI.run(Self.batch + ["--json", "--out", dir.appendingPathComponent("one").path])
        #expect(one.status == 0, "\(one.stderr)")
        let many = try CLI.runUnderMPI(processes: processes, Self.batch + ["--json", "--out", dir.appendingPathComponent("many").path])
        #expect(many.status == 0, "\(many.stderr)")
        // Independent CVODE runs per trajectory with the same single-threaded products: bit for bit.
        #expect(many.stdout == one.stdout)
        #expect(try Self.contents(of: dir.appendingPathComponent("many")) == Self.contents(of: dir.appendingPathComponent("one")))
        // Written once, by rank 0: no staging folders left, nothing else beside the two outputs.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["many", "one"])
    }

    @Test("the text summary of a failed integration is printed once, with one process's exit status")
    func failedIntegration() throws {
        let one = try CLI.run(Self.batch + ["--max-steps", "20"])
        let many = try CLI.runUnderMPI(processes: 3, Self.batch + ["--max-steps", "20"])
        #expect(one.status == 1 && many.status == 1)
        #expect(many.stdout == one.stdout)
        // Once (Open MPI may add warnings of its own on some hosts, hence no equality).
        #expect(many.stderr.components(separatedBy: one.stderr).count == 2, "\(many.stderr)")
    }

    @Test("bad input is reported once, exit status 2, nothing written")
    func badInput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = Self.batch + ["--init", "memory=\(Self.example.appendingPathComponent("queries.npy").path)",
                                      "--out", dir.appendingPathComponent("out").path]
        let one = try CLI.run(arguments)
        let many = try CLI.runUnderMPI(processes: 3, arguments)
        #expect(one.status == 2 && many.status == 2)
        #expect(many.stdout.isEmpty)
        #expect(one.stderr.split(separator: "\n").count == 1)
        #expect(many.stderr.components(separatedBy: one.stderr).count == 2, "\(many.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
