import Foundation
import Hopfield
import TestSupport
import Testing

/// Small gradient-flow models with every term kind, near their memories (every random-feature sum well
/// above its floor).
enum GradientSamples {
    /// Memories `[K, d]` with entries in [−scale, scale].
    static func memories(_ k: Int, _ d: Int, scale: Double = 0.6, rng: inout SplitMix64) -> [Double] {
        rng.vector(k * d, -scale, scale)
    }

    /// Two variables `x` (5 units, τ 0.5) and `y` (3 units, τ 2, optionally one unit clamped) and the
    /// terms: quadratic(x), lse euclidean(x), random features(x) with `kernel`, quadratic(y),
    /// lse dot(y), random features(y) with an explicit projection.
    static func model(kernel: RandomFeatureKernel, clamped: Bool, seed: UInt64) throws -> (GradientModel, [Double]) {
        var rng = SplitMix64(seed: seed)
        let xi = memories(3, 5, rng: &rng)
        let eta = memories(2, 3, rng: &rng)
        let y = 40
        let projection = (0 ..< y * 3).map { _ in rng.nextGaussian() }
        let phases = kernel.usesPhases ? (0 ..< y).map { _ in 2 * Double.pi * rng.nextUniform() } : []
        let model = try GradientModel(
            variables: [
                GradientVariable(name: "x", shape: [5], tau: 0.5, clamp: clamped ? [false, true, false, false, true] : []),
                GradientVariable(name: "y", shape: [3], tau: 2, clamp: clamped ? [false, false, true] : []),
            ],
            terms: [
                .quadratic(QuadraticTerm(variable: "x", bias: rng.vector(5))),
                .lse(LogSumExpTerm(variable: "x", beta: 2.5, memories: xi)),
                .randomFeatures(
                    RandomFeatureTerm(
                        variable: "x", kernel: kernel, beta: 1.5, projection: .seeded(features: 60, seed: seed),
                        store: .memories(xi))),
                .quadratic(QuadraticTerm(variable: "y")),
                .lse(LogSumExpTerm(variable: "y", similarity: .dot, beta: 3, memories: eta)),
                .randomFeatures(
                    RandomFeatureTerm(
                        variable: "y", kernel: kernel, beta: 0.8,
                        projection: .explicit(projection: projection, phases: phases), store: .memories(eta))),
            ])
        // A state near the first memories: every feature sum is far above its floor.
        let state = zip(xi[0 ..< 5], rng.vector(5, -0.05, 0.05)).map(+)
            + zip(eta[0 ..< 3], rng.vector(3, -0.05, 0.05)).map(+)
        return (model, state)
    }
}

