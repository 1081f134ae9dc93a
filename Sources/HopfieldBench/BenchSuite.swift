import Foundation
import Hopfield
import HopfieldSimulation

/// The Swift side of the benchmark tasks T1–T4 (docs/performance.md), run in one process so that every
/// ratio compares numbers measured in the same run.
///
/// ```
/// T1  one query, N = 64, K = 50 (random ±1 memories, β = 2, τ_h = 0.1, t = 20): BDF + dense, BDF + GMRES, Tsit5
/// T2  B = 256 half-masked Fashion-MNIST queries, N = 784, K = 1000, β = 0.2, to steady state:
///     Tsit5 (batched), BDF lockstep, BDF independent
/// T3  scaling in K (100 … 10 000, B = 16) and B (1 … 1024, K = 1000): fitted exponents
/// T4  vector-field GFLOP/s against OpenBLAS dgemm on the same shapes
/// ```
public struct BenchSuite {
    /// The task names, in the order they are listed.
    public static let taskNames = ["T1", "T2", "T3", "T4"]

    /// A short run: smaller batches and sweeps, fewer repeats.
    public var quick: Bool
    /// Cores the batched integrations may use.
    public var threads: Int
    /// The method of the T3 sweep (T1 and T2 run both kinds).
    public var method: SimulationMethod
    /// Receives one progress line at a time.
    public var progress: @Sendable (String) -> Void
    /// The measurements so far.
    var table = BenchTable()

    /// Creates a suite.
    ///
    /// - Parameters:
    ///   - quick: A short run.
    ///   - threads: Cores to use (≥ 1).
    ///   - method: The method of the T3 sweep.
    ///   - progress: Receives progress lines (default: none).
    public init(quick: Bool, threads: Int, method: SimulationMethod, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.quick = quick
        self.threads = threads
        self.method = method
        self.progress = progress
    }

    /// Runs the tasks named in `tasks` (T1, T2, T4, then T3) and returns the table.
    ///
    /// - Parameter wanted: A subset of ``taskNames``.
    /// - Returns: One row per measurement, then notes.
    /// - Throws: ``BenchError`` when an integration fails.
    public mutating func run(tasks wanted: Set<String>) throws(BenchError) -> BenchTable {
        table = BenchTable()
        let seconds = quick ? 0.2 : 1.0
        do {
            if wanted.contains("T1") { try t1(seconds) }
            let needsImages = wanted.contains("T2") || wanted.contains("T3") || wanted.contains("T4")
            let largestK = wanted.contains("T3") ? (quick ? 1000 : 10_000) : 1000
            let images: (pixels: [Double], real: Bool) = needsImages ? BenchWorkloads.fashionImages(largestK) : ([], false)
            if needsImages {
                progress(images.real ? "Fashion-MNIST: \(largestK) training images" : "Fashion-MNIST not installed: smooth random images instead")
            }
            if wanted.contains("T2") { try t2(images.pixels) }
            if wanted.contains("T4") { try t4(images.pixels, seconds) }
            if wanted.contains("T3") { try t3(images.pixels, seconds) }
        } catch let error as BenchError {
            throw error
        } catch {
            throw .failed("\(error)")
        }
        table.notes.append(blasCoreNote())
        return table
    }

    mutating func t1(_ seconds: Double) throws {
        progress("T1: one query, N = 64, K = 50")
        let (network, query) = try BenchWorkloads.t1()
        for (name, method, solver) in [
            ("BDF+dense", SimulationMethod.bdf, LinearSolverKind.dense), ("BDF+gmres", .bdf, .gmres()), ("Tsit5", .tsit5, .dense),
        ] {
            let options = BenchSettings(endTime: 20, saveCount: 2, method: method, linearSolver: solver)
            var result: TrajectorySolution? = nil
            let best = try BenchTiming.best(minimumRuns: 5, minimumSeconds: seconds * 2) {
                do throws(SimulationError) { result = try options.run(network, from: [query], isBatch: false)[0] } catch {
                    throw BenchError.failed("T1: \(error.description)")
                }
            }
            guard let result else { continue }
            table.add(
                "T1", "N=64 K=50 B=1, \(name)", "single", perQuery: best,
                note: "E_final \(fmt(result.energyFinal)), \(result.statistics.steps) steps, monitor \(result.monitor.passed ? "ok" : "VIOLATED")")
            progress("  \(name): \(fmt(best * 1e3)) ms")
        }
    }

