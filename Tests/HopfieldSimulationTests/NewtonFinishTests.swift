import Foundation
import Hopfield
@testable import HopfieldSimulation
import Testing

// MARK: Models for the tests

/// The gradient flow of `E(x) = ½ xᵀ A x + ¼ Σ_i q_i x_i⁴ − bᵀ x`, `ẋ = −∇E` on the free units (τ = 1).
final class QuarticGradientSystem: ModelEvaluator {
    let dimension: Int
    let capacity: Int
    let a: [Double]  // row-major n × n, symmetric
    let q: [Double]
    let b: [Double]
    let clamp: [Bool]

    init(a: [Double], q: [Double], b: [Double], clamp: [Bool]? = nil, capacity: Int = 1) {
        dimension = q.count
        self.capacity = capacity
        self.a = a
        self.q = q
        self.b = b
        self.clamp = clamp ?? Array(repeating: false, count: q.count)
    }

    private func gradient(_ x: UnsafeBufferPointer<Double>, row: Int, _ i: Int) -> Double {
        let n = dimension, lo = row * n
        var s = -b[i] + q[i] * x[lo + i] * x[lo + i] * x[lo + i]
        for j in 0 ..< n { s += a[i * n + j] * x[lo + j] }
        return s
    }

    func vectorField(_ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>) {
        let n = dimension
        for row in 0 ..< x.count / n {
            for i in 0 ..< n { xdot[row * n + i] = clamp[i] ? 0 : -gradient(x, row: row, i) }
        }
    }

    func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>,
        energies: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        vectorField(x, into: xdot)
        self.energies(x, into: energies)
        let n = dimension
        for row in 0 ..< x.count / n {
            var rate = 0.0
            for i in 0 ..< n {
                gradients[row * n + i] = -xdot[row * n + i]
                rate -= xdot[row * n + i] * xdot[row * n + i]
            }
            rates[row] = rate
        }
    }

    func energies(_ x: UnsafeBufferPointer<Double>, into energies: UnsafeMutableBufferPointer<Double>) {
        let n = dimension
        for row in 0 ..< x.count / n {
            let lo = row * n
            var e = 0.0
            for i in 0 ..< n {
                var ax = 0.0
                for j in 0 ..< n { ax += a[i * n + j] * x[lo + j] }
                e += 0.5 * x[lo + i] * ax + 0.25 * q[i] * pow(x[lo + i], 4) - b[i] * x[lo + i]
            }
            energies[row] = e
        }
    }

    func jacobianVectorProduct(
        at x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>, into jv: UnsafeMutableBufferPointer<Double>
    ) {
        let n = dimension
        for row in 0 ..< x.count / n {
            let lo = row * n
            for i in 0 ..< n {
                guard !clamp[i] else { jv[lo + i] = 0; continue }
                var s = 3 * q[i] * x[lo + i] * x[lo + i] * v[lo + i]
                for j in 0 ..< n { s += a[i * n + j] * v[lo + j] }
                jv[lo + i] = -s
            }
        }
    }

    func jacobian(at x: UnsafeBufferPointer<Double>, into jacobian: UnsafeMutableBufferPointer<Double>) {
        let n = dimension
        for i in 0 ..< n {
            for j in 0 ..< n {
                jacobian[i + j * n] = clamp[i] ? 0 : -(a[i * n + j] + (i == j ? 3 * q[i] * x[i] * x[i] : 0))
            }
        }
    }
}

// MARK: Plain integration (independent of the library's integrators)

/// Classical fixed-step RK4 of one state; `onStep` sees every new state with its `ẋ`, and stops the
/// integration by returning false.
private func rk4(
    _ evaluator: any ModelEvaluator, from x0: [Double], step h: Double, maxSteps: Int,
    onStep: (_ x: [Double], _ xdot: [Double]) -> Bool
) -> [Double] {
    let n = x0.count
    var x = x0
    var k1 = [Double](repeating: 0, count: n), k2 = k1, k3 = k1, k4 = k1, stage = k1
    func field(_ y: [Double], _ out: inout [Double]) {
        y.withUnsafeBufferPointer { yp in out.withUnsafeMutableBufferPointer { evaluator.vectorField(yp, into: $0) } }
    }
    field(x, &k1)
    for _ in 0 ..< maxSteps {
        for i in 0 ..< n { stage[i] = x[i] + 0.5 * h * k1[i] }
        field(stage, &k2)
        for i in 0 ..< n { stage[i] = x[i] + 0.5 * h * k2[i] }
        field(stage, &k3)
        for i in 0 ..< n { stage[i] = x[i] + h * k3[i] }
        field(stage, &k4)
        for i in 0 ..< n { x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) }
        field(x, &k1)
        if !onStep(x, k1) { break }
    }
    return x
}

