// split-probe: a two-layer network whose memory layer is split over the processes (SplitMemoryNetwork)
// against the same network whole (Network) on one process. Run by SplitNetworkTests under mpirun, and by
// hand: `mpirun -np 3 .build/debug/split-probe check`.
//
//   split-probe check                      evaluator and solve checks; rank 0 prints PASS/FAIL lines, exit 1 on a FAIL
//   split-probe bench N K METHOD [REPS]    times one solve of a random softmax network (N features, K memories)
//                                          and REPS evaluations; rank 0 prints the times
import Distributed
import Foundation
import Hopfield
import HopfieldSimulation
import TestSupport

let world = Communicator.world
let reduction = CommunicatorReduction(world)
let arguments = Array(CommandLine.arguments.dropFirst())

/// One test network, whole and as this process's block.
struct Case {
    var name: String
    var whole: Network
    var split: SplitMemoryNetwork
    var query: [Double]
}

/// A random two-layer network from `seed` (every process draws the same numbers): identity features
/// with a small bias and the first `clampedFeatures` units clamped, `k` memories (rows ξ_μ of RMS 1/√N
/// scaled by `scale`), memory bias, the memory Lagrangian given; the query is pattern 0 plus noise.
func makeCase(
    _ name: String, n: Int, k: Int, memory: Lagrangian, tauM: Double, scale: Double, clampedFeatures: Int,
    clampedMemories: [Int] = [], seed: UInt64
) throws -> Case {
    var rng = SplitMix64(seed: seed)
    let w = (0 ..< k * n).map { _ in rng.normal() * scale / Double(n).squareRoot() }
    let featureBias = (0 ..< n).map { _ in 0.05 * rng.normal() }
    let memoryBias = (0 ..< k).map { _ in 0.02 * rng.normal() }
    let clampF = (0 ..< n).map { $0 < clampedFeatures }
    let clampM = (0 ..< k).map { clampedMemories.contains($0) }
    let features = Layer(name: "visible", size: n, lagrangian: .identity, tau: 1, bias: featureBias, clamp: clampF)
    let memories = Layer(name: "memory", size: k, lagrangian: memory, tau: tauM, bias: memoryBias, clamp: clampM)
    let whole = try Network(layers: [features, memories], synapses: [.dense(pre: "visible", post: "memory", weights: w)])
    let block = world.block(of: k)
    let split = try SplitMemoryNetwork(
        features: features, memories: memories, weights: Array(w[block.lowerBound * n ..< block.upperBound * n]),
        rowOffset: block.lowerBound, reduction: reduction)
    let query = (0 ..< n).map { i in w[i] * Double(n).squareRoot() / scale + 0.3 * rng.normal() }
    return Case(name: name, whole: whole, split: split, query: query)
}

nonisolated(unsafe) var lines: [String] = []
nonisolated(unsafe) var failed = false
func report(_ ok: Bool, _ what: String) {
    lines.append("\(ok ? "PASS" : "FAIL") \(what)")
    if !ok { failed = true }
}

/// max |a − b| / max(max |b|, tiny)
func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return maxAbsDifference(a, b) / max(maxAbs(b), 1e-300)
}

/// Joins every process's part (rank order) on rank 0; [] elsewhere.
func joined(_ part: [Double]) -> [Double] { world.gather(part).flatMap { $0 } }

