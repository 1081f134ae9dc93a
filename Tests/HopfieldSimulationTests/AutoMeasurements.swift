import Foundation
import Hopfield
@testable import HopfieldSimulation
import Testing

// The measurements behind the thresholds of `--method auto` and the Newton finish
// (docs/performance-auto.md). Off unless HOPFIELD_MEASURE_DATA names a folder made by
// `Benchmarks/peers/tasks.py --tasks T1,T2 --out DIR`; they print tables and assert only that the
// guarded finish never lands on a wrong fixed point. Counts, not seconds: every number is a count of
// right-hand-side evaluations (a Jacobian–vector product counts as one).
//
//     HOPFIELD_MEASURE_DATA=DIR swift test --filter AutoMeasurements

private let measureData = ProcessInfo.processInfo.environment["HOPFIELD_MEASURE_DATA"]

/// One accepted step of the replica: time, step, Hairer's `h ρ`, whether the stability cap set the next
/// step, `‖ẋ‖_WRMS` at the new state.
private struct ReplicaStep {
    var t: Double
    var h: Double
    var hRho: Double
    var capped: Bool
    var norm: Double
}

/// A one-trajectory replica of ExplicitIntegrator's Tsit5 (same tableau, starting step, controller,
/// stability cap and steady test), over any ModelEvaluator, that reports every accepted step. The
/// observer may stop the integration (returning false).
private func replicaTsit5(
    _ evaluator: any ModelEvaluator, from x0: [Double], endTime: Double, rtol: Double, atol: Double,
    untilSteady: Bool, maxSteps: Int = 2_000_000,
    observe: (ReplicaStep, _ y: [Double], _ ydot: [Double]) -> Bool = { _, _, _ in true }
) -> (state: [Double], t: Double, evaluations: Int, steps: Int, steady: Bool) {
    let n = x0.count
    var y = x0
    var k = [[Double]](repeating: [Double](repeating: 0, count: n), count: 7)
    var stage = [Double](repeating: 0, count: n)
    var y1 = stage
    var evaluations = 0
    func field(_ input: [Double], _ out: inout [Double]) {
        input.withUnsafeBufferPointer { i in out.withUnsafeMutableBufferPointer { evaluator.vectorField(i, into: $0) } }
        evaluations += 1
    }
    func wrms(_ v: [Double], _ x: [Double]) -> Double {
        var s = 0.0
        for i in 0 ..< n { let w = v[i] / (atol + rtol * abs(x[i])); s += w * w }
        return (s / Double(n)).squareRoot()
    }
    field(y, &k[0])
    let d0 = wrms(y, y), d1 = wrms(k[0], y)
    let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1
    for i in 0 ..< n { stage[i] = y[i] + h0 * k[0][i] }
    field(stage, &k[1])
    var d2 = 0.0
    for i in 0 ..< n { let d = (k[1][i] - k[0][i]) / (atol + rtol * abs(y[i])); d2 += d * d }
    d2 = (d2 / Double(n)).squareRoot() / h0
    let largest = max(d1, d2)
    let h1 = largest <= 1e-15 ? max(1e-6, h0 * 1e-3) : pow(0.01 / largest, 0.2)
    var h = min(100 * h0, h1, endTime)
    var t = 0.0
    var previousError = 1e-4
    var rejectedLast = false
    var steps = 0
    if untilSteady && wrms(k[0], y) <= 1 { return (y, t, evaluations, 0, true) }
    let a = Tsit5Tableau.a, b = Tsit5Tableau.b, e = Tsit5Tableau.e
    for _ in 0 ..< maxSteps {
        for s in 1 ..< 6 {
            for i in 0 ..< n {
                var v = y[i]
                for j in 0 ..< s { v += h * a[s - 1][j] * k[j][i] }
                stage[i] = v
            }
            field(stage, &k[s])
        }
        for i in 0 ..< n {
            var v = y[i]
            for j in 0 ..< 6 { v += h * b[j] * k[j][i] }
            y1[i] = v
        }
        field(y1, &k[6])
        var sum = 0.0, num = 0.0, den = 0.0
        for i in 0 ..< n {
            var est = 0.0
            for j in 0 ..< 7 { est += h * e[j] * k[j][i] }
            let scaled = est / (atol + rtol * max(abs(y[i]), abs(y1[i])))
            sum += scaled * scaled
            let dk = k[6][i] - k[5][i], dy = y1[i] - stage[i]
            num += dk * dk
            den += dy * dy
        }
        let error = (sum / Double(n)).squareRoot()
        let growth = pow(max(error, 1e-300), 0.17)
        if error <= 1 {
            let reachesEnd = t + h >= endTime || endTime - (t + h) <= 1e-12 * endTime
            t = reachesEnd ? endTime : t + h
            y = y1
            k[0] = k[6]
            steps += 1
            var factor = min(5, max(0.1, growth / pow(previousError, 0.04) / 0.9))
            if rejectedLast { factor = max(factor, 1) }
            let rho = den > 0 ? (num / den).squareRoot() : 0
            var capped = false
            if rho > 0 && h * rho / 3 > factor {
                factor = h * rho / 3
                capped = true
            }
            previousError = max(error, 1e-4)
            rejectedLast = false
            let norm = wrms(k[0], y)
            if !observe(ReplicaStep(t: t, h: h, hRho: h * rho, capped: capped, norm: norm), y, k[0]) {
                return (y, t, evaluations, steps, false)
            }
            if reachesEnd { return (y, t, evaluations, steps, false) }
            if untilSteady && norm <= 1 { return (y, t, evaluations, steps, true) }
            h = h / factor
            if t + 1.01 * h >= endTime { h = endTime - t }
        } else {
            rejectedLast = true
            let factor = min(5, growth / 0.9)
            h = h / (factor.isFinite ? max(factor, 1) : 5)
        }
    }
    return (y, t, evaluations, steps, false)
}


