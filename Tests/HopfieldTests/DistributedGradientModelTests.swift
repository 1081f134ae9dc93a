import Foundation
import Hopfield
import TestSupport
import Testing

/// Rank `rank`'s block of the memories of every memory term of `model` (rows split as the CLI splits
/// a single file: the first `K mod R` ranks hold one more).
func memoryBlockTerms(_ model: GradientModel, rank: Int, of processes: Int) -> [GradientTerm] {
    func slice(_ memories: [Double], _ size: Int) -> [Double] {
        let k = memories.count / size
        let base = k / processes, extra = k % processes
        let start = rank * base + min(rank, extra), count = base + (rank < extra ? 1 : 0)
        return Array(memories[start * size ..< (start + count) * size])
    }
    return model.terms.map { term in
        let size = model.variable(named: term.variable)!.size
        switch term {
        case .quadratic: return term
        case .lse(var t):
            t.memories = slice(t.memories, size)
            return .lse(t)
        case .randomFeatures(var t):
            if case .memories(let m) = t.store { t.store = .memories(slice(m, size)) }
            return .randomFeatures(t)
        }
    }
}

/// Everything an evaluator computes at `states` (and `vectors`), flattened.
func evaluations(_ model: GradientModel, _ states: [[Double]], _ vectors: [[Double]]) -> [[Double]] {
    let e = GradientEvaluator(model: model, capacity: states.count)
    let monitor = e.monitor(states)
    return [
        e.energies(states), e.energyGradients(states).flatMap { $0 }, e.vectorField(states).flatMap { $0 },
        e.hessianVectorProducts(at: states, vectors).flatMap { $0 },
        e.jacobianVectorProduct(at: states, vectors).flatMap { $0 },
        monitor.energies, monitor.rates, monitor.gradients.flatMap { $0 },
        e.hessian(at: states[0]), e.jacobian(at: states[1]),
    ]
}

@Suite("GradientModel.distributed(over:): memories and features split over processes")
struct DistributedGradientModelTests {
    static func sample(_ kernel: RandomFeatureKernel, storedSum: Bool = false) throws -> (GradientModel, [[Double]], [[Double]]) {
        var (model, x) = try GradientSamples.model(kernel: kernel, clamped: true, seed: 29)
        if storedSum {
            // The same model with every random-feature term holding its sum T.
            let terms = model.terms.enumerated().map { k, term -> GradientTerm in
                guard case .randomFeatures(var t) = term else { return term }
                t.store = .sum(model.featureSum(ofTerm: k)!)
                return .randomFeatures(t)
            }
            model = try GradientModel(variables: model.gradientVariables, terms: terms)
        }
        var rng = SplitMix64(seed: 8)
        let states = (0 ..< 3).map { _ in zip(x, rng.vector(x.count, -0.05, 0.05)).map(+) }
        let vectors = (0 ..< 3).map { _ in rng.vector(x.count) }
        return (model, states, vectors)
    }

    @Test("one process: the distributed model evaluates bit for bit like the model", arguments: RandomFeatureKernel.allCases)
    func oneProcessIsIdentity(kernel: RandomFeatureKernel) throws {
        let (model, states, vectors) = try Self.sample(kernel)
        let plain = evaluations(model, states, vectors)
        let distributed = try ThreadGroupReduction.run(1) { _, reduction in
            let d = try model.distributed(over: reduction)
            #expect(d.evaluatesCollectively && !model.evaluatesCollectively)
            #expect(d.parameterCount == model.parameterCount && d.batchedWork == model.batchedWork)
            return evaluations(d, states, vectors)
        }[0]
        for (a, b) in zip(plain, distributed) { #expect(a.map(\.bitPattern) == b.map(\.bitPattern)) }
    }

    @Test("R = 2, 3, 4 (an empty block at R = 4): energy, ∇E, ẋ, ∇²E v, Jv, monitor and dense Hessians equal one process; every rank holds the same bits",
          arguments: RandomFeatureKernel.allCases, [false, true])
    func blocksEqualOneProcess(kernel: RandomFeatureKernel, storedSum: Bool) throws {
        let (model, states, vectors) = try Self.sample(kernel, storedSum: storedSum)
        let plain = evaluations(model, states, vectors)
        for processes in 2 ... 4 {
            let ranks = try ThreadGroupReduction.run(processes) { rank, reduction in
                let block = try GradientModel.memoryBlock(
                    variables: model.gradientVariables, terms: memoryBlockTerms(model, rank: rank, of: processes))
                let d = try block.distributed(over: reduction)
                #expect(d.parameterCount == model.parameterCount && d.batchedWork == model.batchedWork)
                for k in model.terms.indices {
                    #expect(d.memoryCount(ofTerm: k) == model.memoryCount(ofTerm: k))
                    #expect(d.featureCount(ofTerm: k) == model.featureCount(ofTerm: k))
                }
                return evaluations(d, states, vectors)
            }
            for (i, expected) in plain.enumerated() {
                #expect(worstRatio(ranks[0][i], expected, relative: 1e-12) <= 1, "R = \(processes), output \(i)")
                for r in 1 ..< processes { #expect(ranks[r][i].map(\.bitPattern) == ranks[0][i].map(\.bitPattern)) }
            }
        }
    }

    @Test("an lse term with no memory on any process is refused on every process, naming the term")
    func noMemoriesAnywhere() throws {
        let messages = try ThreadGroupReduction.run(2) { _, reduction -> String in
            let model = try GradientModel.memoryBlock(
                variables: [GradientVariable(name: "x", shape: [2])],
                terms: [.lse(LogSumExpTerm(variable: "x", beta: 1, memories: []))])
            do throws(NetworkError) {
                _ = try model.distributed(over: reduction)
                return "accepted"
            } catch {
                return "\(error.path): \(error.message)"
            }
        }
        #expect(messages == Array(repeating: "terms[0].memories: holds no memories on any process", count: 2))
        // A plain model still needs memories.
        #expect(throws: NetworkError.self) {
            try GradientModel(variables: [GradientVariable(name: "x", shape: [2])], terms: [.lse(LogSumExpTerm(variable: "x", beta: 1, memories: []))])
        }
    }
}