/// Vector field, energy, rate, ∂E/∂x and J v of the split evaluator against the whole network's.
func checkEvaluator(_ c: Case) {
    var rng = SplitMix64(seed: 99)
    let dimension = c.whole.dimension
    let x = (0 ..< dimension).map { _ in 0.7 * rng.normal() }
    let v = (0 ..< dimension).map { _ in rng.normal() }
    let range = c.split.localRange
    let evaluator = c.split.makeEvaluator()
    let local = Array(x[range]), localV = Array(v[range])
    var xdot = [Double](repeating: 0, count: range.count), gradient = xdot, jv = xdot
    var energy = [0.0], rate = [0.0], energyOnly = [0.0]
    local.withUnsafeBufferPointer { xp in
        xdot.withUnsafeMutableBufferPointer { xd in
            energy.withUnsafeMutableBufferPointer { e in
                rate.withUnsafeMutableBufferPointer { r in
                    gradient.withUnsafeMutableBufferPointer { g in
                        evaluator.vectorField(xp, into: xd, energies: e, rates: r, gradients: g)
                    }
                }
            }
        }
    }
    local.withUnsafeBufferPointer { xp in
        energyOnly.withUnsafeMutableBufferPointer { evaluator.energies(xp, into: $0) }
    }
    var plain = [Double](repeating: 0, count: range.count)
    local.withUnsafeBufferPointer { xp in plain.withUnsafeMutableBufferPointer { evaluator.vectorField(xp, into: $0) } }
    local.withUnsafeBufferPointer { xp in
        localV.withUnsafeBufferPointer { vp in jv.withUnsafeMutableBufferPointer { evaluator.jacobianVectorProduct(at: xp, vp, into: $0) } }
    }
    let scalars = world.gather([energy[0], rate[0], energyOnly[0]])
    let allXdot = joined(xdot), allPlain = joined(plain), allGradient = joined(gradient), allJv = joined(jv)
    guard world.isRoot else { return }
    let full = c.whole.makeEvaluator(capacity: 1)
    var fx = [Double](repeating: 0, count: dimension), fg = fx, fjv = fx
    var fe = [0.0], fr = [0.0]
    x.withUnsafeBufferPointer { xp in
        fx.withUnsafeMutableBufferPointer { xd in
            fe.withUnsafeMutableBufferPointer { e in
                fr.withUnsafeMutableBufferPointer { r in
                    fg.withUnsafeMutableBufferPointer { g in full.vectorField(xp, into: xd, energies: e, rates: r, gradients: g) }
                }
            }
        }
        v.withUnsafeBufferPointer { vp in fjv.withUnsafeMutableBufferPointer { full.jacobianVectorProduct(at: xp, vp, into: $0) } }
    }
    let same = scalars.allSatisfy { $0 == scalars[0] }
    let dx = relativeDifference(allXdot, fx), dp = relativeDifference(allPlain, fx)
    let dg = relativeDifference(allGradient, fg), dj = relativeDifference(allJv, fjv)
    let de = abs(energy[0] - fe[0]) / max(abs(fe[0]), 1e-300), dr = abs(rate[0] - fr[0]) / max(abs(fr[0]), 1e-300)
    let deOnly = abs(energyOnly[0] - fe[0]) / max(abs(fe[0]), 1e-300)
    report(
        same && [dx, dp, dg, dj, de, dr, deOnly].allSatisfy { $0 <= 1e-12 },
        "\(c.name) evaluator: vector field \(dx) / \(dp), gradient \(dg), jvp \(dj), energy \(de) / \(deOnly), rate \(dr) (relative); scalars equal on every rank: \(same)")
}

