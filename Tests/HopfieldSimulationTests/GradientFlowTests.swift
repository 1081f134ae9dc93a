import Foundation
import Hopfield
import HopfieldSimulation
import Testing

@Suite("Gradient-flow models integrated by solve: energy descent and clamped units")
struct GradientFlowTests {
    /// A random model: one variable of 2–6 units with random τ and clamp mask, a quadratic term, an lse
    /// term (euclidean or dot) and a random-feature term with a random kernel.
    static func randomModel(_ rng: inout SplitMix64) throws -> (GradientModel, [Double]) {
        let d = 2 + Int(rng.next() % 5)
        let k = 2 + Int(rng.next() % 4)
        var clamp = (0 ..< d).map { _ in rng.nextUniform() < 0.3 }
        if clamp.allSatisfy({ $0 }) { clamp[0] = false }
        let memories = (0 ..< k * d).map { _ in 1.2 * rng.nextUniform() - 0.6 }
        let kernel = RandomFeatureKernel.allCases[Int(rng.next() % 4)]
        let model = try GradientModel(
            variables: [GradientVariable(name: "x", shape: [d], tau: 0.3 + 1.7 * rng.nextUniform(), clamp: clamp)],
            terms: [
                .quadratic(QuadraticTerm(variable: "x", bias: (0 ..< d).map { _ in rng.nextUniform() - 0.5 })),
                .lse(LogSumExpTerm(
                    variable: "x", similarity: rng.nextUniform() < 0.5 ? .euclidean : .dot,
                    beta: 0.5 + 4.5 * rng.nextUniform(), memories: memories)),
                .randomFeatures(RandomFeatureTerm(
                    variable: "x", kernel: kernel, beta: 0.5 + 4.5 * rng.nextUniform(),
                    projection: .seeded(features: 50, seed: rng.next()), store: .memories(memories))),
            ])
        return (model, (0 ..< d).map { _ in 2 * rng.nextUniform() - 1 })
    }

    @Test("the energy never increases and clamped units never move (120 seeded random models)",
          arguments: ["tsit5", "bdf"])
    func descent(method: String) throws {
        var rng = SplitMix64(seed: method == "bdf" ? 202 : 101)
        for trial in 0 ..< (method == "bdf" ? 20 : 120) {
            let (model, x0) = try Self.randomModel(&rng)
            let problem = SimulationProblem(model: model, initialState: ["x": x0], endTime: 5, saveCount: 11)
            let solution = try solve(
                problem, method == "bdf" ? .bdf() : .tsit5,
                options: SimulationOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10))
            #expect(solution.status.isSuccess, "trial \(trial): \(solution.status)")
            #expect(solution.monitor.violations == 0, "trial \(trial): max increase \(solution.monitor.maxEnergyIncrease)")
            let energies = solution.energyTrace.map(\.energy)
            for s in 1 ..< energies.count {
                #expect(energies[s] <= energies[s - 1] + 1e-10 * max(1, abs(energies[s - 1])), "trial \(trial), step \(s)")
            }
            for values in try #require(solution.trajectory("x")) {
                for i in x0.indices where model.clampMask[i] { #expect(values[i] == x0[i], "trial \(trial): unit \(i) moved") }
            }
            #expect(energies.last! < energies.first!, "trial \(trial): the free units did not descend")
        }
    }
}
