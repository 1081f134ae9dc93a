import Foundation
import Testing

/// Usage errors caught by the argument parser (unknown flag, bad enum or number, missing argument or value,
/// a failed `validate()`): exit status 2, one stderr line naming the subcommand and the flag, nothing on
/// stdout and nothing written; `--help` still prints the full help.
@Suite("Usage errors")
struct UsageErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var kind: String
        var arguments: [String]
        /// Words the one line must contain besides the `hopfield <subcommand>:` prefix.
        var mentions: [String]
        var testDescription: String { "\(kind): hopfield \(arguments.joined(separator: " "))" }

        /// The prefix of the line: `hopfield simulate:`, or `hopfield:` for an unknown subcommand.
        var prefix: String { kind == "unknown subcommand" ? "hopfield: " : "hopfield \(arguments[0]): " }
    }

    static let cases: [Case] = [
        Case(kind: "bad enum value", arguments: ["simulate", "net.json", "--method", "rk4", "--out", "result"],
             mentions: ["--method", "rk4", "bdf", "adams"]),
        Case(kind: "non-numeric value", arguments: ["simulate", "net.json", "--rtol", "abc", "--out", "result"],
             mentions: ["--rtol", "abc"]),
        Case(kind: "fraction for an integer", arguments: ["simulate", "net.json", "--saves", "1.5", "--out", "result"],
             mentions: ["--saves", "1.5"]),
        Case(kind: "unknown flag", arguments: ["simulate", "net.json", "--frobnicate", "--out", "result"],
             mentions: ["--frobnicate"]),
        Case(kind: "missing argument", arguments: ["simulate", "--out", "result"], mentions: ["<network>"]),
        Case(kind: "missing value", arguments: ["simulate", "net.json", "--out", "result", "--rtol"],
             mentions: ["--rtol"]),
        Case(kind: "extra argument", arguments: ["simulate", "net.json", "other.json", "--out", "result"],
             mentions: ["other.json"]),
        Case(kind: "non-numeric value", arguments: ["analyze", "net.json", "--samples", "many", "--out", "result"],
             mentions: ["--samples", "many"]),
        Case(kind: "missing argument", arguments: ["analyze", "--json"], mentions: ["<network>"]),
        Case(kind: "missing option", arguments: ["retrieve", "--queries", "q.npy", "--output", "z.npy"],
             mentions: ["--memories"]),
        Case(kind: "non-numeric value", arguments: ["retrieve", "--beta", "hot", "--output", "z.npy"],
             mentions: ["--beta", "hot"]),
        Case(kind: "non-numeric value", arguments: ["capacity", "--blocks", "x", "--out", "result"],
             mentions: ["--blocks", "x"]),
        Case(kind: "unknown flag", arguments: ["capacity", "--colour", "red", "--out", "result"],
             mentions: ["--colour"]),
        Case(kind: "failed validation", arguments: ["bench", "--threads", "0"], mentions: ["--threads", "0"]),
        Case(kind: "non-numeric value", arguments: ["bench", "--threads", "two"], mentions: ["--threads", "two"]),
        Case(kind: "failed validation", arguments: ["bench-task", "folder", "--repeats", "0"],
             mentions: ["--repeats", "0"]),
        Case(kind: "missing argument", arguments: ["energy", "--json"], mentions: ["<network>"]),
        Case(kind: "missing value", arguments: ["energy", "net.json", "--state"], mentions: ["--state"]),
        Case(kind: "non-numeric value", arguments: ["demo", "--beta", "x", "--out", "result"],
             mentions: ["--beta"]),
        Case(kind: "unknown subcommand", arguments: ["frobnicate", "net.json"], mentions: ["frobnicate"]),
    ]

    @Test("usage errors give exit 2, one stderr line naming subcommand and flag, empty stdout", arguments: cases)
    func usageError(c: Case) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(c.arguments, in: dir)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.isEmpty, "\(run.stdout)")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines.last == "", "not one line: \(run.stderr)")  // one line and its newline
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix(c.prefix), "\(line)")
        #expect(line.count > c.prefix.count + 5, "\(line)")
        for word in c.mentions { #expect(line.contains(word), "'\(word)' not in \(line)") }
        #expect(!line.contains("Usage") && !line.contains("USAGE"), "\(line)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "something was written")
    }

    @Test("--help and `help X` still print the full help on stdout with exit 0", arguments: [
        (["simulate", "--help"], "hopfield simulate"), (["help", "simulate"], "hopfield simulate"),
        (["analyze", "--help"], "hopfield analyze"), (["help", "capacity"], "hopfield capacity"),
        (["--help"], "hopfield <subcommand>"), ([], "hopfield <subcommand>"),
    ])
    func help(arguments: [String], usage: String) throws {
        let run = try CLI.run(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").count > 10, "\(run.stdout)")
        #expect(run.stdout.contains("USAGE: \(usage)"), "\(run.stdout)")
        #expect(run.stdout.contains("OPTIONS:"), "\(run.stdout)")
    }
}