    mutating func t2(_ images: [Double]) throws {
        let b = quick ? 32 : 256
        progress("T2: B = \(b), N = 784, K = 1000, to steady state")
        let (network, queries) = try BenchWorkloads.fashion(images: images, memories: 1000, queries: b)
        let options = BenchSettings(
            endTime: 100, saveCount: 2, relativeTolerance: 1e-6, absoluteTolerance: 1e-8, linearSolver: .gmres(),
            untilSteady: true)
        let chosen = BatchStrategy.automatic.resolved(trajectories: b, model: network, dynamics: .gradient)
        var finals: [String: [[Double]]] = [:]
        for (label, method, strategy) in [
            ("tsit5", SimulationMethod.tsit5, BatchStrategy.automatic), ("lockstep", .bdf, .lockstep), ("independent", .bdf, .independent),
        ] {
            progress("  \(label)…")
            var runOptions = options
            runOptions.method = method
            let start = BenchTiming.now()
            let results: [TrajectorySolution]
            let say = progress
            do {
                results = try runOptions.run(network, from: queries, strategy: strategy, threads: threads) { done in
                    if done % max(1, b / 8) == 0 { say("    \(done)/\(b)") }
                }.trajectories
            } catch { throw BenchError.failed("T2: \(error.description)") }
            let elapsed = BenchTiming.now() - start
            finals[label] = results.map(\.finalState)
            let violations = results.reduce(0) { $0 + $1.monitor.violations }
            let steps = results.map(\.statistics.steps)
            let stepNote = strategy == .lockstep ? "\(steps[0]) shared steps" : "\(steps.min() ?? 0)–\(steps.max() ?? 0) steps"
            let workload = method == .tsit5 ? "Tsit5 (batched)" : "BDF+GMRES"
            table.add(
                "T2", "N=784 K=1000 B=\(b), \(workload), steady",
                method == .tsit5 ? "explicit" : strategy.rawValue + (strategy == chosen ? " (auto)" : ""),
                perQuery: elapsed / Double(b),
                note: "\(stepNote), monitor violations \(violations), total \(fmt(elapsed)) s")
            progress("  \(label): \(fmt(elapsed)) s, \(fmt(elapsed / Double(b) * 1e3)) ms per query")
        }
        for other in ["lockstep", "independent"] {
            guard let a = finals["tsit5"], let c = finals[other] else { continue }
            var worst = 0.0
            for q in a.indices { for i in a[q].indices { worst = max(worst, abs(a[q][i] - c[q][i])) } }
            table.notes.append("T2: largest |Tsit5 − BDF \(other)| over all final states: \(fmt(worst))")
        }
    }

    mutating func t4(_ images: [Double], _ seconds: Double) throws {
        progress("T4: vector field vs dgemm at B = 256, N = 784, K = 1000")
        let (network, queries) = try BenchWorkloads.fashion(images: images, memories: 1000, queries: 256)
        let t = BenchKernels.time(network, states: queries, minimumSeconds: seconds)
        let gflops = t.flops / t.vectorField / 1e9
        let gemmGflops = t.flops / t.gemm / 1e9
        table.add(
            "T4", "vector field B=256 N=784 K=1000", "batched", perQuery: t.vectorField / 256,
            note: "\(fmt(gflops)) GFLOP/s = \(percent(gflops / gemmGflops)) of dgemm (\(fmt(gemmGflops)) GFLOP/s)")
        table.add(
            "T4", "Jacobian–vector product, same shapes", "batched", perQuery: t.jacobianVectorProduct / 256,
            note: "\(fmt(t.flops / t.jacobianVectorProduct / 1e9)) GFLOP/s")
        table.add(
            "T4", "energies, same shapes", "batched", perQuery: t.energies / 256,
            note: "\(fmt(t.flops / 2 / t.energies / 1e9)) GFLOP/s (one GEMM)")
        progress("  vector field \(fmt(gflops)) GFLOP/s, dgemm \(fmt(gemmGflops)) GFLOP/s")
    }

