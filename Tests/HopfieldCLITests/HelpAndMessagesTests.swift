import Foundation
import Testing

/// What a newcomer reads: `--help` of every subcommand, and the messages that say what a number means.
@Suite("Help texts and messages")
struct HelpAndMessagesTests {
    static let subcommands = ["demo", "simulate", "energy", "analyze", "retrieve", "capacity", "dataset"]
    static let datasetInstalled = FileManager.default.fileExists(
        atPath: "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")

    static let tour = """
        {"layers": [{"name": "visible", "size": 4, "lagrangian": {"type": "tanh", "beta": 2}, "tau": 1,
                     "bias": [0.5, -0.5, 0.1, 0.1]},
                    {"name": "memory", "size": 3, "lagrangian": {"type": "softmax", "beta": 4}, "tau": 0.1}],
         "synapses": [{"type": "dense", "pre": "visible", "post": "memory",
                       "weights": [[1, -1, 1, -1], [1, 1, -1, -1], [-1, 1, 1, -1]]}]}
        """

    @Test("no help cites a file outside the repository or an issue", arguments: subcommands)
    func noOutsideReferences(_ command: String) throws {
        let run = try CLI.run([command, "--help"])
        #expect(run.status == 0)
        #expect(!run.stdout.contains("MATH" + ".md"), "\(command) --help cites a maths file outside the repository")
        #expect(!run.stdout.lowercased().contains("issue"), "\(command) --help mentions an issue")
    }

    @Test("no help paragraph is broken mid-sentence", arguments: subcommands)
    func paragraphsFlow(_ command: String) throws {
        let run = try CLI.run([command, "--help"])
        let text = run.stdout.components(separatedBy: "USAGE:")[0]
        let lines = text.components(separatedBy: "\n")
        for (k, line) in lines.enumerated() where k + 1 < lines.count {
            let next = lines[k + 1]
            // A short line followed by more text of the same paragraph is a hard break inside a sentence.
            if !line.isEmpty && line.count < 45 && !next.trimmingCharacters(in: .whitespaces).isEmpty
                && !line.hasPrefix("OVERVIEW") && !next.hasPrefix("Example") {
                Issue.record("\(command) --help breaks after \"\(line)\" (next: \"\(next)\")")
            }
        }
    }

    @Test("capacity --help names its own flag --separations for power and threshold")
    func capacityNamesSeparations() throws {
        let run = try CLI.run(["capacity", "--help"])
        #expect(run.stdout.contains("in --separations"))
    }

    @Test("defaults that differ between subcommands say why in --help")
    func defaultsExplained() throws {
        let simulate = try CLI.run(["simulate", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(simulate.contains("analyze defaults to 1e-8"))
        #expect(simulate.contains("demo and capacity default to gmres"))
        let analyze = try CLI.run(["analyze", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(analyze.contains("tighter than simulate's 1e-6"))
        let capacity = try CLI.run(["capacity", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(capacity.contains("Looser than simulate's 1e-6"))
        #expect(capacity.contains("Default gmres (simulate: dense)"))
        #expect(capacity.contains("Default test:"))
        let dataset = try CLI.run(["dataset", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(dataset.contains("capacity defaults to test"))
    }

    @Test("--until-steady that reaches t_end first says so")
    func untilSteadyEndsAtTEnd() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = dir.appendingPathComponent("tour.json")
        try Data(Self.tour.utf8).write(to: net)
        let early = try CLI.run(["simulate", net.path, "--until-steady", "--t-end", "1"])
        #expect(early.status == 0, "\(early.stderr)")
        #expect(early.stdout.contains("status success at t = 1 (t_end reached before a steady state)"), "\(early.stdout)")
        let steady = try CLI.run(["simulate", net.path, "--until-steady", "--t-end", "50"])
        #expect(steady.stdout.contains("status steady_state") && !steady.stdout.contains("t_end reached"))
    }

    @Test("capacity with one block says \"1 block\"", .enabled(if: datasetInstalled))
    func oneBlock() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["capacity", "--similarities", "dot", "--separations", "max", "--sizes", "2", "--blocks", "1",
                               "--quiet", "--out", dir.appendingPathComponent("out").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("1 block,") && !run.stdout.contains("1 blocks"), "\(run.stdout)")
    }

    @Test("capacity --continuous marks accuracies of runs that reached no steady state", .enabled(if: datasetInstalled))
    func unsteadyRowsMarked() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["capacity", "--continuous", "--similarities", "manhattan,euclidean", "--sizes", "2",
                               "--blocks", "1", "--max-steps", "40", "--quiet", "--out", dir.appendingPathComponent("out").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("* not a steady-state accuracy"), "\(run.stdout)")
        let manhattanRows = run.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("manhattan") && $0.contains("(continuous") }
        #expect(manhattanRows.count == 2 && manhattanRows.allSatisfy { $0.hasSuffix("*") }, "\(run.stdout)")
        let data = try Data(contentsOf: dir.appendingPathComponent("out/capacity.json"))
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cells = try #require((doc["continuous"] as? [String: Any])?["cells"] as? [[String: Any]])
        let manhattan = try #require(cells.first { $0["similarity"] as? String == "manhattan" })
        #expect(manhattan["all_steady"] as? Bool == false)
    }
}

extension HelpAndMessagesTests {
    @Test("hopfield --version prints the version and exits 0")
    func version() throws {
        let run = try CLI.run(["--version"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(run.stdout)")
    }
}

extension HelpAndMessagesTests {
    @Test("an image layer is printed with its shape, visible[8×8]")
    func layerShape() throws {
        let run = try CLI.run(["simulate", "examples/hierarchical_three_layer/network.json", "--t-end", "0.1"],
                              in: ExamplesTests.root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("network: visible[8×8] tanh τ=1.0, memory[12] relu τ=0.2"), "\(run.stdout)")
    }
}

extension HelpAndMessagesTests {
    @Test("the output: line lists every file written, states.svg and times.npy included")
    func outputLine() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let run = try CLI.run(["simulate", "examples/hierarchical_three_layer/network.json", "--t-end", "0.1", "--out", out],
                              in: ExamplesTests.root)
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        let line = try #require(run.stdout.components(separatedBy: "\n").first { $0.hasPrefix("output: ") })
        #expect(files.contains("states.svg") && files.contains("times.npy"))
        for file in files { #expect(line.contains(file), "\(line) does not list \(file)") }
    }
}
