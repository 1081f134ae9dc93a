import Foundation
import Hopfield
import HopfieldSimulation

/// A benchmark task folder shared with the peer script (Benchmarks/peers): `network.json`, `queries.npy`
/// (`[B, N]`, the initial state of layer "v", or of the first layer; other layers start at 0) and
/// `task.json` {name, t_end, rtol, atol, until_steady, …} (unknown keys are ignored).
struct BenchTask {
    var name: String
    var network: Network
    /// One flat initial state per query.
    var initialStates: [[Double]]
    var endTime: Double
    var relativeTolerance: Double
    var absoluteTolerance: Double
    var untilSteady: Bool

    /// Loads a task folder.
    ///
    /// - Throws: ``CLIError/badInput(_:)`` naming the file and what is wrong.
    static func load(folder: String) throws(CLIError) -> BenchTask {
        let dir = URL(fileURLWithPath: folder)
        let taskURL = dir.appendingPathComponent("task.json")
        let object: [String: Any]
        do {
            let data = try Data(contentsOf: taskURL)
            guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw CLIError.badInput("\(taskURL.path): expected a JSON object")
            }
            object = o
        } catch let error as CLIError {
            throw error
        } catch {
            throw .badInput("\(taskURL.path): \(error.localizedDescription)")
        }
        func number(_ key: String, default value: Double? = nil) throws(CLIError) -> Double {
            if let x = object[key] as? NSNumber, x.doubleValue.isFinite { return x.doubleValue }
            if object[key] == nil, let value { return value }
            throw .badInput("\(taskURL.path): \(key): expected a finite number")
        }
        let endTime = try number("t_end")
        let rtol = try number("rtol", default: 1e-6)
        let atol = try number("atol", default: 1e-8)
        let untilSteady = (object["until_steady"] as? Bool) ?? false
        let name = (object["name"] as? String) ?? dir.lastPathComponent

        let network = try loadNetwork(dir.appendingPathComponent("network.json").path)
        let queriesURL = dir.appendingPathComponent("queries.npy")
        let queries: NPYArray
        do { queries = try NPY.read(contentsOf: queriesURL) } catch { throw .badInput(error.description) }
        let layer = network.layerIndex(named: "v") ?? 0
        let range = network.range(ofLayer: layer)
        let size = range.count
        let count: Int
        switch queries.shape.count {
        case 1 where queries.shape[0] == size: count = 1
        case 2 where queries.shape[1] == size && queries.shape[0] > 0: count = queries.shape[0]
        default:
            throw .badInput(
                "\(queriesURL.path): shape \(queries.shape) does not fit layer \"\(network.layers[layer].name)\" of \(size) units")
        }
        var states: [[Double]] = []
        states.reserveCapacity(count)
        for b in 0 ..< count {
            var x = [Double](repeating: 0, count: network.dimension)
            x.replaceSubrange(range, with: queries.values[b * size ..< (b + 1) * size])
            states.append(x)
        }
        return BenchTask(
            name: name, network: network, initialStates: states, endTime: endTime, relativeTolerance: rtol,
            absoluteTolerance: atol, untilSteady: untilSteady)
    }

    /// The integration options of the task with the given method (GMRES for the CVODE methods), two saves.
    func options(method: SimulationMethod) -> IntegrationSettings {
        IntegrationSettings(
            endTime: endTime, saveCount: 2, relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance,
            method: method, linearSolver: .gmres(), untilSteady: untilSteady)
    }
}
