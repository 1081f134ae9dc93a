import Foundation
import Hopfield
import TestSupport
import Testing

@Suite("GradientEvaluator: batches, the energy rate and clamped units")
struct GradientEvaluatorTests {
    @Test("a batch equals its states one at a time, for every method", arguments: RandomFeatureKernel.allCases)
    func batchEqualsSingles(kernel: RandomFeatureKernel) throws {
        let (model, x0) = try GradientSamples.model(kernel: kernel, clamped: true, seed: 31)
        var rng = SplitMix64(seed: 3)
        let n = model.dimension
        let states = (0 ..< 4).map { _ in zip(x0, rng.vector(n, -0.1, 0.1)).map(+) }
        let vectors = (0 ..< 4).map { _ in rng.vector(n) }
        let batched = GradientEvaluator(model: model, capacity: 5)
        let single = GradientEvaluator(model: model, capacity: 1)
        let e = batched.energies(states), g = batched.energyGradients(states), f = batched.vectorField(states)
        let hv = batched.hessianVectorProducts(at: states, vectors)
        let jv = batched.jacobianVectorProduct(at: states, vectors)
        let monitor = batched.monitor(states)
        for b in 0 ..< 4 {
            let s = [states[b]]
            #expect(abs(e[b] - single.energies(s)[0]) <= 1e-13 * (1 + abs(e[b])))
            #expect(worstRatio(g[b], single.energyGradients(s)[0], relative: 1e-12) <= 1)
            #expect(worstRatio(f[b], single.vectorField(s)[0], relative: 1e-12) <= 1)
            #expect(worstRatio(hv[b], single.hessianVectorProducts(at: s, [vectors[b]])[0], relative: 1e-12) <= 1)
            #expect(worstRatio(jv[b], single.jacobianVectorProduct(at: s, [vectors[b]])[0], relative: 1e-12) <= 1)
            let one = single.monitor(s)
            #expect(abs(monitor.energies[b] - one.energies[0]) <= 1e-13 * (1 + abs(one.energies[0])))
            #expect(abs(monitor.rates[b] - one.rates[0]) <= 1e-12 * (1 + abs(one.rates[0])))
            #expect(worstRatio(monitor.xdot[b], f[b], relative: 1e-12) <= 1)
            #expect(worstRatio(monitor.gradients[b], one.gradients[0], relative: 1e-12) <= 1)
        }
    }

    @Test("dE/dt = −Σ_free τ⁻¹(∂E/∂x)² = the derivative of E along ẋ; clamped rows are zero",
          arguments: RandomFeatureKernel.allCases, [false, true])
    func energyRate(kernel: RandomFeatureKernel, clamped: Bool) throws {
        let (model, x) = try GradientSamples.model(kernel: kernel, clamped: clamped, seed: 47)
        let evaluator = GradientEvaluator(model: model, capacity: 1)
        let n = model.dimension
        let monitor = evaluator.monitor([x])
        let g = evaluator.energyGradients([x])[0]
        var expected = 0.0
        for i in 0 ..< n where !model.clampMask[i] { expected -= g[i] * g[i] / model.timeConstants[i] }
        #expect(abs(monitor.rates[0] - expected) <= 1e-12 * abs(expected))
        #expect(monitor.rates[0] < 0)
        // The chain rule: d/dh E(x + h ẋ) at h = 0.
        let f = monitor.xdot[0], h = 1e-5
        let plus = evaluator.energies([zip(x, f).map { $0 + h * $1 }])[0]
        let minus = evaluator.energies([zip(x, f).map { $0 - h * $1 }])[0]
        #expect(abs((plus - minus) / (2 * h) - expected) <= 1e-6 * abs(expected))
        for i in 0 ..< n {
            if model.clampMask[i] {
                #expect(f[i] == 0 && monitor.gradients[0][i] == 0)
            } else {
                #expect(abs(f[i] + g[i] / model.timeConstants[i]) <= 1e-15 * (1 + abs(g[i])))
                #expect(monitor.gradients[0][i] == g[i])
            }
        }
        #expect(model.hasClampedUnits == clamped)
        #expect(model.clampMask.filter { $0 }.count == (clamped ? 3 : 0))
    }

    @Test("the model describes its variables, τ and work for the seam")
    func seam() throws {
        let (model, _) = try GradientSamples.model(kernel: .sincos, clamped: true, seed: 1)
        #expect(model.variables.map(\.name) == ["x", "y"])
        #expect(model.variables.map(\.offset) == [0, 5])
        #expect(model.dimension == 8)
        #expect(model.timeConstants == [0.5, 0.5, 0.5, 0.5, 0.5, 2, 2, 2])
        #expect(model.batchedWork == 3 * 5 + 60 * 5 + 2 * 3 + 40 * 3)
        #expect(model.evaluatesBatches)
        let evaluator = model.makeEvaluator(capacity: 2)
        #expect(evaluator.dimension == 8 && evaluator.capacity == 2)
        // sincos sums have 2Y entries; lse memories and quadratic biases count as parameters.
        #expect(model.parameterCount == 5 + 15 + 120 + 0 + 6 + 80)
    }
}