private struct MeasuredTask {
    var name: String
    var network: Network
    var queries: [[Double]]  // full initial states (h = 0)
    var endTime: Double
    var untilSteady: Bool
}

/// A little-endian float64 C-order `.npy` file (format 1.0), enough for the task folders.
private func readNPY(_ path: String) throws -> (shape: [Int], values: [Double]) {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let headerLength = Int(data[8]) | Int(data[9]) << 8
    let header = String(decoding: data[10 ..< 10 + headerLength], as: UTF8.self)
    let shapeText = header[header.range(of: "(")!.upperBound ..< header.range(of: ")")!.lowerBound]
    let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    let count = shape.reduce(1, *)
    var values = [Double](repeating: 0, count: count)
    values.withUnsafeMutableBytes { out in
        out.copyBytes(from: data[(10 + headerLength) ..< (10 + headerLength + 8 * count)])
    }
    return (shape, values)
}

private func loadTask(_ folder: String, name: String, count: Int, tauH: Double? = nil, flips: Bool = false) throws -> MeasuredTask {
    let memories = try readNPY(folder + "/memories.npy")
    let queries = try readNPY(folder + "/queries.npy")
    let task = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/task.json"))) as! [String: Any]
    let k = memories.shape[0], n = memories.shape[1]
    let beta = task["beta"] as! Double
    let network = try Network(
        layers: [
            Layer(name: "v", size: n, lagrangian: .identity, tau: 1),
            Layer(name: "h", size: k, lagrangian: .softmax(beta: beta), tau: tauH ?? (task["tau_h"] as! Double)),
        ],
        synapses: [.dense(pre: "v", post: "h", weights: memories.values)])
    var starts: [[Double]] = []
    if flips {
        // T1 × count: memory b with 16 seeded pixels sign-flipped (as tasks.py makes query 0).
        var rng = SplitMix64(seed: 20240601)
        for b in 0 ..< count {
            var q = Array(memories.values[(b % k) * n ..< (b % k + 1) * n])
            var flipped = Set<Int>()
            while flipped.count < 16 { flipped.insert(Int(rng.next() % UInt64(n))) }
            for i in flipped { q[i] = -q[i] }
            starts.append(q + [Double](repeating: 0, count: k))
        }
    } else {
        for b in 0 ..< min(count, queries.shape[0]) {
            let query = Array(queries.values[b * n ..< (b + 1) * n])
            starts.append(query + [Double](repeating: 0, count: k))
        }
    }
    return MeasuredTask(
        name: name, network: network, queries: starts, endTime: task["t_end"] as! Double,
        untilSteady: true)
}

private func argmaxH(_ x: [Double], _ network: Network) -> Int {
    let r = network.range(ofLayer: 1)
    return r.max { x[$0] < x[$1] }! - r.lowerBound
}

