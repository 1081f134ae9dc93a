import ArgumentParser
import Datasets
import Foundation
import Hopfield
import HopfieldIO
import HopfieldSimulation

/// The main job: a modern Hopfield network in continuous time storing 100 Fashion-MNIST images.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Store 100 Fashion-MNIST images, retrieve 8 corrupted ones by integrating to steady state.",
        discussion: """
            A two-layer Krotov–Hopfield network: 784 identity feature units and 100 softmax memory units whose \
            weights are the stored images, centred (the mean of the 100 images subtracted) and scaled to RMS 1 \
            (norm 28). Four queries have their bottom half masked (set to 0, i.e. to the mean image), four carry \
            Gaussian noise. The eight are integrated by CVODE (BDF; in lockstep, with GMRES and analytic \
            Jacobian–vector products) until steady while the energy monitor checks every step. Without Debian's \
            dataset-fashion-mnist a generated pattern set is used instead (and the output says so).
            """)

    @Option(help: "Output folder for summary.json, times.npy, trajectory.npy, energy.csv, energy.svg and states.svg.")
    var out: String = "hopfield-demo"
    @Option(help: "Inverse temperature β of the softmax memory layer.") var beta: Double = 0.2
    @Option(help: "Standard deviation of the Gaussian noise (the stored patterns have RMS 1).") var noise: Double = 0.8
    @Option(help: "Seed of the noise.") var seed: UInt64 = 1
    @Option(name: .customLong("linear-solver"), help: "dense, dense-dq or gmres. Default gmres (simulate: dense): at 884 units GMRES is much faster than the dense LU (docs/cli.md). The batch runs in lockstep with gmres, one CVODE per query with dense or dense-dq (about 15× slower).") var linearSolver: LinearSolverName = .gmres

    func run() throws {
        let say: @Sendable (String) -> Void = { s in
            if ProcessRole.reports { FileHandle.standardError.write(Data("demo: \(s)\n".utf8)) }
        }
        let stored = 100, side = 28
        let images: ImageSet
        let source: String
        if FashionMNIST.isAvailable(split: .train) {
            say("loading \(stored) Fashion-MNIST training images")
            do {
                images = try FashionMNIST.load(split: .train, limit: stored)
                source = "Fashion-MNIST (first \(stored) training images)"
            } catch {
                throw CLIError.failed("could not read Fashion-MNIST: \(error)")
            }
        } else {
            say("Fashion-MNIST not found in \(FashionMNIST.defaultDirectory.path): using generated patterns instead")
            images = GeneratedImages.blobs(count: stored, side: side, seed: seed &+ 1000)
            source = "generated patterns (Fashion-MNIST not installed: apt-get install dataset-fashion-mnist)"
        }
        let n = side * side
        let patterns = images.centredAndScaled()
        let network = try Network.modernHopfield(
            memories: patterns, beta: beta, tauMemories: 0.1, featureShape: [side, side])

        let targets = [3, 15, 27, 39, 51, 63, 75, 87]
        var rng = SplitMix64(seed: seed)
        var corruption: [String] = []
        var initial: [[Double]] = []
        for (q, target) in targets.enumerated() {
            var v = Array(patterns[target * n ..< (target + 1) * n])
            if q < 4 {
                Perturbation.maskSecondHalf(&v)
                corruption.append("bottom half masked")
            } else {
                Perturbation.addGaussianNoise(&v, sigma: noise, generator: &rng)
                corruption.append("Gaussian noise σ = \(noise)")
            }
            initial.append(try network.flatState(["visible": v]))
        }
        var options = IntegrationSettings(endTime: 200, saveCount: 51, relativeTolerance: 1e-6, absoluteTolerance: 1e-8)
        options.untilSteady = true
        options.linearSolver = linearSolver.kind
        options.linearSolverIsExplicit = true
        let strategy = linearSolver == .gmres ? "in lockstep" : "one CVODE per query"
        say("integrating \(targets.count) queries to steady state (CVODE BDF \(strategy), \(linearSolver.rawValue) linear solver, \(network.dimension) units)")
        let solution = try options.solve(network, from: initial) { done in say("  \(done)/\(targets.count) queries done") }
        let results = solution.trajectories

        print("Hopfield demo: \(source)")
        print("network: 784 identity features → \(stored) softmax(β = \(beta)) memories, τ = 1 / 0.1")
        var right = 0
        var queries: [JSON] = []
        for (q, r) in results.enumerated() {
            let v = r.final[network.layers[0].name]!
            let reached = network.nearestStoredPattern(ofLayer: 0, to: v)!
            let ok = reached.index == targets[q]
            if ok { right += 1 }
            queries.append(.object([
                ("image", .int(targets[q])), ("corruption", .string(corruption[q])), ("reached", .int(reached.index)),
                ("distance", .number(reached.distance)), ("right", .bool(ok)),
            ]))
            print(String(format: "query %d (image %2d, %@): reached image %2d, distance %.3g, t = %.3g, %@",
                         q, targets[q], corruption[q], reached.index, reached.distance, r.finalTime, ok ? "right" : "WRONG"))
        }
        let allPassed = results.allSatisfy { $0.monitor.passed }
        let steps = results.map(\.monitor.steps).reduce(0, +)
        let maxIncrease = results.map(\.monitor.maxEnergyIncrease).max() ?? 0
        let violations = results.map(\.monitor.violations).reduce(0, +)
        print("retrieved \(right) of \(targets.count) correctly")
        print("energy monitor: \(steps) steps, \(violations) violations, max increase \(fmt(maxIncrease)) — \(allPassed ? "no increase beyond tolerance" : "THE ENERGY INCREASED")")
        let summary = SimulationReport.document(
            network: network, results: results, batch: true,
            extra: [("queries", .array(queries)), ("retrieved_correctly", .int(right))])
        try OutputFolder.write(to: out) { dir in
            try SimulationOutput.write(network: network, solution: solution, summary: summary, to: dir)
        }
        print("output: \(out)/ (\(outputListing(out, order: simulationFiles)))")
        if let bad = results.first(where: { !$0.status.isSuccess }) { throw CLIError.failed("integration failed: \(bad.status)") }
    }
}
