import ArgumentParser
import Foundation
import HopfieldSimulation

/// The `hopfield` command: simulate, analyse and benchmark associative-memory networks.
@main
struct HopfieldTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hopfield",
        abstract: "Continuous-time associative-memory networks, integrated by SUNDIALS CVODE with an energy monitor.",
        discussion: """
            Exit status: 0 success, 1 the integration or analysis failed (the JSON still says why), 2 bad input.
            Documentation: docs/cli.md and docs/network-file.md in the repository.
            """,
        version: hopfieldVersion,
        subcommands: [
            DemoCommand.self, SimulateCommand.self, EnergyCommand.self, AnalyzeCommand.self, RetrieveCommand.self,
            CapacityCommand.self, DrDAMCommand.self, MemoriesCommand.self, DatasetCommand.self, BenchCommand.self, BenchTaskCommand.self,
        ])

    /// Runs the command; every error becomes one line on stderr and exit status 2 (bad input) or 1 (failure).
    /// Under an MPI launcher only rank 0 prints (``ProcessRole``).
    static func main() {
        ensureBestBLASCore()
        ProcessRole.silenceOtherRanks()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            if ProcessRole.reports { FileHandle.standardError.write(Data("hopfield: \(error.message)\n".utf8)) }
            ProcessRole.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }  // --help, `hopfield help X`: full help on stdout
            let line = oneLineMessage(for: error, arguments: Array(CommandLine.arguments.dropFirst()))
            if ProcessRole.reports { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
            // Usage errors are bad input too.
            ProcessRole.exit(code == .validationFailure ? 2 : code.rawValue)
        }
        ProcessRole.exit(0)
    }
}

/// Progress lines on stderr, shown only when stderr is a terminal (or forced).
struct Progress {
    var enabled: Bool = isatty(2) != 0 && ProcessRole.reports
    func say(_ s: String) { if enabled { FileHandle.standardError.write(Data("\(s)\n".utf8)) } }
}

/// Reads a network file of either kind (a Lagrangian network or a gradient-flow model).
func loadModel(_ path: String) throws(CLIError) -> ModelFile {
    do { return try NetworkFile.loadModel(contentsOf: URL(fileURLWithPath: path)) } catch {
        throw .badInput(error.description)
    }
}

/// One line describing a gradient-flow model: variables (τ, clamped units) and terms.
func describe(_ model: GradientModel) -> String {
    let variables = model.gradientVariables.map { v in
        "\(v.name)\(v.shape) τ=\(v.tau)" + (v.clamp.contains(true) ? " (\(v.clamp.filter { $0 }.count) clamped)" : "")
    }
    let terms = model.terms.enumerated().map { k, term -> String in
        switch term {
        case .quadratic(let t): return "quadratic(\(t.variable))"
        case .lse(let t):
            return "lse(\(t.variable), \(t.similarity.rawValue), β=\(t.beta), K=\(t.memories.count / max(1, model.variable(named: t.variable)?.size ?? 1)))"
        case .randomFeatures(let t):
            let y = model.featureMatrix(ofTerm: k)?.features ?? 0
            return "random_features(\(t.variable), \(t.kernel.rawValue), β=\(t.beta), Y=\(y))"
        }
    }
    return variables.joined(separator: ", ") + "; E = " + terms.joined(separator: " + ")
}

func loadNetwork(_ path: String) throws(CLIError) -> Network {
    do { return try NetworkFile.load(contentsOf: URL(fileURLWithPath: path)) } catch {
        throw .badInput(error.description)
    }
}

import Hopfield
import HopfieldIO
