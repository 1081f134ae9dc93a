import ArgumentParser
import Foundation
import Hopfield
import HopfieldIO
import HopfieldAnalysis
import Distributed

/// `hopfield analyze`: fixed points, spectra, dead neurons and flat regions (docs/analysis.md).
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find a fixed point and analyse it: spectra, stability, dead neurons, flat regions, basin.",
        discussion: """
            Integrates each initial state to steady state (CVODE) and polishes it with KINSOL Newton until the \
            scaled residual ‖r‖∞/max(1, ‖x‖∞) ≤ 1e-10 (or polishes the given state directly with \
            --no-integrate), then reports the dead units and the flat directions (kernel of H), the spectrum of \
            the Jacobian against the range operator, the stability, the recovery x* = b + C g*, and samples the \
            flat region to check that it lies in the basin. A network with Euclidean or Manhattan synapses has \
            no constant coupling matrix C: only the stability (from J and the energy Hessian) is reported, the \
            rest is marked not applicable.

            Exit status: 0 analysed, 1 a fixed point was not found (the JSON still says why), 2 bad input. \
            See docs/analysis.md.
            """)

    @Argument(help: "The network file (JSON, format 1 or 2; for a gradient-flow model: fixed points, ∇²E spectrum and stability on the free units).") var network: String
    @Option(name: .customLong("init"), help: "Initial state of a layer: LAYER=FILE.npy (1-D, or 2-D [B, size] for a batch). Others start at 0.")
    var inits: [String] = []
    @Flag(name: .customLong("no-integrate"), help: "Polish the initial state directly with Newton (reaches unstable fixed points).")
    var noIntegrate = false
    @Option(name: .customLong("t-end"), help: "End of the integration (default 1000 · max τ; it stops once steady).")
    var tEnd: Double?
    @Option(help: "Relative tolerance of the integration (tighter than simulate's 1e-6: the integrated state is compared with the Newton-polished fixed point).") var rtol: Double = 1e-8
    @Option(help: "Absolute tolerance of the integration.") var atol: Double = 1e-10
    @Option(help: "Target of the scaled residual ‖r‖∞ / max(1, ‖x‖∞).") var tolerance: Double = 1e-10
    @Option(help: "Number of states sampled in the flat region for the basin check (0 skips it).") var samples: Int = 8
    @Option(help: "Seed of the basin samples.") var seed: UInt64 = 1
    @Option(help: "α of V_α = E + (α/2)‖r‖² (default: the largest admissible α).") var alpha: Double?
    @Option(help: "Write report.json, the spectra (.npy), trajectory.csv, jacobian_spectrum.svg (not for similarity synapses) and lyapunov.svg to this folder; a batch gets one folder per state, state_000, state_001, ….")
    var out: String?
    @Flag(help: "Replace the --out folder even if hopfield did not write it.") var force = false
    @Flag(help: "Print one JSON document to stdout.") var json = false
    @Option(help: "Under mpirun: memories (each process holds its block of the memories of a gradient-flow model's lse and random_features terms, and every evaluation joins the blocks) or queries (the default: a Lagrangian network's batch of states is split over the processes; a gradient-flow model's batch is analysed whole by every process; rank 0 prints). Without mpirun both change nothing. docs/distributed.md.")
    var distribute: Distribution = .queries
    @Flag(help: "Under mpirun: every process says on stderr which block of the states it analysed.") var verbose = false

    func options() throws(CLIError) -> SteadyStateOptions {
        var o = SteadyStateOptions()
        o.fixedPoint.integrate = !noIntegrate
        o.fixedPoint.endTime = tEnd
        o.fixedPoint.relativeTolerance = rtol
        o.fixedPoint.absoluteTolerance = atol
        o.fixedPoint.residualTolerance = tolerance
        o.fixedPoint.alpha = alpha
        o.basin.samples = samples
        o.basin.seed = seed
        o.checkBasin = samples > 0
        do {
            try o.fixedPoint.validate()
            try o.basin.validate()
        } catch {
            throw .badInput(error.description)
        }
        return o
    }

    func run() throws {
        let inputs = [network] + inputFiles(inits)
        if let out { try OutputFolder.check(out, force: force, inputs: inputs) }
        if let model = try ShardedMemories.gradientModel(network, distribute, command: "analyze") {
            return try runGradient(model)
        }
        let net: Network
        switch try loadModel(network) {
        case .lagrangian(let n): net = n
        case .gradient(let model): return try runGradient(model)
        }
        let options = try options()
        let initial = try InitialStates.load(inits, network: net, flag: "--init")
        try checkResources(.steadyStateAnalysis(dimension: net.dimension, states: initial.states.count))
        let progress = Progress()
        let heartbeat = Heartbeat("analyze")
        defer { heartbeat.stop() }
        let count = initial.states.count
        let gathered: [SteadyStateReport]?
        do {
            // Under mpirun each rank analyses its block of the states; rank 0 receives all (docs/distributed.md).
            gathered = try analyzeSteadyStates(
                net, from: initial.states, options: options, across: .world,
                progress: { b in if count > 1 { progress.say("analysing state \(b + 1)/\(count)…") } }
            ) { block, threads in
                BlockReport(command: "analyze", items: "states", enabled: verbose).say(block, of: count, threads: threads)
            }
        } catch let error as AnalysisError {
            switch error {
            case .invalidState, .invalidOptions: throw CLIError.badInput(error.description)
            case .solverSetup, .linearAlgebra: throw CLIError.failed(CLIError.fromRun(error).message)
            }
        } catch {
            throw CLIError.failed("\(error)")
        }
        guard let reports = gathered else { return }  // ranks other than 0: rank 0 reports
        let document = initial.isBatch
            ? AnalyzeReport.batchDocument(network: net, reports: reports)
            : AnalyzeReport.document(network: net, report: reports[0])
        if let out {
            try OutputFolder.write(to: out, force: force, inputs: inputs, document: json ? document : nil) { dir in
                try AnalyzeOutput.write(network: net, reports: reports, batch: initial.isBatch, document: document, to: dir)
            }
        }
        if json {
            print(document.serialized())
        } else {
            printSummary(net, reports, batch: initial.isBatch)
            if let out {
                let spectrum = reports.contains { $0.stability != nil } ? ", jacobian_spectrum.svg" : ""
                print("output: \(out)/ (report.json, spectra .npy, trajectory.csv\(spectrum), lyapunov.svg)")
            }
        }
        if let bad = reports.firstIndex(where: { !$0.isConverged }) {
            throw CLIError.failed("no fixed point found\(reports.count > 1 ? " for state \(bad)" : ""): \(reports[bad].fixedPoint.status)")
        }
    }

    /// `analyze` for a gradient-flow model: fixed point, spectrum of ∇²E on the free units, stability; the
    /// Lagrangian-network analyses (dead units, flat regions, claims (i)–(iii), basin) do not apply.
    private func runGradient(_ model: GradientModel) throws {
        let initial = try InitialStates.load(inits, model: model, flag: "--init")
        let progress = Progress()
        let count = initial.states.count
        let gathered: [GradientSteadyStateReport]?
        do {
            // Under mpirun each rank analyses its block of the states (unless the model's memories are
            // split over the ranks); rank 0 receives all (docs/distributed.md).
            gathered = try analyzeGradientSteadyStates(
                model, from: initial.states, endTime: noIntegrate ? 1e-9 : tEnd, relativeTolerance: rtol,
                absoluteTolerance: atol, tolerance: tolerance, across: .world,
                progress: { b in if count > 1 { progress.say("analysing state \(b + 1)/\(count)…") } }
            ) { block, threads in
                BlockReport(command: "analyze", items: "states", enabled: verbose).say(block, of: count, threads: threads)
            }
        } catch let error as SimulationError {
            throw CLIError.badInput(error.description)
        } catch let error as RankFailure {
            throw CLIError(exitCode: error.exitCode, message: error.message)
        } catch {
            throw CLIError.failed("\(error)")
        }
        guard let reports = gathered, ProcessRole.reports else { return }  // rank 0 reports
        func one(_ r: GradientSteadyStateReport) -> JSON {
            .object([
                ("status", .string(r.converged ? "fixed_point" : "not_converged")),
                ("integration_status", .string(r.integrationStatus.description)),
                ("t_final", .number(r.time)),
                ("newton_iterations", .int(r.newtonIterations)),
                ("gradient_norm", .number(r.gradientNorm)),
                ("energy", .number(r.energy)),
                ("free_units", .int(r.freeUnits)),
                ("hessian_eigenvalues", .numbers(r.hessianEigenvalues)),
                ("stable", .bool(r.isStable)),
                ("final_state", .object(model.variables.map { ($0.name, JSON.numbers(r.state[$0.range])) })),
                ("lagrangian_claims", .string("not applicable: a gradient-flow model has no Lagrangian layers (dead units, flat regions and claims (i)–(iii) are about them)")),
            ])
        }
        let document: JSON = initial.isBatch
            ? .object([("batch", .int(reports.count)), ("reports", .array(reports.map(one)))]) : one(reports[0])
        if let out {
            try OutputFolder.write(to: out, force: force, inputs: [network] + inputFiles(inits), document: json ? document : nil) { dir in
                try AnalyzeOutput.write(model: model, reports: reports, batch: initial.isBatch, document: document, to: dir)
            }
        }
        if json {
            print(document.serialized())
        } else {
            print("gradient-flow model: \(describe(model))")
            for (b, r) in reports.enumerated() {
                let p = reports.count > 1 ? "[\(b)] " : ""
                print("\(p)fixed point: \(r.converged ? "converged" : "NOT converged"), max |∂E/∂x| on free units \(fmt(r.gradientNorm)), energy \(fmt(r.energy)), \(r.newtonIterations) Newton iterations after integrating to t = \(fmt(r.time)) (\(r.integrationStatus))")
                let lo = r.hessianEigenvalues.first ?? .nan, hi = r.hessianEigenvalues.last ?? .nan
                print("\(p)∇²E on the \(r.freeUnits) free units: eigenvalues in [\(fmt(lo)), \(fmt(hi))] — \(r.isStable ? "positive definite: asymptotically stable" : "not positive definite: not asymptotically stable")")
            }
            print("Lagrangian-network claims (dead units, flat regions, (i)–(iii)): not applicable to a gradient-flow model")
        }
        if let bad = reports.firstIndex(where: { !$0.converged }) {
            throw CLIError.failed("no fixed point found\(reports.count > 1 ? " for state \(bad)" : ""): max |∂E/∂x| \(fmt(reports[bad].gradientNorm))")
        }
    }

    private func printLyapunov(_ p: String, _ t: LyapunovTrace) {
        let bound = t.alphaMax.isNaN ? "α_max not applicable: no constant C" : "α_max \(fmt(t.alphaMax))\(t.alphaIsGlobal ? "" : ", along this trajectory")"
        print("\(p)Lyapunov: α = \(fmt(t.alpha)) (\(bound)); \(t.steps) steps, max ΔV \(fmt(t.maxLyapunovIncrease)), \(t.plateauSteps.count) plateau steps of E, \(t.plateauStepsStrictlyDecreasing) with V_α and ‖r‖ strictly decreasing")
    }

    private func printSummary(_ net: Network, _ reports: [SteadyStateReport], batch: Bool) {
        let layerList = net.layers.map(layerLabel).joined(separator: ", ")
        print("network: \(layerList); \(net.synapses.count) synapse(s)")
        for (b, r) in reports.enumerated() {
            let p = reports.count > 1 ? "[\(b)] " : ""
            let fp = r.fixedPoint
            print("\(p)fixed point: \(fp.status), scaled residual \(fmt(fp.residual)), energy \(fmt(fp.energy)), \(fp.newtonIterations) Newton iterations")
            if let reason = r.lagrangianClaimsNotApplicable, let g = r.jacobianStability {
                let hessian = g.energyHessianUndefined.map { "energy Hessian not defined: \($0)" }
                    ?? "min λ(∇²E on range) \(g.energyHessianRangeMinEigenvalue.map(fmt) ?? "–")"
                print("\(p)stability: \(g.stability.rawValue) (max Re λ(J) \(fmt(g.maxRealEigenvalue)); \(hessian))")
                print("\(p)dead units, flat region, recovery and range stability (claims i–iii): not applicable — \(reason)")
            }
            guard let flat = r.flatDirections, let s = r.stability, let rec = r.recovery else {
                if let t = fp.trajectory { printLyapunov(p, t) }
                continue
            }
            let dead = net.layers.indices.filter { !flat.deadUnits[$0].isEmpty }
                .map { "\(net.layers[$0].name) \(flat.deadUnits[$0])" }.joined(separator: ", ")
            print("\(p)dead units: \(dead.isEmpty ? "none" : dead); flat dimension \(flat.dimension) (\(flat.deadCount) dead, \(flat.collectiveDirections.count) collective, \(flat.numericalDirections) numerical); rank H \(flat.hessianRank)")
            print("\(p)stability in the range of H (claim ii): \(s.stability.rawValue) (max Re λ(J) \(fmt(s.maxRealEigenvalue)); range-spectrum mismatch \(fmt(s.mismatch)); min λ(∇²E on range) \(s.energyHessianRangeMinEigenvalue.map(fmt) ?? "–"))")
            print("\(p)fixed point recovered from the activations, x* = b + C g* (claim i): ‖b + C g* − x_integrated‖∞ = \(fmt(rec.error)); dead inputs (b + C g*)_dead < 0: \(rec.deadInputsNegative)\(rec.maxDeadInput.map { " (max \(fmt($0)))" } ?? "")")
            if let basin = r.basin {
                let rate = basin.decayRate.map { "decay rate \(fmt($0)) vs 1/τ = \(fmt(basin.expectedRate ?? .nan))" } ?? "no flat direction"
                print("\(p)flat region in the basin (claim iii): \(basin.converged)/\(basin.samples) samples of the flat region converged; \(rate)")
            }
            if let t = fp.trajectory { printLyapunov(p, t) }
        }
        if batch {
            let distinct = distinctFixedPoints(reports)
            print("distinct fixed points: \(distinct.count)")
            for (k, d) in distinct.enumerated() {
                print("  #\(k): energy \(fmt(d.energy)), \(d.stability?.rawValue ?? "not analysed"), reached from states \(d.members)")
            }
        }
    }
}