@Suite("GradientModel: derivatives of every term against finite differences")
struct GradientModelDerivativeTests {
    @Test("∇E and ∇²E (dense and products) match finite differences, all kernels, free and clamped",
          arguments: RandomFeatureKernel.allCases, [false, true])
    func derivatives(kernel: RandomFeatureKernel, clamped: Bool) throws {
        let (model, x) = try GradientSamples.model(kernel: kernel, clamped: clamped, seed: 11)
        let evaluator = GradientEvaluator(model: model, capacity: 1)
        let n = model.dimension
        let energy = { (s: [Double]) in evaluator.energies([s])[0] }
        let gradient = evaluator.energyGradients([x])[0]
        let fd = FiniteDifference.gradient(energy, at: x, step: 1e-5)
        #expect(worstRatio(gradient, fd, relative: 1e-7) <= 1, "∇E \(gradient) vs \(fd)")
        #expect(maxAbs(gradient) > 1e-3)

        let hessian = evaluator.hessian(at: x)
        let fdHessian = FiniteDifference.jacobian({ evaluator.energyGradients([$0])[0] }, at: x, step: 1e-5)
        // Row-major FD Jacobian of a gradient = the (symmetric) Hessian.
        #expect(worstRatio(hessian, fdHessian, relative: 1e-6) <= 1)
        var rng = SplitMix64(seed: 5)
        let v = rng.vector(n)
        let hv = evaluator.hessianVectorProducts(at: [x], [v])[0]
        let dense = (0 ..< n).map { i in (0 ..< n).reduce(0.0) { $0 + hessian[i + $1 * n] * v[$1] } }
        #expect(worstRatio(hv, dense, relative: 1e-11) <= 1)

        // J = −τ⁻¹∇²E with zero rows at clamped units; J v likewise.
        let jacobian = evaluator.jacobian(at: x)
        let jv = evaluator.jacobianVectorProduct(at: [x], [v])[0]
        for i in 0 ..< n {
            let rate = model.clampMask[i] ? 0 : 1 / model.timeConstants[i]
            for j in 0 ..< n { #expect(jacobian[i + j * n] == -rate * hessian[i + j * n]) }
            #expect(abs(jv[i] + rate * hv[i]) <= 1e-12 * (1 + abs(hv[i])))
        }
    }

    @Test("each random-feature kernel alone: gradient and Hessian vs finite differences over several states",
          arguments: RandomFeatureKernel.allCases)
    func singleTerm(kernel: RandomFeatureKernel) throws {
        var rng = SplitMix64(seed: 91)
        let xi = GradientSamples.memories(4, 6, rng: &rng)
        let model = try GradientModel(
            variables: [GradientVariable(name: "v", shape: [2, 3])],
            terms: [.randomFeatures(RandomFeatureTerm(
                variable: "v", kernel: kernel, beta: 3, projection: .seeded(features: 200, seed: 4),
                store: .memories(xi)))])
        let evaluator = GradientEvaluator(model: model, capacity: 1)
        for k in 0 ..< 4 {
            let x = zip(xi[k * 6 ..< (k + 1) * 6], rng.vector(6, -0.1, 0.1)).map(+)
            let g = evaluator.energyGradients([x])[0]
            let fd = FiniteDifference.gradient({ evaluator.energies([$0])[0] }, at: x, step: 1e-5)
            #expect(worstRatio(g, fd, relative: 1e-7) <= 1)
            let h = evaluator.hessian(at: x)
            let fdh = FiniteDifference.jacobian({ evaluator.energyGradients([$0])[0] }, at: x, step: 1e-5)
            #expect(worstRatio(h, fdh, relative: 1e-6) <= 1)
        }
    }

    @Test("below the floor the random-feature term is constant: E = −β⁻¹ log κ, ∇E = 0, ∇²E = 0")
    func floor() throws {
        // |⟨Φ, T⟩| ≤ ‖Φ‖ ‖T‖ = 1 for sincos features and one memory: a floor of 1.5 is always active.
        let model = try GradientModel(
            variables: [GradientVariable(name: "x", shape: [3])],
            terms: [.randomFeatures(RandomFeatureTerm(
                variable: "x", beta: 50, projection: .seeded(features: 30, seed: 2), store: .memories([5, 5, 5]),
                floor: 1.5))])
        let evaluator = GradientEvaluator(model: model, capacity: 1)
        let x = [0.0, 0, 0]
        #expect(abs(evaluator.energies([x])[0] + log(1.5) / 50) <= 1e-15)
        #expect(evaluator.energyGradients([x])[0] == [0, 0, 0])
        #expect(evaluator.hessian(at: x).allSatisfy { $0 == 0 })
    }
}

@Suite("GradientModel: the exact term, the random-feature estimate and stored sums")
struct GradientModelMemoryTests {
    /// `−β⁻¹ log Σ exp(β s_μ)` and `∇E` by a direct loop (stable: shifts by the largest score).
    func direct(_ x: [Double], _ xi: [Double], beta: Double, euclidean: Bool) -> (Double, [Double]) {
        let d = x.count, k = xi.count / d
        let scores = (0 ..< k).map { mu -> Double in
            let row = Array(xi[mu * d ..< (mu + 1) * d])
            return euclidean ? -0.5 * zip(x, row).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } : dot(x, row)
        }
        let top = scores.map { beta * $0 }.max()!
        let weights = scores.map { exp(beta * $0 - top) }
        let total = weights.reduce(0, +)
        var gradient = euclidean ? x : [Double](repeating: 0, count: d)
        for mu in 0 ..< k { for j in 0 ..< d { gradient[j] -= weights[mu] / total * xi[mu * d + j] } }
        return (-(top + log(total)) / beta, gradient)
    }

