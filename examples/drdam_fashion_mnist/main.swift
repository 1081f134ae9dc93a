// DrDAM on Fashion-MNIST (the first figure of Hoover et al. 2024): store K images, hide the bottom 60 % of
// a stored image, clamp the visible top 40 %, and let two gradient-flow models fill in the rest —
// the exact log-sum-exp memory (MrDAM) and its random-feature estimate (DrDAM, Y features) —
//
//     dx/dt = −∇E(x) on the hidden pixels,   E(x) = −β⁻¹ log Σ_μ exp(−(β/2)‖x − ξ_μ‖²)          (exact)
//                                            Ẽ(x) = −β⁻¹ log max(⟨Φ(x), Σ_μ Φ(ξ_μ)⟩, κ)          (DrDAM)
//
// integrated to steady state by solve (Tsit5) with the energy monitor. Writes retrievals.svg (query,
// exact, random features, original) and energy.svg (both energy traces) to the folder given as argument
// (default drdam-fashion-mnist-output). Self-check, exit 1 when it fails: no energy increase, clamped
// pixels unchanged, and the random-feature retrieval ends nearest the same stored image as the exact one
// for at least 4 of the 5 queries.
//
// Run: swift run example-drdam-fashion-mnist
import Datasets
import Foundation
import Hopfield
import HopfieldSimulation
import Plotting

let storedCount = 10, queries = 5, beta = 0.08, features = 20_000, seed: UInt64 = 1
let outputFolder = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "drdam-fashion-mnist-output"

guard FashionMNIST.isAvailable(split: .test) else {
    FileHandle.standardError.write(Data("Fashion-MNIST not found in \(FashionMNIST.defaultDirectory.path) (apt-get install dataset-fashion-mnist)\n".utf8))
    exit(2)
}
let images = try FashionMNIST.load(split: .test, limit: storedCount)
let d = images.dimension
let memories = images.pixels  // [K, 784], pixels in [0, 1]
let visibleRows = 11  // rows 0..<11 visible (39 %), rows 11..<28 hidden (61 %)
let clamp = (0 ..< d).map { $0 < visibleRows * 28 }

let variables = [GradientVariable(name: "x", shape: [28, 28], clamp: clamp)]
let exact = try GradientModel(variables: variables, terms: [.lse(LogSumExpTerm(variable: "x", beta: beta, memories: memories))])
let drdam = try GradientModel(
    variables: variables,
    terms: [.randomFeatures(RandomFeatureTerm(
        variable: "x", beta: beta, projection: .seeded(features: features, seed: seed), store: .memories(memories)))])

// Queries: stored images 0..<5 with the hidden pixels set to 0.
let starts: [[Double]] = (0 ..< queries).map { q in (0 ..< d).map { clamp[$0] ? memories[q * d + $0] : 0 } }
func retrieve(_ model: GradientModel) throws -> SimulationSolution {
    let problem = SimulationProblem(
        model: model, flatInitialStates: starts, isBatch: true, endTime: 200, saveCount: 2, stopAtSteadyState: true)
    return try solve(problem, .tsit5, options: SimulationOptions(relativeTolerance: 1e-6, absoluteTolerance: 1e-8))
}
let exactSolution = try retrieve(exact)
let drdamSolution = try retrieve(drdam)

func nearest(_ x: [Double]) -> (index: Int, distance: Double) {
    let distances = (0 ..< storedCount).map { m in (0 ..< d).reduce(0.0) { $0 + (x[$1] - memories[m * d + $1]) * (x[$1] - memories[m * d + $1]) } }
    let best = distances.indices.min { distances[$0] < distances[$1] }!
    return (best, distances[best])
}

print("DrDAM on Fashion-MNIST: K = \(storedCount) test images, β = \(beta), Y = \(features) sincos features (seed \(seed)), bottom 17 of 28 rows hidden")
print("query  exact → image (‖x − ξ‖²)   random features → image (‖x − ξ‖²)   ‖x_exact − x_rf‖²   E exact, E rf (final)")
var agree = 0, ok = true
for q in 0 ..< queries {
    let e = exactSolution[q], r = drdamSolution[q]
    let ne = nearest(e.finalState), nr = nearest(r.finalState)
    let gap = zip(e.finalState, r.finalState).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    if ne.index == nr.index { agree += 1 }
    print(String(format: "%5d  %5d (%7.3f)              %5d (%7.3f)                  %9.4f        %8.4f, %8.4f",
                 q, ne.index, ne.distance, nr.index, nr.distance, gap, e.energyFinal, r.energyFinal))
    for (name, t) in [("exact", e), ("random features", r)] {
        if !t.status.isSuccess { print("FAIL: query \(q), \(name): integration \(t.status)"); ok = false }
        if !t.monitor.passed { print("FAIL: query \(q), \(name): the energy increased by \(t.monitor.maxEnergyIncrease)"); ok = false }
        if (0 ..< d).contains(where: { clamp[$0] && t.finalState[$0] != starts[q][$0] }) {
            print("FAIL: query \(q), \(name): a clamped pixel moved"); ok = false
        }
    }
}
print("the random-feature retrieval ends nearest the same stored image as the exact one for \(agree) of \(queries) queries")
if agree < 4 { print("FAIL: fewer than 4 of \(queries) agree"); ok = false }

// Figures: images side by side, energy traces.
func image(_ pixels: [Double]) -> GrayImage? { try? GrayImage(rows: 28, columns: 28, pixels: pixels) }
let grid = ImageGrid(
    title: "Bottom 60 % hidden: exact vs random features (Y = \(features))",
    rowCaptions: (0 ..< queries).map { "query \($0)" }, columnCaptions: ["query", "exact", "random features", "original"],
    cells: (0 ..< queries).map { q in
        [image(starts[q]), image(exactSolution[q].finalState), image(drdamSolution[q].finalState),
         image(Array(memories[q * d ..< (q + 1) * d]))]
    }, range: .fixed(low: 0, high: 1))
var series: [Series] = []
for q in 0 ..< queries {
    for (name, t) in [("exact", exactSolution[q]), ("rf", drdamSolution[q])] {
        if let s = try? Series(name: "\(name) \(q)", xs: t.energyTrace.map(\.t), ys: t.energyTrace.map(\.energy)) { series.append(s) }
    }
}
let energy = LinePlot(title: "Energy along the retrievals", xLabel: "t", yLabel: "E", series: series)
let folder = URL(fileURLWithPath: outputFolder)
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
try Data(Figure(panels: [.images(grid)]).svg().utf8).write(to: folder.appendingPathComponent("retrievals.svg"))
try Data(energy.svg().utf8).write(to: folder.appendingPathComponent("energy.svg"))
print("figures: \(outputFolder)/retrievals.svg, \(outputFolder)/energy.svg")
print(ok ? "PASS" : "FAIL")
exit(ok ? 0 : 1)
