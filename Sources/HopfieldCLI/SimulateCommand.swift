import ArgumentParser
import Distributed
import Foundation
import Hopfield
import HopfieldIO
import HopfieldSimulation

extension SimulationMethod: ExpressibleByArgument {}
extension Dynamics: ExpressibleByArgument {}

/// The linear solver names on the command line.
enum LinearSolverName: String, ExpressibleByArgument, CaseIterable {
    case dense, denseDQ = "dense-dq", gmres
    var kind: LinearSolverKind {
        switch self {
        case .dense: .dense
        case .denseDQ: .denseDifferenceQuotient
        case .gmres: .gmres()
        }
    }
}

/// Integration flags shared by `simulate` and the commands built on it.
struct IntegrationFlags: ParsableArguments {
    @Option(name: .customLong("t-end"), help: "End of the time span [0, t-end]. With --until-steady a run that reaches t-end first ends `success`, not `steady_state` (the text output says so).") var tEnd: Double = 10
    @Option(help: "Number of equally spaced saved states (≥ 2).") var saves: Int = 101
    @Option(help: "Relative tolerance. (analyze defaults to 1e-8, since it polishes a fixed point to 1e-10; capacity --continuous to 1e-5, for many trajectories judged only by a retrieval threshold.)") var rtol: Double = 1e-6
    @Option(help: "Absolute tolerance.") var atol: Double = 1e-8
    @Option(help: "auto (default: tsit5, moving stiff trajectories to BDF + GMRES, starting stiff networks on it, and with --until-steady a safeguarded Newton finish; docs/performance-auto.md), bdf (stiff; CVODE), adams (CVODE) or tsit5 (explicit Runge–Kutta 5(4) on the batched kernels; non-stiff networks, no linear solver).") var method: SimulationMethod = .auto
    @Option(name: .customLong("linear-solver"), help: "dense (analytic Jacobian), dense-dq (difference quotients) or gmres (matrix-free, analytic Jacobian–vector products). Default: dense up to \(automaticDenseLimit) units, gmres above (measured in docs/cli.md, \"Resources\"); demo and capacity default to gmres, much faster on their 884-unit networks — except that a batch in lockstep runs GMRES. A solver you name is what runs: dense or dense-dq keep a batch independent, and are refused with --batch-strategy lockstep or --method tsit5.")
    var linearSolver: LinearSolverName?
    @Flag(name: .customLong("until-steady"), help: "Stop when ‖ẋ‖ ≤ atol + rtol‖x‖ (weighted RMS): status steady_state. If t-end comes first the status is success and the text says \"t_end reached before a steady state\": raise --t-end.") var untilSteady = false
    @Option(name: .customLong("max-steps"), help: "Maximum number of internal steps.") var maxSteps: Int = 100_000
    @Option(help: "gradient (the network's flow, monitored through E) or residual (ẋ = (I − CH)⁻¹τ⁻¹r, monitored through V = ‖r‖²; one dense LU per step).")
    var dynamics: Dynamics = .gradient
    @Option(name: .customLong("batch-strategy"), help: "For a batch: automatic (lockstep when B ≥ 4 and the weights have ≥ 16384 entries), lockstep (one CVODE over the batch, GMRES) or independent (one CVODE per trajectory).")
    var batchStrategy: BatchStrategy = .automatic

    /// Values that parse but cannot run (each message names its flag), and save times that overflow (`t-end · (saves − 1)` must be finite).
    func validate() throws {
        func bad(_ flag: String, _ rule: String, _ value: String) -> ValidationError {
            ValidationError("\(flag): must be \(rule), got \(value)")
        }
        guard tEnd.isFinite, tEnd > 0 else { throw bad("--t-end", "a finite number > 0", fmt(tEnd)) }
        guard saves >= 2 else { throw bad("--saves", "at least 2", String(saves)) }
        guard rtol.isFinite, rtol > 0, rtol < 1 else { throw bad("--rtol", "in (0, 1)", fmt(rtol)) }
        guard atol.isFinite, atol > 0 else { throw bad("--atol", "a finite number > 0", fmt(atol)) }
        guard maxSteps >= 1 else { throw bad("--max-steps", "at least 1", String(maxSteps)) }
        if tEnd.isFinite, tEnd > 0, saves >= 2, !(tEnd * Double(saves - 1)).isFinite {
            throw ValidationError("--t-end \(tEnd): too large for --saves \(saves) (the save times t-end·k/(saves − 1) overflow); t-end must be ≤ \(fmt(Double.greatestFiniteMagnitude / Double(saves - 1)))")
        }
    }

