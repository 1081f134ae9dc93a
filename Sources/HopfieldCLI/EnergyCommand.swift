import ArgumentParser
import Foundation
import Hopfield
import HopfieldIO

struct EnergyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "energy", abstract: "Evaluate the energy, its analytic rate dE/dt and ‖ẋ‖ at a state.")

    @Argument(help: "The network file.") var network: String
    @Option(name: .customLong("state"), help: "State of a layer: LAYER=FILE.npy (1-D, or 2-D [B, size]). Others are 0.")
    var states: [String] = []
    @Flag(help: "Print one JSON document to stdout.") var json = false
    @Option(help: "Under mpirun: memories (each process holds its block of the memories of a gradient-flow model's lse and random_features terms, and every evaluation joins the blocks) or queries (the default: every process computes the whole batch, rank 0 prints). Without mpirun both change nothing. docs/distributed.md.")
    var distribute: Distribution = .queries

    func run() throws {
        var rows: [(energy: Double, rate: Double, speed: Double)] = []
        let initial: InitialStates
        let file: ModelFile
        if let model = try ShardedMemories.gradientModel(network, distribute, command: "energy") {
            file = .gradient(model)
        } else {
            file = try loadModel(network)
        }
        switch file {
        case .lagrangian(let net):
            initial = try InitialStates.load(states, network: net, flag: "--state")
            let evaluator = NetworkEvaluator(network: net)
            for x in initial.states {
                let (e, rate) = x.withUnsafeBufferPointer { evaluator.energyAndRate($0) }
                let v = evaluator.vectorField(x)
                rows.append((e, rate, v.map { $0 * $0 }.reduce(0, +).squareRoot()))
            }
        case .gradient(let model):
            initial = try InitialStates.load(states, model: model, flag: "--state")
            let monitor = GradientEvaluator(model: model, capacity: initial.states.count).monitor(initial.states)
            for b in initial.states.indices {
                rows.append((monitor.energies[b], monitor.rates[b], monitor.xdot[b].map { $0 * $0 }.reduce(0, +).squareRoot()))
            }
        }
        if json {
            func field(_ f: ((energy: Double, rate: Double, speed: Double)) -> Double) -> JSON {
                initial.isBatch ? .numbers(rows.map(f)) : .number(f(rows[0]))
            }
            var members: [(String, JSON)] = initial.isBatch ? [("batch", .int(rows.count))] : []
            members += [("energy", field(\.energy)), ("dEdt", field(\.rate)), ("speed", field(\.speed))]
            print(JSON.object(members).serialized())
        } else {
            for (b, r) in rows.enumerated() {
                let prefix = rows.count > 1 ? "[\(b)] " : ""
                print("\(prefix)energy \(fmt(r.energy)), dE/dt \(fmt(r.rate)), ‖ẋ‖ \(fmt(r.speed))")
            }
        }
    }
}
