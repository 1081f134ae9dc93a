import Foundation
import Hopfield
import HopfieldSimulation
import TestSupport
import Testing

/// `solve` of a model whose memories are split over processes (every evaluation collective): every
/// strategy runs the evaluations from one thread in the same order on every process, and the result
/// equals the one-process model's (docs/distributed.md).
@Suite("solve: memory terms split over processes")
struct DistributedModelSolveTests {
    static let d = 5

    /// Quadratic + lse (7 memories) + seeded sincos features from the same memories, on one variable.
    static func terms(_ memories: [Double]) -> [GradientTerm] {
        [.quadratic(QuadraticTerm(variable: "x")),
         .lse(LogSumExpTerm(variable: "x", beta: 2, memories: memories)),
         .randomFeatures(RandomFeatureTerm(
            variable: "x", kernel: .sincos, beta: 1, projection: .seeded(features: 23, seed: 4), store: .memories(memories)))]
    }

    static let algorithms: [(SimulationAlgorithm, BatchStrategy)] = [
        (.auto, .automatic), (.tsit5, .automatic), (.bdf(linearSolver: .dense), .independent),
        (.bdf(linearSolver: .gmres()), .lockstep),
    ]

    @Test("auto, tsit5, BDF independent (dense Jacobians) and lockstep with 3 threads: R = 2, 3 equal one process, every rank the same bits",
          arguments: 0 ..< 4)
    func strategies(_ index: Int) throws {
        let (algorithm, strategy) = Self.algorithms[index]
        var rng = SplitMix64(seed: 21)
        let xi = rng.vector(7 * Self.d, -1 ... 1)
        let variables = [GradientVariable(name: "x", shape: [Self.d], tau: 0.5)]
        let plain = try GradientModel(variables: variables, terms: Self.terms(xi))
        // Eight states: enough for the plain model to split the batch over threads.
        let states = (0 ..< 8).map { _ in rng.vector(Self.d, -0.8 ... 0.8) }
        let options = SimulationOptions(threads: 3, batchStrategy: strategy)
        @Sendable func run(_ model: GradientModel) throws -> [[Double]] {
            let problem = SimulationProblem(
                model: model, flatInitialStates: states, isBatch: true, endTime: 20, saveCount: 3, stopAtSteadyState: true)
            return try solve(problem, algorithm, options: options).trajectories.map(\.finalState)
        }
        let expected = try run(plain)
        for processes in [2, 3] {
            let ranks = try ThreadGroupReduction.run(processes) { rank, reduction in
                let k = 7, base = k / processes, extra = k % processes
                let start = rank * base + min(rank, extra), count = base + (rank < extra ? 1 : 0)
                let block = Array(xi[start * Self.d ..< (start + count) * Self.d])
                let model = try GradientModel.memoryBlock(variables: variables, terms: Self.terms(block)).distributed(over: reduction)
                return try run(model)
            }
            for r in 0 ..< processes {
                #expect(ranks[r].flatMap { $0 }.map { $0.bitPattern } == ranks[0].flatMap { $0 }.map { $0.bitPattern })
            }
            #expect(worstRatio(ranks[0].flatMap { $0 }, expected.flatMap { $0 }, relative: 1e-9) <= 1, "R = \(processes)")
        }
    }
}