/// A random two-layer network: visible (identity, τ = 1, random bias), memories (softmax β, τ = 0.1),
/// K patterns of ±1, and a query = a pattern with a few flipped signs plus noise.
func randomRetrievalNetwork(_ rng: inout SplitMix64) throws -> (network: Network, query: [Double]) {
    let visible = Int(rng.uniform(6 ... 12.99)), memories = Int(rng.uniform(3 ... 6.99))
    let beta = rng.uniform(0.5 ... 3)
    let patterns = (0 ..< visible * memories).map { _ in rng.uniform(0 ... 1) < 0.5 ? -1.0 : 1.0 }
    let network = try Network(
        layers: [
            Layer(name: "v", size: visible, lagrangian: .identity, tau: 1, bias: rng.vector(visible, scale: 0.1)),
            Layer(name: "h", size: memories, lagrangian: .softmax(beta: beta), tau: 0.1),
        ],
        synapses: [.dense(pre: "v", post: "h", weights: patterns)])
    let target = Int(rng.uniform(0 ... Double(memories) - 0.01))
    var query = (0 ..< visible).map { patterns[target * visible + $0] + 0.2 * rng.normal() }
    for _ in 0 ..< visible / 4 {
        let i = Int(rng.uniform(0 ... Double(visible) - 0.01))
        query[i] = -query[i]
    }
    return (network, query + [Double](repeating: 0, count: memories))
}

private func wrms(_ v: [Double], at x: [Double], rtol: Double = 1e-6, atol: Double = 1e-8) -> Double {
    v.withUnsafeBufferPointer { vp in
        x.withUnsafeBufferPointer { NewtonFinish.weightedNorm(vp, at: $0, relativeTolerance: rtol, absoluteTolerance: atol) }
    }
}

/// The hand-off state of a trajectory: the first accepted RK4 step at which ``SteadyHandoff`` is due.
private func handoffState(
    _ evaluator: any ModelEvaluator, finish: NewtonFinish, from x0: [Double], step: Double, maxSteps: Int = 40_000
) -> [Double]? {
    var tracker = SteadyHandoff(options: finish.options)
    var found: [Double]? = nil
    var t = 0.0
    _ = rk4(evaluator, from: x0, step: step, maxSteps: maxSteps) { x, xdot in
        let pattern = x.withUnsafeBufferPointer { finish.patternSignature(of: $0) }
        t += step
        if tracker.record(t: t, norm: wrms(xdot, at: x), pattern: pattern) {
            found = x
            return false
        }
        return true
    }
    return found
}

/// Plain RK4 with the integrators' protocol: at every due hand-off the Newton finish runs; a refused one
/// lowers the threshold and integration goes on. Returns the polished state (nil when every attempt was
/// refused or none was due) and the refusals.
private func finishAlongTrajectory(
    _ evaluator: any ModelEvaluator, finish: NewtonFinish, from x0: [Double], step: Double, maxSteps: Int = 40_000
) -> (state: [Double]?, refusals: [NewtonRefusal]) {
    var tracker = SteadyHandoff(options: finish.options)
    var result: [Double]? = nil
    var refusals: [NewtonRefusal] = []
    var t = 0.0
    _ = rk4(evaluator, from: x0, step: step, maxSteps: maxSteps) { x, xdot in
        t += step
        let pattern = x.withUnsafeBufferPointer { finish.patternSignature(of: $0) }
        guard tracker.record(t: t, norm: wrms(xdot, at: x), pattern: pattern) else { return true }
        var state = x
        let outcome = state.withUnsafeMutableBufferPointer { s in
            x0.withUnsafeBufferPointer {
                finish.polish(s, initialStates: $0, rows: 1, relativeTolerance: 1e-6, absoluteTolerance: 1e-8)[0]
            }
        }
        tracker.handedOff(polished: outcome.polished)
        if let refusal = outcome.refusal {
            refusals.append(refusal)
            #expect(state == x, "a refused row is left as it was")
            return !tracker.isExhausted
        }
        result = state
        return false
    }
    return (result, refusals)
}