    /// The settings of a run on a network of `dimension` units (the automatic linear solver follows it).
    func options(dimension: Int) -> IntegrationSettings {
        var o = IntegrationSettings(
            endTime: tEnd, saveCount: saves, relativeTolerance: rtol, absoluteTolerance: atol, method: method,
            linearSolver: linearSolver?.kind ?? automaticLinearSolver(dimension: dimension), untilSteady: untilSteady,
            maxSteps: maxSteps)
        o.dynamics = dynamics
        o.linearSolverIsExplicit = linearSolver != nil
        return o
    }
}

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Integrate a network file with CVODE and check its energy at every step.")

    @Argument(help: "The network file (JSON, format 1 or 2; format 2 may hold a gradient-flow model).") var network: String
    @Option(name: .customLong("init"), help: "Initial state of a layer: LAYER=FILE.npy (1-D, or 2-D [B, size] for a batch). Others start at 0.")
    var inits: [String] = []
    @OptionGroup var integration: IntegrationFlags
    @Option(help: "Write summary.json, times.npy, trajectory.npy, energy.csv, energy.svg (and states.svg) to this folder.")
    var out: String?
    @Flag(help: "Replace the --out folder even if hopfield did not write it.") var force = false
    @Flag(help: "Print one JSON document to stdout.") var json = false
    @Option(help: "Under mpirun: queries (the default: each process integrates its block of the batch) or memories (each process holds its block of the memories of the lse and random_features terms — its files of a shard list, or its rows of one .npy file — and every evaluation joins the blocks; the state is the same on every process). Without mpirun both change nothing. docs/distributed.md.")
    var distribute: Distribution = .queries

    func run() throws {
        let inputs = [network] + inputFiles(inits)
        if let out { try OutputFolder.check(out, force: force, inputs: inputs) }
        if distribute == .memories, Communicator.world.size > 1 {
            let world = Communicator.world
            switch try ShardedMemories.load(network, over: world) {
            case .gradient(let model):
                return try runGradient(model, threads: world.threadsPerProcess(ProcessInfo.processInfo.activeProcessorCount))
            case .lagrangian(let file):
                return try runSplit(file, over: world)
            }
        }
        let net: Network
        switch try loadModel(network, saves: integration.saves) {
        case .lagrangian(let n): net = n
        case .gradient(let model): return try runGradient(model)
        }
        let options = integration.options(dimension: net.dimension)
        let initial = try InitialStates.load(inits, network: net, flag: "--init")
        try checkResources(.simulation(
            dimension: net.dimension, batch: initial.states.count, saves: options.saveCount,
            dense: needsDenseMatrix(options), concurrent: activeCores()))
        let progress = Progress()
        let count = initial.states.count
        if count > 1 { progress.say("simulating \(count) trajectories…") }
        let gathered: SimulationSolution?
        let heartbeat = Heartbeat("simulate")
        defer { heartbeat.stop() }
        do {
            // Under mpirun each rank integrates its block of the batch; rank 0 receives all (docs/distributed.md).
            gathered = try options.solve(
                net, from: initial.states, isBatch: initial.isBatch, strategy: integration.batchStrategy,
                across: .world) { done in
                if count > 1 && (done % max(1, count / 20) == 0 || done == count) { progress.say("  \(done)/\(count) done") }
            }
        } catch { throw CLIError.fromRun(error) }
        guard let solution = gathered else { return }  // ranks other than 0: rank 0 reports
        try report(net, solution, batch: initial.isBatch, inputs: inputs)
    }

    /// Rank 0's output of a network's run: `--out`, then the JSON document or the text summary; exit
    /// status 1 if a trajectory failed. `found`: the nearest patterns of a split network, whose report
    /// network (`net`) holds its layers but no synapses; `synapses`: how many the file has.
    private func report(
        _ net: Network, _ solution: SimulationSolution, batch: Bool, inputs: [String],
        found: PatternReport.Found? = nil, synapses: Int? = nil
    ) throws {
        let results = solution.trajectories
        let document = SimulationReport.document(network: net, results: results, batch: batch, found: found)
        if let out {
            try OutputFolder.write(to: out, force: force, inputs: inputs, document: json ? document : nil) { dir in
                try SimulationOutput.write(network: net, solution: solution, summary: document, to: dir, found: found)
            }
        }
        if json {
            print(document.serialized())
        } else {
            printSummary(net, results, out: out, found: found, synapses: synapses ?? net.synapses.count)
        }
        if let bad = results.first(where: { !$0.status.isSuccess }) {
            throw CLIError.failed("integration failed: \(bad.status)")
        }
    }

    /// `--distribute memories` of a Lagrangian network under mpirun: the memory layer split over the
    /// processes, each holding its rows of the weights (docs/distributed.md). Every process runs this;
    /// rank 0 prints and writes what one process would for the whole network.
    private func runSplit(_ file: ShardedLagrangianFile, over world: Communicator) throws {
        let split: SplitMemoryNetwork, shell: Network
        do {
            (split, shell) = try file.splitNetwork(fileName: Message.name(network), reduction: CommunicatorReduction(world))
        } catch {
            throw CLIError.badInput("\(error.description) (use --distribute queries)")
        }
        let features = shell.layers[0]
        let initial = try InitialStates.load(inits, network: shell, flag: "--init")
        let options = integration.options(dimension: shell.dimension)
        // Per node: the split solve gives each of the node's processes its share.
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let progress = Progress()
        let count = initial.states.count
        if count > 1 { progress.say("simulating \(count) trajectories…") }
        let heartbeat = Heartbeat("simulate")
        defer { heartbeat.stop() }
        let gathered: SimulationSolution?
        do {
            gathered = try options.solve(
                split: split, from: initial.states, isBatch: initial.isBatch, threads: threads, across: world) { done in
                if count > 1 && (done % max(1, count / 20) == 0 || done == count) { progress.say("  \(done)/\(count) done") }
            }
        } catch { throw CLIError.fromRun(error) }
        // The nearest stored pattern of each final feature state, searched by every process in its rows.
        let finals = gathered?.trajectories.map { $0.final[features.name]! } ?? []
        let matches = split.nearestStoredPatterns(to: finals, count: count)
        guard let solution = gathered else { return }  // ranks other than 0: rank 0 reports
        let found = PatternReport.Found(
            layer: 0, label: "synapses[\(file.splitSynapse)] (\(file.pre) → \(file.post))", matches: matches)
        try report(shell, solution, batch: initial.isBatch, inputs: [network] + inputFiles(inits), found: found, synapses: 1)
    }

    /// `simulate` for a gradient-flow model: the same integration, outputs and exit statuses.
    ///
    /// A distributed model (`--distribute memories` under mpirun) runs the same integration on every
    /// process, each evaluation joining the processes' memory blocks; rank 0 prints and writes.
    private func runGradient(_ model: GradientModel, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let options = integration.options(dimension: model.dimension)
        let initial = try InitialStates.load(inits, model: model, flag: "--init")
        let progress = Progress()
        let count = initial.states.count
        if count > 1 { progress.say("simulating \(count) trajectories…") }
        let solution: SimulationSolution
        do {
            solution = try options.solve(
                model, from: initial.states, isBatch: initial.isBatch, strategy: integration.batchStrategy,
                threads: threads) { done in
                if count > 1 && (done % max(1, count / 20) == 0 || done == count) { progress.say("  \(done)/\(count) done") }
            }
        } catch { throw CLIError.fromRun(error) }
        let results = solution.trajectories
        let document = SimulationReport.document(variables: model.variables, results: results, batch: initial.isBatch)
        if let out {
            try OutputFolder.write(to: out, force: force, inputs: [network] + inputFiles(inits), document: json ? document : nil) { dir in
                try SimulationOutput.write(model: model, solution: solution, summary: document, to: dir)
            }
        }
        if json {
            print(document.serialized())
        } else {
            print("gradient-flow model: \(describe(model))")
            for (b, r) in results.enumerated() {
                let prefix = results.count > 1 ? "[\(b)] " : ""
                let m = r.monitor
                print("\(prefix)status \(r.status) at t = \(fmt(r.finalTime)); energy \(fmt(r.energyInitial)) → \(fmt(r.energyFinal))")
                print("\(prefix)monitor: \(m.steps) steps, max increase \(fmt(m.maxEnergyIncrease)), violations \(m.violations), max dE/dt \(fmt(m.maxRate)) — \(m.passed ? "no increase beyond tolerance" : "ENERGY INCREASED")")
            }
            if let out { print("output: \(out)/ (summary.json, times.npy, trajectory.npy, energy.csv, energy.svg)") }
        }
        if let bad = results.first(where: { !$0.status.isSuccess }) {
            throw CLIError.failed("integration failed: \(bad.status)")
        }
    }

    private func printSummary(
        _ net: Network, _ results: [TrajectorySolution], out: String?, found: PatternReport.Found?, synapses: Int
    ) {
        let layerList = net.layers.map(layerLabel).joined(separator: ", ")
        print("network: \(layerList); \(synapses) synapse(s)")
        for (b, r) in results.enumerated() {
            let prefix = results.count > 1 ? "[\(b)] " : ""
            let m = r.monitor
            let early = integration.untilSteady && r.status == .success ? " (t_end reached before a steady state)" : ""
            print("\(prefix)status \(r.status) at t = \(fmt(r.finalTime))\(early); energy \(fmt(r.energyInitial)) → \(fmt(r.energyFinal))")
            if let found { print("\(prefix)\(found.line(net, b))") }
            for a in PatternReport.patternLayers(net) {
                if let nearest = PatternReport.nearest(net, layer: a, state: r.final[net.layers[a].name]!) {
                    print("\(prefix)\(PatternReport.line(net, layer: a, nearest))")
                }
            }
            if r.dynamics == .residual {
                print("\(prefix)monitor (V = ‖r‖², residual flow): \(fmt(r.lyapunovTrace.first?.energy ?? .nan)) → \(fmt(r.lyapunovTrace.last?.energy ?? .nan)), \(m.steps) steps, max increase \(fmt(m.maxEnergyIncrease)), violations \(m.violations), max dV/dt \(fmt(m.maxRate)) — \(verdict(m, increased: "V INCREASED"))")
            } else {
                print("\(prefix)monitor: \(m.steps) steps, max increase \(fmt(m.maxEnergyIncrease)), violations \(m.violations), max dE/dt \(fmt(m.maxRate)) — \(verdict(m, increased: "ENERGY INCREASED"))")
            }
            if results.count == 1 {
                let s = r.statistics.solverStatistics
                print("solver: \(s.steps) steps, \(s.rhsEvaluations) rhs evals, \(s.jacobianEvaluations) Jacobians, \(s.nonlinearIterations) Newton iterations, \(s.errorTestFailures) error-test failures")
                if let line = methodLine(r) { print(line) }
            }
        }
        if let out { print("output: \(out)/ (\(outputListing(out, order: simulationFiles)))") }
    }
}

func fmt(_ x: Double) -> String { String(format: "%.6g", x) }

/// The monitor's verdict in the text summary: passed, increased, or not judged (non-finite values).
func verdict(_ m: EnergyMonitorReport, increased: String) -> String {
    if let t = m.firstNonFiniteTime { return "NOT FINITE (NaN or infinity from t = \(fmt(t)))" }
    return m.passed ? "no increase beyond tolerance" : increased
}

/// Which method ran which part of a trajectory, and whether a Newton finish polished its final state:
/// `method: tsit5 on [0, 2.5]; Newton finish at t = 2.5 (polished)`.
func methodLine(_ r: TrajectorySolution) -> String? {
    guard !r.segments.isEmpty else { return nil }
    var line = "method: " + r.segments.map { "\($0.method.rawValue) on [\(fmt($0.startTime)), \(fmt($0.endTime))]" }
        .joined(separator: " → ")
    if r.polished, let t = r.handoffTime { line += "; Newton finish at t = \(fmt(t)) (polished)" }
    return line
}
