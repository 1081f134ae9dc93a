import ArgumentParser
import Foundation
import Hopfield
import HopfieldSimulation
import Retrieval

/// `hopfield drdam`: the random-feature memory against the exact one (Hoover et al. 2024; docs/drdam.md).
struct DrDAMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drdam",
        abstract: "Errors of the random-feature energy (DrDAM) against the exact log-sum-exp energy, per number of features.",
        discussion: """
            K random binary memories with entries in {0, 1/√D}; at P points of each kind (stored memories, near
            memories with 10 % of the bits flipped, random binary points) the mean |E − Ẽ| and the mean elementwise
            |∇E − ∇Ẽ| for each Y, and the least-squares slope of log error against log Y; then both models are
            descended to steady state from the near points (Tsit5), binarised at 0.5/√D, and the fraction of
            differing bits is the disagreement. --out writes drdam.json,
            drdam.csv and drdam.svg (error against Y on log axes with the Y^−½ guide, one panel per point kind).
            """)

    @Option(help: "The dimension D of memories and points.") var dimension: Int
    @Option(help: "The number K of stored memories.") var memories: Int
    @Option(help: "The inverse temperature β > 0.") var beta: Double
    @Option(help: "Comma-separated numbers of features Y, e.g. 2000,4000,8000.") var features: String
    @Option(help: "The number P of points of each kind.") var points: Int = 100
    @Option(help: "Seed of memories, points and projections.") var seed: UInt64 = 0
    @Option(help: "Feature map: sincos, cos, exp or expexp.") var kernel: String = "sincos"
    @Option(help: "Independent projections averaged per Y.") var trials: Int = 1
    @Option(name: .customLong("t-end"), help: "Retrieval: the longest time each descent is integrated.") var tEnd: Double = 100
    @Flag(name: .customLong("no-retrieval"), help: "Skip the retrieval disagreement (the two descents from the near points).")
    var noRetrieval = false
    @Flag(help: "Print the JSON document to stdout instead of the table.") var json = false
    @Option(help: "Output folder for drdam.json, drdam.csv and drdam.svg.") var out: String?

    func run() throws {
        let parsedKernel: RandomFeatureKernel
        do { parsedKernel = try RandomFeatureKernel(named: kernel, path: "--kernel") } catch {
            throw CLIError.badInput(error.description)
        }
        var ys: [Int] = []
        for item in try commaList(features, flag: "--features") {
            guard let y = Int(item), y > 0 else { throw CLIError.badInput("--features: expected positive integers, got \"\(item)\"") }
            ys.append(y)
        }
        let experiment = DrDAMExperiment(
            dimension: dimension, memoryCount: memories, beta: beta, features: ys, points: points, seed: seed,
            kernel: parsedKernel, trials: trials)
        let progress = Progress()
        let started = Date()
        let result: DrDAMResult
        do {
            let endTime = tEnd
            result = try experiment.run(
                descend: noRetrieval ? nil : { try DrDAMExperiment.steadyStates(of: $0, from: $1, endTime: endTime) },
                progress: { progress.say("drdam: \($0) [\(elapsed(started))]") })
        } catch let error as NetworkError {
            throw CLIError.badInput("--\(error.path): \(error.message)")
        } catch let error as SimulationError {
            throw CLIError.badInput("--t-end: \(error)")
        }
        let report = DrDAMReport(experiment: experiment, result: result)
        if let out {
            try OutputFolder.write(to: out) { dir in
                try OutputFolder.text(report.document().serialized() + "\n", dir.appendingPathComponent("drdam.json"))
                try OutputFolder.text(report.csv(), dir.appendingPathComponent("drdam.csv"))
                try OutputFolder.text(report.svg(), dir.appendingPathComponent("drdam.svg"))
            }
        }
        if json {
            print(report.document().serialized())
        } else {
            print(report.table())
            if let out { print("output: \(out)/ (drdam.json, drdam.csv, drdam.svg)") }
        }
    }
}