/// The fixed point reached by plain RK4 integration, converged to `‖ẋ‖_∞ ≤ 1e-11`.
private func plainFixedPoint(_ evaluator: any ModelEvaluator, from x0: [Double], step: Double) -> [Double]? {
    var converged = false
    let x = rk4(evaluator, from: x0, step: step, maxSteps: 100_000) { _, xdot in
        converged = xdot.allSatisfy { abs($0) <= 1e-11 }
        return !converged
    }
    return converged ? x : nil
}

// MARK: Tests

@Suite("Newton finish: same fixed point as plain integration, refusals, pattern, Lanczos")
struct NewtonFinishTests {
    @Test("110 seeded random networks: the Newton finish (retried after refusals, as the integrators do) lands on plain integration's fixed point")
    func randomNetworks() throws {
        var rng = SplitMix64(seed: 2026_12_02)
        var polished = 0, compared = 0, refusals: [NewtonRefusal: Int] = [:]
        var worst = 0.0
        var trial = 0, skipped = 0
        while compared < 110 && trial < 130 {
            trial += 1
            let (network, x0) = try randomRetrievalNetwork(&rng)
            let evaluator = network.makeEvaluator(capacity: 1)
            let taus = network.timeConstants
            let variables = [
                ModelVariable(name: "v", shape: [network.layers[0].size], offset: 0),
                ModelVariable(name: "h", shape: [network.layers[1].size], offset: network.offsets[1]),
            ]
            let finish = NewtonFinish(
                evaluator: evaluator, timeConstants: taus, clampMask: Array(repeating: false, count: taus.count),
                patternRanges: NewtonFinish.patternRanges(variables: variables, timeConstants: taus))
            #expect(finish.patternRanges == [variables[1].range], "the memory layer (fastest) makes the pattern")
            guard let reference = plainFixedPoint(evaluator, from: x0, step: 0.005) else {
                skipped += 1  // a slow mode (near a bifurcation): no tight reference in 500 time units
                continue
            }
            let (finished, refused) = finishAlongTrajectory(evaluator, finish: finish, from: x0, step: 0.005)
            compared += 1
            for refusal in refused { refusals[refusal, default: 0] += 1 }
            guard let state = finished else { continue }
            polished += 1
            // Same fixed point, within the tolerance's own scale (weighted RMS ≤ 1, i.e. ~1e-6 relative; the
            // steady-state test ‖ẋ‖_WRMS ≤ 1 of plain integration allows ‖J⁻¹‖ times more).
            let difference = zip(state, reference).map { $0 - $1 }
            let distance = wrms(difference, at: reference)
            worst = max(worst, distance)
            #expect(distance <= 1, "network \(trial): ‖x* − x_ref‖_WRMS = \(distance)")
        }
        #expect(compared == 110 && skipped <= 5, "compared \(compared), skipped \(skipped)")
        // The safeguards may refuse, but they must not refuse the ordinary case.
        #expect(polished >= 100, "polished \(polished) of \(compared); refusals \(refusals)")
        print("random networks: polished \(polished)/\(compared), refusals \(refusals), worst WRMS distance \(worst)")
    }