/// Solves the split network and, on rank 0, the whole network with the same algorithm and options.
func checkSolve(_ c: Case, _ algorithm: SimulationAlgorithm, label: String, batch: Bool) throws {
    var options = SimulationOptions()
    options.relativeTolerance = 1e-10
    options.absoluteTolerance = 1e-12
    options.threads = 1
    var rng = SplitMix64(seed: 7)
    let second = c.query.map { $0 + 0.2 * rng.normal() }
    let initial: [[String: [Double]]] = batch ? [["visible": c.query], ["visible": second]] : [["visible": c.query]]
    let splitProblem = batch
        ? SplitProblem(network: c.split, initialStates: initial, endTime: 400, saveCount: 11, stopAtSteadyState: true)
        : SplitProblem(network: c.split, initialState: initial[0], endTime: 400, saveCount: 11, stopAtSteadyState: true)
    let split = try solve(splitProblem, algorithm, options: options, across: world)
    guard world.isRoot else {
        if split != nil { report(false, "\(c.name) \(label): a rank other than 0 returned a solution") }
        return
    }
    guard let split else { return report(false, "\(c.name) \(label): rank 0 returned no solution") }
    let wholeProblem = batch
        ? SimulationProblem(model: c.whole, initialStates: initial, endTime: 400, saveCount: 11, stopAtSteadyState: true)
        : SimulationProblem(model: c.whole, initialState: initial[0], endTime: 400, saveCount: 11, stopAtSteadyState: true)
    let whole = try solve(wholeProblem, algorithm, options: options)
    var ok = split.count == whole.count && split.algorithm == whole.algorithm && split.variables == whole.variables
        && split.isBatch == whole.isBatch && split.strategy == whole.strategy
    var details: [String] = []
    for b in 0 ..< min(split.count, whole.count) {
        let s = split[b], w = whole[b]
        let dState = relativeDifference(s.finalState, w.finalState)
        let dEnergy = abs(s.energyFinal - w.energyFinal) / max(abs(w.energyFinal), 1e-300)
        let dInitial = abs(s.energyInitial - w.energyInitial) / max(abs(w.energyInitial), 1e-300)
        let shape = s.dimension == w.dimension && s.times == w.times && s.states.count == s.times.count * s.dimension
            && s.segments.count == 1 && s.segments[0].method == w.segments[0].method
        let stats = s.statistics.steps > 0 && s.statistics.rhsEvaluations > s.statistics.steps
            && abs(s.statistics.steps - w.statistics.steps) <= max(3, w.statistics.steps / 5)
        // The saved states: the same grid, each within the tolerance-level difference of two runs.
        let dSaved = relativeDifference(s.statesOnSaveGrid(), w.statesOnSaveGrid())
        ok = ok && s.status == .steadyState && w.status == .steadyState && s.monitor.passed && s.monitor.violations == 0
            && dState <= 1e-9 && dEnergy <= 1e-9 && dInitial <= 1e-12 && shape && stats && dSaved <= 1e-6
        details.append(
            "[\(b)] status \(s.status) final state \(dState) energy \(dEnergy) saved \(dSaved) steps \(s.statistics.steps)/\(w.statistics.steps) rhs \(s.statistics.rhsEvaluations)/\(w.statistics.rhsEvaluations) monitor \(s.monitor.passed)")
    }
    report(ok, "\(c.name) \(label)\(batch ? " batch" : ""): " + details.joined(separator: "; "))
}

func check() throws {
    let softmax = try makeCase(
        "softmax", n: 40, k: 70, memory: .softmax(beta: 3), tauM: 0.1, scale: 1.5, clampedFeatures: 0, seed: 11)
    let relu = try makeCase(
        "relu", n: 32, k: 55, memory: .relu, tauM: 0.2, scale: 0.35, clampedFeatures: 4, clampedMemories: [0, 30],
        seed: 12)
    let clampedSoftmax = try makeCase(
        "softmax-clamped", n: 36, k: 61, memory: .softmax(beta: 2), tauM: 0.5, scale: 1.2, clampedFeatures: 5, seed: 13)
    for c in [softmax, relu, clampedSoftmax] { checkEvaluator(c) }
    try checkSolve(softmax, .bdf(linearSolver: .gmres()), label: "bdf+gmres", batch: false)
    try checkSolve(softmax, .tsit5, label: "tsit5", batch: false)
    try checkSolve(relu, .bdf(linearSolver: .gmres()), label: "bdf+gmres", batch: true)
    try checkSolve(relu, .tsit5, label: "tsit5", batch: false)
    try checkSolve(clampedSoftmax, .bdf(linearSolver: .gmres()), label: "bdf+gmres", batch: false)
    // A dense linear solver is refused on every rank alike, before any communication.
    do {
        _ = try solve(
            SplitProblem(network: softmax.split, initialState: ["visible": softmax.query]), .bdf(linearSolver: .dense),
            across: world)
        report(false, "dense linear solver: accepted")
    } catch {
        report("\(error)".contains("no dense Jacobian"), "dense linear solver refused: \(error)")
    }
}

