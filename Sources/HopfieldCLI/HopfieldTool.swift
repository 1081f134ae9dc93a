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
            Exit status: 0 success, 1 the integration or analysis failed (the JSON still says why) or the run \
            could not be done with the resources at hand (memory, disk), 2 bad input.
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
        var arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAllowingNegativeValues(&arguments)
            try command.run()
        } catch let error as CLIError {
            if ProcessRole.reports { writeStandardError("hopfield: \(Message.line(error.message))\n") }
            ProcessRole.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }  // --help, `hopfield help X`: full help on stdout
            let line = Message.line(oneLineMessage(for: error, arguments: arguments))
            if ProcessRole.reports { writeStandardError("\(line)\n") }
            // Usage errors are bad input too.
            ProcessRole.exit(code == .validationFailure ? 2 : code.rawValue)
        }
        ProcessRole.exit(0)
    }
}

extension HopfieldTool {
    /// Parses the command line; a negative number after an option that takes a value (`--t-end -1`, which
    /// the parser takes for a flag) is given to that option (`--t-end=-1`), so its own check names it.
    static func parseAllowingNegativeValues(_ arguments: inout [String]) throws -> ParsableCommand {
        while true {
            do { return try parseAsRoot(arguments) } catch {
                let text = message(for: error)
                guard text.hasPrefix("Missing value for '--") else { throw error }
                let option = String(text.dropFirst("Missing value for '".count).prefix { $0 != " " && $0 != "'" })
                guard let i = arguments.firstIndex(of: option), i + 1 < arguments.count,
                      arguments[i + 1].hasPrefix("-"), Double(arguments[i + 1]) != nil
                else { throw error }
                arguments[i] = option + "=" + arguments[i + 1]
                arguments.remove(at: i + 1)
            }
        }
    }
}

/// Progress lines on stderr, shown only when stderr is a terminal (or forced).
struct Progress {
    var enabled: Bool = isatty(2) != 0 && ProcessRole.reports
    func say(_ s: String) { if enabled { writeStandardError("\(s)\n") } }
}

/// Reads a network file of either kind (a Lagrangian network or a gradient-flow model).
///
/// A Lagrangian network too large for the machine is refused before it is built (exit 1), as in
/// ``loadNetwork(_:saves:)``.
func loadModel(_ path: String, saves: Int = 2) throws(CLIError) -> ModelFile {
    let url = URL(fileURLWithPath: path)
    guard let data = try readBounded(path) else {
        do { return try NetworkFile.loadModel(contentsOf: url) } catch { throw .badInput(error.description) }
    }
    try checkNetworkSize(data, path: path, saves: saves)
    do {
        return try NetworkFile.decodeModel(data: data, baseDirectory: url.deletingLastPathComponent(), fileName: url.lastPathComponent)
    } catch {
        throw .badInput(error.description)
    }
}

/// Refuses (exit 1) a network document whose layers the machine cannot hold with `saves` saved states.
func checkNetworkSize(_ data: Data, path: String, saves: Int) throws(CLIError) {
    guard let units = NetworkFileSizes.units(in: data) else { return }
    var estimate = ResourceEstimate.network(dimension: units)
    estimate.add("saved trajectory (\(saves) saves × \(units))", doubles: [saves, units], wayOut: "fewer --saves")
    do { try estimate.check() } catch { throw .failed("\(Message.name(path)): \(error.description)") }
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
            return "lse(\(t.variable), \(t.similarity.rawValue), β=\(t.beta), K=\(model.memoryCount(ofTerm: k) ?? 0))"
        case .randomFeatures(let t):
            let y = model.featureCount(ofTerm: k) ?? 0
            return "random_features(\(t.variable), \(t.kernel.rawValue), β=\(t.beta), Y=\(y))"
        }
    }
    return variables.joined(separator: ", ") + "; E = " + terms.joined(separator: " + ")
}

