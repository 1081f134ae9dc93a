import ArgumentParser
import Foundation
import HopfieldBench
import HopfieldIO
import HopfieldSimulation

extension BatchStrategy: ExpressibleByArgument {}

/// `hopfield bench-task DIR --json`: integrates a peer-benchmark task folder and reports the time.
struct BenchTaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-task",
        abstract: "Integrate a benchmark task folder (network.json, queries.npy, task.json) and time it.",
        discussion: """
            The folder is what Benchmarks/peers/tasks.py writes. Runs every query with --method (BDF + GMRES with the \
            batch strategy's rule by default, override with --batch-strategy; or tsit5, the explicit pair on the \
            batched kernels), stopping at steady state when task.json says until_steady. Reports the best of \
            --repeats timed runs (in-process wall clock, excluding loading).
            """)

    @Argument(help: "The task folder.") var folder: String
    @Option(help: "bdf (CVODE BDF + GMRES), adams (CVODE Adams + GMRES), tsit5 (explicit, batched) or auto (hopfield simulate's default).")
    var method: SimulationMethod = .bdf
    @Option(name: .customLong("batch-strategy"), help: "automatic, lockstep or independent (CVODE methods).")
    var batchStrategy: BatchStrategy = .automatic
    @Option(help: "Timed runs; the best is reported (stops early after --budget seconds).") var repeats: Int = 3
    @Option(help: "Stop repeating once this many seconds were spent.") var budget: Double = 10
    @Flag(help: "Print one JSON document to stdout.") var json = false
    @Option(help: "Cores to use (default: all active cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1, got \(repeats)") }
        guard threads >= 1 else { throw ValidationError("--threads must be ≥ 1, got \(threads)") }
        guard budget.isFinite, budget >= 0 else { throw ValidationError("--budget must be ≥ 0, got \(budget)") }
    }

    func run() throws {
        let task: BenchTask
        do { task = try BenchTask.load(folder: folder) } catch { throw CLIError(error) }
        let options = task.options(method: method)
        let progress = Progress()
        let count = task.initialStates.count
        let strategy = batchStrategy.resolved(trajectories: count, model: task.network, dynamics: .gradient)
        let label =
            method == .tsit5 ? "tsit5 (explicit, batched)"
            : method == .auto ? "auto (tsit5 batched, BDF + GMRES when stiff, Newton finish)"
            : "\(method.rawValue) + GMRES, strategy \(strategy.rawValue)"
        let best: (seconds: Double, results: [TrajectorySolution])
        do {
            // Announced once the task's settings have passed solve's checks (a bad task.json gives one line).
            best = try task.timed(
                options: options, strategy: strategy, threads: threads, repeats: repeats, budget: budget,
                started: { progress.say("bench-task \(task.name): B = \(count), n = \(task.network.dimension), \(label)") }
            ) { progress.say($0) }
        } catch { throw CLIError(error) }
        let results = best.results
        let document = JSON.object([
            ("task", .string(task.name)),
            ("B", .int(count)),
            ("total_seconds", .number(best.seconds)),
            ("seconds_per_query", .number(best.seconds / Double(max(count, 1)))),
            ("strategy", .string(method == .tsit5 || method == .auto ? "explicit" : strategy.rawValue)),
            ("linear_solver", .string(method == .tsit5 ? "none" : "gmres")),
            ("method", .string(method.rawValue)),
            ("threads", .int(threads)),
            ("until_steady", .bool(task.untilSteady)),
            ("stopped_at_steady_state", .bool(results.allSatisfy { $0.status == .steadyState })),
            ("status", .array(results.map { .string($0.status.description) })),
            ("t_final", .numbers(results.map(\.finalTime))),
            ("final_energies", .numbers(results.map(\.energyFinal))),
            ("stats", .array(results.prefix(strategy == .lockstep && method != .tsit5 && method != .auto ? 1 : results.count).map { r in
                let s = r.statistics.solverStatistics
                return .object([
                    ("steps", .int(s.steps)), ("rhs_evals", .int(s.rhsEvaluations)),
                    ("linear_iterations", .int(s.linearIterations)), ("nonlinear_iterations", .int(s.nonlinearIterations)),
                    ("error_test_failures", .int(s.errorTestFailures)),
                    ("nonlinear_convergence_failures", .int(s.nonlinearConvergenceFailures)),
                ])
            })),
            ("monitor_violations", .int(results.reduce(0) { $0 + $1.monitor.violations })),
            ("polished", .int(results.filter(\.polished).count)),
            ("refused_handoffs", .int(results.reduce(0) { $0 + $1.refusedHandoffs.count })),
            ("switched", .int(results.filter { $0.segments.count > 1 }.count)),
            ("segments", .array(results.map { SimulationReport.segmentsJSON($0.segments) })),
            ("final_states", .array(results.map { .numbers($0.finalState) })),
        ])
        if json {
            print(document.serialized(indent: nil))
        } else {
            print("\(task.name): \(count) queries, \(fmt(best.seconds)) s (\(fmt(best.seconds / Double(max(count, 1)) * 1e3)) ms per query), \(label)")
        }
        if let bad = results.first(where: { !$0.status.isSuccess }) {
            throw CLIError.failed("integration failed: \(bad.status)")
        }
    }
}
