// A two-layer Krotov–Hopfield network with a softmax memory layer (a modern Hopfield network in
// continuous time): store random ±1 patterns, start from a corrupted copy of one of them, integrate to a
// steady state with CVODE, and check that (a) the network reached the stored pattern and (b) the energy
// never increased. Exits with status 1 when either check fails.
//
//     τ_v v̇ = Ξᵀ softmax_β(h) − v,   τ_h ḣ = Ξ v − h
//
// Run: swift run example-krotov-hopfield-softmax
import Foundation
import Hopfield
import HopfieldSimulation

let features = 64, memories = 8, beta = 0.5, flipped = 16
var rng = SplitMix64(seed: 42)
let patterns: [[Double]] = (0 ..< memories).map { _ in (0 ..< features).map { _ in Bool.random(using: &rng) ? 1 : -1 } }

let network = try Network(
    layers: [
        Layer(name: "visible", shape: [8, 8], lagrangian: .identity, tau: 1),
        Layer(name: "memory", size: memories, lagrangian: .softmax(beta: beta), tau: 0.1),
    ],
    synapses: [.dense(pre: "visible", post: "memory", weights: patterns.flatMap { $0 })])

let target = 3
var query = patterns[target]
for i in Array(0 ..< features).shuffled(using: &rng).prefix(flipped) { query[i] = -query[i] }

let problem = SimulationProblem(
    model: network, initialState: ["visible": query], endTime: 200, saveCount: 2, stopAtSteadyState: true)
let solution = try solve(problem, .bdf(), options: SimulationOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10))
let result = solution[0]

let v = result.final["visible"]!
let overlaps = patterns.map { p in zip(p, v).map(*).reduce(0, +) / Double(features) }
let reached = overlaps.indices.max { overlaps[$0] < overlaps[$1] }!
let bitsRight = zip(patterns[target], v).filter { $0 * $1 > 0 }.count

print("Krotov–Hopfield network: \(features) identity features, \(memories) softmax(β = \(beta)) memories")
print("query: pattern \(target) with \(flipped) of \(features) signs flipped")
print("status: \(result.status) at t = \(String(format: "%.3f", result.finalTime))")
print("reached pattern \(reached) (overlap \(String(format: "%.4f", overlaps[reached]))), \(bitsRight)/\(features) signs right")
print("energy: \(String(format: "%.6f", result.energyInitial)) → \(String(format: "%.6f", result.energyFinal))")
let m = result.monitor
print("monitor: \(m.steps) steps, max increase \(String(format: "%.3e", m.maxEnergyIncrease)), violations \(m.violations), max dE/dt \(String(format: "%.3e", m.maxRate))")
if case .cvode(let s) = result.statistics {
    print("solver: \(s.steps) steps, \(s.rhsEvaluations) rhs evaluations, \(s.jacobianEvaluations) Jacobians")
}

var ok = true
if !result.status.isSuccess { print("FAIL: integration \(result.status)"); ok = false }
if reached != target || bitsRight != features { print("FAIL: retrieval"); ok = false }
if !m.passed { print("FAIL: the energy increased"); ok = false }
print(ok ? "PASS" : "FAIL")
exit(ok ? 0 : 1)
