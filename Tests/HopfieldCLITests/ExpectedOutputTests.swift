import Foundation
import Testing

/// Every example's expected output against a fresh run of the command that made it
/// (examples/expected_outputs.manifest, the list scripts/regenerate-expected.sh regenerates from), run in a
/// copy of examples/ so that nothing is written into the repository.
///
/// The words must match exactly; numbers to a relative 2 % (plus 1e-4 absolute, for residuals at rounding
/// level); integers below 100 exactly where they are indices (after "pattern ", "image ", "[" or ", ") and
/// to ±2 where they are small counts — so a changed default or a changed report fails here, while
/// last-digit differences between machines and BLAS builds do not.
@Suite("Examples' expected outputs")
struct ExpectedOutputTests {
    struct Step {
        var output: String
        var directory: String
        var program: String
        var arguments: [String]
        var line: Int
    }

    static let root = ExamplesTests.root
    static let datasetInstalled = FileManager.default.fileExists(
        atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")

    static func manifest() throws -> [Step] {
        let text = try String(contentsOf: root.appendingPathComponent("examples/expected_outputs.manifest"), encoding: .utf8)
        var steps: [Step] = []
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: "|", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else { throw ManifestError(line: k + 1) }
            let words = fields[2].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let program = words.first else { throw ManifestError(line: k + 1) }
            steps.append(Step(output: fields[0], directory: fields[1], program: program, arguments: Array(words.dropFirst()), line: k + 1))
        }
        return steps
    }

    struct ManifestError: Error, CustomStringConvertible {
        var line: Int
        var description: String { "examples/expected_outputs.manifest:\(line): expected OUTPUT | DIRECTORY | COMMAND" }
    }

    /// Runs an executable next to the test bundle (`hopfield` or an example).
    static func run(_ program: String, _ arguments: [String], in directory: URL) throws -> CLIRun {
        if program == "hopfield" { return try CLI.run(arguments, in: directory) }
        let process = Process()
        process.executableURL = CLI.binary.deletingLastPathComponent().appendingPathComponent(program)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRun(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }

    /// Splits text into words and numbers.
    static func tokens(_ text: String) -> [(isNumber: Bool, text: String)] {
        let pattern = try! NSRegularExpression(pattern: #"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"#)
        let ns = text as NSString
        var result: [(Bool, String)] = []
        var last = 0
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            if match.range.location > last {
                result.append((false, ns.substring(with: NSRange(location: last, length: match.range.location - last))))
            }
            result.append((true, ns.substring(with: match.range)))
            last = match.range.location + match.range.length
        }
        if last < ns.length { result.append((false, ns.substring(from: last))) }
        return result
    }

    /// The first difference between two outputs under the tolerances above, or nil.
    static func difference(_ expected: String, _ actual: String) -> String? {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        guard e.count == a.count else { return "\(e.count) lines expected, \(a.count) printed" }
        for (k, (el, al)) in zip(e, a).enumerated() {
            let et = tokens(String(el)), at = tokens(String(al))
            let same = et.count == at.count && et.indices.allSatisfy { i in
                let x = et[i], y = at[i]
                guard x.isNumber == y.isNumber else { return false }
                guard x.isNumber else { return x.text == y.text }
                guard let u = Double(x.text), let v = Double(y.text) else { return x.text == y.text }
                let isSmallInteger = !x.text.contains(where: { ".eE".contains($0) }) && abs(u) < 100
                if isSmallInteger {
                    // Indices (a pattern, an image, a unit in a list) exactly; small counts (plateau steps,
                    // Newton iterations) to ±2, since they depend on rounding near a threshold.
                    let before = i > 0 ? et[i - 1].text : ""
                    let isIndex = ["pattern ", "image ", "[", ", "].contains { before.hasSuffix($0) }
                    return isIndex ? u == v : abs(u - v) <= 2
                }
                return abs(u - v) <= 0.02 * max(abs(u), abs(v)) + 1e-4
            }
            if !same { return "line \(k + 1):\n  expected: \(el)\n  printed:  \(al)" }
        }
        return nil
    }

    @Test("every expected output in examples/ matches a fresh run of its manifest command")
    func expectedOutputs() throws {
        let steps = try Self.manifest()
        let work = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("examples"), to: work.appendingPathComponent("examples"))
        var outputs: [String: String] = [:]
        var order: [String] = []
        var skipped = Set<String>()
        for step in steps {
            let needsData = step.arguments.first == "dataset" || step.output.contains("fashion_mnist")
            if needsData && !Self.datasetInstalled {
                skipped.insert(step.output)
                continue
            }
            if step.output != "-" && outputs[step.output] == nil {
                outputs[step.output] = ""
                order.append(step.output)
            }
            let text: String
            if step.program == "echo" {
                text = step.arguments.joined(separator: " ") + "\n"
            } else {
                let run = try Self.run(step.program, step.arguments, in: work.appendingPathComponent(step.directory))
                #expect(run.status == 0, "manifest line \(step.line): exit \(run.status): \(run.stderr)")
                text = run.stdout
            }
            if step.output != "-" { outputs[step.output]! += text }
        }
        #expect(order.count + skipped.subtracting(["-"]).count >= 7, "every example has an expected output")
        for file in order {
            let expected = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            if let d = Self.difference(expected, outputs[file]!) {
                Issue.record("\(file) differs (regenerate with scripts/regenerate-expected.sh): \(d)")
            }
        }
    }

    @Test("every expected output file in examples/ is made by the manifest")
    func everyFileListed() throws {
        let listed = Set(try Self.manifest().map(\.output))
        let examples = Self.root.appendingPathComponent("examples")
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path) {
            let dir = examples.appendingPathComponent(name)
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            for file in files where file.hasPrefix("expected") {
                #expect(listed.contains("examples/\(name)/\(file)"), "examples/\(name)/\(file) is not in the manifest")
            }
        }
    }

    @Test("the tolerant comparison: words exactly, small integers exactly, other numbers to 2 %")
    func comparison() {
        #expect(Self.difference("steps 192, distance 1.3e-05", "steps 193, distance 2.1e-05") == nil)
        #expect(Self.difference("nearest stored pattern 63", "nearest stored pattern 62") != nil)
        #expect(Self.difference("1613 internal steps", "1800 internal steps") != nil)
        #expect(Self.difference("status success", "status steady_state") != nil)
        #expect(Self.difference("a\nb", "a") != nil)
        #expect(Self.difference("64 plateau steps", "63 plateau steps") == nil)
        #expect(Self.difference("dead units: fast [2, 4]", "dead units: fast [2, 5]") != nil)
    }
}
