import ArgumentParser
import Foundation
import HopfieldBench
import HopfieldSimulation

/// `hopfield bench`: the Swift side of the benchmark tasks T1–T4 (docs/performance.md).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the Swift side of benchmark tasks T1–T4 and print a table.",
        discussion: """
            T1: one query, N = 64, K = 50 (random ±1 memories, β = 2, τ_h = 0.1, t = 20, rtol 1e-6): BDF with dense \
            and GMRES linear solvers, and Tsit5.
            T2: B = 256 half-masked Fashion-MNIST queries, N = 784, K = 1000, β = 0.2, rtol 1e-6, to steady state: \
            Tsit5 (batched), BDF lockstep and BDF independent.
            T3: scaling in K (100 … 10 000, B = 16) and B (1 … 1024, K = 1000) with --method: vector-field and \
            integration time, fitted exponents.
            T4: vector-field GFLOP/s against OpenBLAS dgemm on the same shapes, measured in the same run.
            Progress goes to stderr, the table to stdout. Peers are run by Benchmarks/run-peers.sh.
            """)

    @Flag(help: "A short run: smaller batches and sweeps, fewer repeats.") var quick = false
    @Option(help: "Comma-separated subset of T1,T2,T3,T4.") var tasks: String = "T1,T2,T3,T4"
    @Option(help: "Cores to use (default: all active cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "No progress lines on stderr.") var quiet = false
    @Option(help: "The method of the T3 sweep: tsit5 (explicit, batched) or bdf (BDF + GMRES, the strategy rule). T1 and T2 run both.")
    var method: SimulationMethod = .tsit5

    func validate() throws {
        let known: Set = ["T1", "T2", "T3", "T4"]
        for t in taskList where !known.contains(t) {
            throw ValidationError("--tasks: unknown task \(t) (valid: T1, T2, T3, T4)")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be ≥ 1, got \(threads)") }
    }

    var taskList: [String] { tasks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        let progress = Progress(enabled: !quiet)
        progress.say("hopfield bench\(quick ? " --quick" : ""): \(ProcessInfo.processInfo.activeProcessorCount) cores, \(threads) used")
        var suite = BenchSuite(quick: quick, threads: threads, method: method) { progress.say($0) }
        let table: BenchTable
        do { table = try suite.run(tasks: Set(taskList)) } catch { throw CLIError(error) }
        print(table.rendered())
    }
}
