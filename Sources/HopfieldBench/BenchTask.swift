import Foundation
import Hopfield
import HopfieldIO
import HopfieldSimulation

/// A benchmark task folder shared with the peer script (Benchmarks/peers): `network.json`, `queries.npy`
/// (`[B, N]`, the initial state of layer "v", or of the first layer; other layers start at 0) and
/// `task.json` {name, t_end, rtol, atol, until_steady, …} (unknown keys are ignored).
public struct BenchTask: Sendable {
    /// The task's name (`name` in task.json, else the folder's name).
    public var name: String
    /// The network of `network.json`.
    public var network: Network
    /// One flat initial state per query.
    public var initialStates: [[Double]]
    /// `t_end`.
    public var endTime: Double
    /// `rtol` (default 1e-6).
    public var relativeTolerance: Double
    /// `atol` (default 1e-8).
    public var absoluteTolerance: Double
    /// `until_steady` (default false).
    public var untilSteady: Bool
    /// The folder the task was loaded from (named in messages about `task.json`).
    public var folder: String = ""

    /// Loads a task folder.
    ///
    /// - Parameter folder: The folder's path.
    /// - Returns: The task.
    /// - Throws: ``BenchError`` (bad input) naming the file and what is wrong.
    public static func load(folder: String) throws(BenchError) -> BenchTask {
        let dir = URL(fileURLWithPath: folder)
        let taskURL = dir.appendingPathComponent("task.json")
        let object: JSON
        do {
            object = try JSONReader.parse([UInt8](try Data(contentsOf: taskURL)))
        } catch let error as JSONSyntaxError {
            throw .badInput("\(taskURL.path): invalid JSON at \(error)")
        } catch {
            throw .badInput("\(taskURL.path): \(error.localizedDescription)")
        }
        guard case .object = object else { throw .badInput("\(taskURL.path): expected a JSON object") }
        func number(_ key: String, default value: Double? = nil) throws(BenchError) -> Double {
            if case .number(let x)? = object[key], x.isFinite { return x }
            if object[key] == nil, let value { return value }
            throw .badInput("\(taskURL.path): \(key): expected a finite number")
        }
        let endTime = try number("t_end")
        let rtol = try number("rtol", default: 1e-6)
        let atol = try number("atol", default: 1e-8)
        var untilSteady = false
        if case .bool(let b)? = object["until_steady"] { untilSteady = b }
        var name = dir.lastPathComponent
        if case .string(let s)? = object["name"] { name = s }

        let network: Network
        do { network = try NetworkFile.load(contentsOf: dir.appendingPathComponent("network.json")) } catch {
            throw .badInput(error.description)
        }
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
        var task = BenchTask(
            name: name, network: network, initialStates: states, endTime: endTime, relativeTolerance: rtol,
            absoluteTolerance: atol, untilSteady: untilSteady)
        task.folder = folder
        return task
    }

    /// The integration options of the task with the given method (GMRES for the CVODE methods), two saves.
    ///
    /// - Parameter method: The integration method.
    /// - Returns: The options.
    public func options(method: SimulationMethod) -> BenchSettings {
        BenchSettings(
            endTime: endTime, saveCount: 2, relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance,
            method: method, linearSolver: .gmres(), untilSteady: untilSteady)
    }

    /// Integrates every query `repeats` times (stopping early once `budget` seconds were spent) and keeps
    /// the fastest run (in-process wall clock, excluding loading).
    ///
    /// - Parameters:
    ///   - options: The integration settings (``options(method:)``).
    ///   - strategy: The batch strategy (resolved).
    ///   - threads: The cores to use.
    ///   - repeats: The number of timed runs (≥ 1).
    ///   - budget: Stop repeating once this many seconds were spent.
    ///   - started: Called once, before the first run's line, after the settings passed `solve`'s checks.
    ///   - progress: Called with one line after each run.
    /// - Returns: The best run's seconds and results.
    /// - Throws: ``BenchError`` (bad input, naming `task.json` for bad settings) when the integration
    ///   cannot start.
    public func timed(
        options: BenchSettings, strategy: BatchStrategy,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, repeats: Int, budget: Double,
        started: () -> Void = {}, progress: (String) -> Void = { _ in }
    ) throws(BenchError) -> (seconds: Double, results: [TrajectorySolution]) {
        var best: (seconds: Double, results: [TrajectorySolution])? = nil
        var spent = 0.0
        for run in 0 ..< max(repeats, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            let results: [TrajectorySolution]
            do {
                results = try options.run(network, from: initialStates, strategy: strategy, threads: threads).trajectories
            } catch {
                // Bad settings come from the task file.
                if case .invalidOptions = error { throw .badInput("\(folder)/task.json: \(error.description)") }
                throw .badInput(error.description)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if run == 0 { started() }
            spent += seconds
            progress("  run \(run + 1): \(fmt(seconds)) s")
            if best == nil || seconds < best!.seconds { best = (seconds, results) }
            if spent > budget { break }
        }
        return best!
    }
}