    @Test("one network, 12 queries handed off at different times and polished in one batched call")
    func batchOfRows() throws {
        var rng = SplitMix64(seed: 99)
        let (network, _) = try randomRetrievalNetwork(&rng)
        let n = network.dimension
        let rows = 12
        let evaluator = network.makeEvaluator(capacity: rows)
        let finish = NewtonFinish(
            evaluator: evaluator, timeConstants: network.timeConstants, clampMask: Array(repeating: false, count: n),
            patternRanges: [network.range(ofLayer: 1)])
        let single = network.makeEvaluator(capacity: 1)
        var starts: [[Double]] = [], handoffs: [[Double]] = [], references: [[Double]] = []
        let visible = network.layers[0].size
        for _ in 0 ..< rows {
            let x0 = rng.vector(visible, scale: 1) + [Double](repeating: 0, count: n - visible)
            guard let h = handoffState(single, finish: finish, from: x0, step: 0.005),
                let reference = plainFixedPoint(single, from: x0, step: 0.005)
            else {
                Issue.record("no hand-off or no convergence")
                return
            }
            starts.append(x0)
            handoffs.append(h)
            references.append(reference)
        }
        var states = handoffs.flatMap { $0 }
        let initial = starts.flatMap { $0 }
        let outcomes = states.withUnsafeMutableBufferPointer { s in
            initial.withUnsafeBufferPointer {
                finish.polish(s, initialStates: $0, rows: rows, relativeTolerance: 1e-6, absoluteTolerance: 1e-8)
            }
        }
        #expect(outcomes.count == rows)
        for r in 0 ..< rows {
            let result = Array(states[r * n ..< (r + 1) * n])
            if outcomes[r].polished {
                let distance = wrms(zip(result, references[r]).map { $0 - $1 }, at: references[r])
                #expect(distance <= 1, "row \(r): ‖x* − x_ref‖_WRMS = \(distance)")
            } else {
                #expect(result == handoffs[r], "row \(r) refused (\(outcomes[r].refusal!)) but changed")
            }
        }
        // At the default hand-off (1e5) a few rows are refused (to be retried later by the integrator).
        #expect(outcomes.filter(\.polished).count >= rows * 3 / 4, "\(outcomes.map { $0.refusal?.rawValue ?? "polished" })")
    }

    /// `E = (x₀² − 1)²/4 + 5 x₁² + Σ c_i z_i²/2` (c_i from 0.5 to 5): stable at x₀ = ±1, a saddle at the origin whose stable
    /// manifold (x₀ = 0) a trajectory from (1e-9, 1, …) follows for a while before it leaves.
    private func doubleWell(extra: Int = 30) -> QuarticGradientSystem {
        let n = 2 + extra
        var a = [Double](repeating: 0, count: n * n)
        a[0] = -1
        a[1 * n + 1] = 10
        for i in 2 ..< n { a[i * n + i] = 0.5 + 4.5 * Double(i - 2) / Double(max(extra - 1, 1)) }
        var q = [Double](repeating: 0, count: n)
        q[0] = 1
        return QuarticGradientSystem(a: a, q: q, b: [Double](repeating: 0, count: n))
    }

    @Test("a Newton step onto a saddle is refused as unstable (energy Hessian has a negative direction)")
    func saddleIsRefused() {
        let system = doubleWell()
        let n = system.dimension
        let finish = NewtonFinish(
            evaluator: system, timeConstants: Array(repeating: 1, count: n), clampMask: Array(repeating: false, count: n),
            patternRanges: [])
        // Near the saddle along its stable manifold: Newton converges to the origin, the correction is tiny
        // against the distance travelled, the energy falls; only the stability check can object.
        var x0 = [Double](repeating: 0.3, count: n)
        x0[0] = 1e-9
        x0[1] = 1
        var state = [Double](repeating: 1e-4, count: n)
        state[0] = 1e-6
        state[1] = 1e-3
        let before = state
        let outcome = state.withUnsafeMutableBufferPointer { s in
            x0.withUnsafeBufferPointer {
                finish.polish(s, initialStates: $0, rows: 1, relativeTolerance: 1e-6, absoluteTolerance: 1e-8)[0]
            }
        }
        #expect(outcome.refusal == .unstable, "\(outcome)")
        #expect((outcome.correctionRatio ?? 1) < 0.01)
        #expect((outcome.curvature ?? 0) < -0.05, "the smallest Ritz value is about −1/10: \(outcome.curvature ?? .nan)")
        #expect(state == before)
        // The same state with the stability check off is "polished" onto the saddle: the check is what refuses.
        var options = NewtonFinishOptions()
        options.stabilityIterations = 0
        let unchecked = NewtonFinish(
            evaluator: system, timeConstants: Array(repeating: 1, count: n), clampMask: Array(repeating: false, count: n),
            patternRanges: [], options: options)
        let outcome2 = state.withUnsafeMutableBufferPointer { s in
            x0.withUnsafeBufferPointer {
                unchecked.polish(s, initialStates: $0, rows: 1, relativeTolerance: 1e-6, absoluteTolerance: 1e-8)[0]
            }
        }
        #expect(outcome2.polished)
        #expect(abs(state[0]) < 1e-12, "Newton's point is the saddle")
    }

