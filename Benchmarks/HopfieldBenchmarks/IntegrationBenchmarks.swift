import Benchmark
import Hopfield
import HopfieldSimulation

/// Whole integrations: T1 (one query, N = 64, K = 50, t = 20) with BDF and Tsit5, and a short
/// T2-shaped batch (B = 16, N = 784, K = 1000, t = 1) with Tsit5, BDF lockstep and BDF independent.
/// One iteration is one solve.
func integrationBenchmarks() {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .instructions, .mallocCountTotal], warmupIterations: 1,
        maxDuration: .seconds(5), maxIterations: 50)

    let t1 = workload(n: 64, k: 50, b: 1, beta: 2)
    for (name, method, solver) in [
        ("BDF+dense", SimulationMethod.bdf, LinearSolverKind.dense), ("BDF+gmres", .bdf, .gmres()), ("Tsit5", .tsit5, .dense),
    ] {
        let problem = SimulationProblem(
            model: t1.network, flatInitialStates: [t1.states[0]], isBatch: false, endTime: 20, saveCount: 2)
        let algorithm = SimulationAlgorithm(method: method, linearSolver: solver)
        Benchmark("integrate T1 N=64 K=50 B=1 \(name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try solve(problem, algorithm)[0].energyFinal)
            }
        }
    }

    let t2 = workload(n: 784, k: 1000, b: 16, beta: 0.2, fashion: true)
    let problem = SimulationProblem(model: t2.network, flatInitialStates: t2.states, isBatch: true, endTime: 1, saveCount: 2)
    for (name, method, strategy) in [
        ("tsit5", SimulationMethod.tsit5, BatchStrategy.automatic), ("BDF lockstep", .bdf, .lockstep),
        ("BDF independent", .bdf, .independent),
    ] {
        let algorithm = SimulationAlgorithm(method: method, linearSolver: .gmres())
        let options = SimulationOptions(batchStrategy: strategy)
        Benchmark("integrate N=784 K=1000 B=16 t=1 \(name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try solve(problem, algorithm, options: options).count)
            }
        }
    }
}