    @Test("lse energy and gradient equal a direct loop (several blocks of memories, large β)",
          arguments: [(LogSumExpSimilarity.euclidean, 2.0), (.euclidean, 400.0), (.dot, 3.0), (.dot, 300.0)])
    func exact(similarity: LogSumExpSimilarity, beta: Double) throws {
        var rng = SplitMix64(seed: 17)
        let d = 4, k = 2500  // three blocks of at most 1024 memories
        let xi = rng.vector(k * d)
        let model = try GradientModel(
            variables: [GradientVariable(name: "x", shape: [d])],
            terms: [.lse(LogSumExpTerm(variable: "x", similarity: similarity, beta: beta, memories: xi))])
        let evaluator = GradientEvaluator(model: model, capacity: 3)
        let states = (0 ..< 3).map { _ in rng.vector(d) }
        let energies = evaluator.energies(states)
        let gradients = evaluator.energyGradients(states)
        for b in 0 ..< 3 {
            let (e, g) = direct(states[b], xi, beta: beta, euclidean: similarity == .euclidean)
            #expect(abs(energies[b] - e) <= 1e-12 * (1 + abs(e)), "E \(energies[b]) vs \(e)")
            #expect(worstRatio(gradients[b], g, relative: 1e-11) <= 1)
        }
    }

    @Test("random-feature energy and gradient equal a direct loop over Φ (several feature blocks)",
          arguments: RandomFeatureKernel.allCases)
    func featureLoop(kernel: RandomFeatureKernel) throws {
        var rng = SplitMix64(seed: 23)
        let d = 300, y = 1000, beta = 0.05  // 436 features per block: three blocks
        let xi = GradientSamples.memories(3, d, scale: 0.3, rng: &rng)
        let model = try GradientModel(
            variables: [GradientVariable(name: "x", shape: [d])],
            terms: [.randomFeatures(RandomFeatureTerm(
                variable: "x", kernel: kernel, beta: beta, projection: .seeded(features: y, seed: 8),
                store: .memories(xi)))])
        let s = model.featureMatrix(ofTerm: 0)!
        #expect(s.isSinglePrecision && s.features == y && s.dimension == d)
        // Φ and ∇Φ by a direct loop over the features.
        func phi(_ x: [Double]) -> (value: [Double], jacobianT: [[Double]]) {
            let r = dot(x, x)
            var value: [Double] = [], rows: [[Double]] = []
            let yd = Double(y)
            for i in 0 ..< y {
                let row = (0 ..< d).map { s[i, $0] }
                let a = beta.squareRoot() * dot(row, x)
                let grad = { (f: Double, sign: Double, exponential: Bool) -> [Double] in
                    (0 ..< d).map { j in f * (sign * beta.squareRoot() * row[j] - (exponential ? 2 * beta * x[j] : 0)) }
                }
                switch kernel {
                case .sincos:
                    let u = a + s.phases[i]
                    value.append(cos(u) / yd.squareRoot()); rows.append(grad(-sin(u) / yd.squareRoot(), 1, false))
                case .cos:
                    let u = a + s.phases[i], c = (2 / yd).squareRoot()
                    value.append(c * cos(u)); rows.append(grad(-c * sin(u), 1, false))
                case .exp:
                    let f = exp(a - beta * r) / yd.squareRoot()
                    value.append(f); rows.append(grad(f, 1, true))
                case .expexp:
                    let f = exp(a - beta * r) / (2 * yd).squareRoot()
                    value.append(f); rows.append(grad(f, 1, true))
                }
            }
            for i in 0 ..< y where kernel == .sincos || kernel == .expexp {
                let row = (0 ..< d).map { s[i, $0] }
                let a = beta.squareRoot() * dot(row, x)
                if kernel == .sincos {
                    let u = a + s.phases[i]
                    value.append(sin(u) / Double(y).squareRoot())
                    rows.append(row.map { cos(u) / Double(y).squareRoot() * beta.squareRoot() * $0 })
                } else {
                    let f = exp(-a - beta * r) / (2 * Double(y)).squareRoot()
                    value.append(f)
                    rows.append((0 ..< d).map { j in f * (-beta.squareRoot() * row[j] - 2 * beta * x[j]) })
                }
            }
            return (value, rows)
        }
        var t = [Double](repeating: 0, count: kernel.sumLength(features: y))
        for mu in 0 ..< 3 {
            let f = phi(Array(xi[mu * d ..< (mu + 1) * d])).value
            for i in t.indices { t[i] += f[i] }
        }
        #expect(worstRatio(model.featureSum(ofTerm: 0)!, t, relative: 1e-12) <= 1)
        let evaluator = GradientEvaluator(model: model, capacity: 1)
        let x = zip(xi[0 ..< d], rng.vector(d, -0.02, 0.02)).map(+)
        let (value, jacobianT) = phi(x)
        let inner = dot(value, t)
        let e = -log(inner) / beta
        var g = [Double](repeating: 0, count: d)
        for i in t.indices { for j in 0 ..< d { g[j] -= jacobianT[i][j] * t[i] / (beta * inner) } }
        #expect(abs(evaluator.energies([x])[0] - e) <= 1e-11 * (1 + abs(e)))
        #expect(worstRatio(evaluator.energyGradients([x])[0], g, relative: 1e-10) <= 1)
    }