    @Test("a trajectory that passes a saddle: the hand-off there is refused and integration reaches x₀ = 1")
    func fallbackPastSaddle() {
        let system = doubleWell()
        let n = system.dimension
        let finish = NewtonFinish(
            evaluator: system, timeConstants: Array(repeating: 1, count: n), clampMask: Array(repeating: false, count: n),
            patternRanges: [])
        var x0 = [Double](repeating: 0.3, count: n)
        x0[0] = 1e-9
        x0[1] = 1
        var tracker = SteadyHandoff(options: finish.options)
        var refusals: [NewtonRefusal] = []
        var polishedAt: [Double]? = nil
        var log: [String] = []
        var t = 0.0
        _ = rk4(system, from: x0, step: 0.005, maxSteps: 20_000) { x, xdot in
            let norm = wrms(xdot, at: x)
            t += 0.005
            guard tracker.record(t: t, norm: norm, pattern: 0) else { return true }
            var state = x
            let outcome = state.withUnsafeMutableBufferPointer { s in
                x0.withUnsafeBufferPointer {
                    finish.polish(s, initialStates: $0, rows: 1, relativeTolerance: 1e-6, absoluteTolerance: 1e-8)[0]
                }
            }
            tracker.handedOff(polished: outcome.polished)
            log.append("x0=\(x[0]) norm=\(norm): \(outcome)")
            if let refusal = outcome.refusal {
                refusals.append(refusal)
                return !tracker.isExhausted
            }
            polishedAt = state
            return false
        }
        #expect(!refusals.isEmpty, "the hand-off near the saddle happened and was refused")
        #expect(polishedAt != nil, "refusals \(refusals), outcomes \(log)")
        #expect(abs((polishedAt?[0] ?? 0) - 1) < 1e-6, "finished at the minimum x₀ = 1, not at the saddle")
    }

    @Test("clamped units stay put; the free units reach the fixed point of the reduced system")
    func clampedUnits() {
        // E = ½ xᵀ A x + ¼ Σ x⁴ − bᵀ x with A SPD; unit 1 and 3 clamped.
        let n = 5
        var rng = SplitMix64(seed: 5)
        let m = rng.vector(n * n, scale: 0.3)
        var a = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { for j in 0 ..< n { for k in 0 ..< n { a[i * n + j] += m[k * n + i] * m[k * n + j] } } }
        for i in 0 ..< n { a[i * n + i] += 1 }
        let clamp = [false, true, false, true, false]
        let system = QuarticGradientSystem(a: a, q: Array(repeating: 1, count: n), b: rng.vector(n), clamp: clamp)
        let finish = NewtonFinish(
            evaluator: system, timeConstants: [1, 1, 1, 1, 1], clampMask: clamp, patternRanges: [0 ..< n])
        let x0 = rng.vector(n, scale: 2)
        guard var state = handoffState(system, finish: finish, from: x0, step: 0.01),
            let reference = plainFixedPoint(system, from: x0, step: 0.01)
        else {
            Issue.record("no hand-off or no convergence")
            return
        }
        let outcome = state.withUnsafeMutableBufferPointer { s in
            x0.withUnsafeBufferPointer {
                finish.polish(s, initialStates: $0, rows: 1, relativeTolerance: 1e-6, absoluteTolerance: 1e-8)[0]
            }
        }
        #expect(outcome.polished, "\(outcome)")
        #expect(state[1] == x0[1] && state[3] == x0[3])
        for i in 0 ..< n { #expect(abs(state[i] - reference[i]) <= 1e-9 * max(1, abs(reference[i]))) }
    }

    @Test("the tracker: threshold, k decreasing steps, a stable pattern, retries with a lower threshold")
    func tracker() {
        var options = NewtonFinishOptions()
        options.handoffThreshold = 10
        options.settledSteps = 3
        options.retryFactor = 10
        options.maxAttempts = 2
        var t = SteadyHandoff(options: options)
        var time = 0.0
        func due(_ norm: Double, _ pattern: Int) -> Bool {
            time += 1
            return t.record(t: time, norm: norm, pattern: pattern)
        }
        #expect(!due(50, 1))
        #expect(!due(9, 1))  // one decrease
        #expect(!due(8, 2))  // pattern changed
        #expect(!due(7, 2))
        #expect(!due(6, 2))
        #expect(due(5, 2))  // 3 decreases since …, 3 repeats of the pattern
        t.handedOff(polished: false)
        #expect(t.threshold == 1)
        #expect(!due(0.9, 2))
        #expect(!due(0.95, 2))  // a rise restarts the count
        #expect(!due(0.8, 2))
        #expect(!due(0.7, 2))
        #expect(due(0.6, 2))
        t.handedOff(polished: false)
        #expect(t.isExhausted)
        #expect(!due(1e-3, 2))
        // A trajectory decaying too slowly to be steady before t_end is not handed off.
        var slow = SteadyHandoff(options: options, endTime: 10)
        var due2 = false
        for step in 0 ..< 6 { due2 = slow.record(t: Double(step), norm: 9 * pow(0.9, Double(step)), pattern: 0) }
        #expect(!due2, "‖ẋ‖ = 5.3 at t = 5, decaying by e^{-0.105 t}: steady at t ≈ 21 > 10")
        var fast = SteadyHandoff(options: options, endTime: 10)
        for step in 0 ..< 6 { due2 = fast.record(t: Double(step), norm: 9 * pow(0.5, Double(step)), pattern: 0) }
        #expect(due2, "‖ẋ‖ = 0.28 at t = 5: steady already")
    }

    @Test("Sturm bisection: extreme eigenvalues of a tridiagonal matrix")
    func tridiagonal() {
        // The second-difference matrix tridiag(−1, 2, −1) of size m: eigenvalues 2 − 2 cos(kπ/(m+1)).
        let m = 7
        let (low, high) = NewtonFinish.extremeEigenvalues(
            diagonal: Array(repeating: 2, count: m), offDiagonal: Array(repeating: -1, count: m - 1))
        #expect(abs(low - (2 - 2 * cos(Double.pi / 8))) < 1e-12)
        #expect(abs(high - (2 - 2 * cos(7 * Double.pi / 8))) < 1e-12)
    }
}

@Suite("Automatic method: the stiff-from-start rule and the switch tracker")
struct StiffnessSwitchTests {
    @Test("T1 and T2 start explicit, a τ_h = 1e-4 network starts on BDF")
    func startRule() {
        let rule = AutoMethodOptions()
        let t1 = [Double](repeating: 1, count: 64) + [Double](repeating: 0.1, count: 50)
        #expect(!rule.startsImplicit(timeConstants: t1, endTime: 20, untilSteady: false))  // 2·20/0.1 = 400
        #expect(!rule.startsImplicit(timeConstants: t1, endTime: 100, untilSteady: true))  // span min(100, 20)
        let stiff = [Double](repeating: 1, count: 64) + [Double](repeating: 1e-4, count: 50)
        #expect(rule.startsImplicit(timeConstants: stiff, endTime: 20, untilSteady: false))  // 4e5
        #expect(rule.startsImplicit(timeConstants: t1, endTime: 100, untilSteady: false))  // 2 · 100 / 0.1 = 2000
    }

