import Foundation
import TestSupport
import Testing

/// Issue 14: what a hostile user found after parsing. Every test reproduces one class of failure (it failed
/// before the fix) with the built binary; the crash classes run it under `ulimit -v`.
@Suite("Hardening")
struct HardeningTests {
    /// A one-layer network of `units` tanh units (no arrays: nothing large is read).
    static func network(units: Int) -> String {
        #"{"format": 1, "layers": [{"name": "a", "size": \#(units), "lagrangian": {"type": "tanh", "beta": 1}, "tau": 1}]}"#
    }

    /// A folder holding `net.json` (a small network) and `x0.npy` (its initial state).
    static func workspace(units: Int = 3) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        try network(units: units).write(to: dir.appendingPathComponent("net.json"), atomically: true, encoding: .utf8)
        let x0 = (0 ..< units).map { 0.1 * Double($0 + 1) }
        try npy(shape: [units], values: x0).write(to: dir.appendingPathComponent("x0.npy"))
        return dir
    }

    /// A little-endian float64 `.npy` file.
    static func npy(shape: [Int], values: [Double]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        let length = UInt16(header.utf8.count)
        data += Data([UInt8(length & 0xFF), UInt8(length >> 8)]) + Data(header.utf8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data += Data($0) } }
        return data
    }

    /// Runs `hopfield` through `bash -c` with a shell prefix (`ulimit -v …;`), in `dir`.
    static func shell(_ prefix: String, _ arguments: [String], in dir: URL) throws -> CLIRun {
        let quoted = ([CLI.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return try runProcess("/bin/bash", ["-c", "\(prefix) exec \(quoted.joined(separator: " "))"], in: dir)
    }

    static func runProcess(_ executable: String, _ arguments: [String], in dir: URL, environment: [String: String]? = nil) throws -> CLIRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        return try runCapturing(process)
    }

    static func expectOneLine(_ run: CLIRun, status: Int32, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == status, "status \(run.status): \(run.stderr.prefix(2000))", sourceLocation: sourceLocation)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines.last == "", "not one line: \(run.stderr.prefix(2000))", sourceLocation: sourceLocation)
        for word in mentions {
            #expect(run.stderr.contains(word), "'\(word)' not in \(run.stderr.prefix(2000))", sourceLocation: sourceLocation)
        }
    }

    static func entries(_ dir: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
    }

    // MARK: --out never deletes what it did not write

    @Test("--out refuses ., .., the empty path, /, the current folder and a folder holding the inputs",
          arguments: [".", "..", "", "./", "sub/..", "/"])
    func refusedPaths(out: String) throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let before = try Self.entries(dir)
        let run = try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", out, "--force"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["--out"])
        #expect(try Self.entries(dir) == before)
    }

    @Test("--out refuses the folder of the network file and of an --init file, even with --force")
    func refusedInputFolders() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("net.json"), to: data.appendingPathComponent("net.json"))
        try FileManager.default.copyItem(at: dir.appendingPathComponent("x0.npy"), to: data.appendingPathComponent("x0.npy"))
        var run = try CLI.run(["simulate", "data/net.json", "--t-end", "1", "--out", "data", "--force"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["--out data", "data/net.json"])
        run = try CLI.run(["simulate", "net.json", "--init", "a=data/x0.npy", "--t-end", "1", "--out", "data", "--force"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["--out data", "data/x0.npy"])
        run = try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", dir.path, "--force"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["current folder"])
        #expect(try Self.entries(data) == ["net.json", "x0.npy"])
    }

    @Test("an existing folder hopfield did not write is refused without --force and replaced with it")
    func foreignFolder() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mine = dir.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try "keep me".write(to: mine.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        var run = try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", "mine"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["--out mine", "--force", ".hopfield-output"])
        #expect(try Self.entries(mine) == ["notes.txt"])
        run = try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", "mine", "--force"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.entries(mine).contains(".hopfield-output"))
        #expect(!(try Self.entries(mine)).contains("notes.txt"))
    }

    @Test("a previous output (marked, or only hopfield's names) is replaced; an empty folder is used")
    func previousOutput() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        var run = try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", "res"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let res = dir.appendingPathComponent("res")
        #expect(try Self.entries(res) == [".hopfield-output", "summary.json", "times.npy", "trajectory.npy", "energy.csv", "energy.svg"])
        run = try CLI.run(["simulate", "net.json", "--t-end", "2", "--out", "res"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOf: res.appendingPathComponent("summary.json"), encoding: .utf8).contains("\"t_final\": 2.0"))
        // An output of an earlier version (no marker).
        try FileManager.default.removeItem(at: res.appendingPathComponent(".hopfield-output"))
        run = try CLI.run(["simulate", "net.json", "--t-end", "3", "--out", "res"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty"), withIntermediateDirectories: true)
        run = try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", "empty"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.entries(dir) == ["net.json", "x0.npy", "res", "empty"], "staging folders left behind")
    }

    @Test("a failure at the final rename keeps the old folder (exchange and move-aside paths)",
          arguments: ["fail-final-rename", "no-exchange,fail-final-rename"])
    func failedFinalRename(fault: String) throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        var run = try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", "res"], in: dir)
        #expect(run.status == 0)
        run = try Self.runProcess(CLI.binary.path, ["simulate", "net.json", "--t-end", "2", "--out", "res", "--json"], in: dir,
                                  environment: ["HOPFIELD_FAULT_INJECTION": fault])
        Self.expectOneLine(run, status: 1, mentions: ["--out res", "Input/output error"])
        #expect(run.stdout.contains("\"status\""), "the JSON promised by --json is missing")
        let summary = try String(contentsOf: dir.appendingPathComponent("res/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"t_final\": 1.0"), "the old output was not kept")
        #expect(try Self.entries(dir) == ["net.json", "x0.npy", "res"], "staging folders left behind")
    }

    @Test("replacing without renameat2 (move aside, then remove) works")
    func moveAsidePath() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        for t in ["1", "2"] {
            let run = try Self.runProcess(CLI.binary.path, ["simulate", "net.json", "--t-end", t, "--out", "res"], in: dir,
                                          environment: ["HOPFIELD_FAULT_INJECTION": "no-exchange"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(try String(contentsOf: dir.appendingPathComponent("res/summary.json"), encoding: .utf8).contains("\"t_final\": 2.0"))
        #expect(try Self.entries(dir) == ["net.json", "x0.npy", "res"])
    }

    @Test("SIGINT and SIGTERM during the write remove the staging folder and keep the old output", arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", "res"], in: dir).status == 0)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["simulate", "net.json", "--t-end", "2", "--out", "res"]
        process.currentDirectoryURL = dir
        process.environment = ProcessInfo.processInfo.environment.merging(["HOPFIELD_FAULT_INJECTION": "pause-before-publish"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var staged = false
        for _ in 0 ..< 600 where !staged {  // up to 60 s for the staging folder to be complete
            staged = try Self.entries(dir).contains { name in
                name.hasPrefix(".res.partial-") && FileManager.default.fileExists(atPath: dir.path + "/" + name + "/.hopfield-output")
            }
            if !staged { usleep(100_000) }
        }
        #expect(staged)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        // Dies of the signal, or exits with 128 + signal where the signal stays blocked in the main thread.
        #expect((process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
                || (process.terminationReason == .exit && process.terminationStatus == 128 + signal))
        #expect(try Self.entries(dir) == ["net.json", "x0.npy", "res"], "staging folder left behind")
        #expect(try String(contentsOf: dir.appendingPathComponent("res/summary.json"), encoding: .utf8).contains("\"t_final\": 1.0"))
    }

    @Test("staging folders of processes that no longer run are cleaned; an old folder without a replacement is put back")
    func staleStaging() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A PID that cannot be running: above the kernel's pid_max (4 194 304 at most).
        let dead = 9_999_999
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent(".res.partial-\(dead)-1/state_000"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent(".res.partial-\(dead)"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent(".other.old-\(dead)-1"), withIntermediateDirectories: true)
        try "x".write(to: dir.appendingPathComponent(".other.old-\(dead)-1/summary.json"), atomically: true, encoding: .utf8)
        var run = try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", "res"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        run = try CLI.run(["simulate", "net.json", "--t-end", "1", "--out", "other"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.entries(dir) == ["net.json", "x0.npy", "res", "other"])
    }

    @Test("two runs writing one folder at once both succeed, and the folder is whole")
    func concurrentWriters() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        for _ in 0 ..< 8 {
            nonisolated(unsafe) var runs: [CLIRun?] = [nil, nil]
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                runs[k] = try? CLI.run(["simulate", "net.json", "--t-end", String(k + 1), "--out", "res"], in: dir)
            }
            for run in runs { #expect(run?.status == 0, "\(run?.stderr ?? "did not run")") }
            #expect(try Self.entries(dir.appendingPathComponent("res")).count == 6)
            #expect(try Self.entries(dir) == ["net.json", "x0.npy", "res"])
        }
    }

    // MARK: Messages

    @Test("negative values name their option", arguments: [
        (["simulate", "net.json", "--t-end", "-1"], ["--t-end", "-1"]),
        (["simulate", "net.json", "--saves", "-5"], ["--saves", "-5"]),
        (["simulate", "net.json", "--rtol", "-1e-3"], ["--rtol", "-0.001"]),
        (["capacity", "--blocks", "-1"], ["--blocks", "-1"]),
    ])
    func negativeValues(arguments: [String], mentions: [String]) throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(arguments, in: dir)
        Self.expectOneLine(run, status: 2, mentions: mentions)
        #expect(!run.stderr.contains("Missing value"), "\(run.stderr)")
    }

    @Test("overflowing values are refused with a message about the option")
    func overflowingValues() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        var run = try CLI.run(["simulate", "net.json", "--t-end", "1e308"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["--t-end", "--saves", "overflow"])
        run = try Self.shell("ulimit -v 4000000;", ["simulate", "net.json", "--saves", "9223372036854775807"], in: dir)
        Self.expectOneLine(run, status: 1, mentions: ["--saves", "memory"])
        run = try Self.shell("ulimit -v 4000000;", ["simulate", "net.json", "--saves", "100000000", "--json"], in: dir)
        Self.expectOneLine(run, status: 1, mentions: ["--saves", "memory"])
    }

    @Test("an I/O failure is one line naming the path and the system's reason, with the JSON under --json")
    func ioFailure() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A file-size limit of 1 block: summary.json fits, trajectory.npy does not (EFBIG).
        for limit in ["0", "1"] {
            let run = try Self.shell("trap '' XFSZ; ulimit -f \(limit);", ["simulate", "net.json", "--t-end", "1", "--saves", "200", "--out", "res", "--json"], in: dir)
            Self.expectOneLine(run, status: 1, mentions: ["--out res", "File too large"])
            #expect(!run.stderr.contains("error 512") && !run.stderr.contains("NPYError") && !run.stderr.contains(".partial-"), "\(run.stderr)")
            #expect(run.stdout.contains("\"status\": \"success\""), "no JSON on stdout")
            #expect(try Self.entries(dir) == ["net.json", "x0.npy"])
        }
        let run = try CLI.run(["simulate", "net.json", "--init", "a=missing.npy"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["missing.npy", "No such file or directory"])
    }

    @Test("control characters are escaped and long names shortened in messages")
    func hostileNames() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        var run = try CLI.run(["simulate", "net\u{1}\u{7}\nname.json"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["\\u{1}"])
        #expect(!run.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let long = String(repeating: "x", count: 100_000)
        run = try CLI.run(["simulate", long + ".json"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["characters]"])
        #expect(run.stderr.count < 2_500, "\(run.stderr.count) characters")
        run = try CLI.run(["simulate", "net.json", "--out", long + "/x"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["--out"])
        #expect(run.stderr.count < 2_500, "\(run.stderr.count) characters")
    }

    // MARK: The honest monitor

    @Test("non-finite energy or rate is a failure, never passed; JSON writes the non-finite numbers as null", arguments: [
        (#"{"format": 1, "layers": [{"name": "a", "size": 2, "lagrangian": {"type": "tanh", "beta": 1}, "tau": 1, "bias": [1, -1]}, {"name": "b", "size": 2, "lagrangian": {"type": "tanh", "beta": 1}, "tau": 1}], "synapses": [{"type": "dense", "pre": "a", "post": "b", "weights": [[1e300, -1e300], [1e300, 1e300]]}]}"#, ["--method", "tsit5"]),
        (#"{"format": 1, "layers": [{"name": "a", "size": 2, "lagrangian": {"type": "tanh", "beta": 1}, "tau": 1, "bias": [1, -1]}, {"name": "b", "size": 2, "lagrangian": {"type": "tanh", "beta": 1}, "tau": 1}], "synapses": [{"type": "dense", "pre": "a", "post": "b", "weights": [[1e300, -1e300], [1e300, 1e300]]}]}"#, ["--method", "bdf"]),
        (#"{"format": 1, "layers": [{"name": "a", "size": 2, "lagrangian": {"type": "exp", "beta": 1e300}, "tau": 1, "bias": [1, 0.5]}]}"#, []),
        (#"{"format": 1, "layers": [{"name": "a", "size": 2, "lagrangian": {"type": "exp", "beta": 1e300}, "tau": 1, "bias": [1, 0.5]}]}"#, ["--method", "tsit5"]),
    ])
    func nonFinite(network: String, flags: [String]) throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try network.write(to: dir.appendingPathComponent("hostile.json"), atomically: true, encoding: .utf8)
        let run = try CLI.run(["simulate", "hostile.json", "--json"] + flags, in: dir)
        Self.expectOneLine(run, status: 1, mentions: ["integration failed"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let status = try #require(doc["status"] as? String)
        #expect(status != "success" && status != "steady_state")
        let monitor = try #require(doc["monitor"] as? [String: Any])
        #expect(monitor["passed"] as? Bool == false)
        #expect(monitor["non_finite_at"] is Double)
        let text = try CLI.run(["simulate", "hostile.json"] + flags, in: dir)
        #expect(text.stdout.contains("NOT FINITE") && !text.stdout.contains("no increase beyond tolerance"), "\(text.stdout)")
    }

    // MARK: Bounded resources (the crash classes, under ulimit -v)

    @Test("sizes the machine cannot hold are refused before allocating: exit 1, one line, the way out", arguments: [
        (2_147_483_647, [String](), ["memory", "available"]),
        (100_000_000, [String](), ["memory", "--saves"]),
        (20_000, ["--linear-solver", "dense", "--saves", "2"], ["memory", "--linear-solver gmres"]),
        (65_536, ["--linear-solver", "dense", "--saves", "2"], ["memory", "--linear-solver gmres"]),
    ])
    func tooLarge(units: Int, flags: [String], mentions: [String]) throws {
        let dir = try Self.workspace(units: 1)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.network(units: units).write(to: dir.appendingPathComponent("big.json"), atomically: true, encoding: .utf8)
        let run = try Self.shell("ulimit -v 4000000;", ["simulate", "big.json", "--t-end", "1"] + flags, in: dir)
        Self.expectOneLine(run, status: 1, mentions: mentions)
    }

    @Test("a network read from a pipe is checked the same way, and a device is read only up to a bound")
    func pipeAndDevice() throws {
        let dir = try Self.workspace(units: 1)
        defer { try? FileManager.default.removeItem(at: dir) }
        let quoted = "'\(CLI.binary.path)' simulate <(echo '\(Self.network(units: 2_147_483_647))')"
        var run = try Self.runProcess("/bin/bash", ["-c", "ulimit -v 4000000; exec \(quoted)"], in: dir)
        Self.expectOneLine(run, status: 1, mentions: ["memory"])
        run = try CLI.run(["simulate", "/dev/zero"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["/dev/zero", "not a regular file"])
        // A device as a .npy file: its first bytes are judged (not the magic string: stop there) …
        run = try CLI.run(["simulate", "net.json", "--init", "a=/dev/zero"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["zero", "bad magic"])
        // … and a pipe that starts like one is read at most up to the bound.
        try Self.npy(shape: [10_000_000_000], values: []).write(to: dir.appendingPathComponent("header.bin"))
        let endless = "'\(CLI.binary.path)' simulate net.json --init a=<(cat header.bin /dev/zero)"
        run = try Self.runProcess("/bin/bash", ["-c", "exec \(endless)"], in: dir)
        Self.expectOneLine(run, status: 2, mentions: ["not a regular file", "256 MiB"])
        // A pipe holding a good file is read as a file.
        run = try Self.runProcess("/bin/bash", ["-c", "exec '\(CLI.binary.path)' simulate net.json --init a=<(cat x0.npy) --t-end 0.1 --json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test("analyze of a network too large for dense spectra is refused with exit 1")
    func analyzeTooLarge() throws {
        let dir = try Self.workspace(units: 1)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.network(units: 1_000_000).write(to: dir.appendingPathComponent("big.json"), atomically: true, encoding: .utf8)
        let run = try Self.shell("ulimit -v 4000000;", ["analyze", "big.json"], in: dir)
        Self.expectOneLine(run, status: 1, mentions: ["memory", "dense spectra"])
    }

    @Test("a large network runs with the automatic (GMRES) solver under a memory limit that dense would exceed")
    func automaticSolver() throws {
        let dir = try Self.workspace(units: 1)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.network(units: 20_000).write(to: dir.appendingPathComponent("big.json"), atomically: true, encoding: .utf8)
        let run = try Self.shell("ulimit -v 4000000;", ["simulate", "big.json", "--t-end", "1", "--saves", "2"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
    }
}