@Suite("GradientModel: invalid models name the offending field")
struct GradientModelErrorTests {
    static let x = GradientVariable(name: "x", shape: [3])

    func error(_ terms: [GradientTerm]) -> NetworkError? { error([Self.x], terms) }

    func error(_ variables: [GradientVariable], _ terms: [GradientTerm]) -> NetworkError? {
        do {
            _ = try GradientModel(variables: variables, terms: terms)
            return nil
        } catch { return error }
    }

    func rf(
        kernel: RandomFeatureKernel = .sincos, beta: Double = 1, projection: FeatureProjection = .seeded(features: 4, seed: 1),
        store: FeatureStore = .memories([]), floor: Double = 1e-5, variable: String = "x"
    ) -> GradientTerm {
        .randomFeatures(RandomFeatureTerm(variable: variable, kernel: kernel, beta: beta, projection: projection, store: store, floor: floor))
    }

    @Test("each bad field gives its path")
    func paths() {
        let cases: [(NetworkError?, String)] = [
            (error([], []), "variables"),
            (error([GradientVariable(name: "x", shape: [3], tau: 0)], []), "variables[0].tau"),
            (error([GradientVariable(name: "x", shape: [3], clamp: [true, false])], []), "variables[0].clamp"),
            (error([Self.x, GradientVariable(name: "x", shape: [2])], []), "variables[1].name"),
            (error([Self.x, GradientVariable(name: "y", shape: [0])], []), "variables[1].shape"),
            (error([.quadratic(QuadraticTerm(variable: "x")), .quadratic(QuadraticTerm(variable: "z"))]), "terms[1].variable"),
            (error([.quadratic(QuadraticTerm(variable: "x", bias: [1, 2]))]), "terms[0].bias"),
            (error([.lse(LogSumExpTerm(variable: "x", beta: 0, memories: [1, 2, 3]))]), "terms[0].beta"),
            (error([.lse(LogSumExpTerm(variable: "x", beta: 1, memories: [1, 2]))]), "terms[0].memories"),
            (error([.lse(LogSumExpTerm(variable: "x", beta: 1, memories: [1, .nan, 3]))]), "terms[0].memories"),
            (error([.quadratic(QuadraticTerm(variable: "x")), rf(beta: -1)]), "terms[1].beta"),
            (error([rf(projection: .seeded(features: 0, seed: 1))]), "terms[0].features"),
            (error([rf(floor: 0)]), "terms[0].floor"),
            (error([rf(projection: .explicit(projection: [1, 2, 3, 4], phases: [0]))]), "terms[0].projection"),
            (error([rf(projection: .explicit(projection: [1, 2, 3, 4, 5, 6], phases: [0]))]), "terms[0].phases"),
            (error([rf(kernel: .exp, projection: .explicit(projection: [1, 2, 3], phases: [0]))]), "terms[0].phases"),
            (error([rf(store: .sum([1, 2, 3, 4]))]), "terms[0].sum"),       // sincos: 2Y = 8
            (error([rf(kernel: .cos, store: .sum([1, 2, 3, 4, 5, 6, 7, 8]))]), "terms[0].sum"),  // cos: Y = 4
            (error([rf(store: .memories([1, 2]))]), "terms[0].memories"),
            (error([rf(variable: "nope")]), "terms[0].variable"),
        ]
        for (k, (error, path)) in cases.enumerated() {
            #expect(error?.path == path, "case \(k): \(String(describing: error))")
            #expect(!(error?.message.isEmpty ?? true))
        }
    }

    @Test("unknown kernel and similarity names list the known ones")
    func names() {
        #expect(throws: NetworkError(path: "terms[2].kernel", message: "unknown kernel \"gauss\" (one of sincos, cos, exp, expexp)")) {
            try RandomFeatureKernel(named: "gauss", path: "terms[2].kernel")
        }
        #expect(throws: NetworkError.self) { try LogSumExpSimilarity(named: "cosine", path: "terms[0].similarity") }
        #expect((try? RandomFeatureKernel(named: "expexp", path: "k")) == .expexp)
    }

    @Test("valid models with explicit sums build")
    func valid() throws {
        let model = try GradientModel(variables: [Self.x], terms: [rf(kernel: .cos, store: .sum([1, 1, 1, 1])), rf(kernel: .expexp, store: .sum([Double](repeating: 1, count: 8)))])
        #expect(model.featureSum(ofTerm: 0) == [1, 1, 1, 1])
        #expect(model.parameterCount == 12)
    }
}