@Suite("Auto-method measurements (HOPFIELD_MEASURE_DATA)", .enabled(if: measureData != nil))
struct AutoMeasurements {
    /// Newton hand-off: evaluations and outcome per threshold, guarded and unguarded, against a tight
    /// reference (Tsit5 replica at rtol 1e-10, atol 1e-12 until steady).
    fileprivate func handoffTable(_ task: MeasuredTask) {
        let network = task.network
        let n = network.dimension
        let evaluator = network.makeEvaluator(capacity: 1)
        let taus = network.timeConstants
        let ranges = [network.range(ofLayer: 1)]
        let rtol = 1e-6, atol = 1e-8
        var plain: [Int] = [], references: [[Double]] = [], plainStates: [[Double]] = []
        for x0 in task.queries {
            let run = replicaTsit5(evaluator, from: x0, endTime: task.endTime, rtol: rtol, atol: atol, untilSteady: true)
            plain.append(run.evaluations)
            plainStates.append(run.state)
            let tight = replicaTsit5(evaluator, from: x0, endTime: 1000, rtol: 1e-10, atol: 1e-12, untilSteady: true)
            references.append(tight.state)
        }
        let plainMean = Double(plain.reduce(0, +)) / Double(plain.count)
        print("\(task.name): \(task.queries.count) queries, plain Tsit5 until steady: \(plainMean) evaluations per query")
        func wrms(_ a: [Double], _ b: [Double]) -> Double {
            var s = 0.0
            for i in 0 ..< n { let w = (a[i] - b[i]) / (atol + rtol * abs(b[i])); s += w * w }
            return (s / Double(n)).squareRoot()
        }
        let plainWorst = zip(plainStates, references).map { wrms($0, $1) }.max() ?? 0
        print("  plain: worst ‖x − x_ref‖_WRMS \(plainWorst)")
        print("  threshold | guards | polished | refused | wrong memory | worst WRMS dist | evals/query | saving | Newton evals/query (f + Jv) | t_handoff mean")
        for guarded in [true, false] {
            for threshold in guarded ? [1e3, 1e4, 1e5, 1e6] : [1e5, 1e6, 1e7] {
                var options = NewtonFinishOptions()
                options.handoffThreshold = threshold
                if !guarded {
                    options.settledSteps = 1
                    options.correctionRatio = .infinity
                    options.stabilityIterations = 0
                    options.contraction = 0.999_999
                    options.maxAttempts = 1
                }
                let finish = NewtonFinish(
                    evaluator: evaluator, timeConstants: taus, clampMask: Array(repeating: false, count: n),
                    patternRanges: guarded ? ranges : [], options: options)
                var polished = 0, refused = 0, wrong = 0, worst = 0.0, total = 0, newtonEvals = 0, handoffTime = 0.0
                var refusals: [NewtonRefusal: Int] = [:]
                for (q, x0) in task.queries.enumerated() {
                    var tracker = SteadyHandoff(options: options, endTime: task.endTime)
                    var result: [Double]? = nil
                    var spent = 0
                    let run = replicaTsit5(evaluator, from: x0, endTime: task.endTime, rtol: rtol, atol: atol, untilSteady: true) {
                        step, y, _ in
                        let pattern = y.withUnsafeBufferPointer { finish.patternSignature(of: $0) }
                        guard tracker.record(t: step.t, norm: step.norm, pattern: pattern) else { return true }
                        var state = y
                        let outcome = state.withUnsafeMutableBufferPointer { s in
                            x0.withUnsafeBufferPointer {
                                finish.polish(s, initialStates: $0, rows: 1, relativeTolerance: rtol, absoluteTolerance: atol)[0]
                            }
                        }
                        tracker.handedOff(polished: outcome.polished)
                        spent += outcome.evaluations + outcome.jacobianProducts
                        if let refusal = outcome.refusal {
                            refusals[refusal, default: 0] += 1
                            return true
                        }
                        result = state
                        handoffTime += step.t
                        return false
                    }
                    total += run.evaluations + spent
                    newtonEvals += spent
                    if let r = result {
                        polished += 1
                        worst = max(worst, wrms(r, references[q]))
                        if argmaxH(r, network) != argmaxH(references[q], network) || wrms(r, references[q]) > 1 {
                            wrong += 1
                            if threshold == 1e4 && guarded {
                                func residual(_ x: [Double]) -> Double {
                                    var fx = [Double](repeating: 0, count: n)
                                    x.withUnsafeBufferPointer { xp in fx.withUnsafeMutableBufferPointer { evaluator.vectorField(xp, into: $0) } }
                                    return wrms(fx.map { $0 + 0 }, [Double](repeating: 0, count: n).enumerated().map { x[$0.offset] } ) * 0
                                        + { var s = 0.0; for i in 0 ..< n { let w = fx[i] / (atol + rtol * abs(x[i])); s += w * w }; return (s / Double(n)).squareRoot() }()
                                }
                                print("    query \(q): argmax \(argmaxH(r, network)) vs ref \(argmaxH(references[q], network)); dist \(wrms(r, references[q])); ‖f‖ newton \(residual(r)), ref \(residual(references[q])), plain \(residual(plainStates[q])); plain–ref \(wrms(plainStates[q], references[q]))")
                            }
                        }
                    } else {
                        refused += 1
                    }
                }
                let mean = Double(total) / Double(task.queries.count)
                print(String(
                    format: "  %9.0e | %6@ | %8d | %7d | %12d | %15.3g | %11.1f | %5.2fx | %26.1f | %.3g  %@", threshold,
                    guarded ? "on" : "off", polished, refused, wrong, worst, mean, plainMean / mean,
                    Double(newtonEvals) / Double(task.queries.count), handoffTime / Double(max(polished, 1)),
                    "\(refusals.map { "\($0.key.rawValue): \($0.value)" })"))
                if guarded { #expect(wrong == 0, "\(task.name) threshold \(threshold): \(wrong) wrong fixed points") }
            }
        }
    }

    /// The stiffness record of the explicit steps: how many accepted steps the stability cap set, the
    /// longest run of consecutive capped steps, and when a run of 15 first completes.
    fileprivate func stiffnessTable(_ task: MeasuredTask, queries: Int) {
        let evaluator = task.network.makeEvaluator(capacity: 1)
        print("\(task.name) (τ_min = \(task.network.timeConstants.min()!)): stiffness record of Tsit5 until steady")
        print("  query | evals | steps | capped | longest capped run | t at 15th consecutive | h ρ median")
        for (q, x0) in task.queries.prefix(queries).enumerated() {
            var capped = 0, run = 0, longest = 0
            var switchTime: Double? = nil
            var hRhos: [Double] = []
            let result = replicaTsit5(evaluator, from: x0, endTime: task.endTime, rtol: 1e-6, atol: 1e-8, untilSteady: true) {
                step, _, _ in
                hRhos.append(step.hRho)
                if step.capped { capped += 1; run += 1 } else { run = 0 }
                longest = max(longest, run)
                if run == 15 && switchTime == nil { switchTime = step.t }
                return true
            }
            hRhos.sort()
            print(String(
                format: "  %5d | %5d | %5d | %6d | %18d | %21@ | %.3g", q, result.evaluations, result.steps, capped, longest,
                switchTime.map { String(format: "%.4g", $0) } ?? "–", hRhos.isEmpty ? 0 : hRhos[hRhos.count / 2]))
        }
    }

    /// CVODE BDF + GMRES (independent trajectories) on the same queries: evaluations + J v products.
    fileprivate func bdfCounts(_ task: MeasuredTask, queries: Int) throws {
        let problem = SimulationProblem(
            model: task.network, flatInitialStates: Array(task.queries.prefix(queries)), isBatch: true,
            endTime: task.endTime, saveCount: 2, stopAtSteadyState: true)
        var options = SimulationOptions(maxSteps: 1_000_000, batchStrategy: .independent)
        options.relativeTolerance = 1e-6
        let solution = try solve(problem, .bdf(linearSolver: .gmres()), options: options)
        let counts = solution.trajectories.map {
            $0.statistics.solverStatistics.rhsEvaluations + $0.statistics.solverStatistics.jvpEvaluations
        }
        let steps = solution.trajectories.map { $0.statistics.steps }
        print("\(task.name): BDF + GMRES until steady: evaluations + Jv per query \(counts), steps \(steps)")
    }

    @Test("T1 × 32: hand-off thresholds, stiffness record, BDF counts")
    func t1() throws {
        let task = try loadTask(measureData! + "/T1", name: "T1", count: 32, flips: true)
        handoffTable(task)
        stiffnessTable(task, queries: 4)
        try bdfCounts(task, queries: 4)
    }

    @Test("stiff T1 (τ_h = 1e-4): stiffness record, BDF counts")
    func stiffT1() throws {
        let task = try loadTask(measureData! + "/T1", name: "stiff T1", count: 2, tauH: 1e-4, flips: true)
        stiffnessTable(task, queries: 2)
        try bdfCounts(task, queries: 2)
    }

    @Test("T2 × 32: hand-off thresholds, stiffness record, BDF counts")
    func t2() throws {
        let task = try loadTask(measureData! + "/T2", name: "T2", count: 32)
        handoffTable(task)
        stiffnessTable(task, queries: 4)
        try bdfCounts(task, queries: 4)
    }
}