    @Test("a switch needs 15 consecutive capped steps and an expensive rest")
    func tracker() {
        let options = AutoMethodOptions()
        // ρ = 1e4 (h = 3e-4 capped): 2 · 20 · 1e4 ≫ 2000 after the 15th capped step, not before.
        var stiff = StiffnessSwitch(options: options, endTime: 20, untilSteady: false)
        var due: [Bool] = []
        for k in 0 ..< 20 { due.append(stiff.record(t: 1e-3 + 3e-4 * Double(k), rho: 1e4, capped: k != 3, norm: 1e6)) }
        #expect(due.firstIndex(of: true) == 18, "15 capped steps after the uncapped step 3: \(due)")
        // T1's tail: ρ ≈ 8 at t ≈ 11.5 of 20: 2 · 8.5 · 8 = 136 evaluations, no switch.
        var tail = StiffnessSwitch(options: options, endTime: 20, untilSteady: false)
        var any = false
        for k in 0 ..< 30 { any = tail.record(t: 11.5 + 0.37 * Double(k) / 30, rho: 8, capped: true, norm: 100) || any }
        #expect(!any)
        // Until steady: ‖ẋ‖ falling by e^{-1} per time unit from 1e3 predicts ≈ 7 time units, not 80.
        var steady = StiffnessSwitch(options: options, endTime: 100, untilSteady: true)
        any = false
        for k in 0 ..< 20 {
            let t = 20 + 0.1 * Double(k)
            any = steady.record(t: t, rho: 30, capped: true, norm: 1e3 * exp(-(t - 20))) || any
        }
        #expect(!any, "2 · ~5 · 30 = 300 < 2000")
    }
}