    @Test("exponential kernels far from the origin: no overflow, energy against finite values",
          arguments: [RandomFeatureKernel.exp, .expexp])
    func largeStates(kernel: RandomFeatureKernel) throws {
        var rng = SplitMix64(seed: 3)
        let xi = GradientSamples.memories(2, 8, rng: &rng)
        let model = try GradientModel(
            variables: [GradientVariable(name: "x", shape: [8])],
            terms: [.randomFeatures(RandomFeatureTerm(
                variable: "x", kernel: kernel, beta: 4, projection: .seeded(features: 500, seed: 1),
                store: .memories(xi), floor: 1e-300))])
        let evaluator = GradientEvaluator(model: model, capacity: 1)
        // Far away √β S x reaches hundreds (e^u alone overflows) and ⟨Φ, T⟩ ≈ e^{−(β/2)‖x − ξ‖²} is below
        // any floor: the running maximum keeps the sums finite and the floor is what remains.
        let far = rng.vector(8, -60, 60)
        #expect(evaluator.energies([far])[0] == -log(1e-300) / 4)
        #expect(evaluator.energyGradients([far])[0] == [Double](repeating: 0, count: 8))
        // At moderate distance the energy is finite, not floored, and near ½‖x − ξ‖² for the closest ξ.
        let x = zip(xi[0 ..< 8], rng.vector(8, -3, 3)).map(+)
        let e = evaluator.energies([x])[0], g = evaluator.energyGradients([x])[0]
        #expect(e.isFinite && g.allSatisfy(\.isFinite) && maxAbs(g) > 0)
        #expect(e < -log(1e-300) / 4)
    }

    @Test("sincos: one kernel value's per-feature variance is ½(1 + e^{−4s}) − e^{−2s}",
          arguments: [0.1, 0.5, 1.5])
    func variance(s: Double) throws {
        var rng = SplitMix64(seed: 29)
        let d = 4, y = 20_000, beta = 2.0
        let a = rng.vector(d)
        var direction = rng.vector(d)
        let norm = dot(direction, direction).squareRoot()
        // ‖a − b‖ chosen so that s = (β/2)‖a − b‖².
        let distance = (2 * s / beta).squareRoot()
        direction = direction.map { $0 / norm * distance }
        let b = zip(a, direction).map(-)
        let model = try GradientModel(
            variables: [GradientVariable(name: "x", shape: [d])],
            terms: [.randomFeatures(RandomFeatureTerm(
                variable: "x", beta: beta, projection: .seeded(features: y, seed: 77), store: .memories(b),
                floor: 1e-300))])
        let matrix = model.featureMatrix(ofTerm: 0)!
        // Per-feature estimates of k: cos(√β ω_i·(a − b)) (each feature's ⟨Φ_i(a), Φ_i(b)⟩ times Y).
        let samples = (0 ..< y).map { i in cos(beta.squareRoot() * (0 ..< d).reduce(0.0) { $0 + matrix[i, $1] * direction[$1] }) }
        let mean = samples.reduce(0, +) / Double(y)
        // The model's ⟨Φ(a), T⟩ is their mean.
        let estimate = exp(-beta * GradientEvaluator(model: model, capacity: 1).energies([a])[0])
        #expect(abs(estimate - mean) <= 1e-10)
        let centred = samples.map { ($0 - mean) * ($0 - mean) }
        let variance = centred.reduce(0, +) / Double(y - 1)
        let fourth = centred.map { $0 * $0 }.reduce(0, +) / Double(y)
        let standardError = ((fourth - variance * variance) / Double(y)).squareRoot()
        let expected = 0.5 * (1 + exp(-4 * s)) - exp(-2 * s)
        #expect(abs(variance - expected) <= 4 * standardError, "variance \(variance) vs \(expected) ± \(standardError)")
        #expect(abs(mean - exp(-s)) <= 4 * (expected / Double(y)).squareRoot(), "mean \(mean) vs \(exp(-s))")
    }