/// Loads a network file; a network too large for the machine is refused before it is built (exit 1).
///
/// - Parameter saves: the saved states per trajectory, when the run saves a trajectory (for the estimate).
func loadNetwork(_ path: String, saves: Int = 2) throws(CLIError) -> Network {
    let url = URL(fileURLWithPath: path)
    // Read once (a pipe or device is read at most up to a bound), check the size, then decode the same bytes.
    guard let data = try readBounded(path) else {
        do { return try NetworkFile.load(contentsOf: url) } catch { throw .badInput(error.description) }
    }
    try checkNetworkSize(data, path: path, saves: saves)
    do {
        return try NetworkFile.decode(data: data, baseDirectory: url.deletingLastPathComponent(), fileName: url.lastPathComponent)
    } catch {
        throw .badInput(error.description)
    }
}

/// The bytes of a file: all of a regular file, at most 256 MiB of anything else (a pipe, `/dev/zero`);
/// nil when it cannot be opened (the caller reports why).
func readBounded(_ path: String, limit: Int = 1 << 28) throws(CLIError) -> Data? {
    guard !path.isEmpty, let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    var info = stat()
    guard fstat(handle.fileDescriptor, &info) == 0 else { return nil }
    if (info.st_mode & S_IFMT) == S_IFDIR { return nil }
    if (info.st_mode & S_IFMT) == S_IFREG { return try? handle.readToEnd() ?? Data() }
    var data = Data()
    while data.count <= limit {
        guard let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty else { return data }
        data += chunk
    }
    throw .badInput("\(Message.name(path)): not a regular file, and longer than \(limit >> 20) MiB")
}

/// Refuses a run the machine cannot hold (exit 1, one line with the way out).
func checkResources(_ estimate: ResourceEstimate) throws(CLIError) {
    do { try estimate.check() } catch { throw .failed(error.description) }
}

/// How many trajectories run at the same time (the active cores).
func activeCores() -> Int { ProcessInfo.processInfo.activeProcessorCount }

/// Whether a CVODE run of these options holds dense `n × n` matrices (dense solvers, the residual flow's LU).
func needsDenseMatrix(_ options: IntegrationSettings) -> Bool {
    if options.dynamics == .residual { return true }
    if options.method == .tsit5 { return false }
    if case .gmres = options.linearSolver { return false }
    return true
}

/// The `.npy` files named by `LAYER=FILE.npy` assignments.
func inputFiles(_ assignments: [String]) -> [String] {
    assignments.compactMap { a in a.firstIndex(of: "=").map { String(a[a.index(after: $0)...]) } }
}

extension CLIError {
    /// A setup error thrown by the simulation library: an allocation that failed is a resource failure
    /// (exit 1, with the way out), anything else bad input (exit 2).
    static func fromRun(_ error: Error) -> CLIError {
        let text = "\(error)"
        if text.contains("allocation failed") || text.contains("could not allocate") || text.contains("out of memory") {
            return .failed("out of memory: \(text); the machine cannot hold this run: use --linear-solver gmres, fewer --saves or a smaller batch")
        }
        return .badInput(text)
    }
}

/// The unit count of a network file, read cheaply (JSON only, no arrays built) so that an absurd size is
/// refused before the decoder allocates it; nil when the file cannot be read or is not a format-1 network
/// (the decoder then reports the problem).
enum NetworkFileSizes {
    /// The unit count of a network document (the sum of its layers' `size` or `shape` products, saturating).
    static func units(in data: Data) -> Int? {
        guard data.count < 1 << 26,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let layers = object["layers"] as? [[String: Any]]
        else { return nil }
        var total = 0
        for layer in layers {
            var size: Int?
            if let n = layer["size"] as? NSNumber { size = exactInt(n) }
            if size == nil, let shape = layer["shape"] as? [NSNumber] {
                var product = 1
                for d in shape {
                    guard let v = exactInt(d), v > 0 else { return nil }
                    product = ResourceEstimate.saturatingProduct(product, v)
                }
                size = product
            }
            guard let s = size, s > 0 else { return nil }
            total = ResourceEstimate.saturatingSum(total, s)
        }
        return total
    }

    private static func exactInt(_ n: NSNumber) -> Int? {
        let d = n.doubleValue
        guard d.isFinite, d >= 1, d < 9.2e18, d == d.rounded() else { return nil }
        return Int(d)
    }
}

import Hopfield
import HopfieldIO
import HopfieldSimulation
