import Foundation
import Testing

/// Numbers the documentation states about the command line, against the command line itself.
@Suite("Docs against the CLI")
struct DocsConsistencyTests {
    static let root = ExamplesTests.root
    static let datasetInstalled = FileManager.default.fileExists(
        atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")

    /// The `--help` defaults of a subcommand: flag → value.
    static func helpDefaults(_ command: String) throws -> [String: Double] {
        let help = try CLI.run([command, "--help"]).stdout
        // An option's help runs from "  --flag <value>" to the next option; its default is "(default: X)".
        var result: [String: Double] = [:]
        let options = help.components(separatedBy: "\n  --").dropFirst()
        for option in options {
            let flag = "--" + (option.split(separator: " ").first.map(String.init) ?? "")
            let flat = option.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if let range = flat.range(of: #"\(default: [^)]*\)"#, options: .regularExpression) {
                let value = flat[range].dropFirst("(default: ".count).dropLast()
                if let number = Double(value) { result[flag] = number }
            }
        }
        return result
    }

    /// The `[--flag NUMBER]` pairs of a command's synopsis in docs/cli.md.
    static func synopsisDefaults(_ command: String) throws -> [String: Double] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("    hopfield \(command) ") }) else { return [:] }
        var block = lines[start]
        var k = start + 1
        while k < lines.count, lines[k].hasPrefix("                  ") {
            block += " " + lines[k]
            k += 1
        }
        var result: [String: Double] = [:]
        let pattern = try NSRegularExpression(pattern: #"\[(--[a-z-]+) ([-+0-9.e]+)\]"#)
        let ns = block as NSString
        for m in pattern.matches(in: block, range: NSRange(location: 0, length: ns.length)) {
            if let v = Double(ns.substring(with: m.range(at: 2))) { result[ns.substring(with: m.range(at: 1))] = v }
        }
        return result
    }

    @Test("docs/cli.md's synopses give the defaults --help gives", arguments: ["demo", "simulate"])
    func synopsisDefaults(_ command: String) throws {
        let documented = try Self.synopsisDefaults(command)
        let actual = try Self.helpDefaults(command)
        #expect(!documented.isEmpty)
        for (flag, value) in documented {
            #expect(actual[flag] == value, "docs/cli.md: hopfield \(command) \(flag) \(value), --help: \(String(describing: actual[flag]))")
        }
    }

    @Test("the README's demo caption counts the demo's monitored steps", .enabled(if: datasetInstalled))
    func demoCaption() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["demo", "--out", dir.appendingPathComponent("demo").path])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stdout.components(separatedBy: "\n").first { $0.hasPrefix("energy monitor: ") })
        let steps = try #require(Int(line.dropFirst("energy monitor: ".count).prefix { $0.isNumber }))
        #expect(run.stdout.contains("retrieved 8 of 8 correctly"))
        // The README writes thousands with a thin gap: 1 800.
        let formatted = steps >= 1000 ? "\(steps / 1000) \(String(format: "%03d", steps % 1000))" : "\(steps)"
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("\(formatted) in all"), "the demo monitored \(steps) steps")
        // summary.json says which image each query reached and whether it was right.
        let data = try Data(contentsOf: dir.appendingPathComponent("demo/summary.json"))
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let queries = try #require(summary["queries"] as? [[String: Any]])
        #expect(queries.count == 8)
        for q in queries {
            #expect(q["right"] as? Bool == true && q["reached"] as? Int == q["image"] as? Int, "\(q)")
        }
    }

    @Test("the README tour's output is what its command prints (words exactly, numbers to 2 %)")
    func readmeTour() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        // Step 2's JSON block is tour.json; step 3's command and its output block follow.
        let step2 = try #require(readme.range(of: "**2. Write a network file**"))
        let jsonStart = try #require(readme.range(of: "```json\n", range: step2.upperBound ..< readme.endIndex))
        let jsonEnd = try #require(readme.range(of: "```", range: jsonStart.upperBound ..< readme.endIndex))
        let step3 = try #require(readme.range(of: "**3. Simulate it**", range: jsonEnd.upperBound ..< readme.endIndex))
        let outStart = try #require(readme.range(of: "```\n", range: step3.upperBound ..< readme.endIndex))
        let outEnd = try #require(readme.range(of: "```", range: outStart.upperBound ..< readme.endIndex))
        let command = "hopfield simulate tour.json --until-steady --t-end 50 --out tour-out"
        #expect(readme[step3.upperBound ..< outStart.lowerBound].contains(command))
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try String(readme[jsonStart.upperBound ..< jsonEnd.lowerBound]).write(
            to: dir.appendingPathComponent("tour.json"), atomically: true, encoding: .utf8)
        let run = try CLI.run(Array(command.split(separator: " ").dropFirst().map(String.init)), in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let expected = String(readme[outStart.upperBound ..< outEnd.lowerBound])
        let difference = ExpectedOutputTests.difference(expected, run.stdout)
        #expect(difference == nil, "\(difference ?? "")")
    }
}