    @Test("T is additive: adding memories one at a time equals building from all", arguments: RandomFeatureKernel.allCases)
    func additivity(kernel: RandomFeatureKernel) throws {
        var rng = SplitMix64(seed: 41)
        let d = 6
        let xi = GradientSamples.memories(5, d, rng: &rng)
        let variables = [GradientVariable(name: "x", shape: [d])]
        func terms(_ memories: [Double]) -> [GradientTerm] {
            [.randomFeatures(RandomFeatureTerm(
                variable: "x", kernel: kernel, beta: 2, projection: .seeded(features: 300, seed: 6), store: .memories(memories))),
             .lse(LogSumExpTerm(variable: "x", beta: 2, memories: Array(xi[0 ..< d])))]
        }
        let all = try GradientModel(variables: variables, terms: terms(xi))
        var grown = try GradientModel(variables: variables, terms: terms([]))
        let before = grown.parameterCount
        for mu in 0 ..< 5 { grown = try grown.addingMemories(Array(xi[mu * d ..< (mu + 1) * d])) }
        #expect(worstRatio(grown.featureSum(ofTerm: 0)!, all.featureSum(ofTerm: 0)!, relative: 1e-13) <= 1)
        // The random-feature sum keeps its size; the lse term gains the five memories.
        #expect(grown.parameterCount == before + 5 * d)
        guard case .lse(let lse) = grown.terms[1] else { Issue.record("term 1 is not lse"); return }
        #expect(lse.memories == Array(xi[0 ..< d]) + xi)
        guard case .randomFeatures(let rf) = grown.terms[0], case .sum(let t) = rf.store else {
            Issue.record("term 0 does not carry its sum"); return
        }
        #expect(t == grown.featureSum(ofTerm: 0)!)
        // Rebuilding from the stored sum gives the same model.
        let rebuilt = try GradientModel(variables: variables, terms: grown.terms)
        let x = rng.vector(d, -0.5, 0.5)
        let e1 = GradientEvaluator(model: rebuilt, capacity: 1).energies([x])[0]
        let e2 = GradientEvaluator(model: grown, capacity: 1).energies([x])[0]
        #expect(e1 == e2)
        #expect(throws: NetworkError.self) { try grown.addingMemories([1, 2, 3]) }
    }

    @Test("seeded projections: entries follow the documented stream, and any block can be regenerated")
    func seededStream() {
        let matrix = RandomFeatureMatrix(features: 7, dimension: 5, seed: 99)
        // Entry (i, j) is the normal of a generator started (2(iD + j)) draws into the stream.
        for (i, j) in [(0, 0), (3, 2), (6, 4)] {
            var rng = SplitMix64(seed: 99 &+ UInt64(2 * (i * 5 + j)) &* 0x9E37_79B9_7F4A_7C15)
            #expect(matrix[i, j] == Double(Float(rng.nextGaussian())))
        }
        var rng = SplitMix64(seed: 99 &+ UInt64(2 * 35 + 4) &* 0x9E37_79B9_7F4A_7C15)
        #expect(matrix.phases[4] == 2 * Double.pi * rng.nextUniform())
    }
}