/// Times one solve and `reps` evaluations of a random softmax network (N features, K memories).
func bench(n: Int, k: Int, method: String, reps: Int) throws {
    var rng = SplitMix64(seed: 5)
    let block = world.block(of: k)
    // Every process draws all rows (same numbers everywhere) and keeps its block.
    var w = [Double](repeating: 0, count: block.count * n)
    for mu in 0 ..< k {
        for i in 0 ..< n {
            let value = rng.normal() / Double(n).squareRoot()
            if block.contains(mu) { w[(mu - block.lowerBound) * n + i] = value }
        }
    }
    let features = Layer(name: "visible", size: n, lagrangian: .identity)
    let memories = Layer(name: "memory", size: k, lagrangian: .softmax(beta: 8), tau: 0.1)
    let network = try SplitMemoryNetwork(
        features: features, memories: memories, weights: w, rowOffset: block.lowerBound, reduction: reduction)
    let query = (0 ..< n).map { _ in rng.normal() }
    let evaluator = network.makeEvaluator()
    var x = [Double](repeating: 0, count: network.localDimension)
    if world.isRoot { for i in 0 ..< n { x[i] = query[i] } }
    var xdot = x
    world.barrier()
    let clock = ContinuousClock()
    let evaluations = clock.measure {
        for _ in 0 ..< reps {
            x.withUnsafeBufferPointer { xp in xdot.withUnsafeMutableBufferPointer { evaluator.vectorField(xp, into: $0) } }
        }
    }
    var sums = [Double](repeating: 1, count: n + 1)
    world.barrier()
    let reductions = clock.measure {
        for _ in 0 ..< reps { sums.withUnsafeMutableBufferPointer { reduction.sum($0) } }
    }
    var options = SimulationOptions()
    options.threads = 1
    let algorithm: SimulationAlgorithm = method == "tsit5" ? .tsit5 : .bdf(linearSolver: .gmres())
    world.barrier()
    var solution: SimulationSolution?
    let solveTime = try clock.measure {
        solution = try solve(
            SplitProblem(network: network, initialState: ["visible": query], endTime: 100, saveCount: 11, stopAtSteadyState: true),
            algorithm, options: options, across: world)
    }
    guard world.isRoot, let solution else { return }
    func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15 }
    print("processes \(world.size) N \(n) K \(k) method \(method)")
    print("evaluation \(ms(evaluations) / Double(reps)) ms, SUM of N+1 alone \(ms(reductions) / Double(reps) * 1e3) µs")
    print("solve \(ms(solveTime)) ms status \(solution.status) steps \(solution.statistics.steps) rhs \(solution.statistics.rhsEvaluations) jvp \(solution.statistics.solverStatistics.jvpEvaluations) energy \(solution[0].energyFinal)")
}

do {
    switch arguments.first ?? "check" {
    case "check":
        try check()
    case "bench":
        guard arguments.count >= 4, let n = Int(arguments[1]), let k = Int(arguments[2]) else {
            FileHandle.standardError.write(Data("usage: split-probe bench N K bdf|tsit5 [REPS]\n".utf8))
            world.exit(2)
        }
        try bench(n: n, k: k, method: arguments[3], reps: arguments.count > 4 ? Int(arguments[4]) ?? 20 : 20)
    default:
        FileHandle.standardError.write(Data("split-probe: unknown mode \(arguments[0])\n".utf8))
        world.exit(2)
    }
} catch {
    if world.isRoot { FileHandle.standardError.write(Data("split-probe: \(error)\n".utf8)) }
    world.exit(1)
}
if world.isRoot { print("processes \(world.size) uses_mpi \(world.usesMPI)"); lines.forEach { print($0) } }
world.exit(failed ? 1 : 0)
