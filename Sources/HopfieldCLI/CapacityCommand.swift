import ArgumentParser
import Datasets
import Foundation
import Hopfield
import HopfieldSimulation
import Retrieval

/// `hopfield capacity`: the capacity protocol of Millidge et al. (2022) on Fashion-MNIST (docs/math.md §4,
/// docs/universal-hopfield.md), single shot and, with `--continuous`, integrated to steady state.
struct CapacityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Capacity sweep of single-shot Universal Hopfield retrieval on Fashion-MNIST (and continuous time).",
        discussion: """
            For every K in --sizes and each of --blocks disjoint blocks of max(K) test images, the first K \
            images of the block are stored and corrupted copies of them are retrieved; a retrieval is correct \
            iff Σ(x − z)² ≤ 60·784/d. Writes capacity.csv, capacity.json and capacity.svg to --out.

            Separations (--separations) take a parameter after a colon: softmax:10 (β), power:5, \
            threshold:100 (radius).

            --continuous integrates a network (identity features, softmax(β) memories, similarity synapse) to \
            steady state for the same queries and reports its accuracy beside the single-shot one. Rows whose \
            trajectories did not all reach a steady state are marked (`*` in the table, `all_steady` false in \
            capacity.json): their accuracy is that of the last state, not of a steady state. See \
            docs/universal-hopfield.md.
            """)

    @Option(help: "Comma-separated similarities (dot cosine euclidean manhattan hamming kl reverse-kl js); default dot,euclidean,manhattan (dot,euclidean with --continuous).")
    var similarities: String?
    @Option(help: "Comma-separated separations, e.g. max,softmax,power:10 (default max,softmax; softmax with --continuous).")
    var separations: String?
    @OptionGroup var flags: RetrievalFlags
    @Option(help: "half-mask, noise (Gaussian, σ), mask-fraction (f) or random-mask (p).") var corruption: String = "half-mask"
    @Option(help: "The corruption's parameter: σ for noise (default 0.2), f for mask-fraction (0.5), p for random-mask (0.5).")
    var parameter: Double?
    @Option(help: "Comma-separated numbers of memories K (default 2,5,10,20,50,100,200,300,500,700,1000; 2,5,10,20,50,100 with --continuous).")
    var sizes: String?
    @Option(help: "Number of disjoint blocks (runs) of max(K) images.") var blocks: Int = 5
    @Option(help: "Seed of every random corruption.") var seed: UInt64 = 0
    @Option(name: .customLong("max-queries"), help: "At most this many queries per block (default: all K memories).")
    var maxQueries: Int?
    @Option(help: "Fashion-MNIST split: test (10 000 images) or train (60 000). Default test: the capacity tables in docs/universal-hopfield.md use held-out images, while `hopfield dataset` and the demo default to train, the images a network stores.") var split: String = "test"
    @Option(help: "Folder holding the Fashion-MNIST files.") var data: String = FashionMNIST.defaultDirectory.path
    @Flag(help: "Also integrate the corresponding network to steady state and compare its accuracy with the single shot.")
    var continuous = false
    @Option(name: .customLong("tau-memory"), help: "--continuous: time constant of the memory layer (features: 1).")
    var tauMemory: Double = 0.1
    @Option(name: .customLong("t-end"), help: "--continuous: end time if no steady state is reached first.") var tEnd: Double = 100
    @Option(help: "--continuous: CVODE relative tolerance. Looser than simulate's 1e-6: hundreds of trajectories, each judged only by the retrieval threshold.") var rtol: Double = 1e-5
    @Option(help: "--continuous: CVODE absolute tolerance.") var atol: Double = 1e-7
    @Option(name: .customLong("max-steps"), help: "--continuous: step budget per trajectory.") var maxSteps: Int = 5000
    @Option(name: .customLong("linear-solver"), help: "--continuous: dense, dense-dq or gmres. Default gmres (simulate: dense): the 784 + K unit networks here are large enough for GMRES to be much faster (docs/cli.md).")
    var linearSolver: LinearSolverName = .gmres
    @Option(help: "Output folder for capacity.csv, capacity.json and capacity.svg.") var out: String = "hopfield-capacity"
    @Flag(help: "Replace the --out folder even if hopfield did not write it.") var force = false
    @Flag(help: "Print the JSON document to stdout instead of the table.") var json = false
    @Flag(help: "No progress lines on stderr.") var quiet = false
    @Flag(help: "Under mpirun: every process says on stderr which units of the sweep it ran.") var verbose = false

    func run() throws {
        let started = Date()
        let say: (String) -> Void = { s in if !quiet && ProcessRole.reports { writeStandardError("capacity: \(s)\n") } }
        let setup = try parse()
        try checkOutputFolder()
        guard let splitValue = FashionMNIST.Split(rawValue: split.lowercased()) else {
            throw CLIError.badInput("--split \(split): expected test or train")
        }
        let directory = URL(fileURLWithPath: data)
        guard FashionMNIST.isAvailable(split: splitValue, directory: directory) else {
            throw CLIError.badInput(
                "--data \(data): Fashion-MNIST \(splitValue.rawValue) files not found (apt-get install dataset-fashion-mnist)")
        }
        let needed = blocks * (setup.sizes.max() ?? 0)
        say("loading \(needed) Fashion-MNIST \(splitValue.rawValue) images from \(data)")
        let images: ImageSet
        do { images = try FashionMNIST.load(split: splitValue, limit: needed, directory: directory) } catch {
            throw CLIError.badInput("--data \(data): \(error.description)")
        }
        let experiment: CapacityExperiment
        do {
            experiment = try CapacityExperiment(
                images: images, corruption: setup.corruption, sizes: setup.sizes, blocks: blocks, seed: seed,
                maxQueries: maxQueries, options: setup.options)
        } catch {
            throw CLIError.badInput(error.description + (images.count < needed ? " (try --split train, fewer --blocks or smaller --sizes)" : ""))
        }

        let pairs = setup.similarities.flatMap { s in setup.separations.map { (s, $0) } }
        say("\(pairs.count) (similarity, separation) pair(s) × \(counted(setup.sizes.count, "size")) × \(counted(blocks, "block")), corruption \(setup.corruption), seed \(seed)")
        var rows: [CapacityRow] = []
        // Under mpirun each rank runs its units of the sweep (one block of one cell each); rank 0 gathers
        // them and reports every cell in order (docs/distributed.md).
        let blockReport = BlockReport(command: "capacity", items: "units", enabled: verbose)
        let singleShot: [CapacityResult]?
        do {
            singleShot = try experiment.run(pairs, across: .world, progress: { result in
                rows.append(CapacityRow(mode: .singleShot, result: result))
                say("\(result.similarity) \(result.separation) K=\(result.memoryCount): \(fmt3(result.mean)) ± \(fmt3(result.standardDeviation)) [\(elapsed(started))]")
            }) { units, count, threads in blockReport.say(units, of: count, threads: threads) }
        } catch let error as RetrievalError {
            throw CLIError.badInput(error.description)
        } catch {
            throw CLIError.failed("\(error)")
        }

        var cells: [(Similarity, ContinuousCapacity.Cell)] = []
        var continuousCells: [ContinuousCapacity.Cell]? = []
        if continuous {
            var options = SimulationOptions(relativeTolerance: rtol, absoluteTolerance: atol, maxSteps: maxSteps)
            // Lockstep integrates with GMRES: a dense linear solver the user named keeps every batch independent.
            if linearSolver != .gmres { options.batchStrategy = .independent }
            let runner = ContinuousCapacity(
                experiment: experiment, endTime: tEnd, algorithm: .bdf(linearSolver: linearSolver.kind),
                options: options, memoryTau: tauMemory)
            var specs: [ContinuousCapacity.CellSpec] = []
            for similarity in setup.similarities {
                for separation in setup.separations {
                    guard case .softmax(let beta) = separation else { continue }
                    for size in setup.sizes { specs.append((similarity, beta, size)) }
                }
            }
            do {
                continuousCells = try runner.run(cells: specs, across: .world, progress: { spec, cell in
                    cells.append((spec.similarity, cell))
                    rows.append(CapacityRow(mode: .continuousReadout, result: cell.readout))
                    rows.append(CapacityRow(mode: .continuousState, result: cell.state))
                    let dg = cell.diagnostics
                    say("\(spec.similarity) \(Separation.softmax(beta: spec.beta)) K=\(spec.size) continuous: read-out \(fmt3(cell.readout.mean)), state \(fmt3(cell.state.mean)); \(dg.trajectories) trajectories, \(dg.statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")), monitor passed \(dg.monitorPassed) [\(elapsed(started))]")
                }) { units, count, threads in blockReport.say(units, of: count, threads: threads) }
            } catch let error as ContinuousCapacityError {
                if case .unsupportedSimilarity(let s) = error {
                    throw CLIError.badInput("--continuous supports the similarities dot, euclidean and manhattan, got \(s)")
                }
                throw CLIError.badInput(error.description)
            } catch {
                throw CLIError.failed("\(error)")
            }
        }
        guard singleShot != nil, continuousCells != nil else { return }  // ranks other than 0: rank 0 reports

        let report = CapacityReport(
            command: self, setup: setup, experiment: experiment, images: images, split: splitValue, rows: rows,
            cells: cells, seconds: Date().timeIntervalSince(started))
        try OutputFolder.write(to: out, force: force) { dir in
            try OutputFolder.text(report.csv(), dir.appendingPathComponent("capacity.csv"))
            try OutputFolder.text(report.document().serialized() + "\n", dir.appendingPathComponent("capacity.json"))
            try OutputFolder.text(report.svg(), dir.appendingPathComponent("capacity.svg"))
        }
        if json {
            print(report.document().serialized())
        } else {
            print(report.table())
            print("output: \(out)/ (capacity.csv, capacity.json, capacity.svg); \(String(format: "%.1f", report.seconds)) s")
        }
    }

    /// The parsed and validated flags.
    struct Setup {
        var similarities: [Similarity]
        var separations: [Separation]
        var corruption: Corruption
        var sizes: [Int]
        var options: RetrievalOptions
    }

    func parse() throws(CLIError) -> Setup {
        // Manhattan chatters at its kinks in continuous time (docs/universal-hopfield.md): opt-in only.
        let similarityNames = similarities ?? (continuous ? "dot,euclidean" : "dot,euclidean,manhattan")
        let similarities = try commaList(similarityNames, flag: "--similarities").map { (name) throws(CLIError) in
            try parseSimilarity(name, flag: "--similarities")
        }
        let separationNames = try commaList(separations ?? (continuous ? "softmax" : "max,softmax"), flag: "--separations")
        var separationList: [Separation] = []
        for item in separationNames { separationList.append(try separation(item)) }
        let options = try flags.options()

        let key = corruption.lowercased().filter { !"-_ ".contains($0) }
        let defaultParameter: Double? = switch key {
        case "noise", "gaussian", "gaussiannoise": 0.2
        case "maskfraction", "fraction": 0.5
        case "randommask", "randompixelmask": 0.5
        default: nil
        }
        let corruptionValue: Corruption
        do { corruptionValue = try Corruption(name: corruption, parameter: parameter ?? defaultParameter) } catch {
            throw .badInput("--corruption \(corruption): \(error.description)")
        }

        var sizeList = CapacityExperiment.defaultSizes
        if continuous { sizeList = [2, 5, 10, 20, 50, 100] }
        if let sizes {
            sizeList = []
            for item in try commaList(sizes, flag: "--sizes") {
                guard let k = Int(item), k >= 1 else { throw .badInput("--sizes \(sizes): \"\(item)\" is not an integer ≥ 1") }
                sizeList.append(k)
            }
        }
        guard blocks >= 1 else { throw .badInput("--blocks \(blocks): must be ≥ 1") }
        if let maxQueries, maxQueries < 1 { throw .badInput("--max-queries \(maxQueries): must be ≥ 1") }
        if continuous {
            for s in similarities where ContinuousCapacity.synapseKind(s) == nil {
                throw .badInput("--similarities \(s): --continuous supports dot, euclidean and manhattan (similarity synapses)")
            }
            for s in separationList {
                guard case .softmax = s else {
                    throw .badInput("--separations \(s): --continuous needs softmax separations (the memory layer's Lagrangian)")
                }
            }
            if options.convention != .negative || !options.normalization.isEmpty {
                throw .badInput("--continuous needs --convention negative and --normalize none (the network's energy uses s = −d)")
            }
            guard tauMemory.isFinite, tauMemory > 0 else { throw .badInput("--tau-memory \(tauMemory): must be > 0") }
        }
        return Setup(similarities: similarities, separations: separationList, corruption: corruptionValue,
                     sizes: sizeList, options: options)
    }

    /// Fails early (before the sweep) when `--out` cannot be written: no parent folder, or a file of that name.
    func checkOutputFolder() throws(CLIError) {
        try OutputFolder.check(out, force: force)
    }

    /// `name` or `name:parameter` (softmax:β, power:p, threshold:r); without a parameter the flags apply.
    func separation(_ item: String) throws(CLIError) -> Separation {
        let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return try flags.separation(item, flag: "--separations") }
        guard let value = Double(parts[1]) else {
            throw .badInput("--separations \(item): \"\(parts[1])\" is not a number")
        }
        var local = flags
        switch parts[0].lowercased() {
        case "softmax": local.beta = value
        case "power", "poly", "polynomial": local.power = value
        case "threshold", "sdm": local.radius = value
        default: throw .badInput("--separations \(item): only softmax, power and threshold take a parameter")
        }
        return try local.separation(parts[0], flag: "--separations")
    }
}

/// A number with three decimals.
func fmt3(_ x: Double) -> String { String(format: "%.3f", x) }

/// Seconds since `start`, for progress lines.
func elapsed(_ start: Date) -> String { String(format: "%.1f s", Date().timeIntervalSince(start)) }