    mutating func t3(_ images: [Double], _ seconds: Double) throws {
        let ks = quick ? [100, 300, 1000] : [100, 300, 1000, 3000, 10_000]
        let bs = quick ? [1, 4, 16, 64] : [1, 4, 16, 64, 256, 1024]
        let options = BenchSettings(
            endTime: 100, saveCount: 2, relativeTolerance: 1e-6, absoluteTolerance: 1e-8, method: method,
            linearSolver: .gmres(), untilSteady: true)
        func measure(k: Int, b: Int) throws -> (kernel: Double, integration: Double, strategy: BatchStrategy) {
            let (network, queries) = try BenchWorkloads.fashion(images: images, memories: k, queries: b)
            let kernel = BenchKernels.time(network, states: queries, minimumSeconds: seconds / 4).vectorField
            let strategy = BatchStrategy.automatic.resolved(trajectories: b, model: network, dynamics: .gradient)
            let start = BenchTiming.now()
            do { _ = try options.run(network, from: queries, strategy: strategy, threads: threads) } catch {
                throw BenchError.failed("T3: \(error.description)")
            }
            let integration = BenchTiming.now() - start
            progress("  K = \(k), B = \(b): vector field \(fmt(kernel * 1e3)) ms, integration \(fmt(integration)) s (\(strategy.rawValue))")
            table.add(
                "T3", "K=\(k) B=\(b), \(method.rawValue)", method == .tsit5 ? "explicit" : strategy.rawValue,
                perQuery: integration / Double(b),
                note: "vector field \(fmt(kernel * 1e3)) ms per call, integration \(fmt(integration)) s")
            return (kernel, integration, strategy)
        }
        progress("T3: K sweep at B = 16")
        var kernelK: [Double] = [], integrationK: [Double] = []
        for k in ks {
            let m = try measure(k: k, b: 16)
            kernelK.append(m.kernel)
            integrationK.append(m.integration)
        }
        progress("T3: B sweep at K = 1000")
        var kernelB: [Double] = [], integrationB: [Double] = []
        for b in bs {
            let m = b == 16 && ks.contains(1000)
                ? (kernelK[ks.firstIndex(of: 1000)!], integrationK[ks.firstIndex(of: 1000)!], BatchStrategy.automatic)
                : try measure(k: 1000, b: b)
            kernelB.append(m.0)
            integrationB.append(m.1)
        }
        let xk = ks.map(Double.init), xb = bs.map(Double.init)
        table.notes.append(
            "T3: fitted exponents (time ∝ xᵖ): vector field p_K = \(fmt(BenchTiming.exponent(xk, kernelK))), p_B = \(fmt(BenchTiming.exponent(xb, kernelB))); "
                + "integration p_K = \(fmt(BenchTiming.exponent(xk, integrationK))), p_B = \(fmt(BenchTiming.exponent(xb, integrationB)))")
        let largeB = Array(zip(xb, integrationB).filter { $0.0 >= 16 })
        if largeB.count >= 2 {
            table.notes.append(
                "T3: integration p_B over B ≥ 16: \(fmt(BenchTiming.exponent(largeB.map(\.0), largeB.map(\.1))))")
        }
    }

    private func percent(_ x: Double) -> String { String(format: "%.0f %%", 100 * x) }
}
